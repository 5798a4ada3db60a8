"""The agreement report's own words in English and Swedish, and its methods paragraph.

A report written for a Swedish methods chapter must not carry English headings; the
figures, code keys and the statistics' names (α, κ) are the same in both.
"""

from __future__ import annotations

from qualcode.domain.agreement.report import AgreementReport

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Intercoder agreement",
        "coders": "Coders",
        "unit": "unit",
        "transcripts": "transcripts",
        "code": "code",
        "name": "name",
        "codings": "codings",
        "agree": "% agree",
        "kappa_chars": "κ (chars)",
        "ci": "α 95% CI",
        "unitized": "unitized α",
        "matched": "segments matched",
        "units": "units",
        "counts": "characters both / A only / B only / neither",
        "pooled": "Pooled",
        "groups": "Exclusive groups",
        "group": "group",
        "codes": "codes",
        "conflicts": "conflicts",
        "rows": "rows",
        "columns": "columns",
        "fleiss_units": "units",
        "methods": "Methods",
        "bars": "Bars show Krippendorff's α per code (green ≥ 0.8, yellow ≥ 0.667).",
        "group_note": (
            "Within a group a unit a coder left without any of its codes is missing, not a "
            "category. κ is Cohen's (1960) for two coders and Fleiss' (1971) for three or "
            "more, over the units every coder gave a code of the group."
        ),
        "sources": (
            "κ on characters follows Cohen (1960) over both/neither/only-A/only-B characters; "
            "α is Krippendorff's nominal α over units (Krippendorff 2011); unitized α is "
            "Krippendorff's |u-alpha| (1995/2004)."
        ),
        "m_who": "Agreement between {n} coders ({coders}) over {transcripts}, code by code.",
        "m_chars": (
            "Percent agreement and Cohen's κ (1960) were computed on characters, counting "
            "the characters both, one or neither coder coded."
        ),
        "m_alpha": (
            "Krippendorff's nominal α (2011) was computed over {unit} units, a unit counting "
            "as coded when a coder's span of the code overlaps it{ci}."
        ),
        "m_ci": ", with a 95 % interval from {draws} bootstrap draws over units",
        "m_fleiss": "Fleiss' κ (1971) was computed over the units every coder rated.",
        "m_unitized": (
            "Unitized α (Krippendorff 1995/2004) compares the coded stretches of text themselves"
        ),
        "m_matched": (
            "; segments were matched one to one when they overlap by an IoU of at least {iou}."
        ),
        "m_groups": (
            "In each exclusive group the codes are the categories of one variable; a unit a "
            "coder left without any of them is missing, not a category."
        ),
        "unit_sentence": "sentence",
        "unit_turn": "turn",
        "unit_char": "character",
        "units_sentence": "sentence",
        "units_turn": "turn",
        "units_char": "character",
    },
    "sv": {
        "title": "Överensstämmelse mellan kodare",
        "coders": "Kodare",
        "unit": "enhet",
        "transcripts": "transkriptioner",
        "code": "kod",
        "name": "namn",
        "codings": "kodningar",
        "agree": "% överens",
        "kappa_chars": "κ (tecken)",
        "ci": "α 95 % KI",
        "unitized": "α för segment",
        "matched": "matchade segment",
        "units": "enheter",
        "counts": "tecken båda / bara A / bara B / ingen",
        "pooled": "Sammantaget",
        "groups": "Grupper av ömsesidigt uteslutande koder",
        "group": "grupp",
        "codes": "koder",
        "conflicts": "konflikter",
        "rows": "rader",
        "columns": "kolumner",
        "fleiss_units": "enheter",
        "methods": "Metod",
        "bars": "Staplarna visar Krippendorffs α per kod (grönt ≥ 0,8, gult ≥ 0,667).",
        "group_note": (
            "Inom en grupp räknas en enhet som en kodare inte gett någon av gruppens koder "
            "som saknad, inte som en kategori. κ är Cohens (1960) för två kodare och Fleiss "
            "(1971) för tre eller fler, över de enheter som varje kodare gett en kod ur gruppen."
        ),
        "sources": (
            "κ på tecken följer Cohen (1960) över tecken som båda, ingen, bara A eller bara B "
            "kodat; α är Krippendorffs nominala α över enheter (Krippendorff 2011); α för "
            "segment är Krippendorffs |u-alpha| (1995/2004)."
        ),
        "m_who": (
            "Överensstämmelsen mellan {n} kodare ({coders}) beräknades kod för kod över "
            "{transcripts}."
        ),
        "m_chars": (
            "Andelen överensstämmelse och Cohens κ (1960) beräknades på tecken, utifrån de "
            "tecken som båda, en eller ingen av kodarna kodat."
        ),
        "m_alpha": (
            "Krippendorffs nominala α (2011) beräknades över {unit} som enheter; en enhet "
            "räknades som kodad när en kodares stycke med koden överlappar den{ci}."
        ),
        "m_ci": ", med ett 95-procentigt intervall från {draws} bootstrapdragningar över enheter",
        "m_fleiss": "Fleiss κ (1971) beräknades över de enheter som alla kodare bedömt.",
        "m_unitized": (
            "α för segment (Krippendorff 1995/2004) jämför de kodade textstyckena i sig"
        ),
        "m_matched": (
            "; segment matchades ett mot ett när de överlappar med en IoU på minst {iou}."
        ),
        "m_groups": (
            "I varje grupp av ömsesidigt uteslutande koder är koderna kategorier av en "
            "variabel; en enhet som en kodare inte gett någon av dem räknas som saknad, inte "
            "som en kategori."
        ),
        "unit_sentence": "mening",
        "unit_turn": "replik",
        "unit_char": "tecken",
        "units_sentence": "meningar",
        "units_turn": "repliker",
        "units_char": "tecken",
    },
}


# "1 transcript (…)" and "3 transcripts (…)"
TRANSCRIPTS = {
    "en": ("{n} transcript ({titles})", "{n} transcripts ({titles})"),
    "sv": ("{n} transkription ({titles})", "{n} transkriptioner ({titles})"),
}


def said(report: AgreementReport) -> dict[str, str]:
    """The report's words in its language (English for any other)."""
    return WORDS.get(report.language, WORDS["en"])


def unit_name(report: AgreementReport, *, plural: bool = False) -> str:
    """The unit as a header names it ("sentence"), or as the methods paragraph does
    ("over sentence units", "över meningar som enheter")."""
    return said(report).get(f"unit{'s' if plural else ''}_{report.unit}", report.unit)


def methods(report: AgreementReport) -> str:
    """A paragraph a report can cite: which units, which statistics, which coders."""
    words = said(report)
    language = report.language if report.language in WORDS else "en"
    two = len(report.coders) == 2
    draws = next((c.alpha_interval.draws for c in report.per_code if c.alpha_interval), 0)
    one, many = TRANSCRIPTS[language]
    count = len(report.transcripts)
    transcripts = (one if count == 1 else many).format(
        n=count, titles=", ".join(report.transcripts)
    )
    parts = [
        words["m_who"].format(
            n=len(report.coders), coders=", ".join(report.coders), transcripts=transcripts
        )
    ]
    if two:
        parts.append(words["m_chars"])
    if report.unit != "char":
        ci = words["m_ci"].format(draws=draws) if draws else ""
        parts.append(words["m_alpha"].format(unit=unit_name(report, plural=True), ci=ci))
    if len(report.coders) >= 3:
        parts.append(words["m_fleiss"])
    matched = words["m_matched"].format(iou=f"{report.min_overlap:g}") if two else "."
    parts.append(words["m_unitized"] + matched)
    if report.groups:
        parts.append(words["m_groups"])
    return " ".join(parts)
