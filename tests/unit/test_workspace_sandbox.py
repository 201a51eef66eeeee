"""Running the founder's test command: bounded in time, output, memory and processes; no secrets."""

import os
import time
from pathlib import Path

import pytest

from app.workspace.detect import detect_test_command
from app.workspace.sandbox import HEAD_BYTES, TAIL_BYTES, run_bounded


def alive(marker: str) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                count += 1
        except OSError:
            pass
    return count


def test_exit_code_output_and_a_scrubbed_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "hunter2")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    result = run_bounded("echo out; echo err >&2; env; exit 3", cwd=tmp_path, timeout=10)
    assert result.exit_code == 3 and not result.passed and "out" in result.output and "err" in result.output
    assert "hunter2" not in result.output and "sk-secret" not in result.output and "PATH=" in result.output


def test_gigabytes_of_output_keep_a_bounded_head_and_tail(tmp_path):
    started = time.monotonic()
    result = run_bounded("head -c 1000000000 /dev/zero | tr '\\0' x; echo THE-END", cwd=tmp_path, timeout=60)
    assert result.passed and result.output_bytes > 1_000_000_000
    assert len(result.output) < HEAD_BYTES + TAIL_BYTES + 200 and result.output.rstrip().endswith("THE-END")
    assert "bytes of output not kept" in result.output
    assert time.monotonic() - started < 30


@pytest.mark.skipif(os.name != "posix", reason="process groups")
def test_a_hanging_command_and_everything_it_started_are_killed(tmp_path):
    marker = "98765"
    result = run_bounded(f"for i in 1 2 3 4 5 6 7 8; do sleep {marker} & done; sleep {marker}",
                         cwd=tmp_path, timeout=1)
    assert result.timed_out and result.exit_code is None and result.seconds < 4
    time.sleep(0.2)
    assert alive(f"sleep {marker}") == 0


@pytest.mark.skipif(os.name != "posix", reason="process groups")
def test_background_leftovers_of_a_finished_command_are_killed(tmp_path):
    result = run_bounded("sleep 98764 & echo started", cwd=tmp_path, timeout=10)
    assert result.passed and result.seconds < 2
    time.sleep(0.2)
    assert alive("sleep 98764") == 0


@pytest.mark.skipif(os.name != "posix" or os.getuid() == 0, reason="RLIMIT_NPROC does not bind root")
def test_a_fork_bomb_is_contained(tmp_path):
    result = run_bounded("bomb() { bomb | bomb & }; bomb", cwd=tmp_path, timeout=3)
    time.sleep(0.5)
    assert not result.passed or result.timed_out
    assert alive("bomb") == 0


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_AS")
def test_the_memory_limit_holds(tmp_path):
    import sys

    result = run_bounded(f"{sys.executable} -c 'x = bytearray(3 * 1024 ** 3)'", cwd=tmp_path, timeout=30,
                         memory_mb=512)
    assert not result.passed and "MemoryError" in result.output


@pytest.mark.parametrize("files, expected", [
    ({"pyproject.toml": "[tool.pytest.ini_options]\n"}, "python -m pytest -q"),
    ({"setup.py": "", "tests/test_x.py": ""}, "python -m pytest -q"),
    ({"package.json": '{"scripts": {"test": "jest"}}'}, "npm test"),
    ({"package.json": '{"scripts": {"test": "echo \\"Error: no test specified\\" && exit 1"}}'}, None),
    ({"go.mod": "module x\n"}, "go test ./..."),
    ({"Cargo.toml": "[package]\n"}, "cargo test"),
    ({"Makefile": "build:\n\tcc x.c\ntest: build\n\t./t\n", "go.mod": ""}, "make test"),
    ({"README.md": "hi"}, None),
])
def test_the_test_command_is_detected(tmp_path, files, expected):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert detect_test_command(tmp_path) == expected
