"""The relay envelope, replay window, secrets storage and SPAKE2 pairing (no network)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from nacl.public import PrivateKey

from app.core.secrets import SecretsError
from app.relay.crypto import Counter, Envelopes, Keyring, Rejected, ReplayWindow, b64
from app.relay.identity import SECRETS_FILE, LocalDevice, SecretStore
from app.relay.pairing import Joiner, PairingCode, PairingFailed, PairingGuest, PairingHost, parse_code
from tests.support.memory_keyring import memory_keyring


def _pair() -> tuple[Envelopes, Envelopes]:
    a, b = PrivateKey.generate(), PrivateKey.generate()
    ka = Keyring("aaaa", a, {"bbbb": b.public_key})
    kb = Keyring("bbbb", b, {"aaaa": a.public_key})
    store: dict[str, int] = {"a": 1, "b": 1}
    return (Envelopes(ka, Counter(lambda: store["a"], lambda v: store.__setitem__("a", v))),
            Envelopes(kb, Counter(lambda: store["b"], lambda v: store.__setitem__("b", v))))


def test_round_trip_hides_content_and_names_sender() -> None:
    a, b = _pair()
    mid, wire = a.seal("bbbb", "submit", {"text": "Secret launch plan for Acme"})
    assert b"Secret" not in wire and b"submit" not in wire and b"Acme" not in wire
    msg = b.open(wire)
    assert (msg.mid, msg.sender, msg.kind, msg.body["text"]) == (mid, "aaaa", "submit", "Secret launch plan for Acme")


def test_replayed_modified_and_foreign_messages_are_rejected(caplog: pytest.LogCaptureFixture) -> None:
    a, b = _pair()
    _, wire = a.seal("bbbb", "submit", {"text": "top secret words"})
    b.open(wire)
    caplog.set_level(logging.WARNING, logger="bureau.relay")
    with pytest.raises(Rejected, match="replayed"):
        b.open(wire)
    _, wire2 = a.seal("bbbb", "submit", {"text": "top secret words"})
    flipped = bytearray(wire2)
    flipped[-5] ^= 1
    with pytest.raises(Rejected, match="authentication"):
        b.open(bytes(flipped))
    b.open(wire2)  # the untouched one still opens
    with pytest.raises(Rejected, match="not paired"):
        b.open(wire.replace(b"aaaa", b"cccc", 1))
    with pytest.raises(Rejected):
        a.open(wire2)  # sealed for b, a cannot read it
    assert "top secret" not in caplog.text and "rejected" in caplog.text


def test_revoked_sender_is_rejected() -> None:
    a, b = _pair()
    _, wire = a.seal("bbbb", "act", {"action": "approve", "id": 1})
    b.keys.revoked.add("aaaa")
    with pytest.raises(Rejected, match="revoked"):
        b.open(wire)


def test_window_accepts_small_reordering_and_refuses_beyond_it() -> None:
    w = ReplayWindow(size=8)
    assert w.check("x", 10) is None
    assert w.check("x", 5) is None  # late but inside the window
    assert w.check("x", 5) == "replayed"
    assert w.check("x", 2) == "older than the replay window"
    w.restore("y", 100)
    assert w.check("y", 99) == "replayed"  # after a restart nothing at or below the stored top is new
    assert w.check("y", 101) is None


def test_counter_never_repeats_across_restarts() -> None:
    saved = {"v": 1}
    c1 = Counter(lambda: saved["v"], lambda v: saved.__setitem__("v", v), block=10)
    first = [c1.next() for _ in range(3)]
    c2 = Counter(lambda: saved["v"], lambda v: saved.__setitem__("v", v), block=10)  # a restart
    assert c2.next() > max(first)


def test_multi_recipient_envelope_opens_for_each_runner_only() -> None:
    desk, r1, r2, r3 = (PrivateKey.generate() for _ in range(4))
    counter = Counter(lambda: 1, lambda v: None)
    d = Envelopes(Keyring("desk", desk, {"r1": r1.public_key, "r2": r2.public_key}), counter)
    _, wire = d.seal_many(["r1", "r2"], "job", {"messages": "write the plan"})
    for rid, key in (("r1", r1), ("r2", r2)):
        env = Envelopes(Keyring(rid, key, {"desk": desk.public_key}), Counter(lambda: 1, lambda v: None))
        assert env.open(wire).body["messages"] == "write the plan"
    outsider = Envelopes(Keyring("r3", r3, {"desk": desk.public_key}), Counter(lambda: 1, lambda v: None))
    with pytest.raises(Rejected):
        outsider.open(wire)


def test_private_key_goes_to_the_keyring_not_a_file(tmp_path: Path) -> None:
    with memory_keyring() as ring:
        dev = LocalDevice.create(tmp_path, role="device", name="phone", url="nats://x", user="u",
                                 password="pw-secret-123")
        values = set(ring.items.values())
        assert b64(bytes(dev.keys.private_key)) in values
        on_disk = "".join(p.read_text() for p in tmp_path.iterdir())
        assert b64(bytes(dev.keys.private_key)) not in on_disk and "pw-secret-123" not in on_disk
        again = LocalDevice.load(tmp_path, "device")
        assert bytes(again.keys.private_key) == bytes(dev.keys.private_key)


def test_without_a_keyring_secrets_need_a_passphrase_and_are_encrypted(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        monkeypatch.delenv("BUREAU_RELAY_PASSPHRASE", raising=False)
        with pytest.raises(SecretsError, match="BUREAU_RELAY_PASSPHRASE"):
            SecretStore(tmp_path)
        store = SecretStore(tmp_path, passphrase="correct horse")
        store.set("relay:x:private_key", "THE-PRIVATE-KEY")
        assert store.backend == "file"
        assert b"THE-PRIVATE-KEY" not in (tmp_path / SECRETS_FILE).read_bytes()
        assert SecretStore(tmp_path, passphrase="correct horse").get("relay:x:private_key") == "THE-PRIVATE-KEY"
        with pytest.raises(SecretsError, match="passphrase"):
            SecretStore(tmp_path, passphrase="wrong")
    finally:
        keyring.set_keyring(previous)


def _host(code: PairingCode, admitted: list[Joiner], now: list[float]) -> PairingHost:
    return PairingHost(code, admit=lambda j: admitted.append(j) or {"device_id": "d1", "password": "p"},
                       clock=lambda: now[0])


def _join(host: PairingHost, secret: str) -> dict[str, object]:
    guest = PairingGuest(secret, Joiner(kind="device", name="phone", public_key="PK"))
    return guest.finish(host.handle(guest.confirm(host.handle(guest.hello()))))


def test_pairing_right_code_once_and_wrong_code_reveals_nothing() -> None:
    code, admitted, now = PairingCode.new(clock=lambda: 0.0), [], [0.0]
    host = _host(code, admitted, now)
    assert parse_code(code.text) == (code.nameplate, code.secret)
    with pytest.raises(PairingFailed, match="wrong or no longer valid"):
        _join(host, "zzzzzzzz" if code.secret != "zzzzzzzz" else "yyyyyyyy")
    assert admitted == []
    grant = _join(host, code.secret)
    assert grant == {"device_id": "d1", "password": "p"} and admitted[0].name == "phone"
    with pytest.raises(PairingFailed):
        _join(host, code.secret)  # single use


def test_three_wrong_tries_burn_the_code_and_it_expires() -> None:
    code, admitted, now = PairingCode.new(clock=lambda: 0.0), [], [0.0]
    host = _host(code, admitted, now)
    for _ in range(3):
        with pytest.raises(PairingFailed):
            _join(host, "22222222")
    with pytest.raises(PairingFailed):
        _join(host, code.secret)  # burned
    fresh = PairingCode.new(clock=lambda: 0.0)
    host2 = _host(fresh, admitted, now)
    now[0] = 601.0
    with pytest.raises(PairingFailed):
        _join(host2, fresh.secret)  # expired
    assert admitted == []


def test_bad_codes_are_refused_with_the_fix() -> None:
    with pytest.raises(Exception, match="not a pairing code"):
        parse_code("12-abc")
