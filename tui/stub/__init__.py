"""A stand-in of the target-group API on 127.0.0.1 (``tgedit demo``, ``tgedit stub``, tests).

No Textual here.
"""
