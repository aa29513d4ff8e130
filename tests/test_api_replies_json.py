"""Replies are parsed by ``jiter``: the same objects as the standard library's for any
group, and a sentence for what cannot be a group (nesting too deep, invalid unicode)."""

from __future__ import annotations

import json

import pytest

from tui.api.replies import decode_envelope, json_problem, parse_json
from tui.stub.generate import make_group


def test_a_big_group_parses_to_what_the_standard_library_gives() -> None:
    group = make_group(200, 20, group_id=9001)
    group["name"] = 'Straße \u00e9 \ud83d\ude00 \\ " \u2028'
    group["preferredTillId"] = 2**70  # bigger than 64 bits
    group["ratio"] = 0.1 + 0.2
    text = json.dumps({"data": group, "errors": [], "warnings": []})
    assert parse_json(text.encode()) == json.loads(text)
    envelope = decode_envelope(text.encode())
    assert envelope is not None and envelope.data == json.loads(text)["data"]


@pytest.mark.parametrize("text", ['{"data": 1,}', '{"data": 1} trailing', "<html>"])
def test_text_that_is_not_json_is_no_envelope(text: str) -> None:
    with pytest.raises(ValueError):
        parse_json(text.encode())
    assert decode_envelope(text.encode()) is None
    assert json_problem(text.encode()) is None  # said as "not the API's JSON envelope"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"data": ' + "[" * 5000 + "]" * 5000 + "}", "JSON nested deeper than any target group"),
        ('{"data": "\\ud800"}', "JSON that is not valid unicode"),
        (b'{"data": "\xff"}'.decode("latin-1"), "JSON that is not valid unicode"),
    ],
    ids=["nested", "lone surrogate", "invalid utf-8"],
)
def test_a_reply_that_cannot_be_a_group_says_why(text: str, said: str) -> None:
    data = text.encode("latin-1") if "\xff" in text else text.encode()
    assert decode_envelope(data) is None
    problem = json_problem(data)
    assert problem is not None and problem.startswith(said)
