"""A quote collection as JSON (keys documented in docs/cli.md)."""

from __future__ import annotations

import dataclasses
import json

from qualcode.domain.quotes import Collection


def render(collection: Collection) -> bytes:
    data = {
        "title": collection.title,
        "query": collection.query,
        "themes": [
            {
                "key": theme.key,
                "name": theme.name,
                "definition": theme.definition,
                "quotes": [dataclasses.asdict(quote) for quote in theme.quotes],
            }
            for theme in collection.themes
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
