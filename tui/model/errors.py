"""The error of a group that does not have the documented shape, and the words for JSON types."""

from __future__ import annotations

from typing import Any

_TYPE_WORDS = {
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


class ModelError(ValueError):
    """A reply or file that does not have the documented shape; the message names the path."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


def describe(value: Any) -> str:
    return _TYPE_WORDS.get(type(value), type(value).__name__)


def unwrap_group(document: Any, *, source: str = "the file") -> dict[str, Any]:
    """A saved group may be the whole reply envelope or the bare group: return the group."""
    if isinstance(document, dict) and "data" in document and "id" not in document:
        data = document["data"]
        if not isinstance(data, dict):
            raise ModelError(
                f"{source} holds an envelope whose data is {describe(data)}, not a group"
            )
        return data
    if not isinstance(document, dict):
        raise ModelError(f"{source} holds {describe(document)}, not a target group")
    return document
