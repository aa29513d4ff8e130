"""The editor's one door to the server: fetch, list, check for a conflict, submit.

The UI calls these and never builds a request itself. One client (one connection
pool, one cached OAuth token) serves the whole app session.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from tui.session.body import BodyMode
from tui.session.draft import public_base_url
from tui.session.edit import EditSession

if TYPE_CHECKING:
    from tui.api.client import TargetGroupClient
    from tui.api.connection import Connection
    from tui.api.fetched import FetchedGroup
    from tui.api.results import EditResult
    from tui.session.audit import SentPut
    from tui.session.changes import FieldChange
    from tui.session.conflict import ConflictReport
    from tui.session.prefetch import Prefetch


class OfflineError(RuntimeError):
    """No connection is configured (an editor opened on a file)."""


class GroupService:
    def __init__(
        self,
        connection: Connection | None,
        *,
        transport: Any = None,
        prefetch: Prefetch | None = None,
    ) -> None:
        self.connection = connection
        self._transport = transport
        self._client: TargetGroupClient | None = None
        # The first fetch of this group was started before the app (tui.session.prefetch).
        self._prefetch = prefetch
        # A fetched group whose shape is not yet checked: a submit checks it first.
        self._unchecked: FetchedGroup | None = None

    @property
    def online(self) -> bool:
        return self.connection is not None

    @property
    def base_url(self) -> str | None:
        return public_base_url(self.connection.base_url) if self.connection else None

    @property
    def wait_seconds(self) -> float:
        """How long a submit waits for another process sending to the group (``--timeout``)."""
        return self.connection.timeouts.read if self.connection else 0.0

    @property
    def user(self) -> str | None:
        """Who the PUTs are sent as, for the audit trail: never a secret."""
        from tui.session.audit import user_label

        return user_label(self.connection.auth) if self.connection else None

    def sent_put(
        self, session: EditSession, mode: BodyMode, replacing: dict[str, Any] | None = None
    ) -> SentPut:
        """The audit record of submitting ``session``: where, the body, who, what changed.
        ``replacing``: the group as the server holds it now, when that is not the one
        fetched (an overwrite): each "before" is then what the PUT replaces there."""
        from tui.session.audit import SentPut
        from tui.session.changes import ABSENT

        def before_of(change: FieldChange) -> Any:
            if replacing is None:
                return change.before
            from tui.fields.paths import PathError, resolve

            try:
                return resolve(replacing, change.path)
            except PathError:
                return None

        changes = tuple(
            (
                c.path_text,
                None if (before := before_of(c)) is ABSENT else before,
                None if c.after is ABSENT else c.after,
            )
            for c in session.changes()
        )
        return SentPut(
            self.base_url or "", session.group_id, session.body_text(mode), self.user, changes
        )

    async def _open(self) -> TargetGroupClient:
        if self.connection is None:
            raise OfflineError(
                "no connection is configured: give --base-url or --cluster and credentials "
                "(see tgedit --help) to submit or reload"
            )
        if self._client is None:
            from tui.api.client import TargetGroupClient

            client = TargetGroupClient(self.connection, transport=self._transport)
            await client.__aenter__()
            self._client = client
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.__aexit__(None, None, None)

    def has_reply(self, group_id: int) -> bool:
        """The group's prefetched reply (or its failure) is in: a fetch will not wait."""
        prefetch = self._prefetch
        return prefetch is not None and prefetch.group_id == group_id and prefetch.done

    def ready_reply(self, group_id: int) -> FetchedGroup | None:
        """The group's prefetched reply if it is already in and good (taken, as ``fetch``
        takes it), so that the editor can draw the group in its very first frame; None
        otherwise (not started, not in yet, or failed: ``fetch`` then waits or raises)."""
        prefetch = self._prefetch
        if prefetch is None or prefetch.group_id != group_id or not prefetch.done:
            return None
        fetched = prefetch.result()
        if fetched is not None:
            self._prefetch = None
            self._take(fetched)
        return fetched

    def _take(self, fetched: FetchedGroup) -> FetchedGroup:
        """A prefetched reply becomes the session's: unchecked until ``check_fetched``."""
        self._unchecked = None if fetched.checked else fetched
        return fetched

    async def fetch(self, group_id: int) -> FetchedGroup:
        """The group; the prefetched reply the first time, unchecked (see ``check_fetched``)."""
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None and prefetch.group_id == group_id:
            return self._take(await prefetch.reply())
        return await (await self._open()).get_target_group(group_id, include_periods=True)

    async def check_fetched(self, fetched: FetchedGroup) -> None:
        """Check the shape of a group fetched unchecked, in a thread (seconds for a big
        group); the MalformedReply a checked fetch would have raised."""
        if fetched.checked:
            return
        client = await self._open()
        await asyncio.get_running_loop().run_in_executor(None, client.check_fetched, fetched)
        if self._unchecked is fetched:
            self._unchecked = None

    async def list_groups(self, *, active_only: bool = False) -> list[dict[str, Any]]:
        return await (await self._open()).list_target_groups(active_only=active_only)

    async def check_conflict(self, session: EditSession) -> ConflictReport | None:
        conflict = await (await self._open()).check_conflict(
            session.group_id, session.last_updated_on
        )
        if conflict is None:
            return None
        from tui.session.conflict import conflict_report  # only a submit gets here

        return conflict_report(session, conflict)

    async def submit(self, session: EditSession, mode: BodyMode) -> EditResult:
        unchecked = self._unchecked
        if unchecked is not None and unchecked.group.get("id") == session.group_id:
            await self.check_fetched(unchecked)  # never a PUT over a group not checked
        return await (await self._open()).edit_target_group(
            session.group_id, session.body_text(mode)
        )

    def curl(self, session: EditSession, mode: BodyMode, *, reveal_secrets: bool = False) -> str:
        from tui.api.curl import curl_for_edit

        if self.connection is None:
            raise OfflineError("no connection is configured, so there is no request to show")
        return curl_for_edit(
            self.connection,
            session.group_id,
            session.body_text(mode),
            reveal_secrets=reveal_secrets,
        )
