"""A team agent does one step of work: the team's prompt, the task, the context, the notes."""

from __future__ import annotations

from dataclasses import dataclass

from agents.backends.base import CancelCheck, ChatMessage, ChatOptions, ChatResult, ModelBackend, TokenCallback
from agents.grounding import Grounding, grounding_block
from agents.prompts import render
from teams.base import Role, TeamSpec

MAX_TASK_CHARS_IN_PROMPT = 6000
MAX_CONTEXT_CHARS = 3000
MAX_ATTACHMENT_CHARS_IN_PROMPT = 6000  # all attached files together; each gets an equal share


@dataclass(frozen=True)
class AttachedFile:
    """A text file the founder attached to the task."""

    name: str
    content: str


@dataclass(frozen=True)
class PriorWork:
    """Output of a step this one depends on (directly or through other steps), and its files."""

    team: str
    output: str
    key: str = ""
    task: str = ""  # what that step was asked to do
    files: tuple[str, ...] = ()  # its artifacts, relative to the data folder

    def receipt(self) -> dict[str, object]:
        """What a step received from this one, as the journal records it."""
        return {"key": self.key, "team": self.team, "chars": len(self.output), "files": list(self.files)}


@dataclass(frozen=True, kw_only=True)
class StepRequest:
    team: TeamSpec
    role: Role
    task_text: str
    whole_task: str | None = None  # the founder's whole task when this step is one part of it
    prior: tuple[PriorWork, ...] = ()
    notes: str | None = None  # review or founder notes for a rework round
    previous_output: str | None = None  # the output being reworked
    attachments: tuple[AttachedFile, ...] = ()
    grounding: Grounding | None = None  # the founder's profile facts and knowledge-base sections


def build_messages(request: StepRequest) -> list[ChatMessage]:
    if request.team.custom:
        system = render(request.role.prompt, role=request.role.name, team=request.team.name,
                        charter=request.team.owns)
    else:
        system = render(request.role.prompt, role=request.role.name)
    context = ""
    if request.whole_task:
        context += f"\nThis is your part of a larger task: {_clip(request.whole_task, MAX_CONTEXT_CHARS)}\n"
    for prior in request.prior:
        asked = f" (asked: {_clip(prior.task, 200)})" if prior.task else ""
        context += f"\nWork already done by the {prior.team} team{asked}:\n{_clip(prior.output, MAX_CONTEXT_CHARS)}\n"
        if prior.files:
            context += f"Its files: {', '.join(prior.files)}\n"
    notes = ""
    if request.notes:
        if request.previous_output:
            notes += f"\nYour previous attempt:\n{_clip(request.previous_output, MAX_CONTEXT_CHARS)}\n"
        notes += f"\nRework it. The reviewer's notes: {request.notes}\n"
    user = render("step.md", task=_clip(request.task_text, MAX_TASK_CHARS_IN_PROMPT),
                  attachments=attachments_block(request.attachments), context=context, notes=notes,
                  grounding=grounding_block(request.grounding))
    return [ChatMessage("system", system), ChatMessage("user", user)]


def run_step(
    backend: ModelBackend,
    request: StepRequest,
    options: ChatOptions,
    *,
    on_token: TokenCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> ChatResult:
    """One model call for one step; ``BackendError`` propagates to the engine's retry logic."""
    return backend.chat(build_messages(request), options, on_token=on_token, cancelled=cancelled)


def attachments_block(files: tuple[AttachedFile, ...]) -> str:
    """The attached files, each under its name, clipped to an equal share of the attachment budget."""
    if not files:
        return ""
    share = max(500, MAX_ATTACHMENT_CHARS_IN_PROMPT // len(files))
    parts = [f"\nFile {f.name} (attached by the founder):\n{_clip(f.content, share)}\n" for f in files]
    return "".join(parts)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[... {len(text) - limit} more characters not shown]"
