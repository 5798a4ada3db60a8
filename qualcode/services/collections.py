"""Named quote collections for reports: chosen passages, ordered by theme, lightly edited.

An item links to its verbatim span (transcript, text version, offsets) and keeps the
words as they were when added; the report author's edited version is stored beside
them and every edit is an event, so the source of each quote can always be shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from qualcode.domain.errors import InvalidInput
from qualcode.domain.quote_edits import EditCheck, check_edit
from qualcode.domain.spans import validate_span
from qualcode.services.coders import ensure_coder
from qualcode.services.project import Project
from qualcode.services.retrieval import Retrieval
from qualcode.store.repositories import collections as collection_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.collections import CollectionInfo, Item
from qualcode.store.repositories.transcripts import CurrentVersion


@dataclass(frozen=True)
class CollectionView:
    info: CollectionInfo
    items: tuple[Item, ...]


def create_collection(project: Project, name: str, *, coder: str, title: str | None = None) -> None:
    name = name.strip()
    if not name:
        raise InvalidInput("a collection needs a name")
    with project.database.write() as session:
        collection_id = collection_repo.create(session, name, title)
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="collection.create",
            entity="collection",
            entity_id=collection_id,
            coder_id=who.id,
            after={"name": name, "title": title},
        )


def list_collections(project: Project) -> list[CollectionInfo]:
    with project.database.read() as session:
        return collection_repo.list_collections(session)


def show_collection(project: Project, name: str) -> CollectionView:
    with project.database.read() as session:
        collection_id = collection_repo.get_id(session, name)
        return CollectionView(
            collection_repo.info(session, collection_id),
            tuple(collection_repo.items(session, collection_id)),
        )


def add_span(
    project: Project,
    name: str,
    transcript: str | int,
    start: int,
    end: int,
    *,
    coder: str,
    theme: str = "",
) -> Item:
    """Add ``[start, end)`` of a transcript's current text as a quote."""
    with project.database.write() as session:
        collection_id = collection_repo.get_id(session, name)
        version = transcript_repo.resolve_current_version(session, transcript)
        validate_span(start, end, len(version.text), f"transcript {version.title!r}")
        who = ensure_coder(session, coder)
        item_id = _add_item(session, name, collection_id, version, start, end, theme, who.id)
        return collection_repo.get_item(session, collection_id, item_id)


def add_retrieval(
    project: Project, name: str, found: Retrieval, *, coder: str, theme: str | None = None
) -> int:
    """Add every passage of a retrieval; each goes under ``theme`` or its first code."""
    with project.database.write() as session:
        collection_id = collection_repo.get_id(session, name)
        who = ensure_coder(session, coder)
        for passage in found.passages:
            version = transcript_repo.current_version(session, passage.transcript_id)
            first_code = passage.codes[0][0] if passage.codes else ""
            _add_item(
                session,
                name,
                collection_id,
                version,
                passage.start,
                passage.end,
                first_code if theme is None else theme,
                who.id,
                query=found.query,
            )
        return len(found.passages)


def _add_item(
    session: Session,
    name: str,
    collection_id: int,
    version: CurrentVersion,
    start: int,
    end: int,
    theme: str,
    coder_id: int,
    query: str | None = None,
) -> int:
    """Store one quote with the words it has now, and log it."""
    item_id = collection_repo.add_item(
        session,
        collection_id,
        theme=theme,
        transcript_id=version.transcript_id,
        version_id=version.version_id,
        start=start,
        end=end,
        verbatim_text=version.text[start:end],
    )
    events.record_event(
        session,
        action="collection.add",
        entity="collection_item",
        entity_id=item_id,
        coder_id=coder_id,
        after={
            "collection": name,
            "transcript_id": version.transcript_id,
            "start": start,
            "end": end,
            "theme": theme,
            "query": query,
        },
    )
    return item_id


def edit_quote(
    project: Project, name: str, item_id: int, text: str | None, *, coder: str
) -> EditCheck | None:
    """Set the edited wording of a quote (``None`` goes back to the verbatim words).

    Returns the check of the edit against the verbatim words; the edit is kept even
    when it strays, so the author decides, but the result says where.
    """
    if text is not None and not text.strip():
        raise InvalidInput("an edited quote cannot be empty; remove the item instead")
    with project.database.write() as session:
        collection_id = collection_repo.get_id(session, name)
        item = collection_repo.get_item(session, collection_id, item_id)
        collection_repo.update_item(session, item_id, edited_text=text)
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="collection.edit",
            entity="collection_item",
            entity_id=item_id,
            coder_id=who.id,
            before={"edited_text": item.edited_text},
            after={"edited_text": text, "verbatim_text": item.verbatim_text},
        )
    return check_edit(item.verbatim_text, text) if text is not None else None


def move_item(
    project: Project,
    name: str,
    item_id: int,
    *,
    coder: str,
    position: int | None = None,
    theme: str | None = None,
) -> None:
    """Move an item to ``position`` (1 = first) and/or into another theme."""
    with project.database.write() as session:
        collection_id = collection_repo.get_id(session, name)
        item = collection_repo.get_item(session, collection_id, item_id)
        if theme is not None:
            collection_repo.update_item(session, item_id, theme=theme)
        if position is not None:
            ordered = [
                i.id for i in collection_repo.items(session, collection_id) if i.id != item_id
            ]
            if not 1 <= position <= len(ordered) + 1:
                raise InvalidInput(f"position must be between 1 and {len(ordered) + 1}")
            ordered.insert(position - 1, item_id)
            collection_repo.renumber(session, collection_id, ordered)
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="collection.move",
            entity="collection_item",
            entity_id=item_id,
            coder_id=who.id,
            before={"position": item.position, "theme": item.theme},
            after={"position": position, "theme": theme},
        )


def remove_item(project: Project, name: str, item_id: int, *, coder: str) -> None:
    with project.database.write() as session:
        collection_id = collection_repo.get_id(session, name)
        item = collection_repo.get_item(session, collection_id, item_id)
        collection_repo.delete_item(session, item_id)
        who = ensure_coder(session, coder)
        events.record_event(
            session,
            action="collection.remove",
            entity="collection_item",
            entity_id=item_id,
            coder_id=who.id,
            before={
                "collection": name,
                "transcript_id": item.transcript_id,
                "start": item.start,
                "end": item.end,
                "edited_text": item.edited_text,
                "theme": item.theme,
            },
        )
