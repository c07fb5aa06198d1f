"""spaCy pipelines: the blank fallback, a configured pipeline (saved here, never downloaded),
sentences in code points, and entity-based name suggestions through an EntityRuler."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from qualcode.core import segmentation  # noqa: E402
from qualcode.nlp import entities, pipeline, sentences  # noqa: E402
from qualcode.services import documents, pseudonyms  # noqa: E402
from qualcode.store import documents as doc_store  # noqa: E402

from ..services._helpers import add_document  # noqa: E402

TEXT = ("Interviewer: We met Dr. Lee 😀 in Brenmoor. Was Tomas Halden there?\n\n"
        "Halden: Yes. we knew. Nordvik came too, and Tomas Halden spoke.\n")
PATTERNS = [{"label": "PERSON", "pattern": "Tomas Halden"}, {"label": "PERSON", "pattern": "Lee"},
            {"label": "ORG", "pattern": "Nordvik"}, {"label": "GPE", "pattern": "Brenmoor"}]


@pytest.fixture
def saved_model(tmp_path):
    """An English pipeline with a sentencizer and an EntityRuler, saved to disk as a model is."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    path = tmp_path / "tiny_model"
    nlp.to_disk(path)
    return str(path)


def test_without_a_model_the_pipeline_is_blank_with_a_sentencizer(monkeypatch):
    monkeypatch.delenv(pipeline.MODEL_ENV, raising=False)
    assert pipeline.full_model() is None
    nlp = pipeline.load(language="de")
    assert (nlp.lang, nlp.pipe_names) == ("de", ["sentencizer"])
    assert pipeline.load().lang == "xx"
    assert pipeline.load(language="zz-unknown").lang == "xx"
    assert not entities.has_ner(nlp)


def test_a_model_that_is_not_installed_falls_back_without_downloading(monkeypatch):
    monkeypatch.setenv(pipeline.MODEL_ENV, "xx_no_such_model_sm")
    assert pipeline.configured_model() == "xx_no_such_model_sm"
    assert pipeline.full_model() is None
    assert pipeline.load(language="en").pipe_names == ["sentencizer"]


def test_a_configured_model_is_used_when_its_language_fits(monkeypatch, saved_model):
    monkeypatch.setenv(pipeline.MODEL_ENV, saved_model)
    nlp = pipeline.full_model()
    assert nlp is not None and nlp.pipe_names == ["sentencizer", "entity_ruler"]
    assert pipeline.load(language="en") is nlp and pipeline.full_model(language="en-GB") is nlp
    assert pipeline.full_model(language="de") is None
    assert pipeline.load(language="de").lang == "de"


def test_sentences_are_code_point_spans_inside_paragraphs(saved_model):
    nlp = spacy.load(saved_model)
    got = sentences.sentences(nlp, TEXT, segmentation.paragraphs(TEXT))
    want = ["Interviewer: We met Dr. Lee 😀 in Brenmoor.", "Was Tomas Halden there?", "Halden: Yes.", "we knew.",
            "Nordvik came too, and Tomas Halden spoke."]
    starts = [TEXT.index(w) for w in want]
    assert got == [(s, s + len(w)) for s, w in zip(starts, want)]  # the emoji counts as one code point


def test_import_uses_a_configured_model_for_sentences(monkeypatch, saved_model, empty_project, tmp_path):
    monkeypatch.setenv(pipeline.MODEL_ENV, saved_model)
    add_document(empty_project, tmp_path, "t", TEXT)
    doc_id = documents.document_id(empty_project, "t")
    stored = doc_store.segments(empty_project.conn, doc_id, "sentence")
    assert stored == sentences.sentences(spacy.load(saved_model), TEXT, segmentation.paragraphs(TEXT))
    assert stored != segmentation.sentences(TEXT)  # the sentencizer ends "Yes." before a lower-case word


def test_name_suggestions_from_an_entity_ruler(empty_project, tmp_path, saved_model, monkeypatch):
    monkeypatch.delenv(pipeline.MODEL_ENV, raising=False)
    add_document(empty_project, tmp_path, "t", TEXT)
    add_document(empty_project, tmp_path, "u", "Varga: Nordvik again.\n")
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    found = [(s.original, s.kind, s.count, s.documents) for s in pseudonyms.suggest(empty_project, nlp=nlp)]
    assert found == [("Nordvik", "organisation", 2, ["t", "u"]), ("Tomas Halden", "person", 2, ["t"]),
                     ("Brenmoor", "place", 1, ["t"]), ("Lee", "person", 1, ["t"])]
    # the configured model is used when no pipeline is passed
    monkeypatch.setenv(pipeline.MODEL_ENV, saved_model)
    assert [(s.original, s.kind) for s in pseudonyms.suggest(empty_project, documents=["u"])] == [
        ("Nordvik", "organisation")]


def test_without_ner_the_capitalisation_rule_suggests(empty_project, tmp_path, monkeypatch):
    monkeypatch.delenv(pipeline.MODEL_ENV, raising=False)
    add_document(empty_project, tmp_path, "t", TEXT)
    found = {s.original: (s.kind, s.count) for s in pseudonyms.suggest(empty_project)}
    # Mid-sentence capitals only: "Interviewer", "Halden:" and "Nordvik" open sentences here;
    # "Was Tomas Halden" opens one, so its tail counts; "Dr" is a title, and "Lee" follows it.
    assert found == {"Lee": ("name", 1), "Brenmoor": ("name", 1), "Tomas Halden": ("name", 2)}


def test_a_language_without_spaces_gets_the_blank_pipeline(monkeypatch, empty_project, tmp_path):
    """The rules split only before whitespace; spaCy's sentencizer ends Chinese sentences at 。！？."""
    monkeypatch.delenv(pipeline.MODEL_ENV, raising=False)
    text = "我们去了工厂。然后下雨了！你呢？\n\n第二段。"
    f = tmp_path / "zh.txt"
    f.write_text(text, encoding="utf-8")
    documents.import_files(empty_project, [f], language="zh")
    doc_id = documents.document_id(empty_project, "zh")
    got = [text[s:e] for s, e in doc_store.segments(empty_project.conn, doc_id, "sentence")]
    assert got == ["我们去了工厂。", "然后下雨了！", "你呢？", "第二段。"]
    assert [text[s:e] for s, e in segmentation.sentences(text)] == ["我们去了工厂。然后下雨了！你呢？", "第二段。"]
