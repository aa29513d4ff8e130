"""The rules an editable field's value must meet, and how typed text becomes a value.

The catalog (``catalog.py``) names which rule applies to which field; this module only
says what each rule checks, so the catalog stays a readable table.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.fields.paths import FieldPath

# The API is Java: an id it stores is a long, so nothing above 2^63 - 1 can be kept.
JAVA_LONG_MAX = 2**63 - 1


def check_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if not value.strip():
        return "must not be blank"
    if len(value) > 200:
        return f"must be at most 200 characters (this is {len(value)})"
    return None


def check_text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be text"


def check_positive_id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number"
    if value <= 0:
        return "must be a positive whole number"
    if value > JAVA_LONG_MAX:
        return f"must be at most {JAVA_LONG_MAX} (the largest id the API stores)"
    return None


def check_expression(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    return None if value.strip() else "must not be blank"


def check_expression_json(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be text holding a JSON object"
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        return f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    return None if isinstance(parsed, dict) else "must hold a JSON object ({...})"


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def value_from_text(path: FieldPath | str, text: str) -> Any:
    """Turn what a person typed into the field's JSON value; ValueError says why not."""
    # Imported here: the catalog imports this module's checks to name them in its table.
    from tui.fields.catalog import spec_for

    spec = spec_for(path)
    if spec.kind == "integer":
        stripped = text.strip()
        # ASCII digits with at most one sign: isdigit() would pass '²' and '+-5' to int().
        if not _WHOLE_NUMBER.fullmatch(stripped):
            raise ValueError(f"{spec.label} must be a whole number, not {text!r}")
        return int(stripped)
    return text
