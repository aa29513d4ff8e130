"""The sample target groups the stand-in server starts with, and loading groups from a file."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from tui.model import ModelError

SAMPLE_FILES = ("group-2762.json", "group-18044.json", "group-2310.json", "group-2306.json")


def sample_groups() -> list[dict[str, Any]]:
    """Fresh copies of the sample groups (2762, 18044, 2310, 2306), taken from the API's pages."""
    folder = resources.files("tui.stub") / "data"
    return [json.loads((folder / name).read_text(encoding="utf-8")) for name in SAMPLE_FILES]


def groups_from_document(document: Any, *, source: str) -> list[dict[str, Any]]:
    """Groups from a JSON document: a list of groups, one group, or a reply envelope."""
    if isinstance(document, dict) and "data" in document and "id" not in document:
        document = document["data"]
    groups = document if isinstance(document, list) else [document]
    from tui.model import check_group

    seen: set[int] = set()
    for position, group in enumerate(groups):
        where = f"{source} (group at position {position})"
        try:
            check_group(group, source=where)
        except ModelError as error:
            raise ValueError(str(error)) from None
        if group["id"] in seen:
            raise ValueError(f"{source} holds target group {group['id']} twice")
        seen.add(group["id"])
    if not groups:
        raise ValueError(f"{source} holds no target group")
    return groups


def load_groups(path: str | Path) -> list[dict[str, Any]]:
    """Groups from a JSON file; ValueError says what is wrong with it."""
    file = Path(path)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"cannot read {file}: {error.strerror or error}") from None
    except ValueError as error:
        raise ValueError(f"{file} is not valid JSON: {error}") from None
    return groups_from_document(document, source=str(file))
