"""The founder's company profile: a pydantic model kept as ``company.json`` in the data folder.

Product, pitch, audience, voice, prices and plans, policies, links, sender name and signature.
Teams get the parts their charter needs (``teams.profile_needs``) as ``ProfileFact``s.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents.grounding import ProfileFact
from app.core.errors import InvalidInput
from app.core.jsonfile import first_error, load_model_file, save_model_file

PROFILE_FILE = "company.json"
MAX_FIELD_CHARS = 4000


class PlanPrice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
    price: str = Field(min_length=1, max_length=80)  # as the founder writes it: "$29 a month"
    notes: str = Field(default="", max_length=400)

    def words(self) -> str:
        return f"{self.name}: {self.price}" + (f" ({self.notes})" if self.notes else "")


class Policies(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    refunds: str = Field(default="", max_length=MAX_FIELD_CHARS)
    data: str = Field(default="", max_length=MAX_FIELD_CHARS)
    support_hours: str = Field(default="", max_length=MAX_FIELD_CHARS)


class CompanyProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    product_name: str = Field(default="", max_length=120)
    pitch: str = Field(default="", max_length=600)
    audience: str = Field(default="", max_length=MAX_FIELD_CHARS)
    voice: str = Field(default="", max_length=MAX_FIELD_CHARS)
    plans: tuple[PlanPrice, ...] = ()
    policies: Policies = Policies()
    links: dict[str, str] = Field(default_factory=dict)  # label -> URL
    sender_name: str = Field(default="", max_length=120)
    signature: str = Field(default="", max_length=1000)

    @field_validator("links")
    @classmethod
    def _links(cls, value: dict[str, str]) -> dict[str, str]:
        for label, url in value.items():
            if not url.startswith(("https://", "http://", "mailto:")):
                raise ValueError(f"the link {label!r} must start with https://, http:// or mailto:")
        return value

    @property
    def empty(self) -> bool:
        return self == CompanyProfile()


FIELDS: dict[str, str] = {  # field -> the label a team sees
    "product_name": "Product", "pitch": "One-line pitch", "audience": "Audience", "voice": "Voice and tone",
    "plans": "Prices and plans", "policies.refunds": "Refund policy", "policies.data": "Data policy",
    "policies.support_hours": "Support hours", "links": "Links", "sender_name": "Sender name",
    "signature": "Signature",
}


def field_text(profile: CompanyProfile, name: str) -> str:
    """A field's value as one text ('' when unset)."""
    if name == "plans":
        return "; ".join(p.words() for p in profile.plans)
    if name == "links":
        return "; ".join(f"{k}: {v}" for k, v in profile.links.items())
    if name.startswith("policies."):
        return str(getattr(profile.policies, name.split(".", 1)[1]))
    return str(getattr(profile, name))


def facts(profile: CompanyProfile, fields: tuple[str, ...]) -> tuple[ProfileFact, ...]:
    """The set fields among ``fields``, as a team is given them."""
    out = []
    for name in fields:
        text = field_text(profile, name).strip()
        if text:
            out.append(ProfileFact(field=name, label=FIELDS[name], text=text))
    return tuple(out)


def with_field(profile: CompanyProfile, name: str, value: str) -> CompanyProfile:
    """A new, validated profile with ``name`` set from the founder's text.

    ``plans``: JSON (a list of {name, price, notes}) or "Starter: $9 a month; Pro: $29 a month".
    ``links``: JSON (an object) or "site=https://...; docs=https://..."; ``links.LABEL`` sets one link.
    An empty value clears the field.
    """
    data = profile.model_dump()
    value = value.strip()
    if name == "plans":
        data["plans"] = _json_or(value, _parse_plans)
    elif name == "links":
        data["links"] = _json_or(value, _parse_links)
    elif name.startswith("links."):
        label = name.split(".", 1)[1]
        if value:
            data["links"][label] = value
        else:
            data["links"].pop(label, None)
    elif name.startswith("policies.") and name in FIELDS:
        data["policies"][name.split(".", 1)[1]] = value
    elif name in FIELDS:
        data[name] = value
    else:
        raise InvalidInput(f"The company profile has no field {name!r}.",
                           fix="Fields: " + ", ".join([*FIELDS, "links.LABEL"]) + ".")
    try:
        return CompanyProfile.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(f"Cannot set {name}: {first_error(exc)}.", fix=_SET_FIX) from None


_SET_FIX = ('Example: bureau company set plans "Starter: $9 a month; Pro: $29 a month", or '
            'bureau company set links "site=https://example.com".')


def _json_or(value: str, parse: Any) -> Any:
    if value.startswith(("[", "{")):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"The value is not valid JSON: {exc.msg} at character {exc.pos}.", fix=_SET_FIX) from None
    return parse(value) if value else parse("")


def _parse_plans(value: str) -> list[dict[str, str]]:
    plans = []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        name, sep, price = part.partition(":")
        if not sep or not name.strip() or not price.strip():
            raise InvalidInput(f"The plan {part!r} has no price.", fix=_SET_FIX)
        plans.append({"name": name.strip(), "price": price.strip()})
    return plans


def _parse_links(value: str) -> dict[str, str]:
    links = {}
    for part in filter(None, (p.strip() for p in value.split(";"))):
        label, sep, url = part.partition("=")
        if not sep:
            raise InvalidInput(f"The link {part!r} has no label.", fix=_SET_FIX)
        links[label.strip()] = url.strip()
    return links


class ProfileStore:
    """The profile in effect for one data folder; saved atomically, swapped after the save."""

    def __init__(self, home: Path) -> None:
        self.path = home / PROFILE_FILE
        self._lock = threading.Lock()
        self._current: CompanyProfile | None = None
        self._mtime = -1.0

    def __call__(self) -> CompanyProfile:
        """The saved profile (re-read when another process changed the file)."""
        mtime = self.path.stat().st_mtime if self.path.exists() else 0.0
        if self._current is None or mtime != self._mtime:
            self._current = load_model_file(CompanyProfile, self.path, what="The company profile",
                                            fix="Fix it, or replace it with `bureau company edit --file FILE`.")
            self._mtime = mtime
        return self._current

    def replace(self, profile: CompanyProfile) -> CompanyProfile:
        with self._lock:
            save_model_file(profile, self.path)
            self._current = profile
            self._mtime = self.path.stat().st_mtime
        return profile

    def set(self, name: str, value: str) -> CompanyProfile:
        return self.replace(with_field(self(), name, value))

    def load_file(self, path: Path) -> CompanyProfile:
        """Replace the whole profile with a JSON file's (validated before anything is saved)."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"Cannot read {path}: {getattr(exc, 'strerror', None) or exc}.",
                               fix="Give a readable UTF-8 JSON file (see `bureau company show --json`).") from None
        try:
            profile = CompanyProfile.model_validate_json(text)
        except ValidationError as exc:
            raise InvalidInput(f"{path} is not a valid company profile: {first_error(exc)}.",
                               fix="Start from `bureau company show --json > company.json`.") from None
        return self.replace(profile)
