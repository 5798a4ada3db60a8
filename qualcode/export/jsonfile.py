"""A quote collection as JSON: the one shape `quotes --json` prints and `-f json` writes
(keys documented in docs/cli.md)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from qualcode.domain.quotes import Collection, Quote


def quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "transcript_id": quote.transcript_id,
        "transcript": quote.transcript,
        "mode": quote.mode,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "speaker": quote.speaker,
        "role": quote.role,
        "timestamp_ms": quote.timestamp_ms,
        "verbatim": quote.verbatim,
        "codes": [{"code": code, "coder": coder} for code, coder in quote.coded_by],
        "before": quote.before,
        "after": quote.after,
        "attribution": quote.attribution,
        "source_text": quote.source_text,
        "memos": list(quote.memos),
    }


def collection_json(collection: Collection) -> dict[str, Any]:
    # a passage under two themes is one passage: listed once, counted once
    passages = list({(q.transcript, q.start, q.end): q for q in collection.quotes}.values())
    return {
        "title": collection.title,
        "query": collection.query,
        "codings": collection.codings,
        "passages": [quote_json(q) for q in passages],
        "themes": [
            {
                "key": theme.key,
                "name": theme.name,
                "definition": theme.definition,
                "quotes": [quote_json(q) for q in theme.quotes],
            }
            for theme in collection.themes
        ],
        "by_code": dict(Counter(code for q in passages for code in q.codes)),
        "by_transcript": dict(Counter(q.transcript for q in passages)),
    }


def render(collection: Collection) -> bytes:
    return json.dumps(collection_json(collection), ensure_ascii=False, indent=2).encode("utf-8")
