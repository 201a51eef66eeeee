"""Prompts live in files under resources/prompts and are rendered strictly."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")


class PromptError(Exception):
    """A prompt file is missing or was rendered with the wrong values."""


@lru_cache(maxsize=64)
def load_prompt(name: str) -> str:
    """The text of ``resources/prompts/<name>`` (e.g. ``teams/content.md``)."""
    node = resources.files("resources").joinpath("prompts", *name.split("/"))
    try:
        return node.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PromptError(f"The prompt file resources/prompts/{name} is missing.") from exc


def render(name: str, **values: str) -> str:
    """Fill ``{{ name }}`` placeholders; a missing or unused value is an error."""
    template = load_prompt(name)
    wanted = set(_PLACEHOLDER.findall(template))
    missing = wanted - values.keys()
    extra = values.keys() - wanted
    if missing or extra:
        raise PromptError(
            f"Prompt {name}: missing values {sorted(missing)}, unexpected values {sorted(extra)}."
        )
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template).strip()
