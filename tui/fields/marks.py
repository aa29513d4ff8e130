"""The marks that tell read-only, editable and changed fields apart without colour.

Shared by ``tgedit show`` and the editor, so a person learns them once. Each is one
narrow (single-cell) character plus a space: an emoji lock is two cells wide in some
terminals and one in others, which breaks alignment over SSH, and many fonts lack it.
"""

READ_ONLY_MARK = "⊘ "  # "not allowed": read-only, with or without colour
EDITABLE_MARK = "  "  # editable fields stay plain
CHANGED_MARK = "● "
CHANGED_BELOW_MARK = "◦ "  # a group, period or target that holds a changed field
