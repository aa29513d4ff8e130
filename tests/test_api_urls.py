"""Base URLs: cluster shortcuts, free-form URLs, joining endpoint paths."""

from __future__ import annotations

import pytest

from tui.api.urls import CLUSTERS, base_url_for, endpoint_url, public_url


def test_clusters_are_the_hosts_of_api_md() -> None:
    assert CLUSTERS == {
        "india": "https://apac.api.capillarytech.com",
        "apac2": "https://apac2.api.capillarytech.com",
        "eu": "https://eu.api.capillarytech.com",
        "us": "https://us.api.capillarytech.com",
        "china": "https://api.capillarytech.cn.com",
    }


def test_cluster_name_is_a_shortcut_ignoring_case() -> None:
    assert base_url_for("eu", None) == "https://eu.api.capillarytech.com"
    assert base_url_for(" EU ", None) == "https://eu.api.capillarytech.com"


def test_free_form_base_url_wins_and_loses_its_trailing_slash() -> None:
    assert base_url_for("eu", "https://eucrm.cc.capillarytech.com/") == (
        "https://eucrm.cc.capillarytech.com"
    )
    assert base_url_for(None, "http://127.0.0.1:8080//") == "http://127.0.0.1:8080"


def test_unknown_cluster_names_the_known_ones() -> None:
    with pytest.raises(ValueError) as raised:
        base_url_for("mars", None)
    message = str(raised.value)
    assert "'mars'" in message
    for name in CLUSTERS:
        assert name in message


def test_neither_given_is_an_error_that_says_what_to_give() -> None:
    with pytest.raises(ValueError, match="give a base URL or one of: india"):
        base_url_for(None, "  ")


@pytest.mark.parametrize("url", ["eu.api.capillarytech.com", "ftp://host", "https://"])
def test_base_url_must_be_http_or_https_with_a_host(url: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        base_url_for(None, url)


def test_base_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError) as raised:
        base_url_for(None, "https://user:hunter2@eu.api.capillarytech.com")
    assert "hunter2" not in str(raised.value)
    assert "--username" in str(raised.value)


def test_endpoint_url_keeps_a_gateway_prefix() -> None:
    assert endpoint_url("https://h/gw/", "/v3/targetGroups/1") == "https://h/gw/v3/targetGroups/1"
    assert endpoint_url("https://h", "v3/targetGroups") == "https://h/v3/targetGroups"


def test_public_url_drops_user_info_only() -> None:
    assert public_url("https://u:p@h:8443/x?y=1") == "https://h:8443/x?y=1"
    assert public_url("https://h/x") == "https://h/x"
