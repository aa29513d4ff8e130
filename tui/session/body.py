"""Where the PUT body is built: minimal (only what changed) or full (every request field).

Minimal follows the API page's example request: the group ``id``, each changed
top-level field, and one object per changed target holding its ``id`` and its
changed fields. Full sends every field the page's full example lists, taken from the
fetched group with the changes applied; response-only fields are left out.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from tui.fields.catalog import spec_for
from tui.fields.paths import ElementId, FieldPath, is_plain_key

BodyMode = Literal["minimal", "full"]


def minimal_body(group_id: int, changes: dict[FieldPath, Any], order: list[str]) -> dict[str, Any]:
    """``order`` is the top-level key order of the fetched group, so the body reads like it."""
    top: dict[str, Any] = {}
    targets: dict[int, dict[str, Any]] = {}
    for path, value in changes.items():
        if len(path) == 1 and isinstance(path[0], str):
            top[path[0]] = value
        elif len(path) == 3 and path[0] == "targets" and isinstance(path[1], ElementId):
            field = path[2]
            assert isinstance(field, str)
            targets.setdefault(path[1].id, {"id": path[1].id})[field] = value
        else:  # the catalog lets nothing deeper change; refuse rather than guess a shape
            raise ValueError(f"no PUT body shape for a change at {path!r}")
    body: dict[str, Any] = {"id": group_id}
    for key in sorted(top, key=lambda k: order.index(k) if k in order else len(order)):
        body[key] = top[key]
    if targets:
        body["targets"] = list(targets.values())
    return body


def full_body(current_group: dict[str, Any]) -> dict[str, Any]:
    """Every request-body field of the group with the changes already applied."""
    view = _request_view(current_group, "", {})
    assert isinstance(view, dict)
    return view


def _request_view(value: Any, pattern: str, sent: dict[str, bool]) -> Any:
    """``value`` without its response-only fields. ``pattern`` is the catalog pattern of
    its path (``targets[*].defaultValues[*]``), built as we go down; ``sent`` remembers
    per pattern whether the field is in a request: a big group repeats a few patterns
    hundreds of thousands of times."""
    if isinstance(value, dict):
        kept: dict[str, Any] = {}
        for key, child in value.items():
            # the pattern_of(path) of child_segment(value, key): a name, or [*] for a map key
            child_pattern = (
                (f"{pattern}.{key}" if pattern else key) if is_plain_key(key) else f"{pattern}[*]"
            )
            in_request = sent.get(child_pattern)
            if in_request is None:
                in_request = sent[child_pattern] = spec_for(child_pattern).in_request
            if in_request:
                kept[key] = _request_view(child, child_pattern, sent)
        return kept
    if isinstance(value, list):
        child_pattern = f"{pattern}[*]"
        return [_request_view(child, child_pattern, sent) for child in value]
    return value


def body_text(body: dict[str, Any]) -> str:
    """The exact bytes sent: compact JSON as Python writes it, non-ASCII kept as is."""
    return json.dumps(body, ensure_ascii=False)
