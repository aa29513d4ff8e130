"""A big reply is parsed by pydantic-core's JSON parser: the same objects as the standard
library's, and for text that is not JSON the standard library's verdict."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tui.api.replies import FAST_JSON_FROM, decode_envelope, parse_json
from tui.stub.generate import make_group


def big(document: Any) -> str:
    """``document`` as JSON padded past FAST_JSON_FROM with a long description."""
    text = json.dumps(document)
    pad = max(0, FAST_JSON_FROM - len(text) + 10)
    assert isinstance(document, dict)
    return json.dumps({**document, "description": "x" * pad})


def test_a_big_group_parses_to_what_the_standard_library_gives() -> None:
    group = make_group(200, 20, group_id=9001)
    group["name"] = 'Straße \u00e9 \ud83d\ude00 \\ " \u2028'
    group["preferredTillId"] = 2**70  # bigger than 64 bits
    group["ratio"] = 0.1 + 0.2
    text = json.dumps({"data": group, "errors": [], "warnings": []})
    text = big(json.loads(text))
    assert len(text) >= FAST_JSON_FROM
    assert parse_json(text) == json.loads(text)
    envelope = decode_envelope(text)
    assert envelope is not None and envelope.data == json.loads(text)["data"]


@pytest.mark.parametrize(
    "tail", ['{"data": 1,}', '{"data": 1} trailing'], ids=["trailing comma", "trailing text"]
)
def test_big_text_that_is_not_json_gets_the_standard_librarys_error(tail: str) -> None:
    text = " " * FAST_JSON_FROM + tail
    with pytest.raises(ValueError) as expected:
        json.loads(text)
    with pytest.raises(ValueError) as raised:
        parse_json(text)
    assert type(raised.value) is type(expected.value)
    assert str(raised.value) == str(expected.value)
    assert decode_envelope(text) is None


@pytest.mark.parametrize(
    "tail", ['{"data": NaN}', '{"data": "\\ud800"}'], ids=["NaN", "lone surrogate"]
)
def test_big_text_the_standard_library_accepts_parses_as_it_does(tail: str) -> None:
    text = " " * FAST_JSON_FROM + tail
    assert repr(parse_json(text)) == repr(json.loads(text))


# In a fresh interpreter: the parse must not import the pydantic-core package (that is the
# point of ``fast_json``: ~29 ms of import before the first frame), and the group must
# still pass the shape check.
FRESH = """
import json, sys
from tui.api.replies import parse_json
from tui.stub.generate import make_group
text = json.dumps({"data": make_group(120, 40, group_id=9001)})
assert len(text) >= %d, len(text)
document = parse_json(text)
print("after parse:", sorted(m for m in sys.modules if m.startswith("pydantic")))
assert document == json.loads(text)
from tui.model import check_group
group = document["data"]
check_group(group, source="the server")
print("validated:", group["name"], len(group["periods"]), len(group["targets"]))
"""


def test_a_big_reply_is_parsed_without_importing_the_pydantic_core_package() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FRESH % FAST_JSON_FROM], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "after parse: []"
    assert lines[1] == "validated: generated_120x40 120 40"
