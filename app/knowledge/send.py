"""How an approved draft goes out: "copy / open in mail client" (mailto) by default, or SMTP.

The SMTP password lives in the OS keyring only (``app.core.secrets``); it never reaches a log,
the database or an error message (every reason is scrubbed of it before it is returned).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from app.core.jsonfile import load_model_file, save_model_file
from app.core.secrets import Secrets

CONFIG_FILE = "outbound.json"
SMTP_PASSWORD_KEY = "smtp:password"


class SmtpConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str = ""  # empty: no login
    sender: str = Field(min_length=3)  # the From address
    timeout: float = Field(default=20.0, gt=0, le=300)


class OutboundConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    channel: Literal["mailto", "smtp"] = "mailto"
    smtp: SmtpConfig | None = None

    @classmethod
    def load(cls, home: Path) -> OutboundConfig:
        return load_model_file(cls, home / CONFIG_FILE, what="The outbound settings",
                               fix="Fix or delete that file (sending then uses your mail client).")

    def save(self, home: Path) -> None:
        save_model_file(self, home / CONFIG_FILE)


@dataclass(frozen=True)
class SendResult:
    ok: bool
    via: str  # "mailto", "copy", "smtp:host:port"
    detail: str  # the mailto link, the server's answer, or why it failed


def mailto_link(recipients: tuple[str, ...], subject: str, body: str) -> str:
    return (f"mailto:{','.join(quote(r, safe='@') for r in recipients)}?subject={quote(subject)}"
            f"&body={quote(body)}")


def send_smtp(config: SmtpConfig, *, recipients: tuple[str, ...], subject: str, body: str, sender_name: str = "",
              secrets: Secrets | None = None) -> SendResult:
    """Send one message; never raises for a server's refusal, a timeout or a login problem."""
    via = f"smtp:{config.host}:{config.port}"
    password = None
    if config.username:
        password = (secrets or Secrets()).get(SMTP_PASSWORD_KEY)
        if not password:
            return SendResult(False, via, "no SMTP password is stored in the OS keyring "
                                          "(set it with `bureau outbound smtp ... --password-stdin`)")
    msg = EmailMessage()
    msg["From"] = formataddr((sender_name, config.sender)) if sender_name else config.sender
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg.set_content(body)
    try:
        if config.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            client.ehlo()
            if config.security == "starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if config.username:
                client.login(config.username, password or "")
            refused = client.send_message(msg)
        if refused:
            return SendResult(False, via, _scrub("the server refused " + ", ".join(refused), password))
        return SendResult(True, via, f"accepted by {config.host}")
    except smtplib.SMTPAuthenticationError as exc:
        return SendResult(False, via, _scrub(f"the server did not accept the login ({exc.smtp_code})", password))
    except smtplib.SMTPNotSupportedError:
        return SendResult(False, via, "the server does not offer what is configured (STARTTLS or login)")
    except smtplib.SMTPRecipientsRefused as exc:
        return SendResult(False, via, _scrub("the server refused the recipients "
                                             + ", ".join(f"{r} ({c})" for r, (c, _) in exc.recipients.items()),
                                             password))
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        if exc.smtp_code == 530 or "auth" in text.lower():
            return SendResult(False, via, _scrub(f"the server asks for a login ({exc.smtp_code}): {text[:200]}; "
                                                 "configure a username and password", password))
        return SendResult(False, via, _scrub(f"the server refused the message ({exc.smtp_code}): {text[:200]}",
                                             password))
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):
            return SendResult(False, via, f"the server did not answer within {config.timeout:g} s")
        return SendResult(False, via, _scrub(f"the server closed the connection: {exc}", password))
    except (socket.timeout, TimeoutError):
        return SendResult(False, via, f"the server did not answer within {config.timeout:g} s")
    except ConnectionRefusedError:
        return SendResult(False, via, f"nothing accepts connections at {config.host}:{config.port}")
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        return SendResult(False, via, _scrub(f"{type(exc).__name__}: {exc}", password))


def _scrub(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text
