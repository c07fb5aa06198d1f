"""Which spaCy pipeline a document gets, and loading it without ever downloading anything.

The model is named by ``$QUALCODE_SPACY_MODEL`` (a package name such as ``en_core_web_sm``
or a path to a saved pipeline) or by the caller. When it is not installed, or it is for
another language than the document's, the pipeline is ``spacy.blank(language)`` with a
rule-based sentencizer: sentences still work, entities do not. Loaded pipelines are cached
per (model, language), as loading one takes seconds.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

MODEL_ENV = "QUALCODE_SPACY_MODEL"
FALLBACK_LANGUAGE = "xx"  # spaCy's multi-language tokenizer


def configured_model() -> str | None:
    return os.environ.get(MODEL_ENV, "").strip() or None


@functools.lru_cache(maxsize=4)
@functools.lru_cache(maxsize=4)
def _installed(model: str):
    """The loaded model, or None when it is not installed (spacy.load never downloads).

    Loaded once per process. A name that is neither an installed package nor a folder is
    answered without importing spaCy at all, so an unset-up default costs nothing."""
    if not Path(model).is_dir():
        try:
            if importlib.util.find_spec(model) is None:
                return None
        except (ImportError, ValueError):  # "../x", "a..b": not a package name either
            return None
    import spacy

    try:
        return spacy.load(model)
    except (OSError, ImportError, ValueError):
        return None


@functools.lru_cache(maxsize=8)
def _blank(language: str):
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):  # an unknown language code
        nlp = spacy.blank(FALLBACK_LANGUAGE)
    nlp.add_pipe("sentencizer")
    return nlp


def full_model(model: str | None = None, language: str | None = None):
    """The named (or configured) model when it is installed and fits ``language``; else None."""
    model = model or configured_model()
    if not model:
        return None
    nlp = _installed(model)
    if nlp is None or (language and nlp.lang != language.split("-")[0].lower()):
        return None
    return nlp


def load(model: str | None = None, language: str | None = None):
    """The pipeline for a document in ``language`` (an ISO code; None: unknown)."""
    nlp = full_model(model, language)
    if nlp is not None:
        return nlp
    return _blank((language or FALLBACK_LANGUAGE).split("-")[0].lower())
