"""Random and mutated files through every importer: a document or a clear InvalidInput,
never another exception.

Every registered importer is fuzzed with random bytes under each of its suffixes; those with a
seed in _inputs.SEEDS also get mutations of a valid file (and, for zip formats, of the XML
inside). What an importer returns must be usable: NFC text with speaker turns inside it.
"""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.errors import QualCodeError
from qualcode.io import importers

from tests.io._fixtures import rezip

from ._inputs import SEEDS, ZIP_MEMBERS, mutated, mutated_member

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
SUFFIXES = sorted(importers.SUFFIXES)


def read_or_refuse(data: bytes, name: str) -> None:
    try:
        result = importers.read_bytes(data, name)
    except QualCodeError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
        return
    text = result.text
    assert isinstance(text, str) and text.strip()
    assert unicodedata.is_normalized("NFC", text) and "\r" not in text
    for start, end, label in result.speaker_turns():
        assert 0 <= start < end <= len(text) and label


def test_every_seed_is_read():
    """The seeds are valid files, so the mutations start from something that works."""
    for suffix, data in SEEDS.items():
        assert importers.read_bytes(data, f"seed{suffix}").text.strip(), suffix


@pytest.mark.parametrize("suffix", SUFFIXES)
@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes(suffix, data):
    read_or_refuse(data, f"random{suffix}")


@pytest.mark.parametrize("suffix", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_mutated_valid_files(suffix, data):
    read_or_refuse(data.draw(mutated(SEEDS[suffix])), f"mutated{suffix}")


@pytest.mark.parametrize("suffix", sorted(ZIP_MEMBERS))
@FUZZ
@given(data=st.data())
def test_mutated_xml_inside_valid_packages(suffix, data):
    read_or_refuse(data.draw(mutated_member(SEEDS[suffix], ZIP_MEMBERS[suffix])), f"inner{suffix}")


@FUZZ
@given(text=st.text(max_size=400))
def test_any_unicode_text(text):
    for suffix in (".txt", ".md", ".vtt", ".srt", ".html"):
        read_or_refuse(text.encode("utf-8", "surrogatepass"), f"text{suffix}")


# -- what the fuzzers found, kept as plain regression tests -----------------------------------------

@pytest.mark.parametrize("suffix", sorted(ZIP_MEMBERS))
def test_an_xml_part_declaring_an_unknown_encoding_is_refused(suffix):
    """expat raised LookupError (not a ParseError) for ``encoding="TTF-8"``: a traceback."""
    import zipfile

    seed = SEEDS[suffix]
    member = ZIP_MEMBERS[suffix]
    body = zipfile.ZipFile(io.BytesIO(seed)).read(member)
    body = re.sub(rb"encoding=(['\"])UTF-8\1", rb"encoding=\1TTF-8\1", body, count=1, flags=re.I)
    assert b"TTF-8" in body
    with pytest.raises(QualCodeError, match="not well-formed XML"):
        importers.read_bytes(rezip(seed, replace={member: body}), f"bad{suffix}")


def test_a_codebook_declaring_an_unknown_encoding_is_refused():
    from qualcode.io import qdc

    with pytest.raises(QualCodeError, match="not well-formed XML"):
        qdc.read(b'<?xml version="1.0" encoding="TTF-8"?><CodeBook/>', "bad.qdc")
