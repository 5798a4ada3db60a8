"""Attributes of transcripts and cases: county, response status, counts, mode…

An attribute is a typed variable (text, number, date or boolean) that belongs to
transcripts or to cases (e.g. a municipality with several transcripts). It is
created the first time it is set, its type inferred from the value unless given.
A value that was never set is missing, which is not the same as zero.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from qualcode.domain.dates import check_date
from qualcode.domain.errors import InvalidInput
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.store.repositories import attributes as attribute_repo
from qualcode.store.repositories import cases as case_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.attributes import AttributeValue

VALUE_TYPES = ("text", "number", "date", "boolean")
_NAME = re.compile(r"^[\w][\w .-]{0,99}$")


def set_attribute(
    project: Project,
    name: str,
    value: str | None,
    *,
    coder: str,
    transcript: str | int | None = None,
    case: str | None = None,
    value_type: str | None = None,
) -> None:
    """Set (or with ``value=None`` remove) one attribute value of a transcript or case."""
    if (transcript is None) == (case is None):
        raise InvalidInput("an attribute belongs to a transcript or to a case: give one of them")
    if not _NAME.match(name):
        raise InvalidInput(
            f"attribute name {name!r} must be 1–100 letters, digits, spaces, '.', '-'"
        )
    if value_type is not None and value_type not in VALUE_TYPES:
        raise InvalidInput(f"unknown type {value_type!r}; choose one of {', '.join(VALUE_TYPES)}")
    scope = "transcript" if transcript is not None else "case"
    with project.database.write() as session:
        definition = attribute_repo.find_attribute(session, name)
        if definition is None:
            if value is None:
                raise InvalidInput(f"no attribute named {name!r}")
            definition = attribute_repo.add_attribute(
                session, name, value_type or _infer_type(value), scope
            )
        elif definition.scope != scope:
            raise InvalidInput(_scope_advice(session, name, definition.scope, transcript, case))
        elif value_type is not None and value_type != definition.value_type:
            raise InvalidInput(f"attribute {name!r} holds {definition.value_type} values")
        if transcript is not None:
            owner_id = transcript_repo.resolve_transcript(session, transcript).id
        else:
            assert case is not None
            owner_id = attribute_repo.case_id(session, case, create=True)  # type: ignore[assignment]
        text, number = _typed(name, definition.value_type, value)
        attribute_repo.set_value(session, definition, owner_id=owner_id, text=text, number=number)
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="attribute.set",
            entity="attribute",
            entity_id=definition.id,
            coder_id=who.id,
            after={"owner": str(transcript or case), "scope": scope, "name": name, "value": value},
        )


def set_case(project: Project, transcript: str | int, case: str | None, *, coder: str) -> None:
    """Make ``case`` (created on first use) the transcript's only case, or take it out
    of every case with None. ``cases link`` adds a case without removing others."""
    with project.database.write() as session:
        found = transcript_repo.resolve_transcript(session, transcript)
        case_id = attribute_repo.case_id(session, case, create=True) if case else None
        case_repo.unlink_transcript(session, found.id, None)
        if case_id is not None:
            case_repo.link_transcript(session, found.id, case_id)
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="transcript.case",
            entity="transcript",
            entity_id=found.id,
            coder_id=who.id,
            before={"cases": list(found.cases)},
            after={"cases": [case] if case else []},
        )


def list_values(project: Project) -> list[AttributeValue]:
    with project.database.read() as session:
        return attribute_repo.list_values(session)


def _scope_advice(
    session: Session, name: str, scope: str, transcript: str | int | None, case: str | None
) -> str:
    """Why ``name`` cannot be set where it was, and the command that does it."""
    if scope == "transcript":
        return (
            f"attribute {name!r} belongs to transcripts, not cases; set it with "
            f"--transcript TRANSCRIPT (e.g. qualcode attr set {name} VALUE -t TITLE)"
        )
    assert transcript is not None
    found = transcript_repo.resolve_transcript(session, transcript)
    if not found.cases:
        return (
            f"attribute {name!r} belongs to cases and transcript {found.title!r} has no "
            f"case; link it first (qualcode cases link {found.title!r} CASE), then set "
            f"it on the case (qualcode attr set {name} VALUE --case CASE)"
        )
    return (
        f"attribute {name!r} belongs to cases; set it on the transcript's case instead: "
        + "; ".join(f"qualcode attr set {name} VALUE --case {c!r}" for c in found.cases)
    )


def _infer_type(value: str) -> str:
    if re.fullmatch(r"-?\d+(?:[.,]\d+)?", value.strip()):
        return "number"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return "date"
    if value.strip().lower() in ("true", "false", "ja", "nej", "yes", "no"):
        return "boolean"
    return "text"


def _typed(name: str, value_type: str, value: str | None) -> tuple[str | None, float | None]:
    if value is None:
        return None, None
    value = value.strip()
    if value_type == "number":
        try:
            return None, float(value.replace(",", "."))
        except ValueError:
            raise InvalidInput(f"{name} takes numbers; {value!r} is not one") from None
    if value_type == "date":
        return check_date(value, name), None
    if value_type == "boolean":
        lowered = value.lower()
        if lowered in ("true", "ja", "yes"):
            return "true", None
        if lowered in ("false", "nej", "no"):
            return "false", None
        raise InvalidInput(f"{name} takes true or false; {value!r} is neither")
    return value, None
