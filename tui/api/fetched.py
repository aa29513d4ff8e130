"""A group as a GET received it, and the change marker read from a group (``results``
holds what the other calls return)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.api.replies import WarningItem


@dataclass(slots=True, eq=False)
class FetchedGroup:
    """A group as received: ``group`` is the envelope's ``data`` untouched (not re-serialised
    through a model), ``text`` the raw reply, ``warnings`` the envelope's warnings.

    Neither the group nor the text is in ``repr()``: asyncio writes the repr of a future's
    result (a task's, a thread's), and a big group's took over a second.
    """

    group: dict[str, Any] = field(repr=False)
    text: str = field(repr=False)
    warnings: list[WarningItem] = field(default_factory=list)
    status: int = 200
    # False until the shape is checked (``TargetGroupClient.check_fetched``).
    checked: bool = True

    @property
    def last_updated_on(self) -> str | None:
        return last_updated_on(self.group)


def last_updated_on(group: dict[str, Any]) -> str | None:
    """``attribution.lastUpdatedOn``: the API's only marker of a change (no ETag, no version)."""
    attribution = group.get("attribution")
    if isinstance(attribution, dict):
        value = attribution.get("lastUpdatedOn")
        return value if isinstance(value, str) else None
    return None
