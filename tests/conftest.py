"""Every test gets its own database; real recorded pages come from ../shared when it exists."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
HERE = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PRICEWAR_DB", str(tmp_path / "pricewar.db"))
    for kept in ("PRICEWAR_CURRENCY", "PRICEWAR_VIA", "PRICEWAR_CONFIG"):  # a developer's own defaults stay out
        monkeypatch.delenv(kept, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def no_shipped_history(monkeypatch):
    """A database that starts with the bundled record only, without the archives' history, for tests of small
    pages (a two-model page would not stand against the history's hundreds of models) or small archives."""
    from pricewar.history import shipped

    monkeypatch.setattr(shipped, "missing", lambda db: [])


@pytest.fixture(scope="session")
def seeded(tmp_path_factory) -> Path:
    """One history seeded as a first command seeds it (the bundled record and the shipped archives), shared by
    the tests that only read it."""
    import pricewar.api

    path = tmp_path_factory.mktemp("seeded") / "pricewar.db"
    pricewar.api.open(path).close()
    return path


@pytest.fixture(scope="session")
def seeded_db(seeded):
    """That history, open for reading."""
    import pricewar.api

    opened = pricewar.api.open(seeded)
    yield opened.db
    opened.close()


def shared_file(relative: str) -> Path:
    """A file under ../shared; the calling test is skipped, saying why, when it is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"../shared/{relative} is absent (clone the project beside its shared/ folder to run this test)")
    return path


def own_fixture(name: str) -> Path:
    """A small fixture written for this project, in tests/fixtures."""
    return HERE / name


def run(*args: str):
    """The real app, as a user runs it."""
    from typer.testing import CliRunner

    from pricewar.cli import app

    return CliRunner().invoke(app, list(args))


def ok(*args: str) -> str:
    """The app's stdout, after checking it succeeded."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout
