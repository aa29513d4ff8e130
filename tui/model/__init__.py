"""Pydantic v2 models of the target-group API's documented shapes.

Unknown fields are kept (``extra="allow"``) so that a round trip loses nothing;
enumerations are plain strings so that a value the docs never named still loads.

The models are imported on first use (PEP 562): importing pydantic and building every
model's schema costs more than the rest of the start-up, and ``ModelError`` or
``unwrap_group`` alone need neither.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once imported, found like any other name
    return value


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
