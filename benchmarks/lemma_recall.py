"""Lemma recall on the sample transcripts: spaCy's lookup table against simplemma.

78 inflected forms that occur in the Swedish sample transcripts (``transcripts/``,
the English interview left out), each with the lemma a Swedish reader gives it, written
by hand. For each lemmatiser: how many forms it maps to that lemma, and how many of
the forms' occurrences (tokens) that covers. ``qualcode`` is ``qualcode.nlp.lemma``
(simplemma, greedy, with the fallback for unknown forms). Results in docs/decisions.md.

CLI: ``python -m benchmarks.lemma_recall [--missed]``.
"""

from __future__ import annotations

import glob
import re
import sys
from collections import Counter

import simplemma
import spacy

from qualcode import nlp

GOLD = dict(
    x.split(":")
    for x in [
        "familjen:familj",
        "barnet:barn",
        "barnen:barn",
        "familjer:familj",
        "beslutet:beslut",
        "placeringar:placering",
        "ärenden:ärende",
        "började:börja",
        "frågar:fråga",
        "föräldrarna:förälder",
        "månader:månad",
        "ärendet:ärende",
        "kartläggningen:kartläggning",
        "slutade:sluta",
        "barnets:barn",
        "placerade:placera",
        "socialtjänsten:socialtjänst",
        "pratade:prata",
        "frågade:fråga",
        "känner:känna",
        "väntar:vänta",
        "håller:hålla",
        "försöker:försöka",
        "enheter:enhet",
        "asylärendet:asylärende",
        "placeringen:placering",
        "ärendena:ärende",
        "hamnar:hamna",
        "behöver:behöva",
        "familjehemmet:familjehem",
        "tolken:tolk",
        "ringer:ringa",
        "frågorna:fråga",
        "placerats:placera",
        "lämnade:lämna",
        "berättade:berätta",
        "bristen:brist",
        "kunskapen:kunskap",
        "kommunen:kommun",
        "erfarenheter:erfarenhet",
        "migrationsdomstolen:migrationsdomstol",
        "skickade:skicka",
        "avvaktar:avvakta",
        "chefen:chef",
        "placerar:placera",
        "asylprocessen:asylprocess",
        "pojken:pojke",
        "diskuterade:diskutera",
        "flyttade:flytta",
        "intervjuerna:intervju",
        "kommuner:kommun",
        "uppgifter:uppgift",
        "insatser:insats",
        "bedömningar:bedömning",
        "jourhemmet:jourhem",
        "gränspolisen:gränspolis",
        "mottagningsenheten:mottagningsenhet",
        "anmälningarna:anmälan",
        "kostnader:kostnad",
        "föräldrar:förälder",
        "socialsekreteraren:socialsekreterare",
        "familjehemmen:familjehem",
        "tolkarna:tolk",
        "handläggaren:handläggare",
        "socialsekreterarna:socialsekreterare",
        "verkställigheten:verkställighet",
        "stadsdelar:stadsdel",
        "utredningar:utredning",
        "vårdplaner:vårdplan",
        "lagstiftningarna:lagstiftning",
        "utvisningsbeslutet:utvisningsbeslut",
        "placeringarna:placering",
        "ärendebeskrivningar:ärendebeskrivning",
        "handläggningen:handläggning",
        "möjligheten:möjlighet",
        "osäkerheten:osäkerhet",
        "myndigheten:myndighet",
        "problemen:problem",
    ]
)


def main() -> None:
    pipeline = spacy.blank("sv")
    pipeline.add_pipe("lemmatizer", config={"mode": "lookup"})
    pipeline.initialize()
    table = pipeline.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    words: Counter[str] = Counter()
    for name in glob.glob("transcripts/*.txt") + glob.glob("transcripts/kartlaggning/*.txt"):
        with open(name, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        if "Interview with" in text[:300]:
            continue
        words.update(w.lower() for w in re.findall(r"\w+(?:-\w+)*", text))
    lemmatisers = {
        "spaCy lookup table": lambda w: table.get(w, w).lower(),
        "simplemma": lambda w: simplemma.lemmatize(w, lang="sv").lower(),
        "simplemma greedy": lambda w: simplemma.lemmatize(w, lang="sv", greedy=True).lower(),
        "qualcode (simplemma greedy + fallback)": lambda w: nlp.lemma(w, "sv"),
    }
    tokens = sum(words[w] for w in GOLD)
    for name, lemmatise in lemmatisers.items():
        right = [w for w in GOLD if lemmatise(w) == GOLD[w]]
        covered = sum(words[w] for w in right)
        print(
            f"{name}: {len(right)}/{len(GOLD)} forms ({100 * len(right) / len(GOLD):.0f} %), "
            f"{covered}/{tokens} tokens ({100 * covered / tokens:.0f} %)"
        )
        if "--missed" in sys.argv:
            print("   missed:", ", ".join(f"{w}->{lemmatise(w)}" for w in GOLD if w not in right))


if __name__ == "__main__":
    main()
