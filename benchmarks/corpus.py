"""A seeded synthetic corpus: a realistic qualcode project to benchmark against.

``build_corpus`` creates a SQLite project holding

* a codebook of ``codes`` codes in eight groups (eight group codes, the rest spread
  over them as leaf codes), applied through ``services.codebook.apply_codebook``;
* ``coders`` coders, created through ``services.coders.ensure_coder``;
* ``transcripts`` interviews of ``words`` pseudo-Swedish words each, alternating
  ``I:`` and ``IP:`` turns, with their text version, speakers, turns, segments and
  ``transcript.import`` event (no sentence units: those need spaCy);
* ``codings`` codings of random whole-word spans (3 to 60 words), each on a random
  leaf code by a random coder, with its quote, quote hash and ``coding.apply`` event.

Transcripts and codings are bulk-inserted through the ORM tables in one transaction:
the rows are the ones importing and applying would store, minus hours of one-by-one
commits. The text is canonical (checked against ``domain.text.normalise``) and turns
and segments come from the same ``domain.turns`` functions the importer uses.

Everything follows from ``seed``: the same seed gives the same texts, spans, codes,
coders, and the same uuids and timestamps on the bulk rows. Only rows made by the
services (project, codes, coders and their events) get fresh uuids and times.

CLI: ``python -m benchmarks.corpus DIR --transcripts 100 --words 10000 --codings 50000
--coders 2``.
"""

from __future__ import annotations

import argparse
import random
import re
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from qualcode.codebook import Codebook, CodeSpec
from qualcode.domain.text import normalise, sha256_text
from qualcode.domain.turns import find_turns, infer_role, segments
from qualcode.services.codebook import apply_codebook
from qualcode.services.coders import ensure_coder
from qualcode.services.project import init_project
from qualcode.store.schema import (
    Base,
    CodeRow,
    CodingRow,
    EventRow,
    SegmentRow,
    SpeakerRow,
    TextVersionRow,
    TranscriptRow,
    TurnRow,
)

GROUPS = 8
INTERVIEWER, PARTICIPANT = "I", "IP"
INTERVIEWER_WORDS = (5, 30)
PARTICIPANT_WORDS = (20, 150)
SENTENCE_WORDS = (4, 18)
CODING_WORDS = (3, 60)
VOCABULARY_SIZE = 4000
# naive UTC, as a DateTime column reads back from SQLite and so as the services'
# coding snapshots record it
BASE_TIME = datetime(2026, 1, 1, 9, 0)
WORD = re.compile(r"\w+")

ONSETS = ("", "b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
          "bl", "br", "dr", "fl", "fr", "gr", "kl", "kr", "sk", "sl", "sm", "sn", "sp",
          "st", "sv", "tr", "sj", "tj")  # fmt: skip
VOWELS = ("a", "e", "i", "o", "u", "y", "å", "ä", "ö")
CODAS = ("", "", "n", "r", "l", "t", "k", "s", "m", "ng", "nd", "rt", "st", "ll", "tt", "ck")

# bulk rows are inserted in this order so every foreign key points at a stored row
INSERT_ORDER = (TranscriptRow, TextVersionRow, SpeakerRow, TurnRow, SegmentRow, CodingRow, EventRow)


@dataclass(frozen=True)
class Corpus:
    """What ``build_corpus`` made, for runners to pick their targets from."""

    directory: Path
    seed: int
    transcripts: int
    words: int
    codings: int
    coders: tuple[str, ...]
    group_keys: tuple[str, ...]
    leaf_keys: tuple[str, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class GeneratedText:
    """A transcript's canonical text and the ``[start, end)`` of each of its words."""

    text: str
    word_spans: list[tuple[int, int]]


def build_corpus(
    project_dir: str | Path,
    *,
    transcripts: int = 100,
    words: int = 10_000,
    codings: int = 50_000,
    coders: int = 2,
    codes: int = 40,
    seed: int = 0,
) -> Corpus:
    """Create the project in ``project_dir`` (which must not hold one yet)."""
    _check_sizes(transcripts=transcripts, words=words, codings=codings, coders=coders, codes=codes)
    began = time.perf_counter()
    rng = random.Random(seed)
    codebook = make_codebook(codes)
    coder_names = tuple(f"kodare{n}" for n in range(1, coders + 1))
    texts = make_texts(rng, transcripts, words)
    leaf_keys = tuple(spec.key for spec in codebook.codes if spec.parent_key)
    with init_project(
        project_dir, language="sv", name=f"benchmark corpus (seed {seed})"
    ) as project:
        apply_codebook(project, codebook, coder=coder_names[0])
        with project.database.write() as session:
            coder_ids = [ensure_coder(session, name).id for name in coder_names]
            leaf_ids = [_code_id(session, key) for key in leaf_keys]
            rows = _Rows(session, rng)
            versions = [rows.add_transcript(number, text) for number, text in enumerate(texts, 1)]
            for pick in _pick_codings(rng, texts, leaf_ids, coder_ids, codings):
                rows.add_coding(versions, texts, *pick)
            rows.insert_all()
    return Corpus(
        directory=Path(project_dir),
        seed=seed,
        transcripts=transcripts,
        words=words,
        codings=codings,
        coders=coder_names,
        group_keys=tuple(spec.key for spec in codebook.codes if not spec.parent_key),
        leaf_keys=leaf_keys,
        seconds=time.perf_counter() - began,
    )


def _check_sizes(*, transcripts: int, words: int, codings: int, coders: int, codes: int) -> None:
    if min(transcripts, words, coders) < 1 or codings < 0:
        raise ValueError("transcripts, words and coders must be at least 1, codings at least 0")
    if codes <= GROUPS:
        raise ValueError(f"codes must be more than the {GROUPS} groups (got {codes})")


def make_codebook(codes: int) -> Codebook:
    """``codes`` codes: groups ``g1``..``g8`` and leaves ``g<group>.<n>`` dealt round-robin."""
    children: dict[int, list[CodeSpec]] = defaultdict(list)
    for index in range(codes - GROUPS):
        group = index % GROUPS + 1
        key = f"g{group}.{len(children[group]) + 1}"
        children[group].append(_spec(key, f"g{group}", f"Kod {key[1:]}"))
    specs: list[CodeSpec] = []
    for group in range(1, GROUPS + 1):
        specs.append(_spec(f"g{group}", None, f"Tema {group}"))
        specs.extend(children[group])
    return Codebook("Benchmark codebook", 1, "sv", tuple(specs))


def _spec(key: str, parent_key: str | None, name: str) -> CodeSpec:
    return CodeSpec(
        key=key,
        parent_key=parent_key,
        name=name,
        labels={"sv": name},
        definition=f"Syntetisk kod {key} för prestandamätning.",
    )


def make_vocabulary(rng: random.Random, size: int = VOCABULARY_SIZE) -> list[str]:
    """``size`` distinct pseudo-Swedish words of one to three syllables, shortest first
    (the most frequent words of a language tend to be its shortest)."""
    words: dict[str, None] = {}
    while len(words) < size:
        syllables = rng.choice((1, 2, 2, 3))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        if len(word) > 1:
            words[word] = None
    return sorted(words, key=len)


def make_texts(rng: random.Random, count: int, words: int) -> list[GeneratedText]:
    """``count`` interviews of ``words`` words drawn Zipf-like from one vocabulary."""
    vocabulary = make_vocabulary(rng)
    cumulative = list(accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    return [_make_text(rng, vocabulary, cumulative, words) for _ in range(count)]


def _make_text(
    rng: random.Random, vocabulary: list[str], cumulative: list[float], words: int
) -> GeneratedText:
    turns: list[str] = []
    remaining = words
    while remaining > 0:
        interviewer = len(turns) % 2 == 0
        size = min(
            remaining, rng.randint(*(INTERVIEWER_WORDS if interviewer else PARTICIPANT_WORDS))
        )
        spoken = rng.choices(vocabulary, cum_weights=cumulative, k=size)
        turns.append(f"{INTERVIEWER if interviewer else PARTICIPANT}: {_sentences(rng, spoken)}")
        remaining -= size
    text = "\n\n".join(turns) + "\n"
    if normalise(text) != text:
        raise AssertionError("generated text is not canonical")
    return GeneratedText(text, [m.span() for m in WORD.finditer(text)])


def _sentences(rng: random.Random, words: list[str]) -> str:
    sentences = []
    for first, last in _cuts(rng, len(words)):
        sentence = words[first:last]
        mark = "?" if rng.random() < 0.1 else "."
        sentences.append(" ".join([sentence[0].capitalize(), *sentence[1:]]) + mark)
    return " ".join(sentences)


def _cuts(rng: random.Random, length: int) -> list[tuple[int, int]]:
    cuts, start = [], 0
    while start < length:
        end = min(length, start + rng.randint(*SENTENCE_WORDS))
        cuts.append((start, end))
        start = end
    return cuts


def _pick_codings(
    rng: random.Random,
    texts: Sequence[GeneratedText],
    code_ids: Sequence[int],
    coder_ids: Sequence[int],
    count: int,
) -> list[tuple[int, int, int, int, int]]:
    """``count`` distinct ``(text index, code id, coder id, start, end)`` of whole words."""
    picked: dict[tuple[int, int, int, int, int], None] = {}
    while len(picked) < count:
        index = rng.randrange(len(texts))
        spans = texts[index].word_spans
        first = rng.randrange(len(spans))
        last = min(len(spans), first + rng.randint(*CODING_WORDS)) - 1
        pick = (index, rng.choice(code_ids), rng.choice(coder_ids), spans[first][0], spans[last][1])
        picked[pick] = None
    return list(picked)


def _code_id(session: Session, key: str) -> int:
    return session.scalars(select(CodeRow.id).where(CodeRow.key == key)).one()


class _Rows:
    """Bulk rows with explicit keys (so rows can point at each other before insert),
    seeded uuids and timestamps."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        self.session = session
        self.rng = rng
        self.rows: dict[type[Base], list[dict[str, Any]]] = defaultdict(list)
        self.next_ids: dict[type[Base], int] = {}

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _add(self, table: type[Base], **values: Any) -> int:
        """Queue a row (with a seeded uuid unless ``values`` has one); returns its id."""
        if table not in self.next_ids:
            largest = self.session.scalar(select(func.max(table.__table__.c.id)))
            self.next_ids[table] = (largest or 0) + 1
        row_id = self.next_ids[table]
        self.next_ids[table] += 1
        self.rows[table].append({"id": row_id, "uuid": self._uuid(), **values})
        return row_id

    def add_transcript(self, number: int, generated: GeneratedText) -> tuple[int, int]:
        """Rows for one imported transcript; returns ``(transcript_id, version_id)``."""
        text, at = generated.text, BASE_TIME + timedelta(minutes=number)
        title, source = f"Intervju {number:03d}", f"intervju_{number:03d}.txt"
        sha = sha256_text(text)
        transcript_id = self._add(
            TranscriptRow,
            title=title,
            mode="interview",
            language="sv",
            date=f"2025-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
            participants=2,
            source_name=source,
            source_sha256=sha,
            version=1,
            case_id=None,
            created_at=at,
        )
        version_id = self._add(
            TextVersionRow,
            transcript_id=transcript_id,
            version=1,
            text=text,
            sha256=sha,
            length=len(text),
            word_count=len(text.split()),
            encoding="utf-8",
            transformations={},
            created_at=at,
        )
        self._add_structure(transcript_id, version_id, text)
        self._add(
            EventRow,
            at=at,
            coder_id=None,
            kind="do",
            action="transcript.import",
            entity="transcript",
            entity_id=transcript_id,
            before=None,
            target_event_id=None,
            after={
                "title": title,
                "source_name": source,
                "source_sha256": sha,
                "length": len(text),
                "encoding": "utf-8",
            },
        )
        return transcript_id, version_id

    def _add_structure(self, transcript_id: int, version_id: int, text: str) -> None:
        turns = find_turns(text)
        speaker_ids = {
            label: self._add(
                SpeakerRow,
                transcript_id=transcript_id,
                label=label,
                role=infer_role(label),
                pseudonym=None,
            )
            for label in dict.fromkeys(t.speaker_label for t in turns if t.speaker_label)
        }
        turn_ids = [
            self._add(
                TurnRow,
                version_id=version_id,
                speaker_id=speaker_ids[turn.speaker_label] if turn.speaker_label else None,
                ordinal=ordinal,
                start=turn.start,
                end=turn.end,
                timestamp_ms=turn.timestamp_ms,
                verbatim=turn.verbatim,
            )
            for ordinal, turn in enumerate(turns)
        ]
        for ordinal, (start, end, turn_index) in enumerate(segments(text, turns)):
            turn_id = turn_ids[turn_index] if turn_index is not None else None
            self._add(
                SegmentRow,
                version_id=version_id,
                turn_id=turn_id,
                ordinal=ordinal,
                start=start,
                end=end,
            )

    def add_coding(
        self,
        versions: Sequence[tuple[int, int]],
        texts: Sequence[GeneratedText],
        index: int,
        code_id: int,
        coder_id: int,
        start: int,
        end: int,
    ) -> None:
        """A coding row and its ``coding.apply`` event, as ``apply_code`` stores them."""
        transcript_id, version_id = versions[index]
        quote = texts[index].text[start:end]
        created = BASE_TIME + timedelta(days=1, seconds=len(self.rows[CodingRow]))
        values = dict(
            transcript_id=transcript_id,
            version_id=version_id,
            code_id=code_id,
            coder_id=coder_id,
            start=start,
            end=end,
            quote=quote,
            quote_sha256=sha256_text(quote),
            needs_review=False,
        )
        uid = self._uuid()
        coding_id = self._add(CodingRow, uuid=uid, created_at=created, **values)
        snapshot = {"id": coding_id, "uuid": uid, **values, "created_at": created.isoformat()}
        self._add(
            EventRow,
            at=created,
            coder_id=coder_id,
            kind="do",
            action="coding.apply",
            entity="coding",
            entity_id=coding_id,
            before=None,
            after=snapshot,
            target_event_id=None,
        )

    def insert_all(self) -> None:
        for table in INSERT_ORDER:
            if self.rows[table]:
                self.session.execute(insert(table), self.rows[table])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus", description=__doc__.split("\n")[0]
    )
    parser.add_argument("directory", type=Path, help="project folder to create")
    parser.add_argument("--transcripts", type=int, default=100)
    parser.add_argument("--words", type=int, default=10_000, help="spoken words per transcript")
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--coders", type=int, default=2)
    parser.add_argument("--codes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    corpus = build_corpus(
        args.directory,
        transcripts=args.transcripts,
        words=args.words,
        codings=args.codings,
        coders=args.coders,
        codes=args.codes,
        seed=args.seed,
    )
    print(
        f"built {corpus.directory}: {corpus.transcripts} transcripts x {corpus.words} words, "
        f"{corpus.codings} codings by {len(corpus.coders)} coders on "
        f"{len(corpus.group_keys) + len(corpus.leaf_keys)} codes (seed {corpus.seed}) "
        f"in {corpus.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
