"""Typed attributes on transcripts and cases; missing is not zero."""

from __future__ import annotations

import pytest

from qualcode.domain.errors import InvalidInput
from qualcode.services.attributes import list_values, set_attribute, set_case
from qualcode.services.project import Project
from qualcode.services.transcripts import list_transcripts


def values(project: Project) -> dict[tuple[str, str], object]:
    return {(v.owner, v.attribute): v.value for v in list_values(project)}


def test_values_are_typed_and_replaced(coded_project: Project) -> None:
    set_attribute(coded_project, "participants", "3", transcript="Fokus", coder="anna")
    set_attribute(coded_project, "county", "Skåne", case="Norrvik", coder="anna")
    set_attribute(coded_project, "answered", "ja", case="Norrvik", coder="anna")
    set_attribute(coded_project, "participants", "4", transcript="Fokus", coder="anna")
    assert values(coded_project) == {
        ("Fokus", "participants"): 4.0,
        ("Norrvik", "county"): "Skåne",
        ("Norrvik", "answered"): True,
    }


def test_missing_is_not_zero_and_types_are_enforced(coded_project: Project) -> None:
    set_attribute(coded_project, "lvu_2011", "2", case="Norrvik", coder="anna")
    set_attribute(coded_project, "lvu_2011", None, case="Norrvik", coder="anna")
    assert ("Norrvik", "lvu_2011") not in values(coded_project)
    with pytest.raises(InvalidInput, match="takes numbers; 'två'"):
        set_attribute(coded_project, "lvu_2011", "två", case="Norrvik", coder="anna")
    with pytest.raises(InvalidInput, match="belongs to cases"):
        set_attribute(coded_project, "lvu_2011", "1", transcript="Fokus", coder="anna")
    with pytest.raises(InvalidInput, match="transcript or to a case"):
        set_attribute(coded_project, "x", "1", coder="anna")


def test_a_transcript_can_be_put_in_a_case(coded_project: Project) -> None:
    set_case(coded_project, "Fokus", "Norrvik", coder="anna")
    assert list_transcripts(coded_project)[0].case == "Norrvik"
    set_case(coded_project, "Fokus", None, coder="anna")
    assert list_transcripts(coded_project)[0].case is None
