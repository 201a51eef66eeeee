"""Sending approved drafts through a real SMTP server on loopback (aiosmtpd): accepted, refused,
silent, asking for a login; the password lives in the keyring and never reaches the database or a message."""

import logging
import socket
import threading

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from app.knowledge.send import SmtpConfig
from app.tasks.service import NewTask
from tests.support.memory_keyring import memory_keyring
from tests.support.servers import free_port

PASSWORD = "s3cret-Pa55word-XYZ"


class Inbox:
    def __init__(self, refuse: bool = False) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"ana" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def ring():
    with memory_keyring() as r:
        yield r


@pytest.fixture
def smtp(request):
    inbox = Inbox(refuse=getattr(request, "param", {}).get("refuse", False))
    auth = getattr(request, "param", {}).get("auth", False)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator if auth else None,
                            auth_required=auth, auth_require_tls=False)
    controller.start()
    yield inbox, port
    controller.stop()


def approved_draft(company):
    task = company.tasks.submit(NewTask(text="Reply to ana@customer.example about her refund", team="support"))
    d = company.outbound.propose(task_id=task.id, step_key="s1", kind="email", recipients=("ana@customer.example",),
                                 subject="Your refund", body="Hi Ana,\n\nYour refund is on its way.\n")
    return company.outbound.approve(d.id)


def configure(company, port, **extra):
    company.outbound.configure_smtp(SmtpConfig(host="127.0.0.1", port=port, security="none", sender="us@acme.example",
                                               timeout=2, **{k: v for k, v in extra.items() if k != "password"}),
                                    password=extra.get("password"))


def no_secret_anywhere(company, caplog):
    company.db.close()
    stored = (company.home / "bureau.db").read_bytes() + b"".join(
        p.read_bytes() for p in company.home.glob("bureau.db*")) + b"".join(
        p.read_bytes() for p in company.home.glob("*.json"))
    assert PASSWORD.encode() not in stored
    assert PASSWORD not in caplog.text


def test_an_approved_draft_is_sent_exactly_once(company, smtp, ring):
    inbox, port = smtp
    configure(company, port)
    d = approved_draft(company)
    sent, result = company.outbound.send(d.id)
    assert result.ok and sent.status == "sent" and sent.sent_via == f"smtp:127.0.0.1:{port}"
    (rcpts, content), = inbox.messages
    assert rcpts == ["ana@customer.example"] and "Your refund is on its way." in content
    assert "Subject: Your refund" in content
    with pytest.raises(Exception, match="cannot be sent"):
        company.outbound.send(d.id)
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("smtp", [{"refuse": True}], indirect=True)
def test_a_refusal_keeps_the_draft_approved_with_the_reason(company, smtp, ring):
    inbox, port = smtp
    configure(company, port)
    d = approved_draft(company)
    failed, result = company.outbound.send(d.id)
    assert not result.ok and failed.status == "failed" and failed.approved
    assert "refused the recipients" in failed.error and "550" in failed.error
    inbox.refuse = False
    sent, result = company.outbound.send(d.id)  # retried: goes out once
    assert result.ok and sent.status == "sent" and sent.attempts == 2 and len(inbox.messages) == 1


def test_a_silent_server_times_out(company, ring):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    try:
        configure(company, listener.getsockname()[1])
        d = approved_draft(company)
        failed, result = company.outbound.send(d.id)
        assert failed.status == "failed" and "did not answer within 2 s" in failed.error
    finally:
        listener.close()


@pytest.mark.parametrize("smtp", [{"auth": True}], indirect=True)
def test_login_asked_refused_then_accepted_password_never_stored(company, smtp, ring, caplog):
    caplog.set_level(logging.DEBUG)
    inbox, port = smtp
    configure(company, port)
    d = approved_draft(company)
    failed, _ = company.outbound.send(d.id)
    assert failed.status == "failed" and "asks for a login" in failed.error
    configure(company, port, username="ana", password="wrong-password")
    failed, _ = company.outbound.send(d.id)
    assert "did not accept the login" in failed.error and "wrong-password" not in failed.error
    configure(company, port, username="ana", password=PASSWORD)
    assert ring.items[("bureau", "smtp:password")] == PASSWORD
    sent, result = company.outbound.send(d.id)
    assert result.ok and sent.status == "sent" and len(inbox.messages) == 1
    assert PASSWORD not in repr(sent) and PASSWORD not in str(sent.to_json())
    no_secret_anywhere(company, caplog)
