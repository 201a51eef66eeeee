"""`bureau review` on the real embedded model: it is calibrated, found unable to judge, and the checks decide."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.crash_tools import prepare_home, repo_root


def bureau(home: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """This checkout's `bureau` command (not an installed one)."""
    return subprocess.run([sys.executable, "-m", "app.cli.main", "--home", str(home), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=repo_root())

LONG_TWEET = ("We are thrilled to announce that after many months of work our team has shipped v2, with faster sync, "
              "a dark mode and a brand new CSV export for every report, on every plan including the free one. Update "
              "today, try it out and tell us what you think in the replies: we read every single one of them!")
HAIKU = "Autumn rain falls soft\nthe city streets shine with light\npuddles hold the sky\n"


@pytest.mark.model
def test_an_over_long_tweet_is_sent_back_with_its_length_and_a_haiku_passes(tmp_path: Path) -> None:
    home = prepare_home(tmp_path / "home", {"model": {"n_threads": 2, "n_ctx": 2048}})
    tweet, haiku = tmp_path / "tweet.txt", tmp_path / "haiku.txt"
    tweet.write_text(LONG_TWEET, encoding="utf-8")
    haiku.write_text(HAIKU, encoding="utf-8")

    done = bureau(home, "review", "--team", "marketing", "--task", "Write a tweet announcing v2",
                  "--output-file", str(tweet), "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    sent_back = json.loads(done.stdout)
    assert sent_back["verdict"] == "rework"
    assert f"It has {len(LONG_TWEET)} characters; a tweet has at most 280." in sent_back["notes"]

    # The embedded model was calibrated on its first review (a real llama.cpp run) and cannot judge.
    calibration = json.loads((home / "review_calibration.json").read_text())["models"]["smollm2-135m"]
    assert calibration["asked"] >= 3 and calibration["trusted"] is False

    done = bureau(home, "review", "--team", "content", "--task", "Write a haiku about autumn rain in the city",
                  "--output-file", str(haiku), "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    passed = json.loads(done.stdout)
    assert passed["verdict"] == "pass", passed["notes"]
    assert passed["model_used"] is None and "reviewed by checks only" in passed["notes"]
    assert all(c["passed"] for c in passed["checks"])
