"""Group files named on the command line (``apply``, ``diff``): each read and checked
before any request is made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.cli.common import CliError


def read_files(paths: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    """Every file read and checked before any request; two files for one group refused."""
    from tui.session.export import GroupFileError, read_group_file, shown_name

    documents: list[tuple[str, dict[str, Any]]] = []
    seen: dict[int, str] = {}
    for path in paths:
        try:
            group = read_group_file(path)
        except GroupFileError as error:
            raise CliError(str(error)) from None
        name = shown_name(path)
        if group["id"] in seen:
            raise CliError(f"{seen[group['id']]} and {name} are both target group {group['id']}")
        seen[group["id"]] = name
        documents.append((name, group))
    return documents
