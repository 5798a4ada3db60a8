"""The words tables and analysis results are written in: English or Swedish.

A table for a Swedish report (the mapping study's Tabell 1 and 2, a code matrix) must
not need its headers retyped; counts, code keys, transcript titles and attribute
names are the same in both. The English words are the tool's own defaults.
"""

from __future__ import annotations

LANGUAGES = ("en", "sv")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "total": "Total",
        "yes": "yes",
        "no": "no",
        # matrices
        "whose": "codings of {names}",
        "whose_pooled": "codings of {names}, pooled",
        "nobody": "nobody",
        "nobody_yet": "nobody has coded yet",
        "matching": "passages matching {where}",
        "share_note": "A share is a fraction of the words, shown as a percentage.",
        "rows_columns": (
            "Rows: {rows}; columns: {columns}; the {total} row and column count each item "
            "once over the whole row or column."
        ),
        "empty": "Nothing matches: every cell is empty.",
        "by_frequency": "{what} by frequency",
        "words_note": (
            "{What} of at least {letters} letters occurring at least {times} times; "
            "{stop}; column totals count every {one}."
        ),
        "stop_left_out": "stop words left out",
        "stop_kept": "stop words kept",
        "occurrences": "occurrences of each {one}",
        "all_passages": "all passages",
        "word": "word",
        "lemma": "lemma",
        "cooc_title": "codes × codes, {what}",
        "cooc_overlap": "overlapping",
        "cooc_sentence": "in the same sentence",
        "cooc_near": "within {n} sentences",
        "cooc_turn": "in the same turn",
        "cooc_note": (
            "Off the diagonal: {unit} where both codes occur {what}{jaccard}; on the "
            "diagonal and in the totals each code's own {unit}."
        ),
        "cooc_jaccard": " as Jaccard n(A with B) / (n(A) + n(B) − n(A with B))",
        # case tables
        "cases_title": "Cases by {by}",
        "and": " and ",
        "cases": "cases",
        "sum": "{name} sum",
        "n": "{name} n",
        "missing": "{name} missing",
        "above_zero": "{name} >0",
        "cases_about": "Cases: {n} in project {project!r}, grouped by {by}.",
        "only_where": "Only cases where {where}.",
        "sums_note": (
            "For each summed attribute: sum of the values given, n cases with a value, "
            "cases missing a value (missing is not zero), cases with a value above 0."
        ),
        "count_note": "{label}: cases with that value (all cases in the group).",
        # rates
        "rates_title": "Rates per year by {by} against {reference}",
        "population": "population {year}",
        "mean_population": "mean population",
        "events": "{measure} events",
        "per_year": "{measure} per year",
        "of_population": "{measure} % of population",
        "estimate": "{target} (estimate)",
        "rates_cases": "Cases: {n}{where}.",
        "rates_where": ", only where {where}",
        "rates_events": (
            "Events: the sum over the cases of {events} for {first}–{last} ({years} years); "
            "a case without a value adds nothing and is not a zero."
        ),
        "rates_mean": (
            "Per year = events / {years}. Mean population = the mean of {reference!r} over "
            "{period}."
        ),
        "rates_percent": (
            "% of population = per year / mean population × 100. {total}: all groups' "
            "events per year / the sum of their mean populations."
        ),
        "rates_estimate": (
            "Estimate rows: the total's rate × that population's mean; the events column is "
            "empty because nothing was counted there."
        ),
    },
    "sv": {
        "total": "Totalt",
        "yes": "ja",
        "no": "nej",
        "whose": "kodningar av {names}",
        "whose_pooled": "kodningar av {names}, sammanslagna",
        "nobody": "ingen",
        "nobody_yet": "ingen har kodat än",
        "matching": "stycken som matchar {where}",
        "share_note": "En andel är en del av orden och visas i procent.",
        "rows_columns": (
            "Rader: {rows}; kolumner: {columns}; raden och kolumnen {total} räknar varje "
            "enhet en gång över hela raden eller kolumnen."
        ),
        "empty": "Inget matchar: alla celler är tomma.",
        "by_frequency": "{what} efter frekvens",
        "words_note": (
            "{What} med minst {letters} bokstäver som förekommer minst {times} gånger; "
            "{stop}; kolumnsummorna räknar varje {one}."
        ),
        "stop_left_out": "stoppord utelämnade",
        "stop_kept": "stoppord medräknade",
        "occurrences": "förekomster av varje {one}",
        "all_passages": "alla stycken",
        "word": "ord",
        "lemma": "lemma",
        "cooc_title": "koder × koder, {what}",
        "cooc_overlap": "överlappande",
        "cooc_sentence": "i samma mening",
        "cooc_near": "inom {n} meningar",
        "cooc_turn": "i samma replik",
        "cooc_note": (
            "Utanför diagonalen: {unit} där båda koderna förekommer {what}{jaccard}; på "
            "diagonalen och i summorna varje kods egna {unit}."
        ),
        "cooc_jaccard": " som Jaccard n(A med B) / (n(A) + n(B) − n(A med B))",
        "cases_title": "Fall efter {by}",
        "and": " och ",
        "cases": "fall",
        "sum": "{name} summa",
        "n": "{name} n",
        "missing": "{name} saknas",
        "above_zero": "{name} >0",
        "cases_about": "Fall: {n} i projektet {project!r}, grupperade efter {by}.",
        "only_where": "Endast fall där {where}.",
        "sums_note": (
            "För varje summerat attribut: summan av de angivna värdena, n fall med ett "
            "värde, fall som saknar värde (saknat är inte noll), fall med ett värde över 0."
        ),
        "count_note": "{label}: fall med det värdet (alla fall i gruppen).",
        "rates_title": "Antal per år efter {by} i förhållande till {reference}",
        "population": "population {year}",
        "mean_population": "genomsnittlig population",
        "events": "{measure} antal",
        "per_year": "{measure} per år",
        "of_population": "{measure} % av populationen",
        "estimate": "{target} (skattning)",
        "rates_cases": "Fall: {n}{where}.",
        "rates_where": ", endast där {where}",
        "rates_events": (
            "Antal: summan över fallen av {events} för {first}–{last} ({years} år); ett fall "
            "utan värde bidrar inte och räknas inte som noll."
        ),
        "rates_mean": (
            "Per år = antal / {years}. Genomsnittlig population = medelvärdet av "
            "{reference!r} för {period}."
        ),
        "rates_percent": (
            "% av populationen = per år / genomsnittlig population × 100. {total}: alla "
            "gruppers antal per år / summan av deras genomsnittliga populationer."
        ),
        "rates_estimate": (
            "Skattningsrader: totalens andel × den populationens medelvärde; kolumnen för "
            "antal är tom eftersom inget räknades där."
        ),
    },
}

# what a matrix's rows and columns range over, as its header names them
DIMENSIONS: dict[str, dict[str, str]] = {
    "en": {},  # the dimension names are English already
    "sv": {
        "codes": "koder",
        "transcripts": "transkriptioner",
        "cases": "fall",
        "speakers": "talare",
        "roles": "roller",
        "modes": "intervjuformer",
        "coders": "kodare",
        "words": "ord",
        "lemmas": "lemman",
        "passages": "stycken",
        "turns": "repliker",
    },
}

# what a cell counts (``--measure``)
MEASURES: dict[str, dict[str, str]] = {
    "en": {
        "codings": "codings",
        "passages": "passages (overlapping spans of one code counted once, whoever coded them)",
        "transcripts": "transcripts with at least one coding",
        "cases": "cases with at least one coding",
        "characters": "characters coded (overlaps counted once)",
        "words": "words coded (overlaps counted once)",
        "share": "share of the words coded",
    },
    "sv": {
        "codings": "kodningar",
        "passages": "stycken (överlappande stycken med samma kod räknas en gång, vem som än "
        "kodat dem)",
        "transcripts": "transkriptioner med minst en kodning",
        "cases": "fall med minst en kodning",
        "characters": "kodade tecken (överlapp räknas en gång)",
        "words": "kodade ord (överlapp räknas en gång)",
        "share": "andel av orden som är kodade",
        "turns": "repliker",
        "jaccard": "Jaccard",
    },
}

# the interview modes in words (attributions say them too: "en deltagare, fokusgrupp")
MODE_NAMES: dict[str, dict[str, str]] = {
    "sv": {
        "focus_group": "fokusgrupp",
        "telephone": "telefonintervju",
        "interview": "intervju",
        "survey_call": "kartläggningssamtal",
        "document": "dokument",
    },
    "en": {
        "focus_group": "focus group",
        "telephone": "telephone interview",
        "interview": "interview",
        "survey_call": "mapping call",
        "document": "document",
    },
}

# labels of the modes and roles axes: the stored names stay English identifiers
LABELS: dict[str, dict[str, str]] = {
    "en": {},
    "sv": {
        **MODE_NAMES["sv"],
        "participant": "deltagare",
        "moderator": "moderator",
        "interviewer": "intervjuare",
        "(no case)": "(inget fall)",
        "(missing)": "(saknas)",
    },
}


def words(language: str) -> dict[str, str]:
    """The words of ``language`` (English for any other)."""
    return WORDS.get(language, WORDS["en"])


def dimension(name: str, language: str) -> str:
    return DIMENSIONS.get(language, {}).get(name, name)


def measure(name: str, language: str) -> str:
    return MEASURES.get(language, {}).get(name) or MEASURES["en"].get(name, name)


def label(name: str, language: str) -> str:
    return LABELS.get(language, {}).get(name, name)
