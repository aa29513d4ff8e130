"""What a request is for, in the user's words: the action, the method and URL, the group.

Every call makes one before it goes out, whether it succeeds or not; ``error_messages``
tells a failure with it. It is apart from ``error_messages`` so that a call that
succeeds (the editor's first GET) never imports the messages of the ones that fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tui.api.urls import public_url

# What went wrong on the way (the client sorts httpx's exceptions into these):
# ``connect_timeout`` no connection within the connect timeout; ``read_timeout`` no
# answer within the read timeout; ``connect`` the connection could not be made (refused,
# unknown host, TLS); ``scheme`` not http or https; ``corrupt`` a body that could not be
# decompressed; ``dropped`` closed before an answer (or any other failure to read one).
Failure = Literal["connect_timeout", "read_timeout", "connect", "scheme", "corrupt", "dropped"]


@dataclass(slots=True)
class Attempt:
    """What a request was for, so that its failure can be told in the user's words."""

    action: str  # "fetching target group 2762"
    method: str
    url: str
    group_id: int | None = None
    auth_advice: str = "check the credentials"
    is_token_call: bool = False

    @property
    def changes_state(self) -> bool:
        return self.method not in ("GET", "HEAD")

    @property
    def where(self) -> str:
        return f"{self.method} {public_url(self.url)}"

    def sentence(self, middle: str, advice: str) -> str:
        action = self.action[:1].upper() + self.action[1:]
        return f"{action} failed: {middle} ({self.where}); {advice}."
