"""Entry points the CLI calls: the editor on a server or a file, and the demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.api.connection import Connection
    from tui.config.file import ClipboardMode
    from tui.session.body import BodyMode
    from tui.session.prefetch import Prefetch

DEMO_GROUP = 2762
DEMO_USER = "demo"
DEMO_PASSWORD = "demo"


def load_group_file(path: Path) -> dict[str, Any]:
    """A saved group: the whole reply envelope or the bare group. Raises ModelError/OSError."""
    from tui.app.collector import paused
    from tui.model.check import check_group
    from tui.model.errors import ModelError, unwrap_group

    with paused():  # docs/performance.md, "Why each start-up measure exists"
        raw = path.read_bytes()
        try:
            document = json.loads(raw.decode("utf-8"))
        except json.JSONDecodeError as error:
            raise ModelError(
                f"{path} is not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            ) from None
        except UnicodeDecodeError as error:
            raise ModelError(
                f"{path} is not UTF-8 text (byte {error.start} cannot be read)"
            ) from None
        except RecursionError:
            raise ModelError(f"{path} is nested too deeply to be a target group") from None
        group = unwrap_group(document, source=str(path))
        check_group(group, source=str(path))
        return group


def run_editor(
    connection: Connection | None,
    group_id: int | None = None,
    file: Path | None = None,
    *,
    body_mode: BodyMode = "minimal",
    keymap: dict[str, str] | None = None,
    state_dir: Path | None = None,
    clipboard: ClipboardMode | None = None,
    config_path: Path | None = None,
    drafts_last: bool = True,
    prefetch: Prefetch | None = None,
) -> int:
    from tui.app import collector

    collector.pause()  # until the first frame: TgEditApp.on_ready resumes it
    try:
        from tui.app.app import TgEditApp
        from tui.session.draft import DraftStore, default_state_dir
        from tui.session.edit import EditSession
        from tui.session.remote import GroupService

        session = EditSession(load_group_file(file), take=True) if file is not None else None
        app = TgEditApp(
            service=GroupService(connection, prefetch=prefetch),
            drafts=DraftStore(state_dir / "drafts" if state_dir else None),
            group_id=group_id,
            session=session,
            file=file,
            body_mode=body_mode,
            keymap=keymap,
            audit=(state_dir or default_state_dir()) / "audit.jsonl",  # opened at the first PUT
            clipboard=clipboard,
            config_path=config_path,
            drafts_last=drafts_last,
        )
        app.run()
    finally:
        collector.resume()  # also when the editor failed before its first frame
    return 0


def run_demo(*, group_id: int = DEMO_GROUP, state_dir: Path | None = None) -> int:
    """The editor on the built-in stand-in server with the sample groups: no credentials."""
    import tempfile

    from tui.api.auth import BasicAuth
    from tui.api.connection import Connection
    from tui.stub.samples import sample_groups
    from tui.stub.server import StubServer

    server = StubServer(groups=sample_groups(), port=0, username=DEMO_USER, password=DEMO_PASSWORD)
    server.start()
    try:
        # The stand-in gets a new port each run, so its drafts could never be offered back:
        # keep them out of the real state folder.
        connection = Connection(base_url=server.base_url, auth=BasicAuth(DEMO_USER, DEMO_PASSWORD))
        from tui.session.prefetch import Prefetch

        prefetch = Prefetch(connection, group_id).start()
        with tempfile.TemporaryDirectory(prefix="tgedit-demo-") as scratch:
            return run_editor(
                connection,
                group_id,
                state_dir=state_dir or Path(scratch),
                drafts_last=False,  # a new port each run: a demo draft is never offered back
                prefetch=prefetch,
            )
    finally:
        server.stop()
