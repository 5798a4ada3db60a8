"""Writers do not trip over each other: first-use creation is race-free and a writer
that waits too long gets one sentence to retry (issue 12, item 5)."""

from __future__ import annotations

import threading

import pytest

from qualcode.domain.errors import InvalidInput, StoreError
from qualcode.services import coders, coding
from qualcode.services.project import Project, open_project
from qualcode.store import engine as engine_module
from tests.conftest import ProjectPlace

SPANS = [(0, 5), (6, 9), (10, 20), (21, 30), (31, 40), (41, 50)]


def test_six_writers_using_one_new_coder_name_at_once_all_succeed(
    coded_project: Project, place: ProjectPlace
) -> None:
    barrier = threading.Barrier(len(SPANS))
    failures: list[BaseException] = []

    def code(start: int, end: int) -> None:
        with open_project(place.directory, place.db_url) as mine:
            barrier.wait()
            try:
                coding.apply_code(
                    mine, transcript="Fokus", code="BIC", start=start, end=end, coder="nykomling"
                )
            except BaseException as exc:
                failures.append(exc)

    threads = [threading.Thread(target=code, args=span) for span in SPANS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert [c.name for c in coders.list_coders(coded_project)].count("nykomling") == 1
    assert len(coding.list_codings(coded_project, coders=["nykomling"])) == len(SPANS)


def test_a_writer_that_waits_too_long_is_told_to_retry(
    coded_project: Project, place: ProjectPlace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    holder = coded_project.database.engine
    with open_project(place.directory, place.db_url) as waiting, holder.connect() as connection:
        raw = connection.connection.dbapi_connection
        cursor = raw.cursor()  # type: ignore[union-attr]
        if coded_project.database.dialect == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        else:
            raw.autocommit = False  # type: ignore[union-attr]
        # hold the lock a writer of a new coder name needs
        cursor.execute(
            "INSERT INTO coders (uuid, name, created_at) VALUES ('held', 'nykomling', "
            "CURRENT_TIMESTAMP)"
        )
        with pytest.raises(StoreError) as refused:
            coding.apply_code(
                waiting, transcript="Fokus", code="BIC", start=0, end=5, coder="nykomling"
            )
        raw.rollback()  # type: ignore[union-attr]
    message = str(refused.value)
    assert "was writing to" in message and "try again" in message
    assert "locked" not in message and "lock timeout" not in message


def test_an_import_checks_outside_the_write_and_refuses_what_changed_meanwhile(
    coded_project: Project,
    place: ProjectPlace,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from qualcode.services import codings_csv

    path = tmp_path / "codings.csv"
    path.write_text(
        "transcript,code,coder,start,end\nFokus,BIC,nils,0,5\nFokus,BIC,nils,6,9\n",
        encoding="utf-8",
    )
    checked = codings_csv._check_rows
    calls = []

    def check_then_someone_codes(*args):  # type: ignore[no-untyped-def]
        result = checked(*args)
        calls.append(1)
        if len(calls) == 1:
            # the first check holds no lock: another process codes row 2's span
            with open_project(place.directory, place.db_url) as other:
                coding.apply_code(
                    other, transcript="Fokus", code="BIC", start=6, end=9, coder="nils"
                )
        return result

    monkeypatch.setattr(codings_csv, "_check_rows", check_then_someone_codes)
    with pytest.raises(InvalidInput, match="line 3: nils already has this coding"):
        codings_csv.import_codings_csv(coded_project, path)
    assert [(c.start, c.end) for c in coding.list_codings(coded_project)] == [(6, 9)]
    monkeypatch.setattr(codings_csv, "_check_rows", checked)
    report = codings_csv.import_codings_csv(coded_project, path, skip_bad=True)
    assert report.imported == 1
