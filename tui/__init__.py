"""tgedit: a terminal editor for Capillary loyalty target groups."""

__version__ = "0.1.0"
