"""The API's endpoints, each written once (api.md, "Endpoints this project uses").

The client and the curl preview build their URLs from these paths, the audit trail
tells the PUT's URL by them, and the stand-in routes a request by ``match``: what the
stand-in serves is what the client calls.
"""

from __future__ import annotations

from urllib.parse import urlsplit

TOKEN_PATH = "v3/oauth/token/generate"
GROUP_PATH = "v3/targetGroups/{group_id}"
LIST_PATH = "v3/targetGroups"
TARGETS_PATH = "v3/targetGroups/{group_id}/targets"
EDIT_PATH = "v3/targetGroups/editTargetGroup/{group_id}"

# Each path (relative to the base URL; ``{group_id}`` stands for a number) and its method.
METHODS = {
    TOKEN_PATH: "POST",
    GROUP_PATH: "GET",
    LIST_PATH: "GET",
    TARGETS_PATH: "GET",
    EDIT_PATH: "PUT",
}


def match(path: str) -> tuple[str, int | None] | None:
    """The endpoint a request path (``/v3/targetGroups/2762``, no query) names, as its
    path above, with the group id it holds (None for a path without one); None for no
    endpoint."""
    parts = path.strip("/").split("/")
    for endpoint in METHODS:
        wanted = endpoint.split("/")
        if len(wanted) != len(parts):
            continue
        group_id: int | None = None
        for want, part in zip(wanted, parts, strict=True):
            if want == "{group_id}" and part.isascii() and part.isdigit():
                group_id = int(part)
            elif want != part:
                break
        else:
            return endpoint, group_id
    return None


def edit_url(base_url: str, group_id: int) -> str:
    """The URL of the edit call (PUT) of ``group_id``."""
    from tui.api.urls import endpoint_url

    return endpoint_url(base_url, EDIT_PATH.format(group_id=group_id))


def is_edit_url(url: str) -> bool:
    """Whether ``url`` is an edit call's (the base URL may carry a gateway's prefix)."""
    parts = urlsplit(url).path.strip("/").split("/")
    found = match("/".join(parts[-len(EDIT_PATH.split("/")) :]))
    return found is not None and found[0] == EDIT_PATH
