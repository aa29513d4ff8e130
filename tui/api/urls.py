"""Base URLs: the cluster shortcuts of api.md, and endpoint URLs built on a base URL."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

CLUSTERS: dict[str, str] = {
    "india": "https://apac.api.capillarytech.com",
    "apac2": "https://apac2.api.capillarytech.com",
    "eu": "https://eu.api.capillarytech.com",
    "us": "https://us.api.capillarytech.com",
    "china": "https://api.capillarytech.cn.com",
}


def base_url_for(cluster: str | None, base_url: str | None) -> str:
    """The base URL to talk to: a free-form ``base_url`` wins over a ``cluster`` name.

    Raises ValueError, naming the known clusters, when neither is usable.
    """
    if base_url is not None and base_url.strip():
        url = base_url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"the base URL {public_url(url)!r} is not an http(s) URL; "
                "give one like https://eu.api.capillarytech.com"
            )
        if parts.username is not None or parts.password is not None:
            # httpx would turn them into its own Authorization header, over ours.
            raise ValueError(
                f"the base URL {public_url(url)!r} holds a user name or password; "
                "give credentials with --username/--password (or a client key) instead"
            )
        return url.rstrip("/")
    known = ", ".join(CLUSTERS)
    if cluster is None or not cluster.strip():
        raise ValueError(f"no base URL and no cluster given; give a base URL or one of: {known}")
    found = CLUSTERS.get(cluster.strip().lower())
    if found is None:
        raise ValueError(f"unknown cluster {cluster.strip()!r}; the known clusters are: {known}")
    return found


def endpoint_url(base_url: str, path: str) -> str:
    """``base_url`` joined with an API path such as ``v3/targetGroups/2762``.

    The base URL may carry a path prefix (a gateway), which is kept.
    """
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def public_url(url: str) -> str:
    """The URL without any ``user:password@``: safe for messages, logs and previews."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def host_of(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{host}:{parts.port}" if parts.port else host


def is_loopback(host: str) -> bool:
    """This machine: localhost, 127.0.0.0/8 or ::1, where no one else can listen in."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
