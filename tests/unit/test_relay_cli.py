"""`bureau relay|remote|runner` without a relay: every error names its fix, nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_commands_before_pairing_say_how_to_pair(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "remote", "tasks")
    assert code == 2 and "bureau remote pair CODE --relay URL" in err
    code, _, err = _run(capsys, "relay", "pair")
    assert code == 2 and "bureau relay connect" in err
    code, _, err = _run(capsys, "runner")
    assert code == 2 and "bureau runner --pair CODE --relay URL" in err
    code, out, _ = _run(capsys, "relay", "devices")
    assert code == 0 and "No paired devices" in out


def test_bad_codes_and_addresses_are_refused_clearly(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "remote", "pair", "12-ab", "--relay", "nats://127.0.0.1:1")
    assert code == 2 and "not a pairing code" in err
    code, _, err = _run(capsys, "relay", "connect", "http://example", "--secret", "x")
    assert code == 2 and "nats://HOST:PORT" in err
    code, _, err = _run(capsys, "relay", "connect", "nats://127.0.0.1:1", "--secret", "x")
    assert code == 2 and "Cannot reach the relay" in err
    assert not (home / "relay.json").exists()
    code, _, err = _run(capsys, "runner", "--pair", "1234-abcd-efgh")
    assert code == 2 and "--relay URL" in err
