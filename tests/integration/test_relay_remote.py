"""Remote control through a real nats-server on loopback: pairing, commands, exactly once, attacks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.company import Company
from app.relay.link import RelayLink
from app.relay.remote import RemoteClient
from tests.support.memory_keyring import memory_keyring
from tests.support.relay import Capture, connect_desktop, listening_sockets, pair_with, relay_server


@pytest.fixture
def ring() -> Iterator[None]:
    with memory_keyring():
        yield


def test_remote_submit_and_act_are_applied_once_and_the_relay_sees_only_ciphertext(
        tmp_path: Path, company: Company, ring: None) -> None:
    with relay_server(tmp_path / "relay") as server, Capture(server) as cap:
        desk = connect_desktop(company.home, company.db, server)
        phone_home = tmp_path / "phone"
        pair_with(desk, phone_home, url=server.url)
        remote = RemoteClient(phone_home)
        secret_text = "Draft the confidential Zanzibar acquisition memo"
        queued = remote.send("submit", {"text": secret_text, "team": "content"}, wait=0.5)
        assert queued["queued"] is True  # the desktop is away: the command waits in JetStream
        link = RelayLink(company.home, company.db, company.tasks).start(wait=10)
        try:
            deadline = time.monotonic() + 10
            while not company.tasks.list_tasks() and time.monotonic() < deadline:
                time.sleep(0.05)
            tasks = company.tasks.list_tasks()
            assert [t.text for t in tasks] == [secret_text]
            listing = remote.send("tasks", {})
            assert [t["title"] for t in listing["tasks"]] == [tasks[0].title]
            shown = remote.send("show", {"id": tasks[0].id})
            assert shown["task"]["text"] == secret_text
            cancelled = remote.send("act", {"action": "cancel", "id": tasks[0].id})
            assert cancelled["status"] == "cancelled"
            bad = remote.send("act", {"action": "accept", "id": tasks[0].id})
            assert "cannot be" in bad["error"]
            assert listening_sockets() == []  # the desktop side never listens
        finally:
            link.stop()
    blob = cap.blob()
    assert cap.on("bureau.cmd.") and cap.on("bureau.out.")
    for plain in (b"Zanzibar", b"confidential", b"acquisition", b"submit", b"cancel", desk.device().state.public_key.encode()):
        assert plain not in blob
    assert len(company.tasks.list_tasks()) == 1
