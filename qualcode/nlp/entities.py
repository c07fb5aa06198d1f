"""Names of people, organisations and places found by a pipeline's entity recogniser.

A trained model's ``ner`` or an ``entity_ruler`` (a list of names the team already knows)
finds them. Without either, :func:`qualcode.core.pseudonyms.capitalised_names` is the
fallback the services use.
"""

from __future__ import annotations

KINDS = {"PERSON": "person", "PER": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
         "FAC": "place"}


def has_ner(nlp) -> bool:
    return any(name in ("ner", "entity_ruler") or name.endswith("_ruler") for name in nlp.pipe_names)


def names(nlp, text: str, paras: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """(start, end, name, kind) for each person, organisation or place, paragraph by paragraph."""
    out = []
    for (ps, _), doc in zip(paras, nlp.pipe(text[s:e] for s, e in paras)):
        for ent in doc.ents:
            kind = KINDS.get(ent.label_)
            if kind:
                out.append((ps + ent.start_char, ps + ent.end_char, ent.text, kind))
    return out
