"""The README's "Where things are" map: each thing it names is defined where it says.

A row names a thing and its file: "`TargetGroupClient._send` in `tui/api/client.py`", or
in the layer table "`EditSession` in `edit.py`" (a file of that row's folder). The file is
parsed and must define the thing at module level (a class, a function or an assignment;
`Class.name` is defined in that class's body). An import does not count: the map sends a
reader to where a thing is written, not to where it is re-exported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent

# One or more backticked names ("`a`", "`a`, `b`", "`a` and `b`"), then " in `file.py`".
CLAIM = re.compile(r"((?:`[A-Za-z_][\w.]*`(?:, | and ))*`[A-Za-z_][\w.]*`) in `([\w/]+\.py)`")


class Claim(NamedTuple):
    name: str  # "TargetGroupClient" or "TargetGroupClient._send"
    path: str  # from the repository's root: "tui/api/client.py"

    def __str__(self) -> str:
        return f"{self.name} in {self.path}"


def where_things_are() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("## Where things are", 1)[1].split("\n## ", 1)[0]


def table_rows(section: str) -> list[list[str]]:
    """Each data row of the section's tables, as its cells (headers and rules left out)."""
    rows: list[list[str]] = []
    for line in section.splitlines():
        if not line.startswith("|") or re.fullmatch(r"[|\s:-]+", line):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] in ("layer", "question"):
            continue
        rows.append(cells)
    return rows


def claims_of(row: list[str]) -> list[Claim]:
    """The claims in a row's last cell; a layer row's files sit in its folder (first cell)."""
    layer = re.fullmatch(r"`(tui/\w+)`", row[0])
    claims: list[Claim] = []
    for names, file in CLAIM.findall(row[-1]):
        path = f"{layer.group(1)}/{file}" if layer and not file.startswith("tui/") else file
        claims.extend(Claim(name, path) for name in re.findall(r"`([\w.]+)`", names))
    return claims


def all_claims() -> list[Claim]:
    rows = table_rows(where_things_are())
    return list(dict.fromkeys(claim for row in rows for claim in claims_of(row)))


def names_defined(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def defines(source: str, dotted: str) -> bool:
    """Whether the module ``source`` defines ``dotted`` ("name" or "Class.name")."""
    body = ast.parse(source).body
    *classes, name = dotted.split(".")
    for class_name in classes:
        found = [n for n in body if isinstance(n, ast.ClassDef) and n.name == class_name]
        if not found:
            return False
        body = found[0].body
    return name in names_defined(body)


def test_every_row_names_a_thing_and_its_file() -> None:
    rows = table_rows(where_things_are())
    assert len(rows) >= 15  # nine layers and the questions
    assert [row[0] for row in rows if not claims_of(row)] == []


@pytest.mark.parametrize("claim", all_claims(), ids=str)
def test_each_named_thing_is_defined_where_the_map_says(claim: Claim) -> None:
    file = ROOT / claim.path
    assert file.is_file(), f"{claim.path} does not exist"
    defined = defines(file.read_text(encoding="utf-8"), claim.name)
    assert defined, f"{claim.path} does not define {claim.name} (a class, function or assignment)"


def test_every_file_named_in_the_section_exists() -> None:
    named = set(re.findall(r"`(tui/[\w/]+\.py)`", where_things_are()))
    assert [path for path in sorted(named) if not (ROOT / path).is_file()] == []


def test_the_check_tells_a_definition_from_an_import() -> None:
    source = (
        "from tui.api.client import TargetGroupClient\n"
        "import httpx as Client\n"
        "LIMIT: int = 3\n"
        "A, B = 1, 2\n"
        "class Store:\n"
        "    size = 0\n"
        "    def save(self) -> None: ...\n"
        "async def fetch() -> None: ...\n"
    )
    defined = ["LIMIT", "A", "B", "Store", "Store.save", "Store.size", "fetch"]
    assert [name for name in defined if not defines(source, name)] == []
    missing = ["TargetGroupClient", "Client", "save", "Store.load", "Other.save", "fetch.x"]
    assert [name for name in missing if defines(source, name)] == []
