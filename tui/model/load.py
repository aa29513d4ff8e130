"""Turning JSON into checked models, with errors that name the field path."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from tui.fields.paths import FieldPath, child_segment, format_path
from tui.model.errors import ModelError, describe
from tui.model.group import Envelope, Target, TargetGroup
from tui.model.shape import check_unique_ids

_MISSING = object()

_WANTED = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "number_type": "a number",
    "string_type": "a string",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
}


def path_from_loc(document: Any, loc: tuple[int | str, ...]) -> tuple[FieldPath, Any]:
    """Map pydantic's positional location onto our id-based field path, and the value there."""
    segments: list[Any] = []
    node = document
    for key in loc:
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            segments.append(child_segment(node, key))
            node = node[key]
        elif isinstance(node, dict) and isinstance(key, str):
            is_map = bool(segments) and segments[-1] == "targetPeriodDefaultValuesMap"
            segments.append(child_segment(node, key, as_map=is_map) if key in node else key)
            node = node.get(key, _MISSING)
        # anything else in a loc (union branch names such as "int") is not a field
    return tuple(segments), node


def _first_error(
    error: ValidationError, document: Any, source: str, prefix: tuple[int | str, ...] = ()
) -> ModelError:
    item = error.errors()[0]
    segments, value = path_from_loc(document, prefix + tuple(item["loc"]))
    path = format_path(segments) or "the top level"
    if item["type"] == "missing" or value is _MISSING:
        return ModelError(f"{source} sent no {path}, which every element needs", path)
    got = describe(value)
    wanted = _WANTED.get(item["type"]) or item["msg"].removeprefix("Input should be ").rstrip(".")
    return ModelError(f"{source} sent {got} at {path}, where the API promises {wanted}", path)


def parse_group(document: Any, *, source: str = "the server") -> TargetGroup:
    """Check a bare group document; ModelError names the first path that is wrong."""
    if not isinstance(document, dict):
        raise ModelError(f"{source} sent {describe(document)} where a target group object belongs")
    try:
        group = TargetGroup.model_validate(document)
    except ValidationError as error:
        raise _first_error(error, document, source) from None
    check_unique_ids(document, source)
    return group


def check_group(document: Any, *, source: str = "the server") -> None:
    """What parse_group checks, without keeping the models.

    A year of daily periods with fifty targets is some 200,000 models: built all at once
    they peak at ~150 MB. Checking the group without its targets, then one target at a
    time, lets each target's models go before the next is built.
    """
    if not isinstance(document, dict):
        raise ModelError(f"{source} sent {describe(document)} where a target group object belongs")
    targets = document.get("targets")
    if not isinstance(targets, list):
        parse_group(document, source=source)
        return
    try:
        TargetGroup.model_validate({**document, "targets": []})
    except ValidationError as error:
        raise _first_error(error, document, source) from None
    for index, target in enumerate(targets):
        try:
            Target.model_validate(target)
        except ValidationError as error:
            raise _first_error(error, document, source, ("targets", index)) from None
    check_unique_ids(document, source)


def parse_envelope(document: Any, *, source: str = "the server") -> Envelope:
    if not isinstance(document, dict):
        raise ModelError(f"{source} sent {describe(document)} where the reply envelope belongs")
    try:
        return Envelope.model_validate(document)
    except ValidationError as error:
        raise _first_error(error, document, source) from None


def dump_group(group: TargetGroup) -> dict[str, Any]:
    """The group as JSON data again: only the fields that were received, unknown ones too."""
    return group.model_dump(mode="json", exclude_unset=True, by_alias=True)
