"""The documented shape of a target group: its check (``check.py``, generated from the
field catalog, where the shape is declared once) and the error that names a path
(``errors.py``)."""
