"""The core never imports Textual (or rich): scripting stays fast and the layers stay apart."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE = [
    "tui.model",
    "tui.fields",
    "tui.session",
    "tui.api",
    "tui.expressions",
    "tui.config",
    "tui.stub",
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


def test_headless_cli_imports_no_ui_library() -> None:
    loaded = _loaded_after_import("tui.cli.main")
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_the_ui_never_imports_httpx_directly() -> None:
    """The UI reaches the server through tui.session.remote only."""
    from pathlib import Path

    app_dir = Path(__file__).parent.parent / "tui" / "app"
    offenders = [
        str(p.relative_to(app_dir))
        for p in app_dir.rglob("*.py")
        if "import httpx" in p.read_text() or "from httpx" in p.read_text()
    ]
    assert offenders == []
