"""The flags several subcommands share, as argparse parent parsers.

Every shared flag defaults to ``SUPPRESS`` so that it may stand before or after the
subcommand (``tgedit --cluster eu show 2762`` and ``tgedit show 2762 --cluster eu``)
without the subcommand's default wiping out what was given before it.

Each parent is built once (cached): argparse copies a parent's actions into every
parser that names it, so one parent serves every subcommand.
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path
from typing import Any

S = argparse.SUPPRESS


def _positive(text: str, what: str, unit: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{what} must be more than 0 {unit}")
    return value


def positive_seconds(text: str) -> float:
    return _positive(text, "the timeout", "seconds")


def positive_rate(text: str) -> float:
    """``tgedit stub --rate-limit N``: requests a second."""
    return _positive(text, "the rate limit", "requests a second")


def _whole(text: str) -> int:
    """``text`` as a whole number; 0 when it is none (each caller's range refuses 0)."""
    try:
        return int(text)
    except ValueError:
        return 0


@functools.cache
def general() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--debug",
        action="store_true",
        default=S,
        help="log what happens to debug.log in the state folder (never a secret)",
    )
    return parser


@functools.cache
def connection(*, shown: bool = True) -> argparse.ArgumentParser:
    """The connection flags. ``shown=False`` for a command that needs no connection
    (demo, stub, history): there they are accepted after the command name as they are
    before it, have no effect, and stay out of its help."""
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group(
        "connection (flags beat the environment, which beats the profile)"
    )

    def add(*names: str, **options: Any) -> None:
        if not shown:
            options["help"] = S
        group.add_argument(*names, **options)

    add("--base-url", default=S, metavar="URL", help="API base URL  [CAP_API_BASE_URL]")
    add(
        "--cluster",
        default=S,
        metavar="NAME",
        help="india, apac2, eu, us or china, instead of a base URL  [CAP_API_CLUSTER]",
    )
    add("--username", default=S, metavar="USER", help="Basic auth user  [CAP_API_USERNAME]")
    add(
        "--password",
        default=S,
        metavar="PASSWORD",
        help="Basic auth password; prefer the variable or password_command  [CAP_API_PASSWORD]",
    )
    add("--client-key", default=S, metavar="KEY", help="OAuth client key  [CAP_API_CLIENT_KEY]")
    add(
        "--client-secret",
        default=S,
        metavar="SECRET",
        help="OAuth client secret  [CAP_API_CLIENT_SECRET]",
    )
    add("--token", default=S, metavar="TOKEN", help="a ready OAuth token  [CAP_API_TOKEN]")
    add(
        "--profile",
        default=S,
        metavar="NAME",
        help="a [profiles.NAME] of the config file  [TGEDIT_PROFILE]",
    )
    add(
        "--config",
        type=Path,
        default=S,
        metavar="FILE",
        help="the config file (default: $XDG_CONFIG_HOME/tgedit/config.toml)",
    )
    add(
        "--ca-bundle",
        type=Path,
        default=S,
        metavar="FILE",
        help="a PEM file of private CAs to trust besides the public ones (TLS is always verified)",
    )
    add(
        "--allow-http",
        action="store_true",
        default=S,
        help="allow a plain http:// base URL on another machine (credentials go unencrypted)",
    )
    add(
        "--timeout",
        type=positive_seconds,
        default=S,
        metavar="SECONDS",
        help="how long to wait for each answer (default 30)",
    )
    return parser


@functools.cache
def body() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--body",
        choices=("minimal", "full"),
        default=S,
        help="the PUT body: only what changed (minimal, the default) or every request field",
    )
    return parser


def group_id(text: str) -> int:
    """An ID argument: a positive whole number (``show -5`` is a usage error, not a GET)."""
    value = _whole(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a target group id (a positive whole number)"
        )
    return value


def _jobs(text: str) -> int:
    from tui.config.file import MAX_JOBS

    value = _whole(text)
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to {MAX_JOBS}")
    return value


@functools.cache
def jobs() -> argparse.ArgumentParser:
    """``--jobs N``: the commands that read many groups (export, diff, apply, list)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=S,
        metavar="N",
        help="read up to N groups at once (default 8; the config's jobs key)",
    )
    return parser
