"""What the stand-in server receives and sends: request records and the reply envelope."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


class RequestHeaders(dict[str, str]):
    """Request headers; looked up ignoring case, as HTTP header names are."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        super().__init__(items)
        self._lower = {k.lower(): k for k in self}

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(self._lower.get(key.lower(), key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._lower

    def get(self, key: str, default: Any = None) -> Any:
        original = self._lower.get(key.lower())
        return default if original is None else super().__getitem__(original)


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: RequestHeaders
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def envelope(
    data: Any = None,
    errors: list[dict[str, Any]] | None = None,
    warnings: list[Any] | None = None,
) -> dict[str, Any]:
    return {"data": data, "errors": errors or None, "warnings": warnings or None}
