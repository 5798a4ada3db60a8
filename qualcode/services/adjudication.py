"""Disagreement review and adjudication: settling two coders' disagreements.

The disagreements themselves (presence, boundary, confusion) are found by the pure
``qualcode.domain.disagreements``. Settling one writes the decided codings into a
**consensus layer**: an ordinary coder (``consensus`` unless named), created on first
use, so its codings are listed, retrieved and exported like anyone's. A's and B's
codings are only read, never changed.

Decisions: ``keep_a`` / ``keep_b`` copy that coder's codings of the disagreement (for
a presence disagreement of the other coder that means no coding), ``both`` copies
both sides, ``neither`` adds nothing, ``adjust`` adds one coding of a chosen span and
code. Copying follows ``apply_code``: the current text version, no retired code, and
a coding the layer already has exactly is reused rather than duplicated.

The event log is the record of settlements: each settling is one transaction writing
its consensus codings and one ``adjudication.settle`` event by the adjudicator; the
newest such event for a key in a consensus layer is that disagreement's decision.
Settling again replaces it: the consensus codings the earlier settlement created are
removed (their snapshots kept in the event's ``before``) unless another settlement or
accepted agreements also stand on them; a coding put into the layer by hand stays.
Like a CSV import, a settlement is not part of anyone's undo history; settling again
is how a decision is changed.

Transcripts: those named, else those both coders coded (a transcript only one coder
opened would be all presence disagreements). Settling looks the key up in every
transcript either coder coded, so a key listed for a named transcript is found too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from qualcode.domain.disagreements import DEFAULT_MIN_IOU, Disagreement, find_disagreements
from qualcode.domain.errors import InvalidInput
from qualcode.domain.records import Code, Coding, Event
from qualcode.domain.word_bounds import cut_words, snap_to_words
from qualcode.services.coders import ensure_coder
from qualcode.services.layers import ACCEPT, SETTLE
from qualcode.services.placement import check_placement, insert_coding
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import codings as coding_repo
from qualcode.store.repositories import events
from qualcode.store.repositories import memos as memo_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.transcripts import CurrentVersion

DECISIONS = ("keep_a", "keep_b", "both", "neither", "adjust")
DEFAULT_CONSENSUS = "consensus"


@dataclass(frozen=True, slots=True)
class Settlement:
    """The decision in force for one disagreement in one consensus layer.

    ``coding_ids`` are the consensus codings that stand for the decision (none for
    ``neither``); ``replaced`` is the decision it replaced, if it was settled before.
    """

    key: str
    decision: str
    coding_ids: tuple[int, ...]
    adjudicator: str | None
    at: datetime
    event_id: int
    replaced: str | None


@dataclass(frozen=True, slots=True)
class DisagreementStatus:
    """A disagreement as the review shows it: where, the passage, and its settlement."""

    disagreement: Disagreement
    transcript: str
    passage: str  # the text of disagreement.start..end
    settlement: Settlement | None

    @property
    def settled(self) -> bool:
        return self.settlement is not None


@dataclass(frozen=True, slots=True)
class AcceptedAgreements:
    """What ``accept_agreements`` did: codings added to the layer, and those it had."""

    created: int
    present: int
    skipped_retired: int  # agreements on a retired code, which cannot be applied
    coding_ids: tuple[int, ...]


@dataclass
class _Layer:
    """A consensus layer's settlements and accepted agreements, from its events."""

    settlements: dict[str, Settlement] = field(default_factory=dict)
    agreement_ids: set[int] = field(default_factory=set)
    made: dict[int, str] = field(default_factory=dict)  # id -> uuid of codings adjudication created

    def relied_on(self, except_key: str) -> set[int]:
        """Consensus codings that other settlements or accepted agreements stand on."""
        ids = set(self.agreement_ids)
        for key, settlement in self.settlements.items():
            if key != except_key:
                ids.update(settlement.coding_ids)
        return ids


@dataclass
class _Loaded:
    """Both coders' codings of the chosen transcripts and those transcripts' texts."""

    versions: dict[int, CurrentVersion]
    codings: dict[str, dict[int, list[Coding]]]  # coder -> transcript id -> codings

    def disagreements(self, coder_a: str, coder_b: str, min_iou: float) -> list[Disagreement]:
        return [
            d
            for t, version in self.versions.items()
            for d in find_disagreements(
                t,
                len(version.text),
                self.codings[coder_a].get(t, []),
                self.codings[coder_b].get(t, []),
                min_iou=min_iou,
            )
        ]


def list_disagreements(
    project: Project,
    *,
    coder_a: str,
    coder_b: str,
    consensus: str = DEFAULT_CONSENSUS,
    transcripts: Sequence[str | int] = (),
    codes: Sequence[str] = (),
    min_iou: float = DEFAULT_MIN_IOU,
) -> list[DisagreementStatus]:
    """A's and B's disagreements in text order, each with its settlement, if any.

    ``codes`` keeps the disagreements involving one of the codes (a code brings its
    descendants); classification always looks at every code, since a confusion is
    judged by what else each coder applied there.
    """
    _check_coders(coder_a, coder_b, consensus)
    with project.database.read() as session:
        loaded = _load(session, coder_a, coder_b, transcripts, either=False)
        wanted = _code_keys(session, codes) if codes else None
        layer_coder = coder_repo.find_coder(session, consensus)
        layer = _load_layer(session, layer_coder.id) if layer_coder else _Layer()
    return [
        DisagreementStatus(
            disagreement=d,
            transcript=loaded.versions[d.transcript_id].title,
            passage=loaded.versions[d.transcript_id].text[d.start : d.end],
            settlement=layer.settlements.get(d.key),
        )
        for d in loaded.disagreements(coder_a, coder_b, min_iou)
        if wanted is None or wanted.intersection(d.codes)
    ]


def progress(
    project: Project,
    *,
    coder_a: str,
    coder_b: str,
    consensus: str = DEFAULT_CONSENSUS,
    transcripts: Sequence[str | int] = (),
    codes: Sequence[str] = (),
    min_iou: float = DEFAULT_MIN_IOU,
) -> tuple[int, int]:
    """(settled, total) over the disagreements ``list_disagreements`` would show."""
    found = list_disagreements(
        project,
        coder_a=coder_a,
        coder_b=coder_b,
        consensus=consensus,
        transcripts=transcripts,
        codes=codes,
        min_iou=min_iou,
    )
    return sum(d.settled for d in found), len(found)


def settle(
    project: Project,
    disagreement_key: str,
    decision: str,
    *,
    coder_a: str,
    coder_b: str,
    adjudicator: str,
    consensus: str = DEFAULT_CONSENSUS,
    span: tuple[int, int] | None = None,
    code: str | None = None,
    min_iou: float = DEFAULT_MIN_IOU,
    snap: bool = False,
) -> Settlement:
    """Settle one disagreement into the consensus layer, replacing an earlier decision.

    ``adjust`` needs ``span``; its ``code`` may be left out when the disagreement
    involves one code only. A span that starts or ends inside a word is refused,
    naming the word and the whole-word span, unless ``snap`` widens it to that span.
    ``min_iou`` must be the one the disagreement was listed with, since it decides
    what is a confusion.
    """
    _check_decision(decision, span, code)
    _check_coders(coder_a, coder_b, consensus)
    with project.database.write() as session:
        loaded = _load(session, coder_a, coder_b, (), either=True)
        target = next(
            (
                d
                for d in loaded.disagreements(coder_a, coder_b, min_iou)
                if d.key == disagreement_key
            ),
            None,
        )
        if target is None:
            raise InvalidInput(
                f"no disagreement {disagreement_key!r} between {coder_a} and {coder_b}; "
                "list the current ones with `qualcode disagreements`"
            )
        version = loaded.versions[target.transcript_id]
        if span is not None:
            span = _whole_words(version.text, span, snap)
        wanted = _decided_codings(target, decision, span, code, coder_a, coder_b)
        layer_coder = ensure_coder(session, consensus)
        judge = ensure_coder(session, adjudicator)
        layer = _load_layer(session, layer_coder.id)
        previous = layer.settlements.get(disagreement_key)
        removed = _release(session, layer, previous, layer_coder.id) if previous else []
        placer = _Placer(session, version, layer_coder.id)
        for code_key, start, end in wanted:
            placer.place(code_key, start, end)
        after: dict[str, Any] = {
            "key": disagreement_key,
            "kind": target.kind,
            "decision": decision,
            "coding_ids": placer.ids,
            "created": placer.created,
            "consensus": consensus,
            "consensus_coder_id": layer_coder.id,
            "coder_a": coder_a,
            "coder_b": coder_b,
            "codings_a": [c.uuid for c in target.codings_a],
            "codings_b": [c.uuid for c in target.codings_b],
        }
        before = (
            {"decision": previous.decision, "event_id": previous.event_id, "removed": removed}
            if previous
            else None
        )
        event_id = events.record_event(
            session,
            action=SETTLE,
            entity="disagreement",
            entity_id=None,
            coder_id=judge.id,
            before=before,
            after=after,
        )
        event = events.get_event(session, event_id)
        return Settlement(
            key=disagreement_key,
            decision=decision,
            coding_ids=tuple(placer.ids),
            adjudicator=event.coder,
            at=event.at,
            event_id=event_id,
            replaced=previous.decision if previous else None,
        )


def accept_agreements(
    project: Project,
    *,
    coder_a: str,
    coder_b: str,
    adjudicator: str,
    consensus: str = DEFAULT_CONSENSUS,
    transcripts: Sequence[str | int] = (),
) -> AcceptedAgreements:
    """Copy every coding A and B made identically (code, start, end) into the layer.

    Idempotent: a coding the layer already has is counted as present, not copied
    again. Agreements on retired codes are skipped and counted, as ``apply_code``
    refuses retired codes.
    """
    _check_coders(coder_a, coder_b, consensus)
    with project.database.write() as session:
        loaded = _load(session, coder_a, coder_b, transcripts, either=False)
        layer_coder = ensure_coder(session, consensus)
        judge = ensure_coder(session, adjudicator)
        skipped = present = 0
        ids: list[int] = []
        created: list[dict[str, Any]] = []
        for transcript_id, version in loaded.versions.items():
            placer = _Placer(session, version, layer_coder.id)
            theirs = {
                (c.code_key, c.start, c.end) for c in loaded.codings[coder_b].get(transcript_id, ())
            }
            for coding in loaded.codings[coder_a].get(transcript_id, ()):
                if (coding.code_key, coding.start, coding.end) not in theirs:
                    continue
                if placer.code(coding.code_key).retired:
                    skipped += 1
                    continue
                placer.place(coding.code_key, coding.start, coding.end)
            present += placer.reused
            ids.extend(placer.ids)
            created.extend(placer.created)
        events.record_event(
            session,
            action=ACCEPT,
            entity="coding",
            entity_id=None,
            coder_id=judge.id,
            after={
                "coding_ids": ids,
                "created": created,
                "consensus": consensus,
                "consensus_coder_id": layer_coder.id,
                "coder_a": coder_a,
                "coder_b": coder_b,
            },
        )
        return AcceptedAgreements(len(created), present, skipped, tuple(ids))


def _check_coders(coder_a: str, coder_b: str, consensus: str) -> None:
    if coder_a == coder_b:
        raise InvalidInput(f"coder A and coder B must be two different coders (both {coder_a!r})")
    if consensus in (coder_a, coder_b):
        raise InvalidInput(
            f"the consensus layer must be a coder of its own, not {consensus!r}: "
            "adjudication never changes A's or B's codings"
        )


def _whole_words(text: str, span: tuple[int, int], snap: bool) -> tuple[int, int]:
    start, end = span
    if not 0 <= start < end <= len(text):
        return span  # placing the coding reports offsets outside the text
    cut = cut_words(text, start, end)
    if not cut or snap:
        return snap_to_words(text, start, end)
    whole = snap_to_words(text, start, end)
    words = " and ".join(repr(word) for word in cut)
    raise InvalidInput(
        f"the span {start}..{end} cuts {words}; settle with --span {whole[0]}..{whole[1]} "
        "(whole words) or add --snap to widen it"
    )


def _check_decision(decision: str, span: tuple[int, int] | None, code: str | None) -> None:
    if decision not in DECISIONS:
        raise InvalidInput(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    if decision == "adjust" and span is None:
        raise InvalidInput("adjust needs the span to code, as start and end offsets")
    if decision != "adjust" and (span is not None or code is not None):
        raise InvalidInput(f"a span and a code are only for adjust, not for {decision}")


def _load(
    session: Session,
    coder_a: str,
    coder_b: str,
    transcripts: Sequence[str | int],
    *,
    either: bool,
) -> _Loaded:
    """Codings of the named transcripts, else of those both coders coded (or, with
    ``either``, those either coded)."""
    ids = {coder_repo.get_coder(session, name).id for name in (coder_a, coder_b)}
    named = {transcript_repo.resolve_transcript(session, t).id for t in transcripts}
    where = coding_repo.CodingFilter(transcript_ids=named or None, coder_ids=ids)
    codings: dict[str, dict[int, list[Coding]]] = {
        coder_a: defaultdict(list),
        coder_b: defaultdict(list),
    }
    for coding in coding_repo.list_codings(session, where):
        codings[coding.coder][coding.transcript_id].append(coding)
    scope = " in the chosen transcripts" if named else ""
    for name in (coder_a, coder_b):
        if not codings[name]:
            raise InvalidInput(f"coder {name!r} has no codings{scope}; there is nothing to compare")
    if named:
        chosen = sorted(named)
    else:
        a, b = set(codings[coder_a]), set(codings[coder_b])
        chosen = sorted(a | b if either else a & b)
        if not chosen:
            raise InvalidInput(
                f"no transcript has codings by both {coder_a} and {coder_b}; "
                "name the transcripts to compare"
            )
    return _Loaded({t: transcript_repo.current_version(session, t) for t in chosen}, codings)


def _code_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """The named codes and their descendants, by key."""
    key_of = {c.id: c.key for c in code_repo.list_codes(session)}
    ids: set[int] = set()
    for key in keys:
        ids |= code_repo.descendant_ids(session, code_repo.get_code(session, key).id)
    return {key_of[i] for i in ids}


def _decided_codings(
    target: Disagreement,
    decision: str,
    span: tuple[int, int] | None,
    code: str | None,
    coder_a: str,
    coder_b: str,
) -> list[tuple[str, int, int]]:
    """(code, start, end) of each consensus coding the decision stands for."""
    if decision == "adjust":
        assert span is not None  # _check_decision refused adjust without a span
        if code is None:
            if len(target.codes) != 1:
                a = ", ".join(c.code_key for c in target.codings_a)
                b = ", ".join(c.code_key for c in target.codings_b)
                raise InvalidInput(
                    f"adjust needs a code: {coder_a} coded {a} and {coder_b} coded {b} here"
                )
            code = target.codes[0]
        return [(code, span[0], span[1])]
    chosen = {
        "keep_a": target.codings_a,
        "keep_b": target.codings_b,
        "both": (*target.codings_a, *target.codings_b),
        "neither": (),
    }[decision]
    return [(c.code_key, c.start, c.end) for c in chosen]


class _Placer:
    """Puts codings into the consensus layer of one transcript, as ``apply_code`` would,
    reusing a coding the layer already has instead of duplicating it."""

    def __init__(self, session: Session, version: CurrentVersion, coder_id: int) -> None:
        self.session = session
        self.version = version
        self.coder_id = coder_id
        self.ids: list[int] = []
        self.created: list[dict[str, Any]] = []
        self.reused = 0
        self._codes: dict[str, Code] = {}

    def code(self, key: str) -> Code:
        if key not in self._codes:
            self._codes[key] = code_repo.get_code(self.session, key)
        return self._codes[key]

    def place(self, key: str, start: int, end: int) -> None:
        target = self.code(key)
        existing = check_placement(
            self.session,
            self.version,
            target,
            self.coder_id,
            start,
            end,
            retired_hint=" (settle with adjust to another code, or neither)",
        )
        if existing is not None:
            if existing not in self.ids:
                self.ids.append(existing)
                self.reused += 1
            return
        snapshot = insert_coding(self.session, self.version, target.id, self.coder_id, start, end)
        self.ids.append(snapshot["id"])
        self.created.append(snapshot)


def _layer_events(session: Session, consensus_id: int) -> list[Event]:
    """The adjudication events of one consensus layer, oldest first."""
    # filtered here rather than in SQL: JSON paths differ between SQLite and PostgreSQL
    return [
        event
        for event in events.events_with_actions(session, (SETTLE, ACCEPT))
        if event.after is not None and event.after.get("consensus_coder_id") == consensus_id
    ]


def _load_layer(session: Session, consensus_id: int) -> _Layer:
    layer = _Layer()
    for row in _layer_events(session, consensus_id):
        adjudicator = row.coder
        after = row.after
        assert after is not None  # _layer_events keeps only events with an after
        layer.made.update((made["id"], made["uuid"]) for made in after["created"])
        if row.action == ACCEPT:
            layer.agreement_ids.update(after["coding_ids"])
            continue
        layer.settlements[after["key"]] = Settlement(
            key=after["key"],
            decision=after["decision"],
            coding_ids=tuple(after["coding_ids"]),
            adjudicator=adjudicator,
            at=row.at,
            event_id=row.id,
            replaced=row.before["decision"] if row.before else None,
        )
    return layer


def _release(
    session: Session, layer: _Layer, previous: Settlement, consensus_id: int
) -> list[dict[str, Any]]:
    """Remove the consensus codings an earlier settlement stood on, as far as
    adjudication created them and nothing else stands on them; returns the removed
    codings' snapshots with their memos, as ``remove_coding`` logs them.

    A coding the adjudicator added to the layer by hand is never removed. A coding is
    only removed while it is still the very row adjudication created (same uuid, in
    the consensus layer): an id can be reused after a deletion, and whatever took it
    over must stay untouched, above all A's and B's codings.
    """
    keep = layer.relied_on(except_key=previous.key)
    removed = []
    for coding_id in previous.coding_ids:
        if coding_id in keep or coding_id not in layer.made:
            continue
        if not coding_repo.exists(session, coding_id):
            continue
        current = coding_repo.snapshot(session, coding_id)
        if current["uuid"] != layer.made[coding_id] or current["coder_id"] != consensus_id:
            continue
        memos = memo_repo.snapshots_for_coding(session, coding_id)
        coding_repo.delete_coding(session, coding_id)
        removed.append({"coding": current, "memos": memos})
    return removed
