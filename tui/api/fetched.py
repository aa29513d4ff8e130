"""A group as a GET received it, and the change marker read from a group.

Apart from ``results`` (what the other calls return) because the editor's first frame
needs this one only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.api.replies import WarningItem


class FetchedGroup:
    """A group as received: ``group`` is the envelope's ``data`` untouched (not re-serialised
    through a model), ``text`` the raw reply, ``warnings`` the envelope's warnings.

    No repr of its own, so the group and the text stay out of ``repr()``: asyncio writes
    the repr of a future's result (a task's, a thread's), and a big group's took over a
    second and its size in memory again. A plain class, not @dataclass: one per fetch,
    never compared, and a dataclass compiles its methods at import, before the first frame.
    """

    __slots__ = ("checked", "group", "status", "text", "warnings")

    def __init__(
        self,
        group: dict[str, Any],
        text: str,
        warnings: list[WarningItem] | None = None,
        status: int = 200,
        checked: bool = True,
    ) -> None:
        self.group = group
        self.text = text
        self.warnings: list[WarningItem] = [] if warnings is None else warnings
        self.status = status
        # False until checked against the models (``TargetGroupClient.check_fetched``).
        self.checked = checked

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
