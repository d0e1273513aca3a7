"""Shared fixtures and helpers: the small test inputs, the seeds built once, the CLI run in-process."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def seeds_written(tmp_path_factory) -> Path:
    """The seed articles built and written into a folder (read, never written, by the tests)."""
    from timeline.build import build
    from timeline.corpus import seeds_dir
    from timeline.outputs import write_outputs

    out = tmp_path_factory.mktemp("seeds-build")
    write_outputs(build([seeds_dir()]), out)
    return out


def run_cli(*args):
    """`timeline ARGS...` run in-process (paths and numbers passed as text); typer's Result."""
    from timeline.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])
