"""Where and how to connect: base URL, credentials, timeouts, retries, TLS, proxies."""

from __future__ import annotations

import functools
import os
import ssl
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.api.auth import Auth
from tui.api.urls import is_loopback, public_url

if TYPE_CHECKING:
    import httpx

# A reply larger than this, once decompressed, is refused while it streams in.
MAX_REPLY_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class Timeouts:
    """Seconds to wait for a connection, and for the whole reply once the request is sent
    (``--timeout``): a server that trickles bytes is cut off at ``read`` too."""

    connect: float = 5.0
    read: float = 30.0

    def to_httpx(self) -> httpx.Timeout:
        # Writing a body of a few kB takes no longer than reading; a pool wait is a
        # connect wait from the user's point of view.
        import httpx

        return httpx.Timeout(
            connect=self.connect, read=self.read, write=self.read, pool=self.connect
        )


@dataclass(slots=True, eq=False)
class Connection:
    """Everything the client needs to reach one API; ``repr()`` shows no secret.

    ``retries`` is how many times a GET may be repeated after a connect error, a 429 or
    a 502/503/504 (so at most ``1 + retries`` attempts); a PUT is never repeated.
    ``verify`` is True, False, or the path of a CA bundle. A holder shared by whoever
    sends to the server (the OAuth auth in it keeps its token), never compared.
    """

    base_url: str
    auth: Auth
    timeouts: Timeouts = field(default_factory=Timeouts)
    retries: int = 3
    verify: bool | str = True
    max_reply_bytes: int = MAX_REPLY_BYTES

    def __repr__(self) -> str:
        return (
            f"Connection(base_url={public_url(self.base_url)!r}, auth={self.auth!r}, "
            f"timeouts={self.timeouts!r}, retries={self.retries!r}, verify={self.verify!r})"
        )

    def ssl_verify(self) -> ssl.SSLContext | bool:
        """What httpx takes as ``verify``: a CA bundle path becomes an SSL context.

        The bundle is added to the usual public roots, not put in their place: a private
        CA (a company's TLS-inspecting proxy) must not stop the public hosts from working.
        """
        if isinstance(self.verify, str):
            try:
                context = public_roots_context()
                if os.path.isdir(self.verify):
                    context.load_verify_locations(capath=self.verify)
                else:
                    context.load_verify_locations(cafile=self.verify)
                return context
            except (OSError, ssl.SSLError) as error:
                reason = getattr(error, "strerror", None) or str(error)
                raise ValueError(f"cannot use the CA bundle {self.verify!r}: {reason}") from None
        if not self.verify:
            return False
        if self.base_url.lower().startswith("http://"):
            # Plain HTTP (the stand-in, a loopback tunnel) speaks no TLS: loading the CA
            # store (~35 ms) would be wasted. No roots: any TLS connection fails to verify.
            return _no_roots_context()
        return _default_ssl_context()

    def goes_direct(self) -> bool:
        """Whether requests must bypass any proxy: plain http carries the credentials in
        clear, so it never goes through a proxy. ValueError when such a request could
        not go direct (another machine, and a proxy is set for it)."""
        parts = urlsplit(self.base_url)
        if parts.scheme.lower() != "http":
            return False
        host = parts.hostname or ""
        if is_loopback(host):
            return True
        proxies = urllib.request.getproxies()
        proxy = proxies.get("http") or proxies.get("all")
        if proxy and not urllib.request.proxy_bypass(host):
            raise ValueError(
                f"a proxy is set for plain http ({public_url(proxy)}), and it would see the "
                f"credentials sent to {host}; use https://, or exclude {host} with NO_PROXY"
            )
        return True


def public_roots_context() -> ssl.SSLContext:
    """The context ``httpx.create_ssl_context()`` makes: ``SSL_CERT_FILE`` or
    ``SSL_CERT_DIR`` when set, else certifi's roots, as httpx does."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    # Loading the CA store takes tens of milliseconds: once per process, shared by every
    # client (the prefetch's, the app's, the CLI's), and only for https.
    return public_roots_context()


@functools.cache
def _no_roots_context() -> ssl.SSLContext:
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
