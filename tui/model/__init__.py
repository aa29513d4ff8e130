"""Pydantic v2 models of the target-group API's documented shapes.

Unknown fields are kept (``extra="allow"``) so that a round trip loses nothing;
enumerations are plain strings so that a value the docs never named still loads.

The models are imported on first use (PEP 562): importing pydantic and building every
model's schema costs more than the rest of the start-up, and ``ModelError`` or
``unwrap_group`` alone need neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.lazy_exports import lazy_exports
from tui.model.errors import ModelError, unwrap_group

if TYPE_CHECKING:
    from tui.model.group import (
        Attribution,
        DefaultValue,
        Envelope,
        ErrorItem,
        ExtendedFieldInfo,
        Filter,
        Period,
        Streak,
        Target,
        TargetGroup,
        UserRef,
    )
    from tui.model.load import check_group, dump_group, parse_envelope, parse_group

_LAZY = {
    **dict.fromkeys(
        (
            "Attribution",
            "DefaultValue",
            "Envelope",
            "ErrorItem",
            "ExtendedFieldInfo",
            "Filter",
            "Period",
            "Streak",
            "Target",
            "TargetGroup",
            "UserRef",
        ),
        "tui.model.group",
    ),
    **dict.fromkeys(
        ("check_group", "dump_group", "parse_envelope", "parse_group"), "tui.model.load"
    ),
}


if not TYPE_CHECKING:  # mypy reads the imports above, and so catches a misspelt name
    __getattr__ = lazy_exports(__name__, _LAZY)

__all__ = [
    "Attribution",
    "DefaultValue",
    "Envelope",
    "ErrorItem",
    "ExtendedFieldInfo",
    "Filter",
    "ModelError",
    "Period",
    "Streak",
    "Target",
    "TargetGroup",
    "UserRef",
    "check_group",
    "dump_group",
    "parse_envelope",
    "parse_group",
    "unwrap_group",
]
