"""Shared fixtures: a fresh project on SQLite and on PostgreSQL.

The ``project`` fixture is parametrised over both engines. PostgreSQL runs when
QUALCODE_TEST_PG_URL names a server (``make test`` starts a throwaway one); each test
gets its own database, dropped afterwards. Without a server those tests skip with
the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings
from sqlalchemy.engine import make_url

from qualcode.codebook import load_codebook
from qualcode.services.codebook import apply_codebook
from qualcode.services.project import Project, init_project

# Property tests check correctness, not speed: no per-example deadline, so a loaded CI
# machine cannot turn a slow example into a failure. The gate (``make test``) runs the
# same examples every time, so a red run is reproducible and never a coin toss;
# ``make fuzz`` (profile "explore") draws new ones to look for what the gate misses.
settings.register_profile("qualcode", deadline=None, derandomize=True, database=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("QUALCODE_HYPOTHESIS_PROFILE", "qualcode"))

REPO = Path(__file__).resolve().parents[1]
CODEBOOK = REPO / "codebooks" / "asylum-child-welfare.yaml"
TRANSCRIPTS = REPO / "transcripts"
PG_URL = os.environ.get("QUALCODE_TEST_PG_URL")
ENGINES = ["sqlite", "postgresql"]


@dataclass
class ProjectPlace:
    """Where a test project lives: its folder and, on PostgreSQL, its URL."""

    directory: Path
    db_url: str | None

    @property
    def cli_args(self) -> list[str]:
        args = ["-p", str(self.directory)]
        return [*args, "--db", self.db_url] if self.db_url else args

    def init(self, **kwargs: object) -> Project:
        return init_project(self.directory, db_url=self.db_url, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[sa.Engine]:
    if not PG_URL:
        pytest.skip(
            "PostgreSQL not available: QUALCODE_TEST_PG_URL is not set (make test starts a server)"
        )
    engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL at QUALCODE_TEST_PG_URL is unreachable: {exc.orig}")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; its URL."""
    admin: sa.Engine = request.getfixturevalue("pg_admin")
    name = f"qc_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)  # type: ignore[arg-type]
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def place(engine_name: str, tmp_path: Path, request: pytest.FixtureRequest) -> ProjectPlace:
    """An uncreated project location on the parametrised engine."""
    url = request.getfixturevalue("pg_database") if engine_name == "postgresql" else None
    return ProjectPlace(tmp_path / "project", url)


@pytest.fixture
def project(place: ProjectPlace) -> Iterator[Project]:
    """A new empty project (Swedish) on the parametrised engine."""
    with place.init(language="sv") as made:
        yield made


def add_codebook_and_transcript(project: Project, folder: Path) -> Project:
    """Give a project the shipped codebook and one short focus group titled "Fokus"."""
    from qualcode.services.importing import import_file

    apply_codebook(project, load_codebook(CODEBOOK), coder="setup")
    path = folder / "fokus.txt"
    path.write_text(SHORT_FOCUS_GROUP, encoding="utf-8")
    import_file(project, path, mode="focus_group", title="Fokus")
    return project


@pytest.fixture
def coded_project(project: Project, tmp_path: Path) -> Project:
    """A project with the shipped codebook and one short focus-group transcript."""
    return add_codebook_and_transcript(project, tmp_path)


@pytest.fixture
def sqlite_coded_project(tmp_path: Path) -> Iterator[Project]:
    """The same as ``coded_project``, on SQLite only (for file-level properties)."""
    with init_project(tmp_path / "sqlite-project") as made:
        yield add_codebook_and_transcript(made, tmp_path)


SHORT_FOCUS_GROUP = """Datum: 2013-04-18

Moderator 1: Välkomna. Hur ser det ut hos er när familjen väntar på beslut?

Socialsekreterare A: Vi lägger ärendet på is. Det är så vi gör, tyvärr. Man vet ju inte om de får stanna.

Socialsekreterare B: Hos oss är det likadant. Barnen får vänta längre än andra barn.

Moderator 1: Och Migrationsverket?

Socialsekreterare A: De lyssnar inte på våra bedömningar. Det var så här: vi skrev ett yttrande och fick aldrig svar.
"""
