"""Intercoder agreement for a project: per code and pooled, with the counts behind it.

Which coders, transcripts and codes take part (see docs/decisions.md, "Agreement"):
- coders: those named, else every coder with codings in the chosen transcripts;
- transcripts: those named, else those every chosen coder has coded — a transcript
  one coder never opened would count as total disagreement;
- codes: those named (a group key brings its descendants), else every code the chosen
  coders used there.
The statistics themselves are pure functions in ``qualcode.domain.agreement``.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qualcode.domain import agreement as stats
from qualcode.domain.agreement.report import AgreementReport, CodeAgreement, GroupAgreement
from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.records import Code
from qualcode.export import registry
from qualcode.services.files import write_atomically
from qualcode.services.layers import consensus_layers
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.agreement import AgreementRows, load_agreement_rows

UNITS = ("char", "sentence", "turn")
Coding = tuple[int, str, str, int, int]  # transcript id, code key, coder, start, end


def agreement(
    project: Project,
    *,
    coders: Sequence[str] = (),
    codes: Sequence[str] = (),
    transcripts: Sequence[str | int] = (),
    unit: str = "sentence",
    min_overlap: float = 0.9,
    min_share: float = 0.0,
    bootstrap_draws: int = 1000,
) -> AgreementReport:
    if unit not in UNITS:
        raise InvalidInput(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if not 0 < min_overlap <= 1:
        raise InvalidInput(f"--min-overlap must be above 0 and at most 1 (got {min_overlap})")
    with project.database.read() as session:
        all_codes = code_repo.list_codes(session)
        transcript_ids = (
            [transcript_repo.resolve_transcript(session, t).id for t in transcripts]
            if transcripts
            else None
        )
        coder_ids = {coder_repo.get_coder(session, name).id for name in coders} if coders else None
        rows = load_agreement_rows(
            session,
            coder_ids=coder_ids,
            transcript_ids=transcript_ids,
            # only lengths, units and codings are compared: no texts
            units=None if unit == "char" else "sentence" if unit == "sentence" else "turn",
        )
    by_transcript: dict[int, list[Coding]] = defaultdict(list)
    for coding in rows.codings:
        by_transcript[coding[0]].append(coding)
    texts = [_Text(t.id, t.title, t.length, by_transcript.get(t.id, [])) for t in rows.transcripts]
    chosen_coders = _coders(texts, coders, exclude=set() if coders else consensus_layers(project))
    if not transcripts:
        texts = [d for d in texts if {c[2] for c in d.codings} >= set(chosen_coders)]
        if not texts:
            raise InvalidInput(
                f"no transcript has codings by all of {', '.join(chosen_coders)}; "
                "name the transcripts with --transcripts"
            )
    chosen_codes = _codes(all_codes, texts, chosen_coders, codes)
    table = _span_table(texts, chosen_codes, chosen_coders)
    two = len(chosen_coders) == 2
    characters = stats.character_counts_per_code(table) if two else None
    segments = stats.match_segments_per_code(table, min_iou=min_overlap) if two else None
    unitized = stats.unitized_alpha_per_code(table, chosen_coders)
    # each code's presence per unit, counted once for its own α and the pooled one
    counted: list[stats.CountedKinds] = []
    units = None if unit == "char" else _unit_arrays(table, rows)
    marks = None
    if units is not None:
        counted = stats.presence_kinds_per_code(table, units, min_share=min_share)
        if len(chosen_coders) >= 3:
            # Fleiss' κ carries every unit's counts: how many coders marked each unit
            marks = stats.presence_marks_per_code(table, units, min_share=min_share)
    names = {c.key: c.name for c in all_codes}
    codings = np.bincount(
        table.code * table.n_coders + table.coder, minlength=table.n_groups
    ).reshape(table.n_codes, table.n_coders)
    per_code = []
    for i, key in enumerate(chosen_codes):
        alpha = interval = fleiss = None
        if counted:
            alpha = stats.alpha_from_kinds(counted[i])
            if alpha.value is not None and bootstrap_draws:
                interval = stats.bootstrap_kinds(counted[i], draws=bootstrap_draws, estimate=alpha)
            if marks is not None:
                fleiss = stats.presence_fleiss(marks[i], len(chosen_coders))
        per_code.append(
            CodeAgreement(
                code=key,
                name=names[key],
                codings=dict(zip(chosen_coders, codings[i].tolist(), strict=True)),
                characters=stats.agreement_from_counts(characters[i]) if characters else None,
                alpha=alpha,
                alpha_interval=interval,
                fleiss=fleiss,
                unitized=unitized[i],
                segments=segments[i] if segments else None,
            )
        )
    return AgreementReport(
        coders=tuple(chosen_coders),
        transcripts=tuple(d.title for d in texts),
        unit=unit,
        min_overlap=min_overlap,
        per_code=tuple(per_code),
        pooled_characters=(
            stats.agreement_from_counts(sum(characters, stats.CharacterCounts(0, 0, 0, 0)))
            if characters is not None
            else None
        ),
        pooled_alpha=stats.alpha_from_kinds(stats.stack_kinds(counted)) if counted else None,
        groups=_groups(all_codes, chosen_coders, texts, units, min_share),
    )


@dataclass(frozen=True)
class _Text:
    """A chosen transcript and its codings ``(transcript id, code, coder, start, end)``."""

    transcript_id: int
    title: str
    length: int
    codings: list[Coding]


def _coders(texts: list[_Text], named: Sequence[str], exclude: set[str]) -> list[str]:
    # a consensus layer is the coders' settled result, not a third independent coder
    coded = {c[2] for d in texts for c in d.codings} - exclude
    if named:
        for name in named:
            if name not in coded:
                raise InvalidInput(f"coder {name!r} has no codings in the chosen transcripts")
        chosen = list(dict.fromkeys(named))
    else:
        chosen = sorted(coded)
    if len(chosen) < 2:
        who = chosen[0] if chosen else "nobody"
        raise InvalidInput(f"agreement needs two or more coders; only {who} coded here")
    return chosen


def _codes(
    all_codes: list[Code], texts: list[_Text], coders: list[str], named: Sequence[str]
) -> list[str]:
    keys = {c.key for c in all_codes}
    if named:
        children: dict[str | None, list[str]] = defaultdict(list)
        for code in all_codes:
            children[code.parent_key].append(code.key)
        chosen: list[str] = []
        for key in named:
            if key not in keys:
                raise NotFound(f"no code with key {key!r} in the codebook")
            stack = [key]
            while stack:
                current = stack.pop()
                chosen.append(current)
                stack.extend(reversed(children[current]))
        return list(dict.fromkeys(chosen))
    used = {c[1] for d in texts for c in d.codings if c[2] in coders}
    return [c.key for c in all_codes if c.key in used]


def _span_table(texts: list[_Text], codes: list[str], coders: list[str]) -> stats.SpanTable:
    """The chosen coders' codings of the chosen codes, as one table of arrays."""
    code_index = {key: i for i, key in enumerate(codes)}
    coder_index = {name: i for i, name in enumerate(coders)}
    rows = [
        (code_index[key], coder_index[coder], t, start, end)
        for t, text in enumerate(texts)
        for _, key, coder, start, end in text.codings
        if key in code_index and coder in coder_index
    ]
    columns = np.array(rows, dtype=np.int64).reshape(-1, 5).T
    return stats.span_table(
        [d.transcript_id for d in texts],
        [d.length for d in texts],
        n_codes=len(codes),
        n_coders=len(coders),
        code=columns[0],
        coder=columns[1],
        transcript=columns[2],
        start=columns[3],
        end=columns[4],
    )


def _unit_arrays(table: stats.SpanTable, rows: AgreementRows) -> stats.UnitArrays:
    """The chosen transcripts' units (the table numbers transcripts by position)."""
    ids = np.array(table.keys, dtype=np.int64)
    order = np.argsort(ids)
    place = np.searchsorted(ids[order], rows.unit_transcript)
    place = np.minimum(place, len(ids) - 1)
    chosen = ids[order][place] == rows.unit_transcript
    return stats.unit_arrays(
        table, order[place[chosen]], rows.unit_start[chosen], rows.unit_end[chosen]
    )


def _groups(
    all_codes: list[Code],
    coders: list[str],
    texts: list[_Text],
    units: stats.UnitArrays | None,
    min_share: float,
) -> tuple[GroupAgreement, ...]:
    if units is None:
        return ()
    found = []
    for group in (c for c in all_codes if c.exclusive):
        members = tuple(c.key for c in all_codes if c.parent_key == group.key)
        if not members:
            continue
        choices = stats.exclusive_group_choices(
            _span_table(texts, list(members), coders), units, min_share=min_share
        )
        confusion = kappa = None
        if len(coders) == 2:
            confusion = stats.group_confusion(choices, members)
            kappa = stats.cohen_kappa(confusion.counts) if any(map(any, confusion.counts)) else None
        found.append(
            GroupAgreement(
                group.key,
                members,
                stats.group_alpha(choices, members),
                confusion,
                kappa,
                choices.n_conflicts,
                # Fleiss' κ (1971) with every code of the group a column, used or not,
                # so the counts a report shows name the whole variable
                stats.group_fleiss(choices, members) if len(coders) >= 3 else None,
            )
        )
    return tuple(found)


def write_report(report: AgreementReport, path: Path, *, language: str = "en") -> Path:
    """Write the report in the format its file name asks for (.md, .html, .xlsx, .json),
    its headings and methods paragraph in ``language``."""
    report = dataclasses.replace(report, language=language)
    names = registry.format_names("agreement")
    if path.suffix.lower().lstrip(".") not in names:
        raise InvalidInput(
            f"write the report as {', '.join('.' + name for name in names)}, "
            f"not {path.suffix or path.name}"
        )
    return write_atomically(path, registry.render("agreement", path.suffix, report))
