"""The stateful soak of issue 19: nothing is lost at the edges, whatever happens in turn.

Two editor sessions (the session layer the editor uses: ``EditSession``, ``DraftKeeper``,
``DraftStore``, ``tui.session.submit``) and the CLI (``set``, ``revert``, in-process
``main``) work on one group of the stand-in over real HTTP on 127.0.0.1. Each step is one
of: an edit, undo, redo, a revert of a field, a submit (plain, or meeting a 500, a dropped
connection, a reply that cannot be read after the PUT was applied, or a slow PUT held at
the stand-in's gate while the CLI, a full disk or a kill comes in), a reload, a kill of an
editor (its drafts read back as a fresh process would, each leftover restored,
discarded or left for later), a CLI ``set`` or ``revert``, and a full disk (ENOSPC on
every write of the state folder) coming or going.

After every step (design.md, "Nothing lost, at the edges too"):

- each change a user made is on the server with an ``applied`` audit entry (checked as
  the submit returns), or in the editor's own draft, or in a leftover draft offered to a
  fresh editor, or on screen as not saved with the reason (the keeper's error);
- every PUT that reached the stand-in has an audit entry, and no entry is of a PUT that
  did not;
- the audit log reads back, every line;
- no secret (the password, the Authorization value) is in any file of the state folder
  or in anything the CLI printed.

Run: ``python tests/soak.py --steps 10000`` (a random seed, printed; ``--seed N`` to
replay). ``tests/test_soak.py`` runs a few hundred steps with a fixed seed.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import errno
import io
import json
import os
import random
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.api.auth import BasicAuth, basic_authorization
from tui.api.connection import Connection, Timeouts
from tui.cli.common import Io
from tui.cli.main import main
from tui.session import audit as audit_module
from tui.session import draft as draft_module
from tui.session.audit import AuditLog
from tui.session.draft import DraftKeeper, DraftStore
from tui.session.edit import EditSession
from tui.session.remote import GroupService
from tui.session.restore import take_leftover
from tui.session.submit import DraftPlace, Submitted, submit
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer

GROUP = 2762
USER = "soak.user"
PASSWORD = "S0ak-pw-q7Zx!"
VALUES: dict[str, list[Any]] = {
    "name": ["Alpha", "Beta", "Gamma", "uatTargetGroup80"],
    "description": ["one", "two", "three", ""],
    "preferredTillId": [1, 2, 75155297],
}
SUBMIT_FAULTS = (
    "none",
    "none",
    "none",
    "500",
    "drop",
    "unreadable",
    "slow",
    "slow+cli",
    "slow+full",
    "slow+kill",
)


class InvariantBroken(AssertionError):
    pass


@dataclass
class Editor:
    store: DraftStore
    service: GroupService
    keeper: DraftKeeper
    session: EditSession


def _disk_full_write(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class Soak:
    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.rng = rng
        self.stub = StubServer(groups=sample_groups(), port=0, username=USER, password=PASSWORD)
        self.stub.start()
        self.base = self.stub.base_url
        self.state = folder / "state" / "tgedit"
        self.drafts = self.state / "drafts"
        self.audit = AuditLog(self.state / "audit.jsonl")
        self.env = {
            **os.environ,
            "XDG_STATE_HOME": str(folder / "state"),
            "XDG_CONFIG_HOME": str(folder / "config"),
            "CAP_API_BASE_URL": self.base,
            "CAP_API_USERNAME": USER,
            "CAP_API_PASSWORD": PASSWORD,
        }
        self.loop = asyncio.new_event_loop()
        self.editors: list[Editor | None] = [None, None]
        # Leftover draft files an ended editor left: their changes (None: not known,
        # the editor had been told its draft could not be written).
        self.leftovers: dict[Path, list[tuple[str, Any]] | None] = {}
        self.outputs: list[str] = []
        self.full = False
        self.secrets = [PASSWORD, basic_authorization(USER, PASSWORD).split()[-1]]
        self.log: list[str] = []
        self.counts: collections.Counter[str] = (
            collections.Counter()
        )  # what happened, for the report
        self._real = (audit_module._write, draft_module.write_atomically)

    # --- plumbing -------------------------------------------------------------------------

    def close(self) -> None:
        self.set_full(False)
        for slot in range(len(self.editors)):
            if self.editors[slot] is not None:
                self.kill(slot)
        self.loop.close()
        self.stub.stop()

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(coro)

    def connection(self) -> Connection:
        return Connection(
            base_url=self.base,
            auth=BasicAuth(USER, PASSWORD),
            timeouts=Timeouts(5.0, 10.0),
            retries=0,
        )

    def set_full(self, full: bool) -> None:
        """A full disk: every write of the audit log and of a draft is ENOSPC."""
        self.full = full
        write, atomic = self._real
        audit_module._write = _disk_full_write if full else write  # type: ignore[assignment]
        draft_module.write_atomically = _disk_full_write if full else atomic  # type: ignore[assignment]

    def cli(self, *argv: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), Io(stdout=out, stderr=err, stdin=io.StringIO(), env=self.env))
        self.outputs += [out.getvalue(), err.getvalue()]
        return code, err.getvalue()

    def open(self, slot: int) -> None:
        """A fresh editor process opens the group: every leftover draft is offered."""
        store = DraftStore(self.drafts)
        service = GroupService(self.connection())
        session = EditSession(self.run(service.fetch(GROUP)).group, take=True)
        keeper = DraftKeeper(store, self.base)
        session.subscribe(keeper)
        self.editors[slot] = Editor(store, service, keeper, session)
        for path in store.leftovers(self.base, GROUP):
            draft = store.read(path)
            choice = self.rng.choice(("restore", "discard", "later"))
            self.log.append(f"  offered {path.name}: {choice}")
            self.counts[f"leftover {choice}"] += 1
            if choice == "restore":
                report = take_leftover(store, self.base, session, path, draft)
                if report.kept_at != path:  # removed, or moved aside: offered no more
                    self.leftovers.pop(path, None)
            elif choice == "discard":
                store.remove(path)
                self.leftovers.pop(path, None)

    def kill(self, slot: int) -> None:
        editor = self.editors[slot]
        assert editor is not None
        own = editor.store.path_for(self.base, GROUP)
        if own.exists():
            unsaved = editor.keeper.last_error is not None
            self.leftovers[own] = None if unsaved else changes_of(editor.session)
        editor.store.close()  # what SIGKILL does to its lock
        self.run(editor.service.aclose())
        self.editors[slot] = None

    def editor(self, slot: int) -> Editor:
        if self.editors[slot] is None:
            self.open(slot)
        editor = self.editors[slot]
        assert editor is not None
        return editor

    # --- steps ----------------------------------------------------------------------------

    def step(self) -> None:
        rng = self.rng
        slot = rng.randrange(2)
        kind = rng.choices(
            [
                "edit",
                "undo",
                "redo",
                "revert",
                "submit",
                "reload",
                "kill",
                "set",
                "revert-cli",
                "disk",
            ],
            weights=[30, 8, 5, 5, 16, 6, 6, 7, 3, 4],
        )[0]
        if kind == "edit":
            field = rng.choice(list(VALUES))
            value = rng.choice(VALUES[field])
            self.log.append(f"editor {slot}: {field}={value!r}")
            self.editor(slot).session.set(field, value)
        elif kind == "undo":
            self.log.append(f"editor {slot}: undo")
            self.editor(slot).session.undo()
        elif kind == "redo":
            self.log.append(f"editor {slot}: redo")
            self.editor(slot).session.redo()
        elif kind == "revert":
            field = rng.choice(list(VALUES))
            self.log.append(f"editor {slot}: revert {field}")
            self.editor(slot).session.revert_below((field,))
        elif kind == "submit":
            self.submit(slot, rng.choice(SUBMIT_FAULTS))
        elif kind == "reload":
            self.log.append(f"editor {slot}: reload")
            editor = self.editor(slot)
            fetched = self.run(editor.service.fetch(GROUP)).group
            editor.session.rebase(fetched)
        elif kind == "kill":
            self.log.append(f"editor {slot}: killed")
            if self.editors[slot] is not None:
                self.counts["kill"] += 1
                self.kill(slot)
        elif kind == "set":
            field = rng.choice(list(VALUES))
            value = rng.choice(VALUES[field])
            code, err = self.cli("set", str(GROUP), f"{field}={value}", "--yes")
            self.log.append(f"cli: set {field}={value!r} -> {code}")
            self.counts[f"cli set exit {code}"] += 1
            self.expect_exit(code, err, (0, 1, 3))
        elif kind == "revert-cli":
            applied = [e for e in self.audit.entries(GROUP) if e.get("outcome") == "applied"]
            if applied:
                code, err = self.cli("revert", applied[0]["id"], "--yes")
                self.log.append(f"cli: revert {applied[0]['id']} -> {code}")
                self.counts[f"cli revert exit {code}"] += 1
                self.expect_exit(code, err, (0, 1, 2, 3))
        else:
            self.log.append(f"disk {'free' if self.full else 'full'}")
            self.set_full(not self.full)
        if self.full and kind != "disk" and rng.random() < 0.25:  # a full disk is freed soon
            self.log.append("disk free")
            self.set_full(False)

    def expect_exit(self, code: int, err: str, allowed: tuple[int, ...]) -> None:
        if code not in allowed or "Traceback" in err or "unexpected error" in err:
            raise InvariantBroken(f"the CLI exited {code}: {err}")
        if code == 1 and not self.full and "500" not in err:
            raise InvariantBroken(f"the CLI failed with no fault on: {err}")

    def submit(self, slot: int, fault: str) -> None:
        editor = self.editor(slot)
        session = editor.session
        self.log.append(f"editor {slot}: submit ({fault}), {session.change_count} change(s)")
        if not session.has_changes:
            return
        faults = self.stub.faults

        def go(recheck: bool = True) -> Coroutine[Any, Any, Submitted]:
            return submit(
                editor.service,
                session,
                "minimal",
                audit=self.audit,
                recheck=recheck,
                draft=DraftPlace(editor.store, self.base),
            )

        if fault == "500":
            faults.put_status = 500
        if fault in ("drop", "unreadable", "slow", "slow+cli", "slow+full", "slow+kill"):
            submitted = self.held_put(go, fault)
        else:
            submitted = self.run(go())
        faults.clear()
        if submitted is None:  # killed while its PUT was on the way
            self.counts["killed while sending"] += 1
            self.kill(slot)
            return
        if submitted.conflict is not None:
            self.counts["conflict"] += 1
            if self.rng.random() < 0.3:
                self.log.append("  conflict: overwrite")
                submitted = self.run(go(recheck=False))
            else:
                self.log.append("  conflict: reload and reapply")
                session.rebase(submitted.conflict.current_group)
                return
        if submitted.result is not None:
            self.counts[f"submit ({fault}) applied"] += 1
            self.after_applied(editor, submitted)
        else:
            self.counts[f"submit ({fault}) {type(submitted.error).__name__}"] += 1
            self.log.append(f"  failed: {submitted.error}")

    def held_put(
        self, go: Callable[[], Coroutine[Any, Any, Submitted]], fault: str
    ) -> Submitted | None:
        """The PUT held at the stand-in's gate while something else happens; None when the
        editor was killed meanwhile (its task cancelled: nothing after the PUT runs)."""
        gate = self.stub.faults.gate
        gate.hold("PUT")
        done: list[Submitted | None] = []
        task = self.loop.create_task(go())

        def run() -> None:
            try:
                done.append(self.loop.run_until_complete(task))
            except asyncio.CancelledError:
                done.append(None)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        while gate.arrived < 1 and thread.is_alive():
            gate.wait_until_held(1, timeout=0.05)
        cli: tuple[threading.Thread, list[tuple[int, str]]] | None = None
        if gate.arrived:
            if fault == "unreadable":
                self.stub.faults.omit_data = True  # applied, and the reply has no group
            elif fault == "drop":
                self.stub.faults.drop_connection = True  # the PUT is dropped, not applied
            elif fault == "slow+full":
                self.set_full(True)
            elif fault == "slow+cli":
                cli = self.cli_meanwhile()
            elif fault == "slow+kill":
                self.loop.call_soon_threadsafe(task.cancel)
                thread.join(30)
        gate.release()
        thread.join(30)
        if cli is not None:
            cli[0].join(30)
            ((code, err),) = cli[1]
            self.log.append(f"  cli meanwhile: set -> {code}")
            self.counts[f"cli meanwhile exit {code}"] += 1
            if "Waiting for another tgedit process" not in err and "Nothing to send" not in err:
                raise InvariantBroken(f"the CLI did not wait its turn: {err}")
            self.expect_exit(code, err, (0, 3))
        if not done:
            raise InvariantBroken("the held submit never ended")
        return done[0]

    def cli_meanwhile(self) -> tuple[threading.Thread, list[tuple[int, str]]]:
        """A ``set`` while the editor's PUT is in flight: it must wait for the lock."""
        result: list[tuple[int, str]] = []
        field = self.rng.choice(list(VALUES))
        value = self.rng.choice(VALUES[field])
        seen = io.StringIO()

        def run() -> None:
            code = main(
                ["set", str(GROUP), f"{field}={value}", "--yes"],
                Io(stdout=io.StringIO(), stderr=seen, stdin=io.StringIO(), env=self.env),
            )
            result.append((code, seen.getvalue()))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while "Waiting for another" not in seen.getvalue() and thread.is_alive():
            if time.monotonic() > deadline:
                raise InvariantBroken("the CLI never said it waits")
            time.sleep(0.005)
        self.outputs.append(seen.getvalue())
        return thread, result

    def after_applied(self, editor: Editor, submitted: Submitted) -> None:
        """The server holds what was sent, and the audit log says it was applied."""
        assert submitted.result is not None
        group = self.stub.group(GROUP)
        for change in submitted.changes:
            if group.get(change.path[0]) != change.after:
                raise InvariantBroken(
                    f"{change.path_text} was applied but the server holds "
                    f"{group.get(change.path[0])!r}"
                )
        newest = self.audit.entries(GROUP)
        if not self.full and (not newest or newest[0]["outcome"] != "applied"):
            raise InvariantBroken(f"an applied PUT without an applied entry: {newest[:1]}")
        editor.session = EditSession(submitted.result.group)
        editor.session.subscribe(editor.keeper)

    # --- invariants -----------------------------------------------------------------------

    def check(self) -> None:
        entries = self.audit.entries()
        if self.audit.unreadable_lines:
            raise InvariantBroken(f"{self.audit.unreadable_lines} audit line(s) do not read")
        sent = sorted(canonical(json.loads(r.body)) for r in self.stub.requests("PUT"))
        logged = sorted(canonical(e["body"]) for e in entries)
        if sent != logged:
            raise InvariantBroken(f"PUTs {sent} but audit entries {logged}")
        for slot, editor in enumerate(self.editors):
            if editor is None or editor.keeper.last_error is not None:
                continue  # none, or the reason is on screen: "The draft could not be written"
            own = editor.store.path_for(self.base, GROUP)
            if editor.session.has_changes:
                on_disk = editor.store.read(own).changes
                if on_disk != changes_of(editor.session):
                    raise InvariantBroken(f"editor {slot}'s draft {on_disk} is not its changes")
            elif own.exists():
                raise InvariantBroken(f"editor {slot} has no change but a draft")
        fresh = DraftStore(self.drafts)  # as a new process reads them
        offered = set(fresh.leftovers(self.base, GROUP))
        if offered != set(self.leftovers):
            raise InvariantBroken(f"offered {offered}, left {set(self.leftovers)}")
        for path, changes in self.leftovers.items():
            if changes is not None and fresh.read(path).changes != changes:
                raise InvariantBroken(f"the leftover {path.name} lost changes")
        for text in [*self.outputs, *files_text(self.state)]:
            for secret in self.secrets:
                if secret in text:
                    raise InvariantBroken("a secret reached a file or the output")
        self.outputs.clear()


def changes_of(session: EditSession) -> list[tuple[str, Any]]:
    return [(c.path_text, c.after) for c in session.changes()]


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def files_text(folder: Path) -> list[str]:
    texts = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            try:
                texts.append(Path(root, name).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
    return texts


def soak(steps: int, seed: int, folder: Path) -> collections.Counter[str]:
    """``steps`` steps from ``seed``; what happened, counted. InvariantBroken (with the
    last steps) on a failure."""
    saved = {name: os.environ.get(name) for name in ("XDG_STATE_HOME", "XDG_CONFIG_HOME")}
    os.environ["XDG_STATE_HOME"] = str(folder / "state")  # AuditLog() of the CLI reads it
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    run = Soak(folder, random.Random(seed))
    try:
        for number in range(steps):
            try:
                run.step()
                run.check()
            except Exception as error:
                tail = "\n".join(run.log[-25:])
                raise InvariantBroken(
                    f"seed {seed}, step {number}: {error}\nthe last steps:\n{tail}"
                ) from error
        return run.counts
    finally:
        run.close()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None, help="replay a run (default: random)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"soak: {args.steps} steps, seed {seed}", flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tgedit-soak-") as folder:
        try:
            counts = soak(args.steps, seed, Path(folder))
        except InvariantBroken:
            traceback.print_exc()
            print(f"soak: FAILED with seed {seed} (replay: --seed {seed})", file=sys.stderr)
            return 1
    for what, count in sorted(counts.items()):
        print(f"  {count:6d}  {what}")
    print(f"soak: {args.steps} steps passed in {time.monotonic() - started:.0f} s, seed {seed}")
    return 0


if __name__ == "__main__":
    sys.exit(cli())
