"""Hybrid work: the desktop paired with a relay the founder owns (NATS + JetStream underneath).

Everything that crosses the relay is end-to-end encrypted between paired devices
(``crypto``); device keys live in the OS keyring (``identity``); a short code pairs two
devices with SPAKE2 (``pairing``). This room never imports Qt.
"""
