"""The stateful soak of issue 19 (``tests/soak.py``) in CI: a fixed seed, a few hundred
steps. ``python tests/soak.py --steps 10000`` runs a long one with a random seed."""

from __future__ import annotations

from pathlib import Path

from soak import soak


def test_nothing_is_lost_over_400_steps_of_two_editors_and_the_cli(tmp_path: Path) -> None:
    counts = soak(400, seed=19, folder=tmp_path)
    # The run met what it is for (so a change to the steps cannot make it vacuous).
    happened = {what.split(" ")[0] for what in counts}
    assert {"submit", "kill", "leftover", "cli", "conflict"} <= happened, counts
    assert any("applied" in what for what in counts), counts
    assert any("NotRecorded" in what for what in counts), counts  # a full disk came
