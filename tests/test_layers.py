"""The layering rules of ARCHITECTURE.md, checked on the source with :mod:`ast`.

Rules (a violation names file and line):

1. SQL lives in ``qualcode/store/`` only. In every other ``.py`` file under ``qualcode/``:
   - no call of a function or method named ``execute``, ``executemany`` or ``executescript``;
   - no string literal (plain, or the literal parts of an f-string; docstrings excepted) that
     starts, after leading whitespace, with an upper-case SQL statement keyword followed by
     whitespace: SELECT INSERT UPDATE DELETE REPLACE CREATE DROP ALTER PRAGMA BEGIN COMMIT
     ROLLBACK SAVEPOINT RELEASE VACUUM ATTACH DETACH WITH. Upper case is required so that
     ordinary prose ("Update the codebook ...") is not mistaken for SQL;
   - no ``import sqlite3`` / ``from sqlite3 import ...``, with one exception: ``qualcode/cli.py``
     may import ``sqlite3`` when every use of the name is ``sqlite3.<ExceptionClass>`` inside the
     type of an ``except`` clause (turning a database error into ``error: ...``); any other use
     (``sqlite3.connect``, a call, an annotation) is a violation.
2. Qt (``PySide6``, ``PyQt5/6``, ``shiboken6``) is imported only in ``qualcode/ui/``,
   ``qualcode/app.py`` and ``main.py``; and ``qualcode.ui`` is imported only from those too.
3. spaCy (``spacy``, ``thinc``) is imported only in ``qualcode/nlp/``.
4. ``qualcode/core/`` is pure: it imports none of ``qualcode.store``, ``.services``, ``.ui``,
   ``.io``, ``.nlp``, ``.cli``, ``.app``, nor ``sqlite3``/``sqlite_utils``, Qt or spaCy.
   ``qualcode/store/`` imports none of ``services``, ``ui``, ``cli``, ``app`` (imports point down).

Imports are found anywhere in a module (also inside functions: a lazy import is still an
import); relative imports are resolved to absolute module names first.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "qualcode"
PY = sys.executable
QUALCODE = Path(sys.executable).with_name("qualcode")

SQL_CALLS = {"execute", "executemany", "executescript"}
SQL_LITERAL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|"
    r"VACUUM|ATTACH|DETACH|WITH)\s")
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")
SPACY = ("spacy", "thinc")


def _sources() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, line) for every import in the file; ``from a import b`` yields
    both ``a`` and ``a.b`` (b may be a sub-module)."""
    out = []
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.append((mod, node.lineno))
            out += [(f"{mod}.{a.name}", node.lineno) for a in node.names if a.name != "*"]
    return out


def _is(mod: str, roots) -> bool:
    return any(mod == r or mod.startswith(r + ".") for r in roots)


def _docstring_nodes(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                ids.add(id(body[0].value))
    return ids


def sql_violations(path: Path) -> list[str]:
    tree = _parse(path)
    docstrings = _docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name in SQL_CALLS:
                found.append(f"{_rel(path)}:{node.lineno}: {name}() call")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if SQL_LITERAL.match(node.value):
                found.append(f"{_rel(path)}:{node.lineno}: SQL literal {node.value[:40]!r}")
    return found


def sqlite3_violations(path: Path) -> list[str]:
    """``import sqlite3`` outside store/, except the CLI's ``except sqlite3.X`` handling."""
    tree = _parse(path)
    found = []
    imported = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(_is(a.name, ["sqlite3"]) for a in node.names):
            imported = True
            if _rel(path) != "qualcode/cli.py":
                found.append(f"{_rel(path)}:{node.lineno}: import sqlite3")
        elif isinstance(node, ast.ImportFrom) and not node.level and _is(node.module or "", ["sqlite3"]):
            found.append(f"{_rel(path)}:{node.lineno}: from sqlite3 import ...")
    if imported and _rel(path) == "qualcode/cli.py":
        allowed = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                for sub in ast.walk(node.type):
                    if (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name)
                            and sub.value.id == "sqlite3" and sub.attr.endswith("Error")):
                        allowed.add(id(sub.value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "sqlite3" and id(node) not in allowed:
                found.append(f"{_rel(path)}:{node.lineno}: sqlite3 used outside an except clause")
    return found


# -- the checks themselves --------------------------------------------------------------------

NON_STORE = [p for p in _sources() if not _rel(p).startswith("qualcode/store/")]


def test_the_scan_sees_the_package():
    rels = {_rel(p) for p in _sources()}
    assert {"qualcode/cli.py", "qualcode/store/database.py", "qualcode/services/coding.py"} <= rels
    assert any(sql_violations(p) for p in _sources() if _rel(p).startswith("qualcode/store/")), \
        "the SQL detector finds nothing in store/: the rule would pass vacuously"


def test_no_sql_outside_store():
    found = [v for p in NON_STORE for v in sql_violations(p)]
    assert not found, "SQL outside qualcode/store:\n" + "\n".join(found)


def test_sqlite3_only_in_store_and_the_cli_error_handler():
    found = [v for p in NON_STORE for v in sqlite3_violations(p)]
    assert not found, "\n".join(found)


def test_qt_only_in_ui_app_and_main():
    allowed = lambda rel: rel.startswith("qualcode/ui/") or rel in ("qualcode/app.py", "main.py")  # noqa: E731
    found = []
    for p in _sources() + [ROOT / "main.py"]:
        if not p.exists() or allowed(_rel(p)):
            continue
        for mod, line in imports(p):
            if _is(mod, QT) or _is(mod, ["qualcode.ui"]):
                found.append(f"{_rel(p)}:{line}: imports {mod}")
    assert not found, "\n".join(found)


def test_spacy_only_in_nlp():
    found = [f"{_rel(p)}:{line}: imports {mod}" for p in _sources() if not _rel(p).startswith("qualcode/nlp/")
             for mod, line in imports(p) if _is(mod, SPACY)]
    assert not found, "\n".join(found)


def test_core_is_pure():
    banned = ["qualcode.store", "qualcode.services", "qualcode.ui", "qualcode.io", "qualcode.nlp", "qualcode.cli",
              "qualcode.app", "sqlite3", "sqlite_utils", *QT, *SPACY]
    found = [f"{_rel(p)}:{line}: imports {mod}" for p in _sources() if _rel(p).startswith("qualcode/core/")
             for mod, line in imports(p) if _is(mod, banned)]
    found += [v for p in _sources() if _rel(p).startswith("qualcode/core/") for v in sql_violations(p)]
    assert not found, "\n".join(found)


def test_store_does_not_import_upper_layers():
    banned = ["qualcode.services", "qualcode.ui", "qualcode.cli", "qualcode.app", *QT, *SPACY]
    found = [f"{_rel(p)}:{line}: imports {mod}" for p in _sources() if _rel(p).startswith("qualcode/store/")
             for mod, line in imports(p) if _is(mod, banned)]
    assert not found, "\n".join(found)


# -- the detectors catch what they should (so the rules above cannot pass by accident) ----------

@pytest.mark.parametrize("source,expect", [
    ("conn.execute('SELECT 1')\n", 2),  # the call and the literal
    ("x = f'''\n  UPDATE code SET {k} = ?'''\n", 1),
    ("c.executemany(q, rows)\n", 1),
    ("msg = 'Update the codebook first'\n", 0),
    ("def f():\n    '''SELECT is explained here.'''\n", 0),
])
def test_sql_detector(tmp_path, monkeypatch, source, expect):
    f = tmp_path / "qualcode" / "mod.py"
    f.parent.mkdir()
    f.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert len(sql_violations(f)) == expect


@pytest.mark.parametrize("source,expect", [
    ("import sqlite3\ntry:\n    pass\nexcept sqlite3.Error:\n    pass\n", 0),
    ("import sqlite3\ntry:\n    pass\nexcept (OSError, sqlite3.DatabaseError):\n    pass\n", 0),
    ("import sqlite3\nsqlite3.connect('x')\n", 1),
    ("import sqlite3\nE = sqlite3.Error\n", 1),
])
def test_sqlite3_detector_on_the_cli(tmp_path, monkeypatch, source, expect):
    f = tmp_path / "qualcode" / "cli.py"
    f.parent.mkdir()
    f.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert len(sqlite3_violations(f)) == expect


def test_relative_imports_are_resolved(tmp_path, monkeypatch):
    f = tmp_path / "qualcode" / "core" / "m.py"
    f.parent.mkdir(parents=True)
    f.write_text("def g():\n    from ..store import codes\n    from . import spans\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    mods = {m for m, _ in imports(f)}
    assert {"qualcode.store", "qualcode.store.codes", "qualcode.core", "qualcode.core.spans"} <= mods


# -- start-up stays light ---------------------------------------------------------------------------

HEAVY = ("PySide6", "spacy", "pandas", "numpy")


def test_importing_the_cli_loads_no_heavy_packages():
    code = ("import sys, qualcode.cli; qualcode.cli.build_parser(); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))")
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_a_read_command_loads_neither_qt_nor_spacy(sample_file):
    code = ("import sys, io, contextlib\nfrom qualcode.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    rc = main(['info', {str(sample_file)!r}, '--json'])\n"
            "print(rc, sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'spacy')))")
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0 []"


def test_help_exits_zero():
    proc = subprocess.run([str(QUALCODE), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "usage: qualcode" in proc.stdout


def _walk(parser: argparse.ArgumentParser, prefix=()):
    """(command words, help text, sub-parser) for every sub-command, depth first."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield prefix + (name,), helps.get(name), sub
                yield from _walk(sub, prefix + (name,))


def test_every_sub_command_has_help_text(capsys):
    from qualcode.cli import build_parser

    commands = list(_walk(build_parser()))
    names = {" ".join(c) for c, _, _ in commands}
    assert {"new", "sample", "import", "info", "documents", "cases import", "codebook import", "codebook export",
            "code", "codings import", "codings export"} <= names
    missing = [" ".join(c) for c, h, _ in commands if not (h and h.strip())]
    assert not missing, f"sub-commands without help: {missing}"
    for words, _, sub in commands:
        with pytest.raises(SystemExit) as exc:
            build_parser().parse_args([*words, "--help"])
        assert exc.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: qualcode {' '.join(words)}"), out[:80]
        assert sub.description and sub.description.strip(), words
