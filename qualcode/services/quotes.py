"""From retrieved passages to a themed, pseudonymised, attributed quote collection,
and the collection written to a file through the writers in ``qualcode.export``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qualcode.domain.errors import InvalidInput
from qualcode.domain.pseudonyms import Leak, find_leaks, pseudonymise
from qualcode.domain.quotes import Collection, Quote, Theme
from qualcode.domain.records import Code, Memo
from qualcode.export import readback, registry
from qualcode.services.attribution import Attribution, attribution
from qualcode.services.cases import attribute_context
from qualcode.services.coders import coders_with_codings
from qualcode.services.codes import list_codes
from qualcode.services.coding import list_codings
from qualcode.services.collections import show_collection
from qualcode.services.files import write_atomically
from qualcode.services.layers import consensus_layers
from qualcode.services.memos import list_memos
from qualcode.services.project import LANGUAGES, Project
from qualcode.services.pseudonyms import pseudonym_list
from qualcode.services.retrieval import Passage, Retrieval, passages_for
from qualcode.services.speakers import list_speakers

FORMATS = registry.format_names("collection")


class LeakFound(InvalidInput):
    """The collection still contains a term from the pseudonymisation list."""


THEMES = ("query", "codes")


@dataclass(frozen=True)
class CoderChoice:
    """Whose codings a quote collection is made from, decided once and said in words."""

    coders: tuple[str, ...]  # () = every coder's
    consensus: bool = False  # the one name in ``coders`` is a consensus layer
    chosen: bool = False  # spans picked by hand for a saved collection

    @property
    def pooled(self) -> bool:
        return len(self.coders) != 1

    @property
    def description(self) -> str:
        return self.in_words("en")

    def in_words(self, language: str) -> str:
        """ "coder anna", "the consensus layer 'settled'", … in ``language``."""
        said = COLLECTION_WORDS.get(language, COLLECTION_WORDS["en"])
        if self.chosen:
            return said["chosen"]
        if self.consensus:
            return said["consensus"].format(self.coders[0])
        if not self.coders:
            return said["all"]
        if len(self.coders) == 1:
            return said["coder"].format(self.coders[0])
        return said["coders"].format(", ".join(self.coders))


# the words a collection gets from the service, per export language (the writers'
# own words are in qualcode.export.wording)
COLLECTION_WORDS = {
    "en": {
        "consensus": "the consensus layer {!r}",
        "all": "all coders; each quote names whose coding it is",
        "coder": "coder {}",
        "coders": "coders {}",
        "chosen": "the spans chosen for the collection; each quote names whose codings it has",
        "uncoded": "Uncoded",
        "quotes": "Quotes",
        "passages": "Passages",
    },
    "sv": {
        "consensus": "konsensuslagret {!r}",
        "all": "alla kodare; varje citat anger vems kodning det är",
        "coder": "kodaren {}",
        "coders": "kodarna {}",
        "chosen": "de stycken som valts till sammanställningen; varje citat anger vems "
        "kodningar det har",
        "uncoded": "Okodat",
        "quotes": "Citat",
        "passages": "Stycken",
    },
}


def choose_coders(
    project: Project,
    *,
    coders: Sequence[str] = (),
    consensus: str | None = None,
    all_coders: bool = False,
    current: str | None = None,
) -> CoderChoice:
    """Whose codings count (see docs/decisions.md, "Whose codings a quote comes from").

    Asked for: the coders named, a consensus layer, or all coders. Otherwise the
    consensus layer when there is exactly one, else the current coder when they have
    codings, else every coder, with each quote naming whose coding it is."""
    asked = sum((bool(coders), consensus is not None, all_coders))
    if asked > 1:
        raise InvalidInput("choose one of --coder, --consensus and --all-coders")
    coding = coders_with_codings(project)
    layers = consensus_layers(project)
    if coders:
        missing = [name for name in coders if name not in coding]
        if missing:
            raise InvalidInput(
                f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no codings; "
                f"coders with codings: {', '.join(sorted(coding)) or 'none'}"
            )
        return CoderChoice(tuple(coders))
    if consensus is not None:
        layer = consensus or _only_layer(layers)
        if layer not in layers:
            raise InvalidInput(
                f"there is no consensus layer {layer!r}"
                + (f"; layers: {', '.join(sorted(layers))}" if layers else "")
            )
        return CoderChoice((layer,), consensus=True)
    if all_coders:
        return _all(coding)
    if len(layers) == 1:
        (layer,) = layers
        return CoderChoice((layer,), consensus=True)
    if len(layers) > 1:
        raise InvalidInput(
            f"there are {len(layers)} consensus layers ({', '.join(sorted(layers))}); "
            "choose one with --consensus NAME, or --coder or --all-coders"
        )
    if current and current in coding:
        return CoderChoice((current,))
    return _all(coding)


def _only_layer(layers: set[str]) -> str:
    if len(layers) == 1:
        return next(iter(layers))
    if not layers:
        raise InvalidInput("there is no consensus layer yet (see `qualcode settle`)")
    raise InvalidInput(f"name the consensus layer: {', '.join(sorted(layers))}")


def _all(coding: set[str]) -> CoderChoice:
    return CoderChoice(tuple(sorted(coding)) if len(coding) == 1 else ())


def build_collection(
    project: Project,
    retrieval: Retrieval,
    *,
    title: str | None = None,
    themes: str = "query",
    choice: CoderChoice | None = None,
    show_query: bool = False,
    language: str | None = None,
    memos: bool = False,
) -> Collection:
    """The passages filed under themes, listed terms replaced, each quote attributed by
    role and mode only, code names and attributions in ``language`` (default: the
    project's; see :func:`theme_name`).

    ``themes="query"``: a theme for each code the query names, holding every passage
    coded with it or one of its descendants, so a passage coded with two named codes
    appears under both; a query that names no code gives one theme. ``themes="codes"``:
    a theme for every code a passage carries, named in the query or not."""
    if themes not in THEMES:
        raise InvalidInput(f"themes by one of {', '.join(THEMES)}, not {themes!r}")
    language = export_language(project, language)
    codes = list_codes(project)
    order = {code.key: n for n, code in enumerate(codes)}
    entries: list[tuple[str, Passage, str | None]] = []
    for passage in retrieval.passages:
        carried = {key for key, _ in passage.codes}
        if themes == "codes":
            keys = sorted(carried, key=lambda k: order.get(k, len(order))) or [""]
        elif retrieval.named_codes:
            keys = [key for key, family in retrieval.named_codes.items() if carried & family]
        else:
            keys = [""]
        entries.extend((key, passage, None) for key in keys)
    entries.sort(key=lambda entry: order.get(entry[0], len(order)))
    chosen = choice or CoderChoice(retrieval.coders)
    named = [order_key for order_key, _, _ in entries]
    by_key = {code.key: code for code in codes}
    heading = ", ".join(
        theme_name(by_key[key], language) for key in dict.fromkeys(named) if key in by_key
    )
    words = COLLECTION_WORDS.get(language, COLLECTION_WORDS["en"])
    default_title = words["quotes"]
    if heading and len(set(named)) <= 3:
        default_title += f": {heading}"
    made = _collection(
        project,
        title or default_title,
        retrieval.query,
        entries,
        choice=chosen,
        show_query=show_query,
        empty_theme=words["passages"] if themes == "query" else words["uncoded"],
        language=language,
    )
    return _with_memos(project, made, retrieval.passages) if memos else made


def stored_collection(
    project: Project,
    name: str,
    *,
    context: int = 0,
    show_query: bool = False,
    language: str | None = None,
) -> Collection:
    """A saved collection (``services.collections``) in its own order, with each quote's
    edited words and, beside them, the verbatim words they came from."""
    view = show_collection(project, name)
    passages = passages_for(
        project,
        [(item.transcript_id, item.start, item.end) for item in view.items],
        context=context,
    )
    entries = [
        (item.theme, passage, item.edited_text)
        for item, passage in zip(view.items, passages, strict=True)
    ]
    themes_first_seen = list(dict.fromkeys(theme for theme, _, _ in entries))
    entries.sort(key=lambda entry: themes_first_seen.index(entry[0]))
    coders = tuple(dict.fromkeys(coder for p in passages for _, coder in p.codes))
    chosen_language = export_language(project, language)
    return _collection(
        project,
        view.info.title or view.info.name,
        f"collection {name}",
        entries,
        choice=CoderChoice(coders, chosen=True),
        show_query=show_query,
        empty_theme=COLLECTION_WORDS[chosen_language]["uncoded"],
        language=chosen_language,
    )


def _collection(
    project: Project,
    title: str,
    query: str,
    entries: Sequence[tuple[str, Passage, str | None]],
    *,
    choice: CoderChoice,
    show_query: bool,
    empty_theme: str,
    language: str,
) -> Collection:
    attributed = attribution(project, language)
    template_values = _template_values(project, attributed, [p for _, p, _ in entries])
    replacements = pseudonym_list(project)
    by_key = {code.key: code for code in list_codes(project)}
    grouped: dict[str, list[Quote]] = {}
    for theme, passage, edited in entries:
        quote = _quote(passage, attributed, replacements, template_values(passage))
        if edited is not None:
            quote = dataclasses.replace(
                quote, text=pseudonymise(edited, replacements), source_text=quote.text
            )
        grouped.setdefault(theme, []).append(quote)
    themes = tuple(
        Theme(
            key=key,
            # code names and definitions may name a place or an agency too
            name=pseudonymise(
                theme_name(by_key[key], language) if key in by_key else (key or empty_theme),
                replacements,
            ),
            definition=(
                pseudonymise(by_key[key].text_marked("definition", language) or "", replacements)
                or None
                if key in by_key
                else None
            ),
            quotes=tuple(quotes),
        )
        for key, quotes in grouped.items()
    )
    return Collection(
        pseudonymise(title, replacements),
        pseudonymise(query, replacements),
        themes,
        codings=choice.in_words(language),
        language=language,
        pooled=choice.pooled,
        show_query=show_query,
    )


def export_language(project: Project, language: str | None) -> str:
    """The language an export is written in: ``language`` when given, else the
    project's (one sentence naming the choices for any other)."""
    chosen = language or project.language
    if chosen not in LANGUAGES:
        raise InvalidInput(
            f"cannot write an export in {chosen!r}; choose one of {', '.join(LANGUAGES)}"
        )
    return chosen


def theme_name(code: Code, language: str) -> str:
    """A code's name as a theme heading in ``language``; a code the codebook names
    only in another language gets that name marked with the language it is in
    ("Case context [en]" in a Swedish export), so a reader sees the gap."""
    return code.name_marked(language)


def _with_memos(
    project: Project, collection: Collection, passages: Sequence[Passage]
) -> Collection:
    """Each quote with the memos on the codings it was found through (the same code and
    coder, overlapping it), pseudonymised like the quote; the leak check covers them."""
    notes: dict[int, list[Memo]] = {}
    for memo in list_memos(project, target="coding"):
        if memo.target_ref is not None:
            notes.setdefault(int(memo.target_ref), []).append(memo)
    if not notes:
        return collection
    transcripts = sorted({p.transcript_id for p in passages})
    codings = list_codings(project, transcripts=transcripts) if transcripts else []
    replacements = pseudonym_list(project)
    carried_at = {(p.transcript_id, p.start, p.end): set(p.codes) for p in passages}

    def memos_of(quote: Quote) -> tuple[str, ...]:
        carried = carried_at.get((quote.transcript_id or 0, quote.start, quote.end), set())
        return tuple(
            pseudonymise(f"{memo.author or 'unknown'}: {memo.text}", replacements)
            for c in codings
            if c.transcript_id == quote.transcript_id
            and c.start < quote.end
            and quote.start < c.end
            and (c.code_key, c.coder) in carried
            for memo in notes.get(c.id, ())
        )

    themes = tuple(
        dataclasses.replace(
            theme, quotes=tuple(dataclasses.replace(q, memos=memos_of(q)) for q in theme.quotes)
        )
        for theme in collection.themes
    )
    return dataclasses.replace(collection, themes=themes)


def _template_values(
    project: Project, attributed: Attribution, passages: Sequence[Passage]
) -> Callable[[Passage], dict[str, str]]:
    """What fills an attribution template beyond role and mode: the speaker's pseudonym
    (never the label) and the passage's attribute values by the cases rule (a linked
    speaker's case first, then the transcript and its cases; disagreeing cases give
    their values joined by " / ")."""
    fields = attributed.fields
    if not fields:
        return lambda _passage: {}
    context = attribute_context(project)
    speakers = {
        tid: {s.label: s for s in list_speakers(project, tid)}
        for tid in {p.transcript_id for p in passages}
    }

    def shown(value: object) -> str:
        if isinstance(value, tuple):
            return " / ".join(shown(v) for v in value)
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, bool):
            return "ja" if value else "nej"
        return "" if value is None else str(value)

    def values(passage: Passage) -> dict[str, str]:
        by_label = speakers.get(passage.transcript_id, {})
        speaker = next(
            (s for s in by_label.values() if passage.speaker in (s.pseudonym, s.label)), None
        )
        linked = context.for_speakers(passage.transcript_id)
        resolved = (
            linked[speaker.label]
            if speaker is not None and speaker.label in linked
            else context.for_transcript(passage.transcript_id)
        )
        found = {name: shown(value) for name, value in resolved.items()}
        if speaker is not None and speaker.pseudonym:
            found["pseudonym"] = speaker.pseudonym
        return found

    return values


def _quote(
    passage: Passage,
    attributed: Attribution,
    replacements: dict[str, str],
    values: dict[str, str],
) -> Quote:
    clean: Callable[[str], str] = lambda text: pseudonymise(text, replacements)  # noqa: E731
    return Quote(
        text=clean(" ".join(passage.text.split())),
        attribution=clean(attributed.of(passage.role, passage.mode, values)),
        transcript=clean(passage.transcript),
        start=passage.start,
        end=passage.end,
        timestamp_ms=passage.timestamp_ms,
        codes=tuple(dict.fromkeys(key for key, _ in passage.codes)),
        verbatim=passage.verbatim,
        before=clean(" ".join(passage.before.split())),
        after=clean(" ".join(passage.after.split())),
        transcript_id=passage.transcript_id,
        mode=passage.mode,
        speaker=clean(passage.speaker) if passage.speaker else None,
        role=passage.role,
        coded_by=tuple(dict.fromkeys(passage.codes)),
        gap_before=" " if passage.before[-1:].isspace() else "",
        gap_after=" " if passage.after[:1].isspace() else "",
    )


def leaks(project: Project, collection: Collection) -> list[tuple[Quote, Leak]]:
    """Every listed term still present in a quote, its context or its source title."""
    terms = list(pseudonym_list(project))
    return [
        (quote, leak)
        for quote in collection.quotes
        for part in (
            quote.text,
            quote.before,
            quote.after,
            quote.transcript,
            quote.source_text,
            quote.speaker or "",
            *quote.memos,
        )
        for leak in find_leaks(part, terms)
    ]


def render_collection(
    project: Project, collection: Collection, fmt: str, *, target: str, allow_leaks: bool = False
) -> bytes:
    """The collection's bytes in format ``fmt``; refused when a listed term leaks through
    (``target`` names where it was going, for the message)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    found = leaks(project, collection)
    if found and not allow_leaks:
        shown = "; ".join(
            f"{leak.found!r} in the quote at {quote.transcript} {quote.start}..{quote.end}"
            for quote, leak in found[:10]
        )
        raise LeakFound(
            f"not written: {len(found)} listed name{'s' if len(found) > 1 else ''} would "
            f"appear in {target}: {shown} (add a pseudonym or use --allow-leaks)"
        )
    data = registry.render("collection", fmt, collection)
    if not allow_leaks:
        _refuse_leaks_in_file(project, fmt, data, target)
    return data


def _refuse_leaks_in_file(project: Project, fmt: str, data: bytes, target: str) -> None:
    """Read the finished file back: a name in a title, heading, sheet name or document
    property is refused as surely as one in a quote."""
    terms = list(pseudonym_list(project))
    if not terms:
        return
    found = [
        (where, leak)
        for where, text in readback.file_strings(fmt, data)
        for leak in find_leaks(text, terms)
    ]
    if found:
        shown = "; ".join(f"{leak.found!r} in {where}" for where, leak in found[:10])
        raise LeakFound(
            f"not written: {len(found)} listed name{'s' if len(found) > 1 else ''} would "
            f"appear in {target}: {shown} (add it to the pseudonym list, change the title, "
            "or use --allow-leaks)"
        )


def write_collection(
    project: Project, collection: Collection, fmt: str, path: Path, *, allow_leaks: bool = False
) -> Path:
    """Write the collection atomically; refuse when a listed term leaks through."""
    data = render_collection(project, collection, fmt, target=path.name, allow_leaks=allow_leaks)
    return write_atomically(path, data)
