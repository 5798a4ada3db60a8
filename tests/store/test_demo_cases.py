"""The demo project carries the mapping study: units, links, speakers, reference."""

from __future__ import annotations

from pathlib import Path

from qualcode.services.case_rates import list_references
from qualcode.services.case_tables import case_table
from qualcode.services.cases import list_cases, passage_attributes
from qualcode.services.demo import build_demo
from qualcode.services.retrieval import retrieve


def test_demo_loads_the_mapping_and_links_calls_and_speakers(tmp_path: Path) -> None:
    with build_demo(tmp_path / "demo") as project:
        cases = {c.name: c for c in list_cases(project)}
        assert len(cases) == 81
        for unit in ("Granlunda", "Strömsvik", "Ljungaryd", "Hagaslätt"):
            (title,) = cases[unit].transcripts
            assert title == f"Kartläggningssamtal {unit}"
        assert cases["Granlunda"].attributes["lvu"] == 2.0
        assert "lvu_övervägda" not in cases["Strömsvik"].attributes  # "uppgift saknas"
        assert cases["Norrvik"].transcripts == cases["Ekbacka"].transcripts
        assert ("Fokusgrupp Norrvik och Ekbacka", "Socialsekreterare C") in cases[
            "Ekbacka"
        ].speakers
        # C speaks for Ekbacka: their passages take Ekbacka's answers
        c = passage_attributes(project, "Fokusgrupp Norrvik och Ekbacka", "Socialsekreterare C")
        assert c["sol"] == cases["Ekbacka"].attributes["sol"]
        found = retrieve(project, "attr:lvu>=3").passages
        # Hagaslätt (3 LVU) and Sjöstad stadsdel Väster (5), whose interview is linked too
        assert {p.transcript for p in found} == {
            "Kartläggningssamtal Hagaslätt",
            "Telefonintervju Sjöstad stadsdel Väster",
        }
        table = case_table(project, by=["län"], sums=["lvu"], counts=["svarat=ja"])
        assert table.cells[-1][1] == 13 and table.cells[-1][-1] == "78 (81)"
        assert [r.name for r in list_references(project)] == ["asylsökande barn"]
