"""Find: a field path jumps to its field; text finds the next field whose name or value holds it."""

from __future__ import annotations

import functools
import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import Any, overload

from tui.fields.catalog import MAP_PATTERNS, is_map
from tui.fields.paths import (
    FieldPath,
    PathError,
    child_segment,
    exists,
    format_path,
    is_plain_key,
    parse_path,
    resolve,
)
from tui.session.edit import EditSession


def walk(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every node of a document in order, containers before their children."""
    yield path, value
    if isinstance(value, dict):
        as_map = is_map(path)
        for key, child in value.items():
            yield from walk(child, (*path, child_segment(value, key, as_map=as_map)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, (*path, child_segment(value, index)))


def as_field_path(session: EditSession, query: str) -> FieldPath | None:
    """The query as a path that exists in the group, or None when it is plain text."""
    try:
        path = parse_path(query)
    except PathError:
        return None
    return path if exists(session.original, path) else None


def path_completions(session: EditSession, query: str) -> list[FieldPath]:
    """A path typed with its last key in part (``targets[3006].expr``): the fields of its
    parent whose key starts so (case folded), in the group's order. [] for a query that
    is not a path of two or more parts (a plain word is text to find); PathError says
    what is wrong with one that names nothing."""
    try:
        path = parse_path(query)
    except PathError:
        return []
    if len(path) < 2:
        return []
    parent, last = path[:-1], path[-1]
    node = resolve(session.original, parent)
    stem = last.casefold() if isinstance(last, str) else None
    found = []
    if stem is not None and isinstance(node, dict):
        as_map = is_map(parent)
        found = [
            (*parent, child_segment(node, key, as_map=as_map))
            for key in node
            if key.casefold().startswith(stem)
        ]
    if not found:
        begun = format_path((last,))
        raise PathError(f"{format_path(parent)} has no field that starts with {begun!r}")
    return found


def matches(session: EditSession, query: str) -> list[FieldPath]:
    """Paths whose key, path text or current value holds ``query`` (case folded), in order."""
    needle = query.casefold()
    found: list[FieldPath] = []
    for path, value in walk(session.original):
        if not path:
            continue
        if session.is_changed(path):
            value = session.value(path)
        shown = "" if isinstance(value, dict | list) else str(value)
        if needle in shown.casefold() or needle in format_path(path[-1:]).casefold():
            found.append(path)
    return found


# --- the text index: a find is one str.find over the whole group ------------------------

# A node's line is "key\x00value\n", case folded; a query holding either separator cannot
# be looked up in it (it would match across two fields) and walks the group instead.
_SEPARATORS = ("\x00", "\n")
_CHUNK = 4096  # lines joined at a time while building, so that no list of them all is kept


class TextIndex:
    """Every node of a group as one case-folded line, in the order of ``walk``.

    ``starts[n]`` is where node n's line begins and ``sizes[n]`` how many nodes its
    subtree holds (itself included): a hit's offset gives its node number by bisection,
    and a node number its path by descending from the root, skipping whole subtrees.
    The text is kept in chunks of whole lines (``chunk_starts[i]`` is where chunk i
    begins): a match never spans two lines, so never two chunks, and joining them would
    hold the text twice while it is built. At 1000 × 100 the index is ~19 MB and takes
    about half a second to build (in a thread, after the first frame); a find is then
    tens of milliseconds instead of a walk.
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        self.starts = array("I")
        self.sizes = array("I")
        self.chunks, self.chunk_starts = _build(document, self.starts, self.sizes)

    def count(self, needle: str) -> int:
        """How often ``needle`` (case folded) occurs in the text."""
        return sum(chunk.count(needle) for chunk in self.chunks)

    # --- looking up ---------------------------------------------------------------------

    def numbers(self, needle: str) -> list[int]:
        """The node numbers whose line holds ``needle`` (case folded), in order."""
        found: list[int] = []
        starts = self.starts
        end = len(starts)
        for base, chunk in zip(self.chunk_starts, self.chunks, strict=True):
            position = chunk.find(needle)
            while position >= 0:
                number = bisect_right(starts, base + position) - 1
                found.append(number)
                if number + 1 >= end:
                    return found
                position = chunk.find(needle, starts[number + 1] - base)
        return found

    def path_of(self, number: int) -> FieldPath:
        """The path of node ``number``: down from the root, whole subtrees skipped."""
        path: FieldPath = ()
        value = self.document
        at = 0
        while at != number:
            child = at + 1
            for key, item in _items(value, path):
                if number < child + self.sizes[child]:
                    as_map = is_map(path) if isinstance(key, str) else False
                    path = (*path, child_segment(value, key, as_map=as_map))
                    value, at = item, child
                    break
                child += self.sizes[child]
            else:
                raise IndexError(number)
        return path

    def number_of(self, path: FieldPath) -> int | None:
        """The node number of ``path``, None when the group has no such node."""
        value = self.document
        at = 0
        for depth, segment in enumerate(path):
            child = at + 1
            for key, item in _items(value, path[:depth]):
                as_map = is_map(path[:depth]) if isinstance(key, str) else False
                if child_segment(value, key, as_map=as_map) == segment:
                    value, at = item, child
                    break
                child += self.sizes[child]
            else:
                return None
        return at


def _build(document: Any, starts: array[int], sizes: array[int]) -> tuple[list[str], list[int]]:
    """A TextIndex's text chunks and where each begins, filling ``starts`` and ``sizes``,
    in one walk.

    ~830,000 nodes at 1000 × 100, so the loop is tight: the catalog pattern of each
    container is carried down as text (``is_map`` asks for patterns) instead of building
    every path, and lines are case-folded a chunk at a time, not one by one.
    """
    chunks: list[str] = []
    chunk_starts: list[int] = []
    lines: list[str] = []
    first_of_chunk = 0  # the node number of lines[0]
    offset = 0  # where the next line starts in the text, as far as known

    def flush() -> None:
        nonlocal first_of_chunk, offset
        if not lines:
            return
        raw = "".join(lines)
        folded = raw.casefold()
        if len(folded) != len(raw):  # a character folds to two ("ß"): these lines moved
            at = starts[first_of_chunk]
            for number, line in enumerate(lines, first_of_chunk):
                starts[number] = at
                at += len(line.casefold())
            offset = at
        chunks.append(folded)
        chunk_starts.append(starts[first_of_chunk])
        first_of_chunk += len(lines)
        lines.clear()

    def add(line: str) -> int:
        nonlocal offset
        number = len(sizes)
        starts.append(offset)
        sizes.append(1)
        lines.append(line)
        offset += len(line)
        if len(lines) >= _CHUNK:  # no list of every line is kept
            flush()
        return number

    add_start, add_size, add_line = starts.append, sizes.append, lines.append

    def walk(value: Any, pattern: str) -> None:
        nonlocal offset
        if isinstance(value, dict):
            as_map = pattern in MAP_PATTERNS
            for key, child in value.items():
                text = _key_text(key, as_map)
                if isinstance(child, dict | list):
                    number = add(f"{text}\x00\n")
                    walk(child, _child_pattern(pattern, key, as_map))
                    sizes[number] = len(sizes) - number
                else:  # most nodes: add() inlined
                    line = f"{text}\x00{child}\n"
                    add_start(offset)
                    add_size(1)
                    add_line(line)
                    offset += len(line)
                    if len(lines) >= _CHUNK:
                        flush()
            return
        item_pattern = pattern + "[*]"
        for position, child in enumerate(value):
            if isinstance(child, dict):
                element_id = child.get("id")
                text = (
                    f"[{element_id}]"
                    if isinstance(element_id, int) and not isinstance(element_id, bool)
                    else f"[#{position}]"
                )
            elif isinstance(child, list):
                text = f"[#{position}]"
            else:
                add(f"[#{position}]\x00{child}\n")
                continue
            number = add(f"{text}\x00\n")
            walk(child, item_pattern)
            sizes[number] = len(sizes) - number

    add("\n")  # the root itself is never a match
    walk(document, "")
    sizes[0] = len(sizes)
    flush()
    return chunks, chunk_starts


@functools.cache
def _child_pattern(pattern: str, key: str, as_map: bool) -> str:
    """``pattern_of`` of a dict's child path, from the dict's pattern (keys repeat: cached)."""
    return pattern + ("[*]" if as_map or not is_plain_key(key) else ("." if pattern else "") + key)


def _items(value: Any, path: FieldPath) -> Iterator[tuple[str | int, Any]]:
    if isinstance(value, dict):
        yield from value.items()
    elif isinstance(value, list):
        yield from enumerate(value)


@functools.cache
def _key_text(key: str, as_map: bool) -> str:
    """``format_path`` of a one-key path, for a dict's key (keys repeat: cached)."""
    return format_path((child_segment({key: None}, key, as_map=as_map),))


def _shown(value: Any) -> str:
    return "" if isinstance(value, dict | list) else str(value)


def _line(path: FieldPath, value: Any) -> str:
    return f"{format_path(path[-1:])}\x00{_shown(value)}\n".casefold()


class Hits(Sequence[FieldPath]):
    """A find's matches in group order; a path is worked out only when it is asked for."""

    def __init__(self, index: TextIndex, numbers: list[int]) -> None:
        self._index = index
        self._numbers = numbers
        self._paths: dict[int, FieldPath] = {}

    def __len__(self) -> int:
        return len(self._numbers)

    @overload
    def __getitem__(self, item: int) -> FieldPath: ...
    @overload
    def __getitem__(self, item: slice) -> Sequence[FieldPath]: ...
    def __getitem__(self, item: int | slice) -> FieldPath | Sequence[FieldPath]:
        if isinstance(item, slice):
            return [self[i] for i in range(*item.indices(len(self)))]
        number = self._numbers[item]
        if number not in self._paths:
            self._paths[number] = self._index.path_of(number)
        return self._paths[number]

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """Where a path stands among the hits (ValueError when it is not one): no walk."""
        number = self._index.number_of(value) if isinstance(value, tuple) else None
        if number is not None:
            at = bisect_left(self._numbers, number)
            end = len(self) if stop is None else stop
            if at < len(self._numbers) and self._numbers[at] == number and start <= at < end:
                return at
        raise ValueError(value)


_indexes: weakref.WeakKeyDictionary[EditSession, TextIndex] = weakref.WeakKeyDictionary()
_building = threading.Lock()


def index_for(session: EditSession) -> TextIndex:
    """The session's text index, built on first use (the editor asks after its first frame,
    in a thread); one build at a time, and again only for a reloaded group."""
    with _building:
        index = _indexes.get(session)
        if index is None or index.document is not session.original:
            index = _indexes[session] = TextIndex(session.original)
        return index


# A find whose text occurs at most this often in a ready index is answered on the UI
# thread (milliseconds); more hits, or no index yet, go to a worker thread.
QUICK_HITS = 2000


def quick_find(session: EditSession, query: str) -> Sequence[FieldPath] | None:
    """``find_text`` when it is sure to be quick (a built index, few hits); else None."""
    index = _indexes.get(session)
    needle = query.casefold()
    if index is None or index.document is not session.original:
        return None
    if any(s in needle for s in _SEPARATORS) or index.count(needle) > QUICK_HITS:
        return None
    return find_text(session, query)


def find_text(session: EditSession, query: str) -> Sequence[FieldPath]:
    """What ``matches`` finds, from the index: the same paths, in the same order."""
    needle = query.casefold()
    if any(separator in needle for separator in _SEPARATORS):
        return matches(session, query)
    index = index_for(session)
    numbers = index.numbers(needle)
    changed = session.changed_paths()
    if changed:  # a changed field is found by its value now, not as fetched
        found = set(numbers)
        for path in changed:
            number = index.number_of(path)
            if number is None or number == 0:
                continue
            line = _line(path, session.value(path))
            if needle in line:
                found.add(number)
            else:
                found.discard(number)
        numbers = sorted(found)
    return Hits(index, numbers)
