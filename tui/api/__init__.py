"""The target-group API client: every request leaves through ``client.TargetGroupClient``.

No Textual here. Names are imported from the module that defines them.
"""
