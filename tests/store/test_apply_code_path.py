"""Applying one code: what it costs the database, and that reading less changed nothing.

``apply_code`` reads the transcript, code, coder and any duplicate in one query and
keeps transcript texts between calls (issue 14, item 4); these tests pin the statement
count and check the cases where a shortcut could answer wrongly: a text revised by
another handle on the same database, a title made of digits, a coder name that differs
from a stored one by spaces, and which error wins when several inputs are wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from qualcode.domain.errors import Conflict, InvalidInput, InvalidSpan, NotFound
from qualcode.services import codes, coding, transcripts
from qualcode.services.importing import import_file, revise_transcript
from qualcode.services.project import Project, open_project
from tests.conftest import SHORT_FOCUS_GROUP, ProjectPlace, add_codebook_and_transcript


@contextmanager
def statements(project: Project) -> Iterator[list[str]]:
    """The first word of every statement the project's engine sends meanwhile."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        seen.append(statement.split(None, 1)[0].upper())

    engine = project.database.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _apply(project: Project, words: str, *, code: str = "BIC", coder: str = "anna") -> int:
    text = transcripts.transcript_text(project, "Fokus").text
    start = text.index(words)
    made = coding.apply_code(
        project, transcript="Fokus", code=code, start=start, end=start + len(words), coder=coder
    )
    assert made.quote == words
    return made.id


def test_one_coding_is_one_read_and_two_inserts(coded_project: Project) -> None:
    _apply(coded_project, "på is")  # the coder is created, the text read and kept
    start = transcripts.transcript_text(coded_project, "Fokus").text.index("Barnen får vänta")

    with statements(coded_project) as seen:
        coding.apply_code(
            coded_project, transcript="Fokus", code="BIC", start=start, end=start + 16,
            coder="anna",
        )  # fmt: skip

    data = [word for word in seen if word not in {"BEGIN", "NOTIFY", "COMMIT"}]
    assert data == ["SELECT", "INSERT", "INSERT"]
    logged = coding.list_codings(coded_project, coders=["anna"])
    assert [c.quote for c in logged] == ["på is", "Barnen får vänta"]


def test_a_text_revised_through_another_handle_is_quoted_as_revised(
    coded_project: Project, place: ProjectPlace, tmp_path: Path
) -> None:
    _apply(coded_project, "på is")  # this handle now keeps version 1's text
    first = transcripts.transcript_text(coded_project, "Fokus")
    assert transcripts.text_sha256(coded_project, first.transcript.id) == first.text_sha256
    revised = SHORT_FOCUS_GROUP.replace("Välkomna.", "Välkomna allihop.")
    path = tmp_path / "fokus-v2.txt"
    path.write_text(revised, encoding="utf-8")
    with open_project(place.directory, db_url=place.db_url) as other:
        revise_transcript(other, "Fokus", path)

    start = revised.index("allihop")
    made = coding.apply_code(
        coded_project, transcript="Fokus", code="BIC", start=start, end=start + 7, coder="anna"
    )

    assert made.quote == "allihop"
    second = transcripts.transcript_text(coded_project, "Fokus")
    assert second.text[start : start + 7] == "allihop"
    assert transcripts.text_sha256(coded_project, first.transcript.id) == second.text_sha256
    assert second.text_sha256 != first.text_sha256
    with pytest.raises(NotFound, match="no transcript with id 999"):
        transcripts.text_sha256(coded_project, 999)


def test_a_title_of_digits_names_the_transcript_when_no_id_is_that_number(
    coded_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "year.txt"
    path.write_text("Intervjuare: Hur var det 2013?\n\nDeltagare: Svårt.\n", encoding="utf-8")
    import_file(coded_project, path, mode="interview", title="2013")

    made = coding.apply_code(
        coded_project, transcript="2013", code="BIC", start=0, end=10, coder="anna"
    )

    assert made.transcript_title == "2013"
    assert made.quote == transcripts.transcript_text(coded_project, "2013").text[:10]
    first = coding.apply_code(coded_project, transcript=1, code="BIC", start=0, end=5, coder="bo")
    assert first.transcript_title == "Fokus"


def test_a_coder_name_with_spaces_is_the_stored_coder_and_sees_its_duplicate(
    coded_project: Project,
) -> None:
    coding_id = _apply(coded_project, "på is")
    text = transcripts.transcript_text(coded_project, "Fokus").text
    start = text.index("på is")

    with pytest.raises(Conflict, match=f"already coded .* \\(coding {coding_id}\\)"):
        coding.apply_code(
            coded_project, transcript="Fokus", code="BIC", start=start, end=start + 5,
            coder=" anna ",
        )  # fmt: skip
    assert len(coding.list_codings(coded_project)) == 1


def test_the_first_wrong_input_is_the_one_named(coded_project: Project) -> None:
    apply = coding.apply_code
    with pytest.raises(NotFound, match="no transcript with id or title 'Nowhere'"):
        apply(coded_project, transcript="Nowhere", code="NO.CODE", start=9, end=1, coder=" ")
    with pytest.raises(NotFound, match="no code with key 'NO.CODE'"):
        apply(coded_project, transcript="Fokus", code="NO.CODE", start=9, end=1, coder=" ")
    with pytest.raises(InvalidInput, match="a coder name must be 1 to 100 characters"):
        apply(coded_project, transcript="Fokus", code="BIC", start=9, end=1, coder=" ")
    codes.edit_code(coded_project, "BIC", coder="anna", retired=True)
    with pytest.raises(InvalidInput, match="code 'BIC' is retired"):
        apply(coded_project, transcript="Fokus", code="BIC", start=9, end=1, coder="anna")
    with pytest.raises(InvalidSpan, match="end must be greater than start"):
        apply(coded_project, transcript="Fokus", code="ACT.WAIT", start=9, end=1, coder="anna")
    assert coding.list_codings(coded_project) == []


def test_a_fresh_handle_reads_the_text_it_has_not_seen(place: ProjectPlace, tmp_path: Path) -> None:
    with place.init(language="sv") as project:
        add_codebook_and_transcript(project, tmp_path)
    with open_project(place.directory, db_url=place.db_url) as fresh:
        start = SHORT_FOCUS_GROUP.index("på is")
        made = coding.apply_code(
            fresh, transcript="Fokus", code="BIC", start=start, end=start + 5, coder="anna"
        )
    assert made.quote == "på is"
