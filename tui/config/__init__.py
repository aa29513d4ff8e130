"""Connection settings: flags, then environment, then a profile of the config file.

``resolve_settings`` merges the three layers; ``connection_for`` turns the result into
a ``tui.api.connection.Connection``. No Textual here: the headless commands use it too. Reading a
config file (``tui.config.parse``, pydantic) is imported only when there is one.
"""
