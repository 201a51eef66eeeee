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
            events: list[dict[str, object]] = []
            import asyncio
            import threading

            watcher = threading.Thread(target=lambda: asyncio.run(remote.watch(events.append, seconds=3)), daemon=True)
            watcher.start()
            time.sleep(0.5)
            cancelled = remote.send("act", {"action": "cancel", "id": tasks[0].id})
            assert cancelled["status"] == "cancelled"
            bad = remote.send("act", {"action": "accept", "id": tasks[0].id})
            assert "cannot be" in bad["error"]
            watcher.join(5)
            assert {"task": tasks[0].id, "status": "cancelled"} in events  # task events flow back, sealed
            assert listening_sockets() == []  # the desktop side never listens
        finally:
            link.stop()
    blob = cap.blob()
    assert cap.on("bureau.cmd.") and cap.on("bureau.out.")
    for plain in (b"Zanzibar", b"confidential", b"acquisition", b"submit", b"cancel", desk.device().state.public_key.encode()):
        assert plain not in blob
    assert len(company.tasks.list_tasks()) == 1


def _self_signed(folder: Path) -> tuple[Path, Path]:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "relay.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "relay.crt", folder / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_relay_and_pairing_codes_that_must_fail(tmp_path: Path, company: Company, ring: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from app.relay.desktop import DesktopRelay
    from app.relay.net import RelayUnreachable
    from app.relay.pairing import PairingFailed
    from app.relay.remote import join
    from app.relay.server import RelayServer, free_port

    cert, key = _self_signed(tmp_path / "tls")
    server = RelayServer(tmp_path / "relay", host="127.0.0.1", port=free_port(), tls_cert=cert, tls_key=key)
    server.start()
    try:
        assert server.url.startswith("tls://")
        desk = DesktopRelay(company.home, company.db)
        with pytest.raises(RelayUnreachable):  # an unknown certificate is refused
            desk.connect(server.url, server.state.desktop_password)
        monkeypatch.setenv("BUREAU_RELAY_CA", str(cert))
        with pytest.raises(RelayUnreachable):
            desk.connect(server.url, "not-the-secret")
        desk.connect(server.url, server.state.desktop_password)
        with pytest.raises(PairingFailed, match="No desktop is waiting"):
            join(tmp_path / "phone", "1234-abcd-efgh", url=server.url, role="device")
        device = pair_with(desk, tmp_path / "phone", url=server.url, wrong_first=2)  # two wrong tries, then right
        assert device.state.url == server.url and [d.name for d in desk.devices()] == ["phone"]
    finally:
        server.stop()
