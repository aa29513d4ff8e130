"""Connection settings: precedence, profiles, secret commands, strictness, permissions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cli_support import (  # noqa: F401 (the fixture clean_env)
    assert_one_clear_line,
    clean_env_fixture,
    run_with,
)

from tui.api.auth import BasicAuth, OAuthClientAuth, TokenAuth
from tui.config.connection import connection_for, missing_message
from tui.config.file import ConfigError, default_config_path, load_config
from tui.config.settings import Settings, resolve_settings
from tui.user_dirs import user_dir

NO_FLAGS: dict[str, str | None] = {}


def write_config(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def resolve(
    tmp_path: Path,
    flags: dict[str, str | None] | None = None,
    env: dict[str, str] | None = None,
    config: str | None = None,
) -> Settings:
    path = write_config(tmp_path, config) if config is not None else tmp_path / "absent.toml"
    return resolve_settings(flags or NO_FLAGS, env or {}, config_path=path)


# --- precedence ---------------------------------------------------------------------------

PROFILE = """
default_profile = "eu"
[profiles.eu]
cluster = "eu"
username = "profile-user"
password = "profile-pass"
"""


def test_flag_beats_environment_beats_profile(tmp_path: Path) -> None:
    env = {"CAP_API_USERNAME": "env-user", "CAP_API_PASSWORD": "env-pass"}
    settings = resolve(tmp_path, {"username": "flag-user"}, env, PROFILE)
    assert (settings.username, settings.password) == ("flag-user", "env-pass")
    assert settings.sources["username"] == "--username"
    assert settings.sources["password"] == "CAP_API_PASSWORD"
    assert settings.cluster == "eu" and settings.sources["cluster"] == "profile eu"


def test_environment_beats_profile(tmp_path: Path) -> None:
    settings = resolve(tmp_path, env={"CAP_API_USERNAME": "env-user"}, config=PROFILE)
    assert (settings.username, settings.password) == ("env-user", "profile-pass")


def test_profile_alone(tmp_path: Path) -> None:
    settings = resolve(tmp_path, config=PROFILE)
    assert (settings.username, settings.password, settings.profile) == (
        "profile-user",
        "profile-pass",
        "eu",
    )


def test_flag_base_url_beats_a_profile_cluster(tmp_path: Path) -> None:
    settings = resolve(tmp_path, {"base_url": "http://127.0.0.1:9"}, config=PROFILE)
    assert (settings.base_url, settings.cluster) == ("http://127.0.0.1:9", None)
    assert connection_for(settings).base_url == "http://127.0.0.1:9"


def test_one_layer_may_not_give_base_url_and_cluster(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"both a base URL .* and a cluster"):
        resolve(tmp_path, env={"CAP_API_BASE_URL": "https://x.test", "CAP_API_CLUSTER": "eu"})


def test_a_username_flag_beats_a_token_in_the_profile(tmp_path: Path) -> None:
    """The first layer that names a credential picks its kind, as a person would expect."""
    config = '[profiles.p]\ncluster = "eu"\ntoken = "tok-from-profile"\n'
    settings = resolve(
        tmp_path,
        {"profile": "p", "username": "u", "password": "pw"},
        config=config,
    )
    assert settings.auth == "basic"
    assert isinstance(connection_for(settings).auth, BasicAuth)


@pytest.mark.parametrize(
    ("env", "auth_type"),
    [
        ({"CAP_API_TOKEN": "t", "CAP_API_USERNAME": "u", "CAP_API_PASSWORD": "p"}, TokenAuth),
        (
            {"CAP_API_CLIENT_KEY": "k", "CAP_API_CLIENT_SECRET": "s", "CAP_API_USERNAME": "u"},
            OAuthClientAuth,
        ),
        ({"CAP_API_USERNAME": "u", "CAP_API_PASSWORD": "p"}, BasicAuth),
    ],
)
def test_within_a_layer_token_then_client_then_user(
    tmp_path: Path, env: dict[str, str], auth_type: type
) -> None:
    settings = resolve(tmp_path, env={"CAP_API_CLUSTER": "eu", **env})
    connection = connection_for(settings)
    assert isinstance(connection.auth, auth_type)
    assert connection.base_url == "https://eu.api.capillarytech.com"


def test_profile_from_flag_then_environment_then_default(tmp_path: Path) -> None:
    config = PROFILE + '[profiles.us]\ncluster = "us"\n'
    assert resolve(tmp_path, config=config).profile == "eu"
    assert resolve(tmp_path, env={"TGEDIT_PROFILE": "us"}, config=config).profile == "us"
    chosen = resolve(tmp_path, {"profile": "eu"}, {"TGEDIT_PROFILE": "us"}, config)
    assert chosen.profile == "eu"


def test_an_unknown_profile_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no \[profiles.nope\] \(profiles there: eu\)"):
        resolve(tmp_path, {"profile": "nope"}, config=PROFILE)


def test_a_profile_without_a_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no config file at .*absent.toml"):
        resolve(tmp_path, {"profile": "eu"})


def test_timeouts_and_body_from_profile_over_top_level(tmp_path: Path) -> None:
    config = (
        'timeout_connect = 2\ntimeout_read = 9\nbody = "full"\n'
        '[profiles.p]\ncluster = "eu"\ntoken = "t"\ntimeout_read = 4.5\n'
    )
    settings = resolve(tmp_path, {"profile": "p"}, config=config)
    assert (settings.timeout_connect, settings.timeout_read, settings.body) == (2.0, 4.5, "full")
    timeouts = connection_for(settings).timeouts
    assert (timeouts.connect, timeouts.read) == (2.0, 4.5)


def test_default_config_path_follows_xdg(tmp_path: Path) -> None:
    assert default_config_path({"XDG_CONFIG_HOME": str(tmp_path)}) == (
        tmp_path / "tgedit" / "config.toml"
    )
    home = default_config_path({"HOME": "/home/x", "XDG_CONFIG_HOME": "relative"})
    assert home == Path("/home/x/.config/tgedit/config.toml")


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the XDG default is Unix's")
def test_the_state_dir_follows_the_same_xdg_rule(tmp_path: Path) -> None:
    assert user_dir("state", {"XDG_STATE_HOME": str(tmp_path)}) == tmp_path / "tgedit"
    home = user_dir("state", {"HOME": "/home/x", "XDG_STATE_HOME": "relative"})
    assert home == Path("/home/x/.local/state/tgedit")


# --- secret commands ---------------------------------------------------------------------


def python(code: str, *args: str) -> str:
    """A TOML array holding a command that runs ``code`` in this Python (JSON is valid TOML)."""
    return json.dumps([sys.executable, "-c", code, *args])


def test_password_command_stdout_stripped_is_the_password(tmp_path: Path) -> None:
    config = (
        '[profiles.p]\ncluster = "eu"\nusername = "u"\n'
        f"password_command = {python('print(chr(32) + chr(115) * 3)')}\n"
    )
    settings = resolve(tmp_path, {"profile": "p"}, config=config)
    assert settings.password == "sss"
    assert settings.sources["password"] == "password_command of profile p"
    assert "sss" not in repr(settings) and "sss" not in repr(connection_for(settings))


def test_password_command_as_a_command_line_is_split_without_a_shell(tmp_path: Path) -> None:
    script = tmp_path / "echo_arg.py"
    script.write_text("import sys; print(sys.argv[1])")
    line = f"{sys.executable} {script} '$HOME;x'"
    config = (
        f'[profiles.p]\ncluster = "eu"\nusername = "u"\npassword_command = {json.dumps(line)}\n'
    )
    settings = resolve(tmp_path, {"profile": "p"}, config=config)
    assert settings.password == "$HOME;x"


def test_password_command_is_not_run_when_the_password_is_given(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    touch = python("import sys; open(sys.argv[1], 'w'); print(1)", str(marker))
    config = f'[profiles.p]\ncluster = "eu"\nusername = "u"\npassword_command = {touch}\n'
    settings = resolve(tmp_path, {"profile": "p"}, {"CAP_API_PASSWORD": "env"}, config)
    assert settings.password == "env"
    assert not marker.exists()
    # and the same command does run when it is needed
    resolve(tmp_path, {"profile": "p"}, config=config)
    assert marker.exists()


def test_a_failing_password_command_never_shows_its_output(tmp_path: Path) -> None:
    code = "import sys; print('leaked-secret'); sys.stderr.write('vault locked'); sys.exit(3)"
    config = f'[profiles.p]\ncluster = "eu"\nusername = "u"\npassword_command = {python(code)}\n'
    with pytest.raises(ConfigError) as caught:
        resolve(tmp_path, {"profile": "p"}, config=config)
    message = str(caught.value)
    assert "password_command of profile p" in message
    assert "exit status 3" in message and "vault locked" in message
    assert "leaked-secret" not in message


def test_a_missing_program(tmp_path: Path) -> None:
    config = '[profiles.p]\ncluster = "eu"\nusername = "u"\npassword_command = "no-such-tool x"\n'
    with pytest.raises(ConfigError, match="'no-such-tool' was not found"):
        resolve(tmp_path, {"profile": "p"}, config=config)


def test_a_command_that_prints_nothing(tmp_path: Path) -> None:
    config = (
        '[profiles.p]\ncluster = "eu"\nclient_key = "k"\n'
        f"client_secret_command = {python('pass')}\n"
    )
    with pytest.raises(
        ConfigError, match=r"client_secret_command of profile p: .* printed nothing"
    ):
        resolve(tmp_path, {"profile": "p"}, config=config)


def test_a_command_that_hangs_is_stopped(tmp_path: Path) -> None:
    from tui.config.secrets import run_secret_command

    with pytest.raises(ConfigError, match=r"did not finish within 0\.5 seconds"):
        run_secret_command(
            [sys.executable, "-c", "import time; time.sleep(30)"], what="x", timeout=0.5
        )


# --- strictness and permissions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('pasword = "x"\n', "pasword"),
        ('[profiles.eu]\ncluster = "eu"\npasword = "x"\n', "profiles.eu.pasword"),
        ("[colours]\nx = 1\n", "colours"),
    ],
)
def test_unknown_keys_name_the_file_and_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    assert f"unknown key {key} " in str(caught.value)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("timeout_read = -1\n", "timeout_read must be a positive number"),
        ('body = "everything"\n', 'body must be "minimal" or "full"'),
        ('default_profile = "ghost"\n', "names no [profiles.ghost]"),
        ("[profiles.eu]\ncluster = 3\n", "profiles.eu.cluster must be a non-empty string"),
        ('[keys]\nsubmit = ""\n', "keys.submit must be a key name"),
        ('[keys]\n"Not An Id" = "x"\n', "unknown key keys.Not An Id: not a binding id"),
        ("x = [\n", "is not valid TOML"),
    ],
)
def test_bad_values_are_errors(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, text))
    assert complaint in str(caught.value)


def test_keys_table_is_read(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, '[keys]\nsubmit = "ctrl+enter"\nfind-next = "n"\n'))
    assert dict(config.keys) == {"submit": "ctrl+enter", "find-next": "n"}


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
@pytest.mark.parametrize("secret", ["password", "client_secret", "token"])
def test_a_readable_file_with_a_secret_is_refused_with_the_fix(
    tmp_path: Path, mode: int, secret: str
) -> None:
    path = write_config(tmp_path, f'[profiles.p]\ncluster = "eu"\n{secret} = "hunter22"\n', mode)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"chmod 600 {path}" in message
    assert "hunter22" not in message


def test_a_readable_file_without_secrets_is_fine(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[profiles.p]\ncluster = "eu"\nusername = "u"\n', 0o644)
    assert load_config(path).profiles["p"].values["username"] == "u"


def test_a_command_in_a_file_others_may_change_is_refused(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[profiles.p]\npassword_command = "pass x"\n', 0o666)
    with pytest.raises(ConfigError, match=f"chmod 600 {path}"):
        load_config(path)


def test_a_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml").profiles == {}


# --- missing settings --------------------------------------------------------------------

EVERY_WAY = [
    "--base-url",
    "--cluster",
    "CAP_API_BASE_URL",
    "CAP_API_CLUSTER",
    "--token",
    "CAP_API_TOKEN",
    "--client-key",
    "--client-secret",
    "CAP_API_CLIENT_KEY",
    "CAP_API_CLIENT_SECRET",
    "client_secret_command",
    "--username",
    "--password",
    "CAP_API_USERNAME",
    "CAP_API_PASSWORD",
    "password_command",
    "[profiles.NAME]",
    "--profile",
    "TGEDIT_PROFILE",
    "tgedit demo",
]


def test_nothing_given_names_every_way_in_one_message(tmp_path: Path) -> None:
    settings = resolve(tmp_path)
    with pytest.raises(ConfigError) as caught:
        connection_for(settings)
    message = str(caught.value)
    assert "no server; no credentials" in message
    for way in EVERY_WAY:
        assert way in message, way


def test_half_a_credential_says_which_half(tmp_path: Path) -> None:
    settings = resolve(tmp_path, env={"CAP_API_CLUSTER": "eu", "CAP_API_USERNAME": "u"})
    message = missing_message(settings)
    assert message is not None
    assert "a username (from CAP_API_USERNAME) but no password" in message
    assert "password_command" in message


def test_an_unknown_cluster(tmp_path: Path) -> None:
    settings = resolve(tmp_path, env={"CAP_API_CLUSTER": "mars", "CAP_API_TOKEN": "t"})
    with pytest.raises(ConfigError, match="unknown cluster 'mars'"):
        connection_for(settings)


def test_secrets_stay_out_of_reprs(tmp_path: Path) -> None:
    env = {"CAP_API_CLUSTER": "eu", "CAP_API_TOKEN": "tok-abcdef"}
    settings = resolve(tmp_path, env=env)
    assert "tok-abcdef" not in repr(settings)
    assert "tok-abcdef" not in repr(connection_for(settings))


# --- the [keys] table's binding ids ----------------------------------------------------------


def test_a_misspelt_binding_id_is_refused_naming_it_and_the_nearest_id(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[keys]\nsumbit = "f5"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path}: unknown key keys.sumbit: not a binding id (did you mean submit?)"
    )


def test_a_misspelt_binding_id_stops_any_command_with_exit_2(clean_env: Path) -> None:
    folder = clean_env / "config" / "tgedit"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('[keys]\nfind_next = "n"\n')
    done = run_with(["show", "2762", "--base-url", "http://127.0.0.1:9", "--token", "t"])
    assert done.code == 2
    assert_one_clear_line(done.err)
    assert "unknown key keys.find_next: not a binding id (did you mean find-next?)" in done.err


def test_the_binding_ids_are_every_id_the_editor_binds() -> None:
    """The config lists them so that reading it never imports Textual; the app is the truth."""
    import importlib
    import pkgutil

    from textual.binding import Binding

    import tui.app
    from tui.config.parse import BINDING_IDS

    bound: set[str] = set()
    for module_info in pkgutil.walk_packages(tui.app.__path__, "tui.app."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            for binding in getattr(value, "BINDINGS", None) or []:
                if isinstance(binding, Binding) and binding.id:
                    bound.add(binding.id)
    from tui.app.actions import EDITOR_ACTIONS

    bound |= {action.id for action in EDITOR_ACTIONS}
    assert sorted(BINDING_IDS) == sorted(bound)


def test_every_binding_id_may_be_remapped(tmp_path: Path) -> None:
    from tui.config.parse import BINDING_IDS

    text = "[keys]\n" + "".join(
        f'{binding_id} = "f{n}"\n' for n, binding_id in enumerate(BINDING_IDS)
    )
    keys = load_config(write_config(tmp_path, text)).keys
    assert list(keys) == list(BINDING_IDS)


# --- secrets and commands, as read from the file -------------------------------------------


@pytest.mark.parametrize("secret", ["password", "client_secret", "token"])
def test_a_secret_read_from_the_file_never_shows_in_a_repr(tmp_path: Path, secret: str) -> None:
    config = load_config(write_config(tmp_path, f'[profiles.p]\n{secret} = " hunter22 "\n'))
    profile = config.profiles["p"]
    assert "hunter22" not in repr(config) and "hunter22" not in repr(profile)
    assert profile.values == {secret: "hunter22"}  # stripped, for the connection only


def test_a_command_line_that_cannot_be_split_says_why(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[profiles.p]\npassword_command = "pass show \'cap"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(
        f"{path}: profiles.p.password_command must be a command line, e.g. "
    )
    assert str(caught.value).endswith("(No closing quotation)")


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("timeout_connect = true\n", "timeout_connect must be a positive number of seconds"),
        ('[profiles.eu]\ntimeout_read = "5"\n', "profiles.eu.timeout_read must be a positive"),
        ("[profiles.eu]\nallow_http = 1\n", "profiles.eu.allow_http must be true or false"),
        ("profiles = 3\n", "profiles must be tables, written [profiles.NAME]"),
        ("[profiles]\neu = 3\n", "profiles.eu must be a table, written [profiles.eu]"),
        ("keys = 3\n", 'keys must be a table of binding id = "key", under [keys]'),
        ("[profiles.eu]\npassword_command = []\n", "profiles.eu.password_command must be a"),
        (
            '[profiles.eu]\npassword = "x"\npassword_command = "pass x"\n',
            "profiles.eu.password and profiles.eu.password_command both given; keep one",
        ),
    ],
)
def test_each_table_and_key_is_named_in_the_error(
    tmp_path: Path, text: str, complaint: str
) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert complaint in str(caught.value)
    assert "\n" not in str(caught.value)
