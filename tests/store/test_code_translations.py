"""A codebook's texts per language: exports pick the language asked for, mark a
fallback to another language, and an edit keeps the languages apart."""

from __future__ import annotations

from qualcode.services import coding
from qualcode.services.codebook import codebook_document, export_codebook
from qualcode.services.codes import edit_code, list_codes
from qualcode.services.project import Project
from qualcode.services.quotes import build_collection
from qualcode.services.retrieval import retrieve


def _code(project: Project, key: str):  # type: ignore[no-untyped-def]
    return next(code for code in list_codes(project) if code.key == key)


def _theme_definition(project: Project, language: str) -> str | None:
    found = retrieve(project, "BIC")
    return build_collection(project, found, language=language).themes[0].definition


def test_a_definition_missing_in_the_export_language_is_marked(coded_project: Project) -> None:
    coding.apply_code(coded_project, transcript="Fokus", code="BIC", start=0, end=5, coder="anna")
    edit_code(
        coded_project,
        "BIC",
        coder="anna",
        definition="Only said in English.",
        translations={"definition": {"en": "Only said in English."}},
    )
    assert _theme_definition(coded_project, "en") == "Only said in English."
    assert _theme_definition(coded_project, "sv") == "Only said in English. [en]"
    entry = next(e for e in codebook_document(coded_project).entries if e.key == "BIC")
    assert entry.definition == "Only said in English. [en]"


def test_editing_a_definition_rewrites_it_in_its_own_language(coded_project: Project) -> None:
    before = _code(coded_project, "ACT.WAIT")
    english = before.translations["definition"]["en"]
    edit_code(coded_project, "ACT.WAIT", coder="anna", definition="Ny svensk definition.")
    after = _code(coded_project, "ACT.WAIT")
    assert after.translations["definition"] == {"sv": "Ny svensk definition.", "en": english}
    assert after.text_in("definition", "sv") == ("Ny svensk definition.", None)
    assert after.text_in("definition", "en") == (english, None)
    # the YAML export carries both languages, and a re-import reads them back the same
    exported = export_codebook(coded_project).by_key()["ACT.WAIT"]
    assert exported.translations["definition"] == after.translations["definition"]


def test_a_plain_text_serves_every_language_unmarked(coded_project: Project) -> None:
    edit_code(coded_project, "BIC", coder="anna", definition="Neutral.", translations={})
    code = _code(coded_project, "BIC")
    assert code.text_in("definition", "sv") == ("Neutral.", None)
    assert code.text_in("definition", "en") == ("Neutral.", None)
