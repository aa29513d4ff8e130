"""The documented shape of a target group: its check, and the error that names a path.

The shape itself is declared once, in the field catalog (``tui.fields.catalog``);
``check_group`` is generated from it.
"""

from tui.model.check import check_group
from tui.model.errors import ModelError, unwrap_group

__all__ = ["ModelError", "check_group", "unwrap_group"]
