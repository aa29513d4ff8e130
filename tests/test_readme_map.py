"""The README's "Where things are" names only files that exist, so the map cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def where_things_are() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Where things are", 1)[1].split("\n## ", 1)[0]


def test_every_file_the_map_names_exists() -> None:
    section = where_things_are()
    named = re.findall(r"`(tui/[\w/]+\.py)`", section)
    assert len(named) >= 5  # the five questions each name one file
    assert [path for path in named if not (ROOT / path).is_file()] == []
    # A layer row's "start with" files sit in that layer's folder.
    for folder, files in re.findall(r"^\| `(tui/\w+)` \|.*\| ([^|]+) \|$", section, re.M):
        for name in re.findall(r"`([\w/]+\.py)`", files):
            assert (ROOT / folder / name).is_file(), f"{folder}/{name}"
