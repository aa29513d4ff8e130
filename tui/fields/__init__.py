"""The field catalog and the field-path syntax."""

from tui.fields.catalog import (
    CATALOG,
    EDITABLE_PATTERNS,
    FieldKind,
    FieldSpec,
    is_editable,
    is_map,
    spec_for,
    validate,
)
from tui.fields.paths import (
    ElementId,
    FieldPath,
    Index,
    MapKey,
    PathError,
    Segment,
    child_segment,
    exists,
    format_path,
    parse_path,
    pattern_of,
    resolve,
)
from tui.fields.rules import value_from_text

__all__ = [
    "CATALOG",
    "EDITABLE_PATTERNS",
    "ElementId",
    "FieldKind",
    "FieldPath",
    "FieldSpec",
    "Index",
    "MapKey",
    "PathError",
    "Segment",
    "child_segment",
    "exists",
    "format_path",
    "is_editable",
    "is_map",
    "parse_path",
    "pattern_of",
    "resolve",
    "spec_for",
    "validate",
    "value_from_text",
]
