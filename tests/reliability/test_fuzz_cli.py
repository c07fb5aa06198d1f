"""Random argument lists to ``qualcode`` (in-process ``qualcode.cli.main``).

Commands, their positionals and their options are read from the real parser, so a command
added later is fuzzed too. Values come from a small world of real files (the sample project,
a second copy, CSVs, a transcript, a folder, junk, missing paths, outputs of every suffix) and
from random text. Allowed outcomes: exit 0; or exit 2 (1 only for ``check``, which found
problems) with a last stderr line ``error: ...`` and no traceback, and then every project in
the world exactly as it was. Any other exception fails the test.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode import cli
from qualcode.services import refi
from qualcode.store import database
from tests.cli._helpers import SAMPLE_DIR

SKIP = {("gui",), ("sample",)}  # a window; a whole sample build (slow, and tested elsewhere)
TEXT = st.text(alphabet=st.characters(blacklist_characters="/\\\x00", blacklist_categories=("Cs",)), max_size=12)


def commands() -> list[tuple[tuple[str, ...], list[argparse.Action], list[argparse.Action]]]:
    """(command path, positional actions, optional actions) for every command of the CLI."""
    out = []

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, path + (name,))
                return
        if path not in SKIP:
            out.append((path, [a for a in parser._actions if not a.option_strings],
                        [a for a in parser._actions if a.option_strings and not isinstance(a, argparse._HelpAction)]))

    walk(cli.build_parser(), ())
    return out


COMMANDS = commands()


class World:
    """The files commands are pointed at, reset before every example."""

    PROJECTS = ("p.qualcode", "other.qualcode")

    def __init__(self, root: Path, sample: Path):
        self.root = root
        self.template = sample.read_bytes()
        (root / "t.txt").write_text("Interviewer: Hello?\n\nHalden: In 1958, <b>four</b> machines.", encoding="utf-8")
        (root / "c.csv").write_text("document,code,coder,start,end\n01_halden,lock-in,Fuzz,0,10\n", encoding="utf-8")
        shutil.copy(SAMPLE_DIR / "cases.csv", root / "cases.csv")
        shutil.copy(SAMPLE_DIR / "codebook.csv", root / "codebook.csv")
        (root / "codebook.md").write_text("## fuzz/code\nDefinition: made by the fuzzer\n", encoding="utf-8")
        (root / "map.csv").write_text("original,pseudonym\nHalden,Person 1\n", encoding="utf-8")
        (root / "junk.bin").write_bytes(bytes(range(256)) * 4)
        (root / "d").mkdir()
        (root / "d" / "x.txt").write_text("Someone: a folder file.", encoding="utf-8")
        with database.open_db(sample, readonly=True) as db:
            refi.export_qdpx(db, root / "in.qdpx")
        self.base = {p.name for p in root.iterdir()}
        self.reset()

    def reset(self) -> None:
        for p in self.root.iterdir():
            if p.name not in self.base:
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        for name in self.PROJECTS:
            (self.root / name).write_bytes(self.template)

    def unchanged(self) -> bool:
        return all((self.root / name).read_bytes() == self.template for name in self.PROJECTS)


@pytest.fixture(scope="module")
def world(sample_file, tmp_path_factory):
    return World(tmp_path_factory.mktemp("fuzz-cli"), sample_file)


PROJECT = st.one_of(st.just("p.qualcode"), st.sampled_from(["other.qualcode", "missing.qualcode", "junk.bin", "d",
                                                             "t.txt", ""]))
FILE = st.sampled_from(["c.csv", "cases.csv", "codebook.csv", "codebook.md", "t.txt", "junk.bin", "missing.csv",
                        "d", "in.qdpx", "map.csv", "p.qualcode"])
OUT = st.sampled_from([f"out{s}" for s in (".csv", ".xlsx", ".html", ".md", ".json", ".qdc", ".docx", ".qdpx",
                                           ".graphml", ".dot", ".svg", ".txt", "")]
                      + ["new.qualcode", "p.qualcode", "d", "nowhere/out.csv"])
NAMES = st.sampled_from(["01_halden", "02_varga", "lock-in", "lock-in/cognitive", "Mira", "Jonas", "Mira,Jonas",
                         "1", "0", "-1", "99999", "Tomas Halden", "present", "core", "", "=1+1"])
VALUE = st.one_of(NAMES, TEXT, st.integers(-5, 20000).map(str))
OFFSET = st.one_of(st.integers(0, 400), st.integers(-3, 20000)).map(str)
DOCUMENT = st.one_of(st.sampled_from(["01_halden", "02_varga", "12_mayer"]), VALUE)
CODE = st.one_of(st.sampled_from(["lock-in", "lock-in/cognitive", "free-riding/design-stealing", "new/code"]), VALUE)
CODER = st.one_of(st.sampled_from(["Mira", "Jonas", "Fuzz"]), VALUE)
BY_DEST = {"project": PROJECT, "out_project": st.sampled_from(["new.qualcode", "p.qualcode", "missing/x.qualcode"]),
           "projects": st.lists(PROJECT, min_size=1, max_size=3), "paths": st.lists(FILE, min_size=1, max_size=3),
           "file": FILE, "out": OUT, "source": FILE, "backup": FILE, "document": DOCUMENT, "code": CODE,
           "coder": CODER, "into": st.one_of(CODE, CODER), "start": OFFSET, "end": OFFSET, "context": OFFSET,
           "within": OFFSET, "coders": st.sampled_from(["Mira,Jonas", "Mira", "Mira,Jonas,Fuzz", ",", "Mira,Mira"]),
           "from_coders": st.sampled_from(["Mira,Jonas", "Mira", "x,y"]),
           "story": st.one_of(st.sampled_from(["1", "2", "99"]), VALUE), "telling": st.sampled_from(["1", "5", "0"]),
           "element": st.sampled_from(["1", "2", "x"]), "pseudonymise": FILE, "codebook": FILE}


@st.composite
def argv(draw) -> list[str]:
    if draw(st.integers(0, 9)) == 0:  # now and then, a list of anything
        return draw(st.lists(st.one_of(VALUE, st.sampled_from([c[0][0] for c in COMMANDS] + ["--help", "--json"])),
                             max_size=6))
    path, positionals, optionals = draw(st.sampled_from(COMMANDS))
    args = list(path)
    for action in positionals:
        value = draw(BY_DEST.get(action.dest, VALUE))
        if action.nargs == "?" and draw(st.booleans()):
            continue
        args += value if isinstance(value, list) else [value]
    required = [a for a in optionals if a.required]
    extra = draw(st.lists(st.sampled_from(optionals), max_size=3, unique_by=id)) if optionals else []
    for action in required + [a for a in extra if not a.required]:
        flag = draw(st.sampled_from(action.option_strings))
        if action.nargs == 0:
            args.append(flag)
        elif action.choices is not None and draw(st.integers(0, 4)):
            args += [flag, str(draw(st.sampled_from(list(action.choices))))]
        else:
            args += [flag, draw(BY_DEST.get(action.dest, VALUE))]
    if draw(st.integers(0, 7)) == 0:
        del args[draw(st.integers(0, len(args) - 1))]  # a forgotten argument
    return args


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(args)
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return rc, out.getvalue(), err.getvalue()


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(args=argv())
def test_random_command_lines(world, monkeypatch, args):
    monkeypatch.chdir(world.root)
    world.reset()
    rc, out, err = run(args)
    assert "Traceback" not in err and "Traceback" not in out
    if rc == 0:
        return
    assert rc == 2 or (rc == 1 and args[:1] == ["check"]), (rc, args, err)
    if rc == 2:
        last = err.strip().splitlines()[-1] if err.strip() else ""
        assert last.startswith("error: "), (args, err)
    assert world.unchanged(), f"a failed command changed a project: {args} -> {err}"
