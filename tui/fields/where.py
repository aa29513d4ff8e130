"""``PATH=VALUE`` and ``PATH~REGEX``: a condition on a target group's fields, as
``tgedit list --where`` takes it.

The path is a field path (``tui.fields.paths``) in which ``[*]`` stands for every
element: ``targets[*].expression~discount``, ``periods[*].periodStatus=RUNNING``. It
must name a field the catalog knows, so that a typo is an error rather than a filter
that matches nothing. ``=`` compares a value's text exactly (a string as it is, any other
value as JSON: ``active=true``, ``preferredTillId=12``); ``~`` searches it with a Python
regular expression (a plain word is a substring).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import get_close_matches

from tui.fields.catalog import CATALOG, spec_for
from tui.fields.paths import (
    FieldPath,
    PathError,
    Selector,
    parse_selector,
    pattern_of,
    select,
    selector_text,
)

OPERATORS = "=~"


class ConditionError(ValueError):
    """A condition that cannot be used: its message says why (a bad path or pattern)."""


@dataclass(frozen=True, slots=True)
class Condition:
    selector: Selector
    operator: str  # "=" or "~"
    value: str
    pattern: re.Pattern[str] | None = None

    def __str__(self) -> str:
        return f"{selector_text(self.selector)}{self.operator}{self.value}"

    def matches(self, group: object) -> list[tuple[FieldPath, object]]:
        """The fields of ``group`` that meet the condition, with their paths."""
        return [(path, value) for path, value in select(group, self.selector) if self._meets(value)]

    def _meets(self, value: object) -> bool:
        text = compared_text(value)
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        return text == self.value


def compared_text(value: object) -> str:
    """What a condition compares: a string as it is, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def parse_condition(text: str) -> Condition:
    """``PATH=VALUE`` or ``PATH~REGEX``; ConditionError says what is wrong.

    The first ``=`` or ``~`` after which the text before it is a whole path splits it,
    so a map key in quotes may hold either sign.
    """
    problem: str | None = None
    for position, char in enumerate(text):
        if char not in OPERATORS:
            continue
        try:
            selector = parse_selector(text[:position])
        except PathError as error:
            problem = problem or str(error)
            continue
        _known(selector)
        value = text[position + 1 :]
        if char == "=":
            return Condition(selector, char, value)
        try:
            pattern = re.compile(value)
        except re.error as error:
            what = f"{value!r} is not a regular expression ({error})"
            raise ConditionError(f"{text!r}: {what}") from None
        return Condition(selector, char, value, pattern)
    if problem is not None:
        raise ConditionError(problem)
    raise ConditionError(
        f"{text!r} is not a condition: write PATH=VALUE or PATH~REGEX, "
        "e.g. periods[*].periodStatus=RUNNING or targets[*].expression~discount"
    )


def _known(selector: Selector) -> None:
    pattern = pattern_of(selector)
    if spec_for(pattern).documented:
        return
    near = get_close_matches(pattern, list(CATALOG), n=1)
    guess = f" (did you mean {near[0]}?)" if near else ""
    raise ConditionError(f"{selector_text(selector)} names no field of a target group{guess}")
