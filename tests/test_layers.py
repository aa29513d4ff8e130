"""The core never imports Textual (or rich): scripting stays fast and the layers stay apart."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

TUI = Path(__file__).parent.parent / "tui"
UI_LIBRARIES = {"textual", "rich"}

CORE = [
    "tui.model",
    "tui.fields",
    "tui.session",
    "tui.api",
    "tui.expressions",
    "tui.config",
    "tui.stub",
    "tui.user_dirs",
]


def _loaded_after_import(module: str) -> set[str]:
    code = (
        f"import json, sys; import {module}; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out))


@pytest.mark.parametrize("module", CORE)
def test_core_package_imports_no_ui_library(module: str) -> None:
    loaded = _loaded_after_import(module)
    assert "textual" not in loaded, f"{module} pulled in textual"
    assert "rich" not in loaded, f"{module} pulled in rich"


def imported_roots(source: str) -> set[str]:
    """The top-level package of every import in ``source``, at any depth (in functions too)."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _modules_of(name: str) -> list[Path]:
    where = TUI / name.removeprefix("tui.").replace(".", "/")
    return (
        [where.with_suffix(".py")]
        if where.with_suffix(".py").is_file()
        else sorted(where.rglob("*.py"))
    )


@pytest.mark.parametrize("package", [*CORE, "tui.cli"])
def test_no_core_module_imports_a_ui_library(package: str) -> None:
    """Every module, not only the package's __init__: a lazy import inside a function
    would escape the subprocess check until the day that function runs."""
    modules = _modules_of(package)
    assert modules, f"no modules found under {package}"
    offenders = {
        str(path.relative_to(TUI)): sorted(imported_roots(path.read_text()) & UI_LIBRARIES)
        for path in modules
    }
    assert {name: libs for name, libs in offenders.items() if libs} == {}


def test_the_import_scan_sees_imports_inside_functions() -> None:
    source = "def f():\n    from rich.text import Text\n    import textual.app\n"
    assert imported_roots(source) == {"rich", "textual"}


def test_headless_cli_imports_no_ui_library() -> None:
    loaded = _loaded_after_import("tui.cli.main")
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_the_ui_never_imports_httpx_directly() -> None:
    """The UI reaches the server through tui.session.remote only."""
    app_dir = Path(__file__).parent.parent / "tui" / "app"
    offenders = [
        str(p.relative_to(app_dir))
        for p in app_dir.rglob("*.py")
        if "import httpx" in p.read_text() or "from httpx" in p.read_text()
    ]
    assert offenders == []
