"""The spaCy model an import asks the pipeline loader for: the caller's, else the environment's."""

from __future__ import annotations

import pytest

from qualcode.nlp import pipeline
from qualcode.services import documents

TEXT = "Interviewer: How did it start?\n\nAna: We met at the fair. Then we talked.\n"


@pytest.fixture
def asked(monkeypatch):
    names = []

    def full_model(model=None, language=None):
        names.append(model)
        return None  # not installed: the rules split sentences

    monkeypatch.setattr(pipeline, "full_model", full_model)
    monkeypatch.delenv(pipeline.MODEL_ENV, raising=False)
    return names


@pytest.fixture
def transcript(tmp_path):
    f = tmp_path / "ana.txt"
    f.write_text(TEXT, encoding="utf-8")
    return f


def test_model_argument_reaches_the_loader(empty_project, asked, transcript):
    report = documents.import_files(empty_project, [transcript], model="xx_team_pipeline")
    assert report.imported == ["ana"] and asked == ["xx_team_pipeline"]


def test_model_argument_wins_over_the_environment(empty_project, asked, transcript, monkeypatch):
    monkeypatch.setenv(pipeline.MODEL_ENV, "xx_from_env")
    documents.import_files(empty_project, [transcript], model="xx_team_pipeline")
    assert asked == ["xx_team_pipeline"]


def test_environment_model_when_no_argument(empty_project, asked, transcript, monkeypatch):
    monkeypatch.setenv(pipeline.MODEL_ENV, "xx_from_env")
    documents.import_files(empty_project, [transcript])
    assert asked == ["xx_from_env"]


def test_no_model_anywhere_uses_the_rules_without_the_loader(empty_project, asked, transcript):
    report = documents.import_files(empty_project, [transcript])
    assert report.imported == ["ana"] and asked == []
