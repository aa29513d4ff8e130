"""The bottom area above the footer: the find box while it is open, what the inline
editor's check says while a field is edited, and the status line; and find itself
(a field path jumps to it; text is looked up in the group's index, off the UI thread).

Both sit in the screen's normal flow, not docked: a docked widget shares the footer's row
and is drawn under it, so nothing typed or reported there would reach the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on, work
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.app.widgets.group_tree import GroupTree
from tui.app.widgets.in_order_input import LazyInput
from tui.fields.paths import FieldPath, PathError
from tui.session.edit import EditSession
from tui.terminal_text import visible

FIND_PLACEHOLDER = "find: a field path such as targets[3006].expression, or text"


class FindBar(Vertical):
    """Owns the find box (``#find``) and the status line (``#status``); each takes a row
    only while it has something to show."""

    DEFAULT_CSS = """
    FindBar { height: auto; }
    FindBar #find { display: none; border: none; height: 1; padding: 0 1; }
    FindBar #find.-open { display: block; }
    FindBar #status { display: none; height: auto; padding: 0 1; color: $text-muted; }
    FindBar #status.-shown { display: block; }
    FindBar #edit-message { display: none; height: auto; padding: 0 1; color: $text-success; }
    FindBar #edit-message.-ok, FindBar #edit-message.-invalid, FindBar #edit-message.-warning {
        display: block;
    }
    FindBar #edit-message.-invalid { color: $text-error; }
    FindBar #edit-message.-warning { color: $text-warning; }
    """

    def __init__(self, tree: GroupTree, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Find moves the tree's cursor; the group searched is the one the tree shows.
        self.group_tree = tree
        self._query = ""
        self._hits: Sequence[FieldPath] = []
        # What the last find was, for n and N: None (none yet), "path" (it jumped to a
        # field), "searching", "text" (its matches are _hits, none if it matched nothing).
        self._last: str | None = None
        self._box = LazyInput(self, before=0, id="find", placeholder=FIND_PLACEHOLDER)
        self._lines: dict[str, Static] = {}

    # The bar starts empty: the find box is added once the editor is drawn (``LazyInput``),
    # a line when it first has something to say.

    def on_mount(self) -> None:
        self._box.add_after_first_frame()

    def _line(self, name: str) -> Static:
        """The line ``#name``, added in its place (the editor's check above the status)."""
        line = self._lines.get(name)
        if line is None:
            line = self._lines[name] = Static(id=name, markup=False)
            status = self._lines.get("status")
            if name == "edit-message" and status is not None:
                self.mount(line, before=status)
            else:
                self.mount(line)
        return line

    def edit_message(self, text: Text, state: str) -> None:
        """The inline editor's check, in full (it wraps); state "closed" hides it."""
        if state == "closed" and "edit-message" not in self._lines:
            return
        line = self._line("edit-message")
        # Only a new text: Static.update lays the screen out again, and a layout repaints
        # every scroll bar on screen (kilobytes per typed character over SSH).
        if line.content != text:
            line.update(text)
        for name in ("ok", "invalid", "warning"):
            line.set_class(state == name, f"-{name}")

    @property
    def input(self) -> Input:
        """The find box (``#find``), added above the bar's lines when first asked for."""
        return self._box.get()

    @property
    def is_open(self) -> bool:
        return self._box.added is not None and self._box.added.has_class("-open")

    def open(self) -> None:
        box = self.input
        box.add_class("-open")
        box.value = ""
        # At once, not on the next turn of the loop (what focus() does): keys typed right
        # after / (a paste, a fast typist, a burst over SSH) must land in the box.
        self.screen.set_focus(box)

    def close(self) -> None:
        if self._box.added is not None:
            self._box.added.remove_class("-open")

    def status(self, message: str) -> None:
        """One line of what is going on; an empty message hides the line."""
        if not message and "status" not in self._lines:
            return
        line = self._line("status")
        line.update(Text(visible(message)))
        line.set_class(bool(message), "-shown")

    # --- find -------------------------------------------------------------------------

    @on(Input.Submitted, "#find")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close()
        self.group_tree.focus()
        query = event.value.strip()
        session = self.group_tree.session
        if not query or session is None:
            return
        from tui.app.search import as_field_path, path_completions, quick_find  # after frame 1

        self.status("")  # a new find: what the last one said no longer holds
        path = as_field_path(session, query)
        if path is not None:
            self._query, self._hits, self._last = query, [], "path"
            self.group_tree.select_path(path)
            return
        self._query, self._hits, self._last = query, [], "text"
        try:
            completions = path_completions(session, query)
        except PathError:  # said if the text is not found either (_found)
            completions = []
        if completions:  # the fields the typed path's last key begins: n, N step through
            self._found(session, query, completions)
            return
        hits = quick_find(session, query)
        if hits is not None:  # the index is built and the hits are few: no thread
            self._found(session, query, hits)
            return
        self.status(f"Searching for {query!r}…")
        self._last = "searching"
        self._search(session, query)

    def cancel(self) -> None:
        """escape while the box is open: close it, back to the tree."""
        self.close()
        self.group_tree.focus()

    @work(thread=True, exclusive=True, group="index")
    def build_index(self, session: EditSession) -> None:
        """For text find, off the UI thread; the editor asks once the group is drawn
        (docs/performance.md, "Why each start-up measure exists")."""
        from tui.app.search import index_for

        index_for(session)

    @work(thread=True, exclusive=True, group="find")
    def _search(self, session: EditSession, query: str) -> None:
        """Text find looks the text up in the group's index (tui.app.search), built after
        the first frame; off the UI thread, as a find asked before it is built waits.

        It only reads: the fetched group is never modified and the change set is read
        by key, so the UI may go on editing meanwhile.
        """
        from tui.app.search import find_text

        hits = find_text(session, query)
        self.app.call_from_thread(self._found, session, query, hits)

    def _found(self, session: EditSession, query: str, hits: Sequence[FieldPath]) -> None:
        if session is not self.group_tree.session or query != self._query:
            return  # a newer find, or another group, since
        self._hits, self._last = hits, "text"
        self.status("")
        if not hits:
            from tui.app.search import path_completions

            problem = ""
            try:  # a query that looks like a path: what is wrong with it as one
                path_completions(session, query)
            except PathError as error:
                problem = f" As a path: {error}."
            self.notify(
                visible(f"Nothing matches {query!r}.{problem}"), severity="warning", markup=False
            )
            return
        self.step(+1)

    @property
    def hits(self) -> Sequence[FieldPath]:
        """The matches of the last text find (empty: none, or none yet)."""
        return self._hits

    def step(self, direction: int) -> None:
        """The next (+1) or previous (-1) match of the last text find."""
        if not self._hits:
            query = visible(self._query)
            if self._last is None:
                self.notify("No find yet: press / first.")
            elif self._last == "searching":
                self.notify(f"Still searching for {query!r}…")
            elif self._last == "path":
                self.notify(
                    f"{query!r} is a field path (found): n and N step through text matches."
                )
            else:
                self.notify(f"Nothing matches {query!r}: nothing for n and N to step through.")
            return
        cursor = self.group_tree.cursor_path
        hits = self._hits
        try:  # Hits.index looks a path up without walking every hit
            index = (hits.index(cursor) + direction) % len(hits)
        except ValueError:
            index = 0 if direction > 0 else len(hits) - 1
        self.group_tree.select_path(hits[index])
        self.status(
            f"{visible(self._query)!r}: match {index + 1} of {len(hits)} (n next, N previous)"
        )
