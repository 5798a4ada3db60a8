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
from pathlib import Path

from qualcode.domain import agreement as stats
from qualcode.domain.agreement.report import AgreementReport, CodeAgreement, GroupAgreement
from qualcode.domain.errors import InvalidInput, NotFound
from qualcode.domain.records import Code
from qualcode.domain.retrieval import Doc
from qualcode.export import registry
from qualcode.services.adjudication import consensus_layers
from qualcode.services.files import write_atomically
from qualcode.services.project import Project
from qualcode.store.repositories import coders as coder_repo
from qualcode.store.repositories import codes as code_repo
from qualcode.store.repositories import transcripts as transcript_repo
from qualcode.store.repositories.retrieval import load_docs

UNITS = ("char", "sentence", "turn")
Spans = dict[int, list[tuple[int, int]]]  # transcript id -> spans


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
        docs = load_docs(
            session,
            code_ids=None,
            coder_ids=coder_ids,
            with_units=unit == "sentence",
            transcript_ids=transcript_ids,
            # only lengths, units and codings are compared: no texts, turns only as units
            with_turns=unit == "turn",
            with_text=False,
        )
    chosen_coders = _coders(docs, coders, exclude=set() if coders else consensus_layers(project))
    if not transcripts:
        docs = [d for d in docs if {c.coder for c in d.codings} >= set(chosen_coders)]
        if not docs:
            raise InvalidInput(
                f"no transcript has codings by all of {', '.join(chosen_coders)}; "
                "name the transcripts with --transcripts"
            )
    chosen_codes = _codes(all_codes, docs, chosen_coders, codes)
    lengths = {d.transcript_id: d.length for d in docs}
    unit_spans = {d.transcript_id: _units(d, unit) for d in docs}
    spans = _spans(docs, chosen_coders)
    names = {c.key: c.name for c in all_codes}
    # each code's presence per unit, counted once for its own α and the pooled one
    counted: dict[str, stats.PairableValues] = {}
    if unit != "char":
        table = stats.unit_table(lengths, unit_spans)
        counted = {
            key: stats.presence_counts(
                table, spans.get(key) or {c: {} for c in chosen_coders}, min_share=min_share
            )
            for key in chosen_codes
        }
    per_code = tuple(
        _code_agreement(
            key,
            names[key],
            chosen_coders,
            spans,
            lengths,
            unit_spans,
            counted.get(key),
            min_overlap,
            min_share,
            bootstrap_draws,
        )
        for key in chosen_codes
    )
    return AgreementReport(
        coders=tuple(chosen_coders),
        transcripts=tuple(d.title for d in docs),
        unit=unit,
        min_overlap=min_overlap,
        per_code=per_code,
        pooled_characters=_pooled_characters(per_code) if len(chosen_coders) == 2 else None,
        pooled_alpha=stats.alpha_from_values(stats.stack_values(list(counted.values())))
        if counted
        else None,
        groups=_groups(all_codes, chosen_coders, docs, lengths, unit_spans, unit, min_share),
    )


def _coders(docs: list[Doc], named: Sequence[str], exclude: set[str]) -> list[str]:
    # a consensus layer is the coders' settled result, not a third independent coder
    coded = {c.coder for d in docs for c in d.codings} - exclude
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
    all_codes: list[Code], docs: list[Doc], coders: list[str], named: Sequence[str]
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
    used = {c.code_key for d in docs for c in d.codings if c.coder in coders}
    return [c.key for c in all_codes if c.key in used]


def _units(doc: Doc, unit: str) -> list[tuple[int, int]]:
    if unit == "turn":
        return [(t.start, t.end) for t in doc.turns]
    return list(doc.units)


def _spans(docs: list[Doc], coders: list[str]) -> dict[str, dict[str, Spans]]:
    """code -> coder -> transcript -> spans"""
    found: dict[str, dict[str, Spans]] = defaultdict(lambda: {c: defaultdict(list) for c in coders})
    for doc in docs:
        for coding in doc.codings:
            if coding.coder in coders:
                found[coding.code_key][coding.coder][doc.transcript_id].append(
                    (coding.start, coding.end)
                )
    return found


def _code_agreement(
    key: str,
    name: str,
    coders: list[str],
    spans: dict[str, dict[str, Spans]],
    lengths: dict[int, int],
    unit_spans: dict[int, list[tuple[int, int]]],
    counted: stats.PairableValues | None,
    min_overlap: float,
    min_share: float,
    draws: int,
) -> CodeAgreement:
    by_coder = spans.get(key) or {c: {} for c in coders}
    counts = {c: sum(len(v) for v in by_coder[c].values()) for c in coders}
    two = len(coders) == 2
    characters = (
        stats.character_agreement(lengths, by_coder[coders[0]], by_coder[coders[1]])
        if two
        else None
    )
    alpha = interval = fleiss = None
    if counted is not None:
        alpha = stats.alpha_from_values(counted)
        if alpha.value is not None and draws:
            interval = stats.bootstrap_values(counted, draws=draws)
        if len(coders) >= 3:
            # Fleiss' κ needs the full units × coders matrix
            values = stats.presence_values(lengths, unit_spans, by_coder, min_share=min_share)
            fleiss = stats.fleiss_kappa([list(row) for row in values.values])
    return CodeAgreement(
        code=key,
        name=name,
        codings=counts,
        characters=characters,
        alpha=alpha,
        alpha_interval=interval,
        fleiss=fleiss,
        unitized=stats.unitized_alpha(lengths, by_coder),
        segments=(
            stats.match_segments(
                lengths, by_coder[coders[0]], by_coder[coders[1]], min_iou=min_overlap
            )
            if two
            else None
        ),
    )


def _pooled_characters(per_code: tuple[CodeAgreement, ...]) -> stats.CharacterAgreement:
    total = [0, 0, 0, 0]
    for code in per_code:
        assert code.characters is not None
        counts = code.characters.counts
        for i, n in enumerate((counts.both, counts.only_a, counts.only_b, counts.neither)):
            total[i] += n
    return stats.agreement_from_counts(stats.CharacterCounts(*total))


def _groups(
    all_codes: list[Code],
    coders: list[str],
    docs: list[Doc],
    lengths: dict[int, int],
    unit_spans: dict[int, list[tuple[int, int]]],
    unit: str,
    min_share: float,
) -> tuple[GroupAgreement, ...]:
    if unit == "char":
        return ()
    found = []
    for group in (c for c in all_codes if c.exclusive):
        members = tuple(c.key for c in all_codes if c.parent_key == group.key)
        if not members:
            continue
        codings = {
            coder: {
                d.transcript_id: [
                    (c.code_key, c.start, c.end)
                    for c in d.codings
                    if c.coder == coder and c.code_key in members
                ]
                for d in docs
            }
            for coder in coders
        }
        values = stats.exclusive_group_values(
            members, lengths, unit_spans, codings, min_share=min_share
        )
        matrix = [list(row) for row in values.values]
        confusion = kappa = None
        if len(coders) == 2:
            confusion = stats.confusion_matrix(values, coders[0], coders[1], members)
            kappa = stats.cohen_kappa(confusion.counts) if any(map(any, confusion.counts)) else None
        fleiss = _group_fleiss(matrix, members, len(coders)) if len(coders) >= 3 else None
        found.append(
            GroupAgreement(
                group.key,
                members,
                stats.krippendorff_alpha(matrix),
                confusion,
                kappa,
                len(values.conflicts),
                fleiss,
            )
        )
    return tuple(found)


def _group_fleiss(
    matrix: Sequence[Sequence[str | None]], members: tuple[str, ...], coders: int
) -> stats.FleissKappa:
    """Fleiss' κ (1971) with the group's codes as the categories.

    Every code of the group is a column, used or not, so the counts a report shows
    name the whole variable; a unit counts only when every coder gave it a code of
    the group (a unit someone left uncoded is missing, as for α).
    """
    counts = [[row.count(code) for code in members] for row in matrix]
    return stats.fleiss_kappa_from_counts(counts, members, raters_per_unit=coders)


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
