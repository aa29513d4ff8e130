"""The sample target groups the stand-in server starts with, and loading groups from a file."""

from __future__ import annotations

import json
import pkgutil
from pathlib import Path
from typing import Any

from tui.model.errors import ModelError

SAMPLE_FILES = ("group-2762.json", "group-18044.json", "group-2310.json", "group-2306.json")


def sample_groups() -> list[dict[str, Any]]:
    """Fresh copies of the sample groups (2762, 18044, 2310, 2306), taken from the API's pages."""
    # pkgutil.get_data reads through the package's loader, as importlib.resources does, but
    # without importing zipfile and resources' readers (~4 ms of `tgedit demo`'s start).
    groups = []
    for name in SAMPLE_FILES:
        data = pkgutil.get_data("tui.stub", f"data/{name}")
        if data is None:  # a loader that cannot read package data
            raise ModelError(f"the sample group {name} cannot be read from the package")
        groups.append(json.loads(data))
    return groups


def sample_copies(count: int, first_id: int = 50000) -> list[dict[str, Any]]:
    """``count`` copies of the sample group 2762 with ids ``first_id``, ``first_id + 1`` …
    and names "group 0", "group 1" …: an organisation of groups of the sample's size (the
    tests and the bench of many groups at once)."""
    sample = next(g for g in sample_groups() if g["id"] == 2762)
    groups = []
    for number in range(count):
        group = json.loads(json.dumps(sample))
        group["id"] = first_id + number
        group["name"] = f"group {number}"
        groups.append(group)
    return groups


def groups_from_document(document: Any, *, source: str) -> list[dict[str, Any]]:
    """Groups from a JSON document: a list of groups, one group, or a reply envelope."""
    if isinstance(document, dict) and "data" in document and "id" not in document:
        document = document["data"]
    groups = document if isinstance(document, list) else [document]
    from tui.model.check import check_group

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
