"""The one check of a group's shape that ``tui.api`` calls (its body is replaced at merge)."""

from tui.model.shape import check_group_shape as check_group  # noqa: F401
