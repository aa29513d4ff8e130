"""Secrets from a command (``password_command = "pass show cap/eu"``), never from a shell.

The command's standard output, stripped, is the secret. When the command fails, the
message names the command's program and exit status and quotes its standard error,
never its standard output: that is where the secret would be.
"""

from __future__ import annotations

from tui.config.file import ConfigError
from tui.terminal_text import visible

COMMAND_TIMEOUT_SECONDS = 30.0  # long enough to type a passphrase into a pinentry


def run_secret_command(
    argv: list[str], *, what: str, timeout: float = COMMAND_TIMEOUT_SECONDS
) -> str:
    """Run ``argv`` (no shell) and return its stdout stripped; ``what`` names the setting."""
    import subprocess  # only for a profile's password_command

    program = argv[0]
    try:
        done = subprocess.run(
            argv,
            shell=False,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise ConfigError(f"{what}: the program {program!r} was not found") from None
    except PermissionError:
        raise ConfigError(f"{what}: the program {program!r} may not be run") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"{what}: {program!r} did not finish within {timeout:g} seconds"
        ) from None
    except OSError as error:
        raise ConfigError(f"{what}: {program!r} could not be started ({error.strerror})") from None
    if done.returncode != 0:
        reason = _first_line(done.stderr)
        raise ConfigError(
            f"{what}: {program!r} failed with exit status {done.returncode}"
            + (f" ({reason})" if reason else "")
        )
    try:
        secret = done.stdout.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ConfigError(f"{what}: {program!r} printed something that is not UTF-8 text") from None
    if not secret:
        raise ConfigError(f"{what}: {program!r} printed nothing")
    return secret


def _first_line(stream: bytes) -> str:
    text = stream.decode("utf-8", errors="replace").strip()
    line = text.splitlines()[0] if text else ""
    return visible(line[:200], keep_newlines=False)
