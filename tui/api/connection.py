"""Where and how to connect: base URL, credentials, timeouts, retries, TLS verification."""

from __future__ import annotations

import functools
import os
import ssl
from typing import TYPE_CHECKING

from tui.api.auth import Auth
from tui.api.urls import public_url

if TYPE_CHECKING:
    import httpx

# httpx is imported where it is used: a Connection is made right after the arguments are
# parsed, and the first GET goes out without httpx (tui.api.plain_get).


class Timeouts:
    """Seconds to wait for a connection, and for each read of the answer.

    A plain class, not @dataclass: one or two per run, never compared, and a dataclass
    compiles its methods at import, before the editor's first frame.
    """

    __slots__ = ("connect", "read")

    def __init__(self, connect: float = 5.0, read: float = 30.0) -> None:
        self.connect = connect
        self.read = read

    def __repr__(self) -> str:  # in a Connection's
        return f"Timeouts(connect={self.connect!r}, read={self.read!r})"

    def to_httpx(self) -> httpx.Timeout:
        # Writing a body of a few kB takes no longer than reading; a pool wait is a
        # connect wait from the user's point of view.
        import httpx

        return httpx.Timeout(
            connect=self.connect, read=self.read, write=self.read, pool=self.connect
        )


class Connection:
    """Everything the client needs to reach one API; ``repr()`` shows no secret.

    ``retries`` is how many times a GET may be repeated after a connect error, a 429 or
    a 502/503/504 (so at most ``1 + retries`` attempts); a PUT is never repeated.
    ``verify`` is True, False, or the path of a CA bundle.

    A holder, not a value: one per server and credentials, shared by whoever sends to it
    (the OAuth auth in it keeps its token), never compared.
    """

    def __init__(
        self,
        base_url: str,
        auth: Auth,
        timeouts: Timeouts | None = None,
        retries: int = 3,
        verify: bool | str = True,
    ) -> None:
        self.base_url = base_url
        self.auth = auth
        self.timeouts = Timeouts() if timeouts is None else timeouts
        self.retries = retries
        self.verify = verify

    def __repr__(self) -> str:
        return (
            f"Connection(base_url={public_url(self.base_url)!r}, auth={self.auth!r}, "
            f"timeouts={self.timeouts!r}, retries={self.retries!r}, verify={self.verify!r})"
        )

    def ssl_verify(self) -> ssl.SSLContext | bool:
        """What httpx takes as ``verify``: a CA bundle path becomes an SSL context.

        The standard-library GET (``plain_get``) takes the same (``ssl_context``).

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
            # store (~50 ms) would be wasted. No roots: any TLS connection fails to verify.
            return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return _default_ssl_context()

    def ssl_context(self) -> ssl.SSLContext:
        """``ssl_verify()`` as a context: ``verify=False`` as httpx makes it of False."""
        verify = self.ssl_verify()
        if verify is False:
            return _unverified_context()
        assert isinstance(verify, ssl.SSLContext)
        return verify


def public_roots_context() -> ssl.SSLContext:
    """The context ``httpx.create_ssl_context()`` makes, without importing httpx (~50 ms):
    ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` when set, else certifi's roots, as httpx does."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    # Loading the CA store takes tens of milliseconds: do it once per process, not once
    # per client (the app, the CLI and the tests create many).
    return public_roots_context()


@functools.cache
def _unverified_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
