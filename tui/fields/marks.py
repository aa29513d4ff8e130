"""The marks that tell read-only, editable and changed fields apart without colour.

Shared by ``tgedit show`` and the editor, so a person learns them once.
"""

READ_ONLY_MARK = "🔒 "  # a lock reads as "cannot change" with or without colour
EDITABLE_MARK = "   "  # editable fields stay plain; three cells keep them aligned with the lock
CHANGED_MARK = "●  "
CHANGED_BELOW_MARK = "◦  "  # a group, period or target that holds a changed field
