"""The cases screen, driven by its keys: values edited, links made, a table computed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from qualcode.services.case_import import import_case_table
from qualcode.services.cases import list_cases
from qualcode.services.project import Project
from qualcode.tui.app import make_app
from qualcode.tui.screens.cases import CasesScreen, parse_grouping

from .conftest import FOCUS_GROUP
from .helpers import run_command

pytestmark = pytest.mark.anyio

TABLE = "enhet;län;svarat;lvu\nNorrvik;Skåne;ja;1\nEkbacka;Skåne;ja;\nGranlunda;Stockholm;nej;2\n"


@pytest.fixture
def with_cases(tui_project: Project, tmp_path: Path) -> Project:
    path = tmp_path / "enheter.csv"
    path.write_text(TABLE, encoding="utf-8")
    import_case_table(tui_project, path, key="enhet", coder="anna")
    return tui_project


def cases_by_name(project: Project) -> dict[str, object]:
    return {c.name: c for c in list_cases(project)}


async def type_into_prompt(pilot: object, text: str) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    prompt = app.screen.query_one(Input)
    prompt.value = text
    await pilot.press("enter")  # type: ignore[attr-defined]


async def test_cases_screen_edits_links_and_tabulates(with_cases: Project) -> None:
    app = make_app(with_cases, coder="anna")
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("k")
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#cases-table", DataTable)
        names = [str(table.get_row_at(r)[0]) for r in range(table.row_count)]
        assert names == ["Ekbacka", "Granlunda", "Norrvik"]
        labels = [str(c.label) for c in table.columns.values()]
        assert labels == ["case", "linked", "lvu", "län", "svarat"]
        assert str(table.get_row_at(0)[2]) == "–"  # Ekbacka's lvu is missing

        # edit Ekbacka's lvu: cursor on row 0, column "lvu"
        table.move_cursor(row=0, column=2)
        await pilot.press("e")
        await type_into_prompt(pilot, "4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert cases_by_name(with_cases)["Ekbacka"].attributes["lvu"] == 4.0  # type: ignore[attr-defined]
        # emptying a value makes it missing
        table.move_cursor(row=1, column=2)
        await pilot.press("e")
        await type_into_prompt(pilot, "")
        await app.workers.wait_for_complete()
        assert "lvu" not in cases_by_name(with_cases)["Granlunda"].attributes  # type: ignore[attr-defined]

        # link the focus group and one of its speakers to Norrvik
        table.move_cursor(row=2, column=0)
        await pilot.press("l")
        await type_into_prompt(pilot, FOCUS_GROUP)
        await pilot.press("s")
        await type_into_prompt(pilot, f"{FOCUS_GROUP} | Socialsekreterare A")
        await app.workers.wait_for_complete()
        norrvik = cases_by_name(with_cases)["Norrvik"]
        assert norrvik.transcripts == (FOCUS_GROUP,)  # type: ignore[attr-defined]
        assert norrvik.speakers == ((FOCUS_GROUP, "Socialsekreterare A"),)  # type: ignore[attr-defined]
        await pilot.pause()
        assert str(table.get_row_at(2)[1]) == "2"

        # a table by county, computed in a worker
        await pilot.press("t")
        await type_into_prompt(pilot, "län; sum lvu; count svarat=ja")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = str(screen.query_one("#cases-result", Static).render())
        skane = next(line for line in result.splitlines() if line.startswith("Skåne"))
        assert skane.split() == ["Skåne", "2", "5", "2", "0", "2", "2", "(2)"]
        assert screen.result is not None and screen.result.cells[-1][-1] == "2 (3)"

        # a bad grouping is one notification, not a crash
        await pilot.press("t")
        await type_into_prompt(pilot, "kommun")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "no case has an attribute 'kommun'" in str(
            screen.query_one("#cases-result", Static).render()
        )
        await pilot.press("escape")
        assert not isinstance(app.screen, CasesScreen)


async def test_palette_opens_the_cases(with_cases: Project) -> None:
    app = make_app(with_cases, coder="anna")
    async with app.run_test(size=(120, 40)) as pilot:
        await run_command(pilot, "Cases")
        assert isinstance(app.screen, CasesScreen)


def test_grouping_text() -> None:
    assert parse_grouping("län, svarat; sum lvu,sol; count svarat=ja") == (
        ["län", "svarat"],
        ["lvu", "sol"],
        ["svarat=ja"],
    )
