"""Replies that are slow, huge or broken, met by the real ``tgedit`` command.

Each is one sentence on stderr, exit code 1, nothing on stdout and no traceback
(design.md, "The network, hostile or slow"). The replies come from a ``Front``
(tests/fault_support.py) on 127.0.0.1 before the stand-in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import ENV_NAMES, assert_one_clear_line
from fault_support import Flood, Front, Reply, Trickle, make_certificates

from tui.stub.server import StubServer

TGEDIT = Path(sys.executable).parent / "tgedit"
GROUP = 2762
FAILED = f"tgedit: Fetching target group {GROUP} failed: "
MB = 1024 * 1024
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def front(stub: StubServer) -> Iterator[Front]:
    made = Front(stub, tls=None).start()  # plain http: 127.0.0.1 is allowed it
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
def env(front: Front, tmp_path: Path) -> dict[str, str]:
    names = {*ENV_NAMES, *PROXY_VARIABLES, *(n.lower() for n in PROXY_VARIABLES)}
    clean = {k: v for k, v in os.environ.items() if k not in names}
    clean.update(
        CAP_API_BASE_URL=front.base_url,
        CAP_API_USERNAME="demo",
        CAP_API_PASSWORD="demo",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    return clean


# Runs tgedit and prints its peak memory in kB: a small parent of its own, so that the
# peak is tgedit's and not inherited from the test process's pages.
PEAK = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def tgedit(env: dict[str, str], *args: str, peak: bool = False) -> subprocess.CompletedProcess[str]:
    prefix = [sys.executable, "-c", PEAK] if peak else []
    return subprocess.run(
        [*prefix, str(TGEDIT), *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def assert_fails_saying(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert_one_clear_line(done.stderr)
    assert done.stderr.startswith(FAILED), done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr


def test_a_server_trickling_bytes_is_cut_off_at_the_timeout(
    front: Front, env: dict[str, str]
) -> None:
    # A byte every 0.2 s: each read comes in time, the whole reply would take 20 minutes.
    front.fail("GET", Trickle(b'{"data": ' + b" " * 6000 + b"{}}", every=0.2))
    done = tgedit(env, "show", str(GROUP), "--timeout", "1")
    assert_fails_saying(done, "did not answer in full within the timeout")


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_a_reply_over_the_size_limit_is_refused_while_it_streams(
    front: Front, env: dict[str, str], compressed: bool
) -> None:
    if compressed:  # 256 MB of spaces in 1 MB: the limit counts what it decompresses to
        packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        body = b"".join(packer.compress(b" " * MB) for _ in range(256)) + packer.flush()
        front.fail("GET", Flood(body, 1, {"Content-Encoding": "gzip"}))
    else:
        front.fail("GET", Flood(b" " * MB, 256))
    done = tgedit(env, "show", str(GROUP), peak=True)
    *said, peak = done.stderr.splitlines()
    done.stderr = "\n".join(said) + "\n"
    assert_fails_saying(done, "a reply larger than the 64 MB limit, refused")
    # Not all of it held: the process never grew to the size of the reply.
    assert int(peak) * 1024 < 200 * MB


@pytest.mark.parametrize(
    ("body", "headers", "said"),
    [
        (b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", {}, "nested deeper than any"),
        (b'{"data": {"id": 2762, "name": "\xff\xfe"}}', {}, "not valid utf-8"),
        (b'{"data": {"id": 2762, "name": "\\ud800"}}', {}, "not valid unicode"),
        (b"this is not gzip", {"Content-Encoding": "gzip"}, "could not be decompressed"),
        (b"x" * 1000, {"Content-Encoding": "deflate"}, "could not be decompressed"),
    ],
    ids=["nested", "invalid utf-8", "lone surrogate", "corrupt gzip", "corrupt deflate"],
)
def test_a_reply_that_cannot_be_read_is_one_sentence(
    front: Front, env: dict[str, str], body: bytes, headers: dict[str, str], said: str
) -> None:
    front.fail("GET", Reply(200, body, headers=headers))
    assert_fails_saying(tgedit(env, "show", str(GROUP)), said)
    assert_fails_saying(tgedit(env, "set", str(GROUP), "name=x", "--dry-run"), said)


def test_debug_puts_the_traceback_in_the_log_only(
    front: Front, env: dict[str, str], tmp_path: Path
) -> None:
    front.fail("GET", Reply(200, b"this is not gzip", headers={"Content-Encoding": "gzip"}))
    done = tgedit(env, "show", str(GROUP), "--debug")
    log_path = tmp_path / "state" / "tgedit" / "debug.log"
    assert done.stderr.startswith(f"tgedit: logging to {log_path}\n")
    done.stderr = done.stderr.split("\n", 1)[1]
    assert_fails_saying(done, "could not be decompressed")
    log = log_path.read_text()
    assert "Traceback" in log and "DecodingError" in log


def test_a_page_of_unclosed_head_tags_is_read_in_one_pass(
    front: Front, env: dict[str, str]
) -> None:
    # 4 MB of "<head>" took a regex minutes; its excerpt is the text around it.
    page = b"<html>" + b"<head>" * 700_000 + b"Bad gateway"
    front.fail("GET", Reply(502, page, content_type="text/html", headers={}))
    front.stub.faults.clear()
    done = tgedit(env, "show", str(GROUP), "--timeout", "5")
    assert done.returncode == 1, done.stderr
    assert_one_clear_line(done.stderr)
    assert "HTTP 502" in done.stderr


# --- proxies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "proxy"),
    [("ALL_PROXY", "socks5://127.0.0.1:9"), ("HTTPS_PROXY", "ftp://user:pw-x@proxy.example:21")],
)
def test_a_proxy_variable_of_any_scheme_is_one_sentence(
    stub: StubServer, env: dict[str, str], tmp_path: Path, name: str, proxy: str
) -> None:
    certificates = make_certificates(tmp_path)
    secure = Front(stub, certificates.trusted).start()
    try:
        env = {**env, "CAP_API_BASE_URL": secure.base_url, name: proxy}
        done = tgedit(env, "show", str(GROUP), "--ca-bundle", str(certificates.ca_file))
    finally:
        secure.stop()
    assert_fails_saying(done)
    assert "pw-x" not in done.stderr
    assert secure.seen == []  # it went nowhere near the server


def test_plain_http_to_this_machine_goes_direct_whatever_the_proxy(
    front: Front, env: dict[str, str]
) -> None:
    # Nothing listens at the proxy's port: a request through it would fail.
    env = {**env, "HTTP_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9"}
    done = tgedit(env, "show", str(GROUP))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Target group {GROUP}")
    assert front.seen == ["GET"]


def test_credentials_over_plain_http_are_never_handed_to_a_proxy(env: dict[str, str]) -> None:
    env = {**env, "CAP_API_BASE_URL": "http://lab.example.com", "HTTP_PROXY": "http://127.0.0.1:9"}
    done = tgedit(env, "show", str(GROUP), "--allow-http")
    assert_fails_saying(done, "nothing was sent", "a proxy is set for plain http", "use https://")
