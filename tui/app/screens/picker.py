"""`tgedit edit` with no id: a filterable list of the target groups."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui.app.context import EditorContext
from tui.app.screens.dialogs import error_dialog
from tui.app.screens.editor import EditorScreen
from tui.app.widgets.top_bar import TopBar
from tui.terminal_text import first_line

COLUMNS = ("id", "name", "active", "dates", "tracking type")


def _cell(value: Any, limit: int = 60) -> Text:
    if value is None:
        return Text("—", style="dim")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    return Text(first_line(str(value), limit))


def group_row(group: dict[str, Any]) -> tuple[Text, ...]:
    dates = f"{group.get('fromDate') or '?'} → {group.get('toDate') or '?'}"
    return (
        _cell(group.get("id")),
        _cell(group.get("name")),
        _cell(group.get("active")),
        _cell(dates),
        _cell(group.get("trackingType")),
    )


class PickerScreen(Screen[None]):
    BINDINGS = [
        Binding("down", "move(1)", "Down", show=False, priority=True, id="picker-down"),
        Binding("up", "move(-1)", "Up", show=False, priority=True, id="picker-up"),
        Binding("escape", "app.quit", "Quit", id="picker-quit"),
        Binding("ctrl+r", "reload", "Reload", id="picker-reload"),
    ]
    DEFAULT_CSS = """
    PickerScreen #filter { border: none; height: 1; margin: 0 0 1 0; background: $boost; }
    PickerScreen DataTable { height: 1fr; scrollbar-size: 1 1; }
    PickerScreen #picker-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, context: EditorContext) -> None:
        super().__init__()
        self.context = context
        self.source = context.source_label
        self.groups: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Input(
            id="filter", placeholder="type to filter by id or name · enter opens · escape quits"
        )
        table: DataTable[Text] = DataTable(id="groups", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="picker-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TopBar).show(source=self.source, group="choose a target group", changes=None)
        table = self.query_one("#groups", DataTable)
        table.add_columns(*COLUMNS)
        self.query_one("#filter", Input).focus()
        self.load()

    @work(exclusive=True, group="list")
    async def load(self) -> None:
        table = self.query_one("#groups", DataTable)
        table.loading = True
        try:
            self.groups = await self.context.service.list_groups()
        except Exception as error:
            table.loading = False
            self.app.push_screen(error_dialog("Could not list the target groups", error))
            self._status("The list is empty because the request failed; ctrl+r retries.")
            return
        table.loading = False
        self._fill(self.query_one("#filter", Input).value)

    def action_reload(self) -> None:
        self.load()

    def _status(self, message: str) -> None:
        self.query_one("#picker-status", Static).update(Text(message))

    def _fill(self, query: str) -> None:
        needle = query.strip().casefold()
        self.shown = [
            g
            for g in self.groups
            if not needle
            or needle in str(g.get("id", "")).casefold()
            or needle in str(g.get("name", "")).casefold()
        ]
        table = self.query_one("#groups", DataTable)
        table.clear()
        for group in self.shown:
            table.add_row(*group_row(group))
        self._status(f"{len(self.shown)} of {len(self.groups)} target groups")

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        table = self.query_one("#groups", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self._open(self.query_one("#groups", DataTable).cursor_row)

    @on(DataTable.RowSelected, "#groups")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.cursor_row)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.shown):
            group_id = self.shown[row].get("id")
            if isinstance(group_id, int):
                self.app.push_screen(
                    EditorScreen(self.context, group_id=group_id, from_picker=True)
                )
