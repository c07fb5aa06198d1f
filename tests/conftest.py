"""Shared fixtures: a fresh empty project, and the sample project (built once, copied per test)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qualcode.services import project as project_service
from qualcode.services.sample import build_sample

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_transcripts"


@pytest.fixture
def empty_project(tmp_path):
    """An open, empty project; closed after the test."""
    db = project_service.new_project(tmp_path / "empty.qualcode")
    yield db
    db.close()


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory) -> Path:
    """The sample project file, built once per test session (read it, or copy it to change it)."""
    path = tmp_path_factory.mktemp("sample") / "demo.qualcode"
    build_sample(path, SAMPLE_DIR).close()
    return path


@pytest.fixture
def sample_copy(sample_file, tmp_path) -> Path:
    """A private copy of the sample project that a test may change."""
    dest = tmp_path / "demo.qualcode"
    shutil.copy(sample_file, dest)
    return dest


@pytest.fixture
def sample_project(sample_copy):
    """The sample project, open for writing."""
    db = project_service.open_project(sample_copy)
    yield db
    db.close()
