"""Deterministic synthetic projects for the benchmark, at the scales of PERFORMANCE.md.

Everything is drawn from one seeded ``random.Random`` per scale, so the same scale always
yields the same bytes. Inputs are written as a user would hand them to QualCode:

- ``docs/interview_NNNN.txt``: speaker-labelled interview transcripts (``Interviewer:`` and
  the respondent's name), sentences of words from a fixed vocabulary with some non-ASCII,
  occasional timestamps and unlabelled continuation paragraphs; UTF-8, ``\\n``, NFC (so offsets
  in the codings CSV are the code points QualCode stores);
- ``codebook.csv``: 8 categories with 50 leaf codes (``path,definition,color``);
- ``codings_NNN.csv``: ``document,code,coder,start,end,text,memo`` in chunks of at most
  100,000 rows. Coders code the same passages with jittered boundaries and sometimes a
  different code, as real coders do, so agreement and co-occurrence have something to find.

Generation is not timed. Results are cached under ``$QUALCODE_BENCH_CACHE`` (default
``<tmp>/qualcode-bench``) in a folder keyed by scale, seed and generator version, written to
a scratch folder and renamed into place when complete, so an interrupted run never leaves a
half-built cache behind.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 1  # bump whenever the output of this module changes
SEED = 20261124
CHUNK_ROWS = 100_000  # codings per CSV file


@dataclass(frozen=True)
class Scale:
    name: str
    documents: int
    chars: int  # characters per document (approximate, to within one paragraph)
    codings: int
    coders: int


SCALES: dict[str, Scale] = {
    "S": Scale("S", 50, 20_000, 5_000, 2),
    "M": Scale("M", 500, 20_000, 100_000, 2),
    "L": Scale("L", 2_000, 25_000, 1_000_000, 3),
}

CODERS = ["anna", "bård", "chiara"]

# 8 categories, 50 leaf codes.
CODEBOOK: dict[str, list[str]] = {
    "Work": ["Employment history", "Workplace conflict", "Unemployment", "Career change", "Colleagues",
             "Trade union", "Wages"],
    "Family": ["Parents", "Children", "Marriage", "Siblings", "Care duties", "Inheritance", "Family rituals"],
    "Migration": ["Leaving home", "Arrival", "Return", "Remittances", "Papers and permits", "Heimat"],
    "Health": ["Illness", "Doctors", "Mental health", "Ageing", "Accidents", "Pharmacy"],
    "Education": ["School", "University", "Teachers", "Language learning", "Apprenticeship", "Exams"],
    "Community": ["Neighbours", "Church", "Associations", "Café life", "Festivals", "Rumours"],
    "Memory": ["Childhood", "War years", "Turning points", "Objects and photos", "Forgetting", "Places"],
    "Emotions": ["Pride", "Shame", "Fear", "Nostalgia", "Anger", "Hope"],
}

_WORDS = """
the a and of to in that it was we my he she they them our their his her there then so but or
not no yes very just really quite always never often sometimes after before when while because
if although until since about around over under through between again still already only even
also perhaps maybe nobody somebody everyone something nothing everything
I you me us i'm it's don't didn't couldn't wasn't we'd they'd that's
mother father brother sister aunt uncle grandmother grandfather children son daughter husband
wife neighbour neighbours friend friends teacher doctor priest mayor foreman boss colleague
village town city house flat kitchen garden field factory mine harbour station school church
market square street road river bridge border train bus ship letter photograph papers permit
money wages rent bread coffee wine sugar milk potatoes winter summer spring autumn morning
evening night year years month week day days war peace strike union party office shift
work worked working remember remembered forget forgot think thought know knew say said told
tell asked came went left stayed moved lived died married born grew learned taught bought sold
wrote read carried waited lost found heard saw felt believed hoped feared missed kept gave took
good bad old young new small big long short hard difficult easy poor rich cold warm strange
proud ashamed afraid happy sad angry tired quiet loud different same whole first last next
home abroad together alone away back down up out inside outside nearby far close early late
café naïve façade rôle fiancée déjà vu Zürich München Kraków Łódź Málaga São Paulo Göteborg
straße über schön Grüße jalapeño piñata smörgåsbord Ærø Øresund señora crème brûlée
""".split()

_RESPONDENTS = ["Marta", "Björn", "Søren", "Chloé", "Agnès", "Dmitri", "Ngozi", "Mateus", "Ilse", "Jürgen",
                "Oksana", "Rosário", "Yusuf", "Helga", "Tomás", "Éva", "Kasia", "Lars", "Amélie", "Nikos"]
_MEMOS = ["check with second coder", "ambiguous — could also be Memory/Turning points",
          "=quoted from the letter, see p. 3", "strong example, \"use in chapter 4\"",
          "-- unclear audio here", "@Bård: does this count as hearsay?", "Grüße an das Team; revisit"]


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


WORDS = [_nfc(w) for w in _WORDS]
RESPONDENTS = [_nfc(n) for n in _RESPONDENTS]
MEMOS = [_nfc(m) for m in _MEMOS]


def code_paths() -> list[str]:
    """The 50 leaf code paths, in codebook order."""
    return [f"{cat}/{leaf}" for cat, leaves in CODEBOOK.items() for leaf in leaves]


@dataclass
class Inputs:
    """A generated (cached) input set for one scale."""

    scale: Scale
    root: Path
    docs_dir: Path
    doc_files: list[Path]
    raw_bytes: int  # total size of the .txt files
    codebook_csv: Path
    codings_csvs: list[Path]
    codings: int
    coders: list[str]


# -- documents -----------------------------------------------------------------------------------

def _sentence(rng: random.Random, question: bool) -> str:
    words = rng.choices(WORDS, k=rng.randint(5, 22))
    if rng.random() < 0.35:
        words[rng.randrange(1, len(words))] += ","
    first = words[0]
    words[0] = first[0].upper() + first[1:]
    if question:
        end = "?"
    else:
        end = rng.choices([".", ".", ".", ".", ".", "!", "…", "?"], k=1)[0]
    s = " ".join(words).rstrip(",") + end
    r = rng.random()
    if r < 0.04:
        s = f"“{s}”"  # quoted speech
    elif r < 0.05:
        s += " \U0001F642"  # an astral character now and then (UTF-16 surrogate pair in Qt)
    return s


def _timestamp(rng: random.Random, seconds: int) -> str:
    return f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] "


def document_text(rng: random.Random, chars: int) -> str:
    respondent = rng.choice(RESPONDENTS)
    timestamps = rng.random() < 0.3
    clock = rng.randint(0, 120)
    paras: list[str] = [f"Interview {rng.randint(1, 9999):04d} — {respondent}, recorded in "
                        f"{rng.choice(['Kraków', 'Zürich', 'Göteborg', 'Málaga', 'Łódź', 'the village hall'])}."]
    total = len(paras[0])
    while total < chars:
        before = len(paras)
        q = " ".join(_sentence(rng, i == 0 or rng.random() < 0.5) for i in range(rng.randint(1, 3)))
        prefix = _timestamp(rng, clock) if timestamps else ""
        paras.append(f"{prefix}Interviewer: {q}")
        clock += rng.randint(5, 40)
        answer = " ".join(_sentence(rng, False) for _ in range(rng.randint(2, 12)))
        prefix = _timestamp(rng, clock) if timestamps else ""
        paras.append(f"{prefix}{respondent}: {answer}")
        clock += rng.randint(20, 200)
        if rng.random() < 0.2:  # an unlabelled continuation paragraph of the same speaker
            paras.append(" ".join(_sentence(rng, False) for _ in range(rng.randint(1, 6))))
        total += sum(len(p) + 2 for p in paras[before:])
    return _nfc("\n\n".join(paras) + "\n")


# -- codings -------------------------------------------------------------------------------------

def _snap_start(text: str, pos: int) -> int:
    """Move forward to the start of a word."""
    if pos == 0 or text[pos - 1] in " \n":
        return pos
    nxt = text.find(" ", pos)
    return nxt + 1 if 0 <= nxt < len(text) - 1 else pos


def _snap_end(text: str, pos: int, start: int) -> int:
    """Move back to the end of a word (never to or before ``start``)."""
    if pos >= len(text):
        return len(text)
    prev = text.rfind(" ", start + 1, pos + 1)
    return prev if prev > start else pos


def _codings(rng: random.Random, scale: Scale, names: list[str], texts: list[str],
             with_text: bool) -> list[tuple]:
    codes = code_paths()
    # Zipf-like popularity, shuffled so popular codes are spread over categories.
    order = list(range(len(codes)))
    rng.shuffle(order)
    weights = [0.0] * len(codes)
    for rank, i in enumerate(order):
        weights[i] = 1.0 / (rank + 1) ** 0.8
    coders = CODERS[:scale.coders]
    rows: list[tuple] = []
    n_docs = len(texts)
    while len(rows) < scale.codings:
        d = rng.randrange(n_docs)
        text = texts[d]
        length = min(int(rng.lognormvariate(5.0, 0.7)) + 15, 2000)  # median ~160 chars
        start = _snap_start(text, rng.randrange(0, max(1, len(text) - length)))
        end = _snap_end(text, min(len(text), start + length), start)
        code = rng.choices(range(len(codes)), weights)[0]
        for coder in coders:
            if len(rows) >= scale.codings:
                break
            if rng.random() < 0.15:
                continue  # this coder did not code the passage
            s, e = start, end
            if rng.random() < 0.6:  # jittered boundaries
                s = _snap_start(text, max(0, s + rng.randint(-40, 40)))
                e = _snap_end(text, min(len(text), e + rng.randint(-40, 40)), s)
                if e <= s:
                    s, e = start, end
            c = code if rng.random() < 0.8 else rng.choices(range(len(codes)), weights)[0]
            memo = rng.choice(MEMOS) if rng.random() < 0.03 else ""
            rows.append((names[d], codes[c], coder, s, e, text[s:e] if with_text else "", memo))
    rows.sort(key=lambda r: (r[0], r[3], r[4]))
    return rows


def _guard(value: str) -> str:
    """The spreadsheet guard QualCode's own export applies (see qualcode.core.cells)."""
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


# -- the cache -----------------------------------------------------------------------------------

def cache_root() -> Path:
    env = os.environ.get("QUALCODE_BENCH_CACHE")
    return Path(env) if env else Path(tempfile.gettempdir()) / "qualcode-bench"


def _key(scale: Scale, with_text: bool) -> str:
    return f"{scale.name}-v{GENERATOR_VERSION}-seed{SEED}" + ("-text" if with_text else "")


def _load(scale: Scale, root: Path) -> Inputs:
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return Inputs(
        scale=scale, root=root, docs_dir=root / "docs",
        doc_files=[root / "docs" / f for f in manifest["doc_files"]],
        raw_bytes=manifest["raw_bytes"], codebook_csv=root / "codebook.csv",
        codings_csvs=[root / f for f in manifest["codings_csvs"]],
        codings=manifest["codings"], coders=manifest["coders"],
    )


def generate(scale: str | Scale, with_text: bool = True, log=print) -> Inputs:
    """The inputs for ``scale``, from the cache when present (otherwise built, then cached).

    ``with_text`` fills the codings CSV ``text`` column with the coded passage, as QualCode's
    own export does (QualCode ignores it on import, but still has to parse it).
    """
    scale = SCALES[scale] if isinstance(scale, str) else scale
    base = cache_root()
    root = base / _key(scale, with_text)
    if (root / "manifest.json").is_file():
        return _load(scale, root)
    base.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{root.name}-", dir=base))
    try:
        log(f"generating scale {scale.name} into {root} ...")
        rng = random.Random(f"{SEED}-{scale.name}")
        (scratch / "docs").mkdir()
        names, texts, files, raw = [], [], [], 0
        for i in range(scale.documents):
            name = f"interview_{i + 1:04d}"
            text = document_text(rng, scale.chars)
            data = text.encode("utf-8")
            (scratch / "docs" / f"{name}.txt").write_bytes(data)
            names.append(name)
            texts.append(text)
            files.append(f"{name}.txt")
            raw += len(data)
        with open(scratch / "codebook.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["path", "definition", "color"])
            for ci, (cat, leaves) in enumerate(CODEBOOK.items()):
                w.writerow([cat, f"Passages about {cat.lower()}.", f"#{(ci * 2654435761) & 0xFFFFFF:06x}"])
                for leaf in leaves:
                    w.writerow([f"{cat}/{leaf}", f"The speaker talks about {leaf.lower()}.", ""])
        rows = _codings(rng, scale, names, texts, with_text)
        chunks = []
        for n, first in enumerate(range(0, len(rows), CHUNK_ROWS)):
            fname = f"codings_{n:03d}.csv"
            with open(scratch / fname, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(["document", "code", "coder", "start", "end", "text", "memo"])
                w.writerows((d, c, k, s, e, _guard(t), _guard(m)) for d, c, k, s, e, t, m in rows[first:first + CHUNK_ROWS])
            chunks.append(fname)
        manifest = {"scale": scale.name, "seed": SEED, "generator_version": GENERATOR_VERSION,
                    "doc_files": files, "raw_bytes": raw, "codings_csvs": chunks, "codings": len(rows),
                    "coders": CODERS[:scale.coders], "with_text": with_text}
        (scratch / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if root.exists():  # a concurrent run finished first; keep its copy
            shutil.rmtree(scratch)
        else:
            scratch.rename(root)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return _load(scale, root)


if __name__ == "__main__":  # python -m bench.synth [S M L]: pre-build the cache
    import sys
    import time

    for s in sys.argv[1:] or ["S", "M", "L"]:
        t = time.perf_counter()
        inp = generate(s)
        print(f"{s}: {len(inp.doc_files)} documents, {inp.raw_bytes / 1e6:.1f} MB text, {inp.codings} codings "
              f"in {len(inp.codings_csvs)} file(s) at {inp.root} ({time.perf_counter() - t:.1f} s)")
