"""Pydantic v2 models of the target-group API's documented shapes.

Unknown fields are kept (``extra="allow"``) so that a round trip loses nothing;
enumerations are plain strings so that a value the docs never named still loads.
"""

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
from tui.model.load import (
    ModelError,
    check_group,
    dump_group,
    parse_envelope,
    parse_group,
    unwrap_group,
)

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
