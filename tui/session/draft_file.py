"""What one draft file holds (``Draft``), as JSON: the group, its fetched ``lastUpdatedOn``
and the changes by field path.

Apart from ``draft`` (where drafts are kept) because a quick look at a group needs no
``Draft``: one is made at the first change, or read when a draft is offered back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tui.fields.paths import format_path

FORMAT_VERSION = 1


@dataclass
class Draft:
    base_url: str
    group_id: int
    last_updated_on: str | None
    changes: list[tuple[str, Any]]
    saved_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S%z"))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "baseUrl": self.base_url,
            "groupId": self.group_id,
            "lastUpdatedOn": self.last_updated_on,
            "savedAt": self.saved_at,
            "changes": [{"path": path, "value": value} for path, value in self.changes],
        }

    @classmethod
    def from_json(cls, data: Any) -> Draft:
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"format {data.get('format')!r}, this tgedit reads {FORMAT_VERSION}")
        changes = data.get("changes")
        if not isinstance(changes, list) or not all(
            isinstance(c, dict) and isinstance(c.get("path"), str) and "value" in c for c in changes
        ):
            raise ValueError("its changes are not a list of {path, value}")
        group_id = data.get("groupId")
        if not isinstance(group_id, int):
            raise ValueError("it names no group id")
        return cls(
            base_url=str(data.get("baseUrl", "")),
            group_id=group_id,
            last_updated_on=data.get("lastUpdatedOn"),
            changes=[(c["path"], c["value"]) for c in changes],
            saved_at=str(data.get("savedAt", "")),
        )


def draft_of(session: Any, base_url: str) -> Draft:
    """The draft that records ``session``'s changes (an EditSession)."""
    return Draft(
        base_url=base_url,
        group_id=session.group_id,
        last_updated_on=session.last_updated_on,
        changes=[(format_path(c.path), c.after) for c in session.changes()],
    )
