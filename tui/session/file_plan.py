"""What applying a group file would do to the live group: its changes, or why it may not.

The changes are the editable fields whose value in the file differs from live. A
read-only field that differs, an element added or removed, a broken rule (the field
catalog's, through ``EditSession.check``) or an expression that does not parse is a
problem; a file with problems sends nothing. A target's ``expression`` is the file's
source of truth: a stale ``expressionJson`` is regenerated (see ``expression_sync``).

Fields the server moves by itself are not compared: every ``attribution`` (the change
marker, compared separately as the conflict check), ``activePeriod`` and a period's
``periodStatus`` (they follow the clock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.fields.catalog import spec_for
from tui.fields.paths import ElementId, FieldPath, format_path
from tui.session.changes import ABSENT, EditRefused
from tui.session.compare import leaf_differences
from tui.session.edit import EditSession, copy_json
from tui.session.expression_sync import settle_file_target

if TYPE_CHECKING:
    from tui.session.remote import GroupService

SERVER_MOVED = frozenset({"activePeriod", "periods[*].periodStatus"})


@dataclass
class FilePlan:
    """One file against its live group: ``session`` holds the changes to send."""

    source: str
    session: EditSession
    file_last_updated_on: str | None
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def group_id(self) -> int:
        return self.session.group_id

    @property
    def conflict(self) -> bool:
        """The live group moved since the file was exported, and the file changes it."""
        from tui.api.results import same_instant  # the api package: only when asked

        return self.session.has_changes and not same_instant(
            self.file_last_updated_on, self.session.last_updated_on
        )


def _server_moved(path: FieldPath) -> bool:
    return "attribution" in path or spec_for(path).pattern in SERVER_MOVED


def _shown(value: Any) -> str:
    import json

    if value is ABSENT:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def plan_file(source: str, document: dict[str, Any], live: dict[str, Any]) -> FilePlan:
    """Compare a file's group with the live one (the same ``id``)."""
    file_group = copy_json(document)
    session = EditSession(live)
    attribution = document.get("attribution")
    marker = attribution.get("lastUpdatedOn") if isinstance(attribution, dict) else None
    plan = FilePlan(source, session, marker if isinstance(marker, str) else None)
    live_targets = {t.get("id"): t for t in live.get("targets") or [] if isinstance(t, dict)}
    for target in file_group.get("targets") or []:
        if not isinstance(target, dict) or not isinstance(target.get("id"), int):
            continue
        live_target = live_targets.get(target["id"])
        live_json = live_target.get("expressionJson") if live_target else None
        try:
            note = settle_file_target(("targets", ElementId(target["id"])), target, live_json)
        except EditRefused as error:
            plan.problems.append(error.message)
            continue
        if note:
            plan.notes.append(note)
    changes: list[tuple[FieldPath, Any]] = []
    for path, live_value, file_value in leaf_differences(live, file_group):
        if _server_moved(path):
            continue
        where = format_path(path)
        spec = spec_for(path)
        if not spec.editable:
            present = file_value if live_value is ABSENT else live_value
            if (live_value is ABSENT or file_value is ABSENT) and isinstance(present, dict):
                side = "the file" if live_value is ABSENT else "the live group"
                plan.problems.append(
                    f"{where}: only in {side}; apply changes fields, it cannot add or remove them"
                )
            else:
                plan.problems.append(
                    f"{where} is read-only ({spec.readonly_reason}): "
                    f"live {_shown(live_value)}, file {_shown(file_value)}"
                )
            continue
        if file_value is ABSENT:
            plan.problems.append(f"{where} is missing from the file")
            continue
        problem = session.check(path, file_value)
        if problem:
            plan.problems.append(problem if problem.startswith(where) else f"{where}: {problem}")
            continue
        changes.append((path, file_value))
    if not plan.problems and changes:
        session.set_many(changes)
    return plan


async def plan_files(
    service: GroupService, documents: list[tuple[str, dict[str, Any]]], *, jobs: int = 1
) -> list[FilePlan]:
    """Each (name, group) document against the live group of its id; up to ``jobs`` live
    groups fetched at once (``tui.session.many``), the plans in the documents' order."""
    from tui.session.many import each_in_order

    plans: list[FilePlan] = []

    async def fetch(document: tuple[str, dict[str, Any]]) -> dict[str, Any]:
        return (await service.fetch(document[1]["id"])).group

    def take(document: tuple[str, dict[str, Any]], live: dict[str, Any]) -> None:
        plans.append(plan_file(document[0], document[1], live))

    await each_in_order(documents, fetch, take, jobs=jobs)
    return plans
