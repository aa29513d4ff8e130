"""The audit trail: every PUT that was sent, one JSON line each, never a credential."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.session.draft import default_state_dir, public_base_url


@dataclass
class AuditEntry:
    time: str
    base_url: str
    group_id: int
    body: Any
    status: int | None
    errors: list[Any]
    warnings: list[Any]
    outcome: str  # "sent", "failed"

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "baseUrl": self.base_url,
            "groupId": self.group_id,
            "status": self.status,
            "outcome": self.outcome,
            "errors": self.errors,
            "warnings": self.warnings,
            "body": self.body,
        }


class AuditLog:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_state_dir() / "audit.jsonl"

    def append(
        self,
        *,
        base_url: str,
        group_id: int,
        body_text: str,
        status: int | None,
        errors: list[Any] | None = None,
        warnings: list[Any] | None = None,
    ) -> None:
        entry = AuditEntry(
            time=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            base_url=public_base_url(base_url),
            group_id=group_id,
            body=json.loads(body_text),
            status=status,
            errors=list(errors or []),
            warnings=list(warnings or []),
            outcome="sent" if status is not None and 200 <= status < 300 else "failed",
        )
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        line = json.dumps(entry.to_json(), ensure_ascii=False) + "\n"
        # O_APPEND: concurrent tgedit processes each add whole lines.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)

    def entries(self, group_id: int | None = None) -> list[dict[str, Any]]:
        """Newest first; a line that cannot be read is skipped, not fatal."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found: list[dict[str, Any]] = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and (group_id is None or entry.get("groupId") == group_id):
                found.append(entry)
        return found[::-1]
