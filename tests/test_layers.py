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


def test_no_command_module_imports_another() -> None:
    """What two commands share lives in the session layer or the CLI's shared modules,
    so that a command can change (or go) without breaking another."""
    commands = sorted((TUI / "cli").glob("*_cmd.py"))
    assert len(commands) >= 10, "the scan found no command modules"
    names = {f"tui.cli.{path.stem}" for path in commands}
    offenders = {
        path.stem: sorted(imported_modules(path.read_text()) & (names - {f"tui.cli.{path.stem}"}))
        for path in commands
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def imported_modules(source: str) -> set[str]:
    """Every module ``source`` imports, at any depth, and each name it imports from one
    (``from tui.cli import set_cmd`` imports ``tui.cli.set_cmd``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_command_import_scan_sees_every_form() -> None:
    source = (
        "from tui.cli import set_cmd\n"
        "def f():\n    from tui.cli.apply_cmd import plan\n    import tui.cli.diff_cmd\n"
    )
    assert {"tui.cli.set_cmd", "tui.cli.apply_cmd", "tui.cli.diff_cmd"} <= imported_modules(source)


# Every command module defines these two by contract: main.py calls each module's
# add_parser and run by those names. They are one interface, not repeated helpers.
COMMAND_INTERFACE = {"add_parser", "run"}


def public_functions_defined_twice(root: Path) -> dict[str, list[str]]:
    """Each public module-level function or class name defined in more than one module
    under ``root``, with those modules (the command modules' interface left out)."""
    where: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        module = str(path.relative_to(root.parent))
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            if node.name.startswith("_"):
                continue
            if path.name.endswith("_cmd.py") and node.name in COMMAND_INTERFACE:
                continue
            where.setdefault(node.name, []).append(module)
    return {name: modules for name, modules in sorted(where.items()) if len(modules) > 1}


def test_the_duplicate_scan_finds_a_function_defined_twice(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "cli").mkdir(parents=True)
    (package / "a.py").write_text("def shared():\n    pass\n\ndef _own():\n    pass\n")
    (package / "b.py").write_text("async def shared():\n    pass\n\ndef _own():\n    pass\n")
    (package / "c.py").write_text("class Shared:\n    pass\n")
    (package / "d.py").write_text("class Shared:\n    pass\n")
    (package / "cli" / "x_cmd.py").write_text("def run():\n    pass\n")
    (package / "cli" / "y_cmd.py").write_text("def run():\n    pass\n")
    assert public_functions_defined_twice(package) == {
        "Shared": ["pkg/c.py", "pkg/d.py"],
        "shared": ["pkg/a.py", "pkg/b.py"],
    }


def test_no_public_function_name_is_defined_in_two_modules() -> None:
    """One name, one home: a reader (or an import) never has to ask which one is meant."""
    assert public_functions_defined_twice(TUI) == {}
