"""The old name of ``tui.model.check.check_group``, for ``tui.api.exchange`` until it calls that.

Temporary (issue 23): the branch that moves ``tui/api`` to ``check_group`` deletes this file.
"""

from tui.model.check import check_group as check_group_shape

__all__ = ["check_group_shape"]
