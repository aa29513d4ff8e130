"""A package's public names, each imported from its module when first used (PEP 562).

A package ``__init__`` that imported every module it re-exports would make each
``import tui.x`` pay for all of them: pydantic's models, the error messages, the draft
restore. Instead it says where each name lives, and Python asks when a name is used::

    if TYPE_CHECKING:
        from tui.model.group import TargetGroup

    _LAZY = {"TargetGroup": "tui.model.group"}

    if not TYPE_CHECKING:
        __getattr__ = lazy_exports(__name__, _LAZY)

mypy and readers see plain imports; hidden from mypy, the ``__getattr__`` does not make
every misspelt name an ``Any``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``: ``homes`` maps a name to its module."""
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        # __import__ rather than importlib.import_module: only an import through it is
        # timed by ``python -X importtime``, which the start-up's budget is measured with.
        value = getattr(__import__(home, fromlist=(name,)), name)
        namespace[name] = value  # once imported, found like any other name
        return value

    return __getattr__
