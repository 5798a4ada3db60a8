"""Opening, creating and migrating project databases."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from qualcode.domain.errors import InvalidInput, StoreError
from qualcode.services import coding
from qualcode.services.project import Project, init_project, open_project
from qualcode.store.database import Database
from qualcode.store.engine import make_engine
from qualcode.store.migrate import SCHEMA_HEAD, known_revisions, upgrade
from qualcode.store.schema import Base
from tests.conftest import ProjectPlace


def test_sqlite_project_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    with init_project(tmp_path / "p") as project:
        assert stat.S_IMODE((tmp_path / "p").stat().st_mode) == 0o700
        assert stat.S_IMODE((tmp_path / "p" / "qualcode.db").stat().st_mode) == 0o600
        with project.database.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") >= 5000
            assert pragma("synchronous") == 2  # FULL


def test_schema_head_is_the_newest_migration() -> None:
    assert SCHEMA_HEAD in known_revisions()
    from alembic.script import ScriptDirectory

    from qualcode.store.migrate import MIGRATIONS_DIR

    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == SCHEMA_HEAD


def test_migrations_build_exactly_the_models(place: ProjectPlace) -> None:
    # a new project is created from the models; an old one is migrated: both must agree
    place.directory.mkdir()
    url = place.db_url or f"sqlite+pysqlite:///{place.directory / 'migrated.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_a_created_project_is_stamped_at_the_newest_revision(project: Project) -> None:
    with project.database.engine.connect() as connection:
        stamped = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert stamped == [(SCHEMA_HEAD,)]


def test_an_older_database_is_upgraded_with_nothing_lost(place: ProjectPlace) -> None:
    """Build the first released schema, fill it through plain SQL, open it with today's code."""
    url = place.db_url or f"sqlite+pysqlite:///{place.directory / 'qualcode.db'}"
    place.directory.mkdir()
    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO project (id, uuid, name, language, settings, created_at) "
                "VALUES (1, 'p-1', 'old', 'sv', '{}', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO transcripts (id, uuid, title, mode, language, version, created_at) "
                "VALUES (1, 't-1', 'Gammal', 'interview', 'sv', 1, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO text_versions (id, uuid, transcript_id, version, text, sha256, length, "
                "word_count, transformations, created_at) VALUES (1, 'v-1', 1, 1, 'Hej hej', 'x', 7, 2, "
                "'{}', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO codes (id, uuid, key, name, labels, exclusive, patterns, retired, position) "
                "VALUES (1, 'c-1', 'BIC', 'Barnets bästa', '{}', false, '[]', false, 0)"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO coders (id, uuid, name, created_at) VALUES (1, 'k-1', 'anna', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            sa.text(
                'INSERT INTO codings (id, uuid, transcript_id, version_id, code_id, coder_id, start, "end", '
                "quote, quote_sha256, needs_review, created_at) VALUES (1, 'g-1', 1, 1, 1, 1, 0, 3, 'Hej', "
                "'h', false, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()

    with open_project(place.directory, place.db_url) as project:
        kept = coding.list_codings(project)
        assert [(c.uuid, c.code_key, c.coder, c.quote) for c in kept] == [
            ("g-1", "BIC", "anna", "Hej")
        ]
        assert (
            project.database.engine.connect()
            .exec_driver_sql("SELECT version_num FROM alembic_version")
            .scalar()
            == SCHEMA_HEAD
        )


def test_a_database_from_a_newer_qualcode_is_refused(project: Project, place: ProjectPlace) -> None:
    with project.database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    project.close()
    with pytest.raises(StoreError, match=r"newer qualcode .*9999_future"):
        open_project(place.directory, place.db_url)


def test_a_folder_that_is_not_a_project_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="is not a qualcode project"):
        open_project(tmp_path)
    with pytest.raises(InvalidInput, match="does not exist"):
        open_project(tmp_path / "missing")


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'qualcode.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (x TEXT)")
    engine.dispose()
    with pytest.raises(StoreError, match="not a qualcode project database"):
        open_project(tmp_path)


def test_a_read_only_project_file_refuses_writes_and_keeps_reads(
    sqlite_coded_project: Project,
) -> None:
    project = sqlite_coded_project
    assert project.directory is not None
    db_file = project.directory / "qualcode.db"
    db_file.chmod(0o400)
    try:
        with pytest.raises(StoreError, match="read-only"):
            coding.apply_code(project, transcript="Fokus", code="BIC", start=0, end=4, coder="a")
        assert coding.list_codings(project) == []
    finally:
        db_file.chmod(0o600)


def test_an_unreachable_server_gets_one_clear_error() -> None:
    with pytest.raises(StoreError, match=r"cannot connect to database postgresql.*127.0.0.1:1"):
        Database.open("postgresql+psycopg://someone:secret@127.0.0.1:1/qualcode")


def test_the_password_never_appears_in_errors() -> None:
    with pytest.raises(StoreError) as caught:
        Database.open("postgresql+psycopg://someone:secret@127.0.0.1:1/qualcode")
    assert "secret" not in str(caught.value)


def test_init_refuses_an_existing_project(place: ProjectPlace) -> None:
    place.init().close()
    with pytest.raises((InvalidInput, StoreError), match="already"):
        place.init()
