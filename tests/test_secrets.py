"""Secrets never leave: the whole flow runs with a known password, client secret and token,
and everything it produced is searched for each of them in every form that gives it away.

Searched: stdout and stderr of ``tgedit show`` and ``tgedit set --yes``, the debug log
(``--debug``), the drafts, the audit log, the editor's preview (the curl text, and SVG
screenshots of each tab), its error dialog, and the messages and reprs of exceptions,
including replies from a gateway that quotes the request's headers and body back.
Forms: the secret itself, its MD5 (what Basic auth sends for a password), its base64,
and the Basic header value. The search is shown to find each form where one was put.

Also here: plain http to another machine is refused unless --allow-http, TLS is always
verified (--ca-bundle adds a private CA), and a config file that holds a secret must be
private.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from app_support import loaded, settle, wait_for
from cli_support import (  # noqa: F401 (the fixtures clean_env and on_stub)
    assert_one_clear_line,
    clean_env_fixture,
    on_stub_fixture,
    run_with,
)
from fault_support import (
    Certificates,
    Echo,
    Front,
    edit_field,
    make_certificates,
    quicker_pilot,
    submit,
)

import tui.api.client
from tui.api.auth import BasicAuth, OAuthClientAuth, TokenAuth, basic_authorization
from tui.api.client import TargetGroupClient
from tui.api.connection import Connection
from tui.api.errors import ApiError
from tui.app.app import TgEditApp
from tui.app.screens.dialogs import ErrorDialog
from tui.app.screens.preview import PreviewScreen
from tui.cli.common import Io
from tui.config.connection import connection_for
from tui.config.file import ConfigError, load_config
from tui.config.settings import resolve_settings
from tui.session.audit import AuditLog
from tui.session.draft import DraftStore
from tui.session.remote import GroupService
from tui.stub.samples import sample_groups
from tui.stub.server import StubServer

USERNAME = "ops.alice"
PASSWORD = "Pa55w0rd-sekrit-7Q"
CLIENT_KEY = "ck-4f1d2e3c9b8a"
CLIENT_SECRET = "cs-8b7a6f5e4d3c2b1a"
GROUP = 2762


@pytest.fixture(autouse=True, scope="module")
def _quicker_pilot() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        quicker_pilot(patch)
        yield


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def forms(name: str, secret: str) -> dict[str, str]:
    """Every spelling of ``secret`` that gives it away."""
    found = {name: secret, f"MD5 of the {name}": md5(secret), f"base64 of the {name}": b64(secret)}
    if name == "password":
        header = basic_authorization(USERNAME, secret)
        found["the Basic header value"] = header.removeprefix("Basic ")
        found["the Basic credentials"] = f"{USERNAME}:{md5(secret)}"
    return found


@dataclass
class Secrets:
    """The secrets of a run (tokens are learnt as the stand-in issues them)."""

    stub: StubServer
    known: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.known.update(
            {"password": PASSWORD, "client key": CLIENT_KEY, "client secret": CLIENT_SECRET}
        )

    def every_form(self) -> dict[str, str]:
        secrets = dict(self.known)
        for number, token in enumerate(self.stub.issued_tokens):
            secrets[f"token {number}"] = token
        result: dict[str, str] = {}
        for name, secret in secrets.items():
            result.update(forms(name, secret))
        return result

    def leaks(self, text: str) -> list[str]:
        """The names of the forms found in ``text``."""
        return [name for name, form in self.every_form().items() if form in text]


@dataclass
class Produced:
    """Everything a run produced, by where it came from."""

    texts: dict[str, str] = field(default_factory=dict)

    def add(self, where: str, text: str) -> None:
        assert where not in self.texts, where
        self.texts[where] = text

    def add_files(self, where: str, folder: Path) -> None:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                self.add(f"{where}/{path.relative_to(folder)}", path.read_text("utf-8", "replace"))


@pytest.fixture
def server() -> Iterator[StubServer]:
    stub = StubServer(
        groups=sample_groups(),
        username=USERNAME,
        password=PASSWORD,
        client_key=CLIENT_KEY,
        client_secret=CLIENT_SECRET,
    ).start()
    try:
        yield stub
    finally:
        stub.stop()


@pytest.fixture
def secrets(server: StubServer) -> Secrets:
    found = Secrets(server)
    token = server.issue_token(CLIENT_KEY, CLIENT_SECRET)
    assert token is not None
    found.known["token"] = token
    return found


@pytest.fixture
def front(server: StubServer) -> Iterator[Front]:
    made = Front(server).start()
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
def debug_log_off() -> Iterator[None]:
    """The debug log attaches to process-wide loggers: take it off again after the test."""
    yield
    from tui.cli.main import _ScrubbingFormatter

    for name in ("tui", "tgedit", "httpx"):
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if isinstance(h.formatter, _ScrubbingFormatter)]:
            logger.removeHandler(handler)
            handler.close()
        logger.setLevel(logging.NOTSET)


def assert_nothing_leaks(secrets: Secrets, produced: Produced) -> None:
    assert produced.texts, "nothing was searched"
    found = {
        where: leaks for where, text in produced.texts.items() if (leaks := secrets.leaks(text))
    }
    assert found == {}


# --- the search can fail --------------------------------------------------------------------


def test_the_search_finds_each_form_where_one_was_put(secrets: Secrets, server: StubServer) -> None:
    for name, form in secrets.every_form().items():
        assert name in secrets.leaks(f"a log line holding {form} in the middle"), name
    assert secrets.leaks("nothing to see") == []
    # And real traffic holds them: the stand-in saw the Basic header go by.
    with StubServer(username=USERNAME, password=PASSWORD) as other:
        import asyncio

        connection = Connection(other.base_url, BasicAuth(USERNAME, PASSWORD))

        async def fetch() -> None:
            async with TargetGroupClient(connection) as client:
                await client.get_target_group(GROUP)

        asyncio.run(fetch())
        headers = str(other.received[0].headers)
    assert secrets.leaks(headers) == ["the Basic header value"]


# --- the headless commands -------------------------------------------------------------------


@pytest.fixture
def no_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Repeated reads go at once: the search is what is tested, not the backoff."""
    import tui.api.exchange

    monkeypatch.setattr(tui.api.exchange, "backoff_delay", lambda attempt: 0.0)
    monkeypatch.setattr(tui.api.exchange, "retry_delay", lambda status, after, attempt: 0.0)


@pytest.mark.usefixtures("no_waits")
def test_the_headless_commands_leak_nothing(
    secrets: Secrets,
    server: StubServer,
    front: Front,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    debug_log_off: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    produced = Produced()
    url = ["--base-url", front.base_url]
    basic = ["--username", USERNAME, "--password", PASSWORD]
    oauth = ["--client-key", CLIENT_KEY, "--client-secret", CLIENT_SECRET]
    token = ["--token", secrets.known["token"]]

    def run(where: str, argv: list[str], code: int) -> None:
        result = run_with(["--debug", *argv, *url])
        assert result.code == code, (where, result.err)
        produced.add(f"{where}: stdout", result.out)
        produced.add(f"{where}: stderr", result.err)

    run("show, Basic", ["show", str(GROUP), *basic], 0)
    run("show, OAuth", ["show", str(GROUP), *oauth], 0)
    run("show, token", ["show", str(GROUP), *token], 0)
    run("show --json", ["show", str(GROUP), "--json", *token], 0)
    run("list", ["list", *oauth], 0)
    monkeypatch.setenv("CAP_API_USERNAME", USERNAME)
    monkeypatch.setenv("CAP_API_PASSWORD", PASSWORD)
    run("set --yes, Basic from the environment", ["set", str(GROUP), "name=Sent", "--yes"], 0)
    run("set --dry-run", ["set", str(GROUP), "description=x", "--dry-run"], 0)
    assert server.group(GROUP)["name"] == "Sent"

    # Failed requests, from a gateway that quotes the request back (headers and body).
    front.fail("GET", Echo(401))
    run("show, echoed 401", ["show", str(GROUP), *basic], 1)
    run("show, echoed 401, token", ["show", str(GROUP), *token], 1)
    # Tokens issued during the run (two: the first refused, a new one tried once more).
    run("show, echoed 401, OAuth", ["show", str(GROUP), *oauth], 1)
    front.fail("GET", Echo(502, html=True))
    run("show, echoed HTML page", ["show", str(GROUP), *basic], 1)
    front.clear()
    front.fail("POST", Echo(401))
    run("show, echoed token call", ["show", str(GROUP), *oauth], 1)
    front.clear()
    front.fail("PUT", Echo(400))
    run("set --yes, echoed PUT", ["set", str(GROUP), "name=Again", "--yes"], 1)
    front.clear()
    run("wrong password", ["show", str(GROUP), "--username", USERNAME, "--password", "nope-x"], 1)

    state = clean_env / "state" / "tgedit"
    log = (state / "debug.log").read_text()
    assert "GET" in log and "PUT" in log and "token" in log, "the log says what happened"
    assert "editTargetGroup" in log
    produced.add_files("state folder", state)  # the debug log, the audit log
    audit = AuditLog(state / "audit.jsonl").entries()
    assert [e["outcome"] for e in audit] == ["refused", "applied"]
    assert "refused the request with" in audit[0]["errors"][0]["message"], "the echo is kept"
    produced.add("argparse and warnings on the real stderr", capsys.readouterr().err)
    assert_nothing_leaks(secrets, produced)
    # Control: the echo did carry the secrets; the stand-in saw them.
    assert secrets.leaks(str([r.headers for r in server.received]))


def test_a_short_secret_inside_a_longer_word_is_data_and_stays_whole(
    on_stub: StubServer, clean_env: Path
) -> None:
    """With the demo password ``demo``, 18044's user code ``tillrulocaldemonightly1`` is
    printed whole by ``diff`` and ``show``, and ``export`` writes the bytes served."""
    code = "tillrulocaldemonightly1"
    diff = run_with(["diff", "2762", "18044"])
    assert diff.code == 4, diff.err
    assert f"naman_doc → {code}" in diff.out
    assert "<redacted>" not in diff.out
    show = run_with(["show", "18044"])
    assert show.code == 0, show.err
    assert f"by {code} (50698511)" in show.out
    exported = run_with(["export", "18044", "--out", "-"])
    served = httpx.get(
        f"{on_stub.base_url}/v3/targetGroups/18044?includePeriods=true",
        headers={"Authorization": basic_authorization("demo", "demo")},
    ).json()["data"]
    assert exported.out == json.dumps(served, indent=2, ensure_ascii=False) + "\n"
    assert code in exported.out


def test_a_short_secret_standing_as_itself_is_still_redacted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui.api.redaction import forget_all
    from tui.cli.common import say

    forget_all()  # only this test's secret
    BasicAuth("u", "demo")  # a credential registers its secrets as it is made
    assert say("password demo, code tillrulocaldemonightly1") == (
        "password <redacted>, code tillrulocaldemonightly1"
    )
    assert say("demo") == "<redacted>"
    assert say('{"password":"demo"}') == '{"password":"<redacted>"}'
    assert say("démo demos xdemo demo1") == "démo demos xdemo demo1"
    # A long secret (the MD5 here) is removed even glued to other letters.
    assert say(f"key{md5('demo')}x") == "key<redacted>x"


# --- exceptions ---------------------------------------------------------------------------------


async def test_exceptions_and_reprs_leak_nothing(secrets: Secrets, front: Front) -> None:
    produced = Produced()
    auths: dict[str, Any] = {
        "Basic": BasicAuth(USERNAME, PASSWORD),
        "OAuth": OAuthClientAuth(CLIENT_KEY, CLIENT_SECRET),
        "token": TokenAuth(secrets.known["token"]),
    }
    for echo in (Echo(401), Echo(502, html=True), Echo(200)):
        for method in ("GET", "POST", "PUT"):
            front.clear()
            front.fail(method, echo)
            for name, auth in auths.items():
                connection = Connection(front.base_url, auth, retries=0)
                produced.add(f"repr of the {name} connection {echo} {method}", repr(connection))
                async with TargetGroupClient(connection) as client:
                    for call in ("get", "put"):
                        try:
                            if call == "get":
                                await client.get_target_group(GROUP)
                            else:
                                await client.edit_target_group(GROUP, '{"id": 2762}')
                        except ApiError as error:
                            where = f"{name} {call} {echo} on {method}"
                            produced.add(f"{where}: message", error.message)
                            produced.add(f"{where}: str and repr", f"{error} {error!r}")
                            produced.add(f"{where}: details", repr(vars(error)))
                    if client.last_request is not None:
                        produced.add(f"{name} {echo} {method}: curl", client.last_request.curl())
    assert len(produced.texts) > 50
    assert_nothing_leaks(secrets, produced)


# --- the editor ---------------------------------------------------------------------------------


def editor_app(front: Front, auth: Any, state: Path) -> TgEditApp:
    connection = Connection(front.base_url, auth)
    return TgEditApp(
        service=GroupService(connection),
        drafts=DraftStore(state / "drafts"),
        group_id=GROUP,
        audit=AuditLog(state / "audit.jsonl"),
    )


@pytest.mark.parametrize("kind", ["Basic", "OAuth"])
async def test_the_editor_leaks_nothing(
    kind: str,
    secrets: Secrets,
    server: StubServer,
    front: Front,
    clean_env: Path,
    debug_log_off: None,
) -> None:
    from tui.cli.main import start_debug_log

    start_debug_log(Io())  # what tgedit --debug edit does first
    state = clean_env / "state" / "tgedit"
    auth = (
        BasicAuth(USERNAME, PASSWORD)
        if kind == "Basic"
        else OAuthClientAuth(CLIENT_KEY, CLIENT_SECRET)
    )
    app = editor_app(front, auth, state)
    produced = Produced()
    shots = clean_env / "screenshots"
    shots.mkdir()
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await loaded(pilot)
        await edit_field(pilot, "name", "Previewed")
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen), "the preview")
        preview = app.screen
        assert isinstance(preview, PreviewScreen)
        from textual.widgets import TabbedContent, TextArea

        curl = preview.query_one("#preview-curl", TextArea).text
        assert "editTargetGroup/2762" in curl and "-H" in curl
        produced.add("the curl text", curl)
        for tab in ("tab-body", "tab-diff", "tab-curl"):
            preview.query_one(TabbedContent).active = tab
            await pilot.pause()
            app.save_screenshot(f"preview-{tab}.svg", str(shots))
        await pilot.press("escape")

        await submit(pilot)  # works
        await wait_for(pilot, lambda: server.group(GROUP)["name"] == "Previewed", "the PUT")
        await settle(pilot)

        await edit_field(pilot, "name", "Echoed")
        front.fail("PUT", Echo(401))  # fails, quoting the request back
        await submit(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        assert "refused the request with" in dialog.text
        produced.add("the error dialog", dialog.text)
        app.save_screenshot("error.svg", str(shots))
        produced.add("notifications", "\n".join(str(n.message) for n in app._notifications))
        assert screen.session is not None and screen.session.has_changes
    produced.add_files("screenshots", shots)
    produced.add_files("state folder", state)  # the draft, the audit log, the debug log
    assert any("drafts/" in where for where in produced.texts), "the draft was searched"
    assert "editTargetGroup" in (state / "debug.log").read_text()
    assert_nothing_leaks(secrets, produced)
    # With OAuth, tokens were issued (a second after the 401) and searched for; Basic, none.
    assert (len(server.issued_tokens) >= 2) == (kind == "OAuth")


# --- plain http, TLS, private config -------------------------------------------------------------


def settings_for(base_url: str, **options: Any) -> Any:
    return resolve_settings(
        {"base_url": base_url, "token": "t0ken-1234"},
        {},
        config_path=Path("/nonexistent/tgedit.toml"),
        **options,
    )


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8765", "http://127.8.9.10", "http://localhost:1", "http://[::1]:8080"],
)
def test_plain_http_to_this_machine_is_allowed(url: str) -> None:
    assert connection_for(settings_for(url)).base_url == url


@pytest.mark.parametrize(
    "url",
    ["http://eu.api.capillarytech.com", "http://10.0.0.8:8080", "http://localhost.evil.example"],
)
def test_plain_http_to_another_machine_is_refused_unless_allowed(url: str) -> None:
    with pytest.raises(ConfigError, match=r"plain http to another machine.*--allow-http"):
        connection_for(settings_for(url))
    assert connection_for(settings_for(url, allow_http=True)).base_url == url


def test_the_command_refuses_plain_http_before_sending_anything(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[Any] = []
    monkeypatch.setattr(tui.api.client, "fetch_group", lambda *a, **k: sent.append(a))
    run = run_with(["show", str(GROUP), "--base-url", "http://eu.example.com", "--token", "t0ken"])
    assert run.code == 2
    assert_one_clear_line(run.err)
    assert "use https://" in run.err and "--allow-http" in run.err
    assert "t0ken" not in run.err and sent == []


def test_allow_http_lets_the_command_through(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def stop_here(*args: Any, **kwargs: Any) -> Any:  # never a request to another machine
        raise ApiError("reached the point of sending")

    monkeypatch.setattr(tui.api.client, "fetch_group", stop_here)
    argv = ["show", str(GROUP), "--base-url", "http://lab.example.com", "--token", "t0ken"]
    run = run_with([*argv, "--allow-http"])
    assert run.code == 1
    assert run.err.strip() == "tgedit: reached the point of sending"


def test_allow_http_in_a_profile(clean_env: Path) -> None:
    config = clean_env / "config.toml"
    config.write_text('[profiles.lab]\nbase_url = "http://lab.internal"\nallow_http = true\n')
    settings = resolve_settings({"profile": "lab", "token": "t0ken-1234"}, {}, config_path=config)
    assert connection_for(settings).base_url == "http://lab.internal"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


def test_tls_is_verified_and_a_ca_bundle_adds_a_private_ca(
    server: StubServer,
    certificates: Certificates,
    clean_env: Path,
) -> None:
    tls = Front(server, certificates.trusted).start()
    try:
        token = ["--token", server.issue_token(CLIENT_KEY, CLIENT_SECRET) or ""]
        argv = ["show", str(GROUP), "--base-url", tls.base_url, *token]
        refused = run_with(argv)
        assert refused.code == 1
        assert "TLS handshake" in refused.err and "CERTIFICATE_VERIFY_FAILED" in refused.err
        trusted = run_with([*argv, "--ca-bundle", str(certificates.ca_file)])
        assert trusted.code == 0, trusted.err
        assert trusted.out.startswith(f"Target group {GROUP}")
    finally:
        tls.stop()
    settings = settings_for("https://eu.api.capillarytech.com", ca_bundle=certificates.ca_file)
    context = connection_for(settings).ssl_verify()
    assert not isinstance(context, bool)
    assert len(context.get_ca_certs()) > 1, "the public roots are still there"
    assert connection_for(settings_for("https://eu.api.capillarytech.com")).verify is True


def test_plain_http_loads_no_ca_store_and_trusts_no_certificate() -> None:
    # A plain HTTP base URL speaks no TLS; its context verifies as strictly as any other,
    # against no roots at all, so no TLS connection could ever pass on it.
    context = connection_for(settings_for("http://127.0.0.1:8080")).ssl_verify()
    assert isinstance(context, ssl.SSLContext)
    assert context.get_ca_certs() == []
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    https = connection_for(settings_for("https://eu.api.capillarytech.com")).ssl_verify()
    assert not isinstance(https, bool) and len(https.get_ca_certs()) > 1


def test_a_profile_names_its_ca_bundle_beside_the_config_file(
    certificates: Certificates, clean_env: Path
) -> None:
    config = clean_env / "config.toml"
    (clean_env / "company-ca.pem").write_bytes(certificates.ca_file.read_bytes())
    config.write_text('[profiles.work]\ncluster = "eu"\nca_bundle = "company-ca.pem"\n')
    settings = resolve_settings({"profile": "work", "token": "t0ken-1234"}, {}, config_path=config)
    assert settings.ca_bundle == clean_env / "company-ca.pem"
    assert connection_for(settings).verify == str(clean_env / "company-ca.pem")


def test_a_missing_ca_bundle_is_a_usage_error(clean_env: Path) -> None:
    missing = clean_env / "missing.pem"
    argv = ["show", "1", "--base-url", "https://127.0.0.1:9", "--token", "t0ken"]
    run = run_with([*argv, "--ca-bundle", str(missing)])
    assert run.code == 2
    assert_one_clear_line(run.err)
    assert str(missing) in run.err


def config_with(clean_env: Path, secret: str, mode: int) -> Path:
    path = clean_env / "config.toml"
    path.write_text(
        '[profiles.p]\nbase_url = "http://127.0.0.1:9"\nusername = "u"\nclient_key = "k"\n'
        f'{secret} = "s3cret-value"\n'
    )
    path.chmod(mode)
    return path


@pytest.mark.parametrize("mode", [0o600, 0o400])
@pytest.mark.parametrize("secret", ["password", "client_secret", "token"])
def test_a_private_config_file_may_hold_a_secret(clean_env: Path, mode: int, secret: str) -> None:
    path = config_with(clean_env, secret, mode)
    assert load_config(path).profiles["p"].values[secret] == "s3cret-value"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
@pytest.mark.parametrize("secret", ["password", "client_secret", "token"])
def test_a_config_file_with_a_secret_must_be_private(
    clean_env: Path, mode: int, secret: str
) -> None:
    path = config_with(clean_env, secret, mode)
    with pytest.raises(ConfigError, match=r"holds a secret and other users can read it"):
        load_config(path)
    run = run_with(["show", "1", "--config", str(path), "--profile", "p"])
    assert run.code == 2
    assert_one_clear_line(run.err)
    assert f"chmod 600 {path}" in run.err
    assert "s3cret-value" not in run.err + run.out
