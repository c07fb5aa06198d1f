"""Numbered, forward-only schema migrations.

Each migration is a small named function that takes an open connection inside a
transaction. ``SCHEMA_VERSION`` is the number of the last one. A project is upgraded on open,
after a backup copy (see :mod:`qualcode.store.database`); nothing ever migrates down.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

# GUIDs are stored as 32 lowercase hex digits, made by SQLite itself so bulk inserts need no
# Python call per row (three times cheaper than assembling the dashed form in SQL). The dashed
# 8-4-4-4-12 form exists only at the exchange boundary (core/guids.py).
GUID = "(lower(hex(randomblob(16))))"
NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
EPOCH = "(CAST(strftime('%s', 'now') AS INTEGER))"


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the caller's transaction.

    ``executescript`` would commit first; a migration must be all or nothing.
    """
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                conn.execute(pending)
            pending = ""


def m001_initial(conn: sqlite3.Connection) -> None:
    """The data model of docs/ARCHITECTURE.md."""
    run_script(
        conn,
        f"""
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE coder (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE DEFAULT {GUID},
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            color TEXT
        );

        CREATE TABLE case_ (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: memos and attributes point here
            guid TEXT NOT NULL UNIQUE DEFAULT {GUID},
            parent_id INTEGER REFERENCES case_(id) ON DELETE SET NULL,
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            kind TEXT NOT NULL DEFAULT 'other'
                CHECK (kind IN ('cluster', 'organisation', 'informant', 'other')),
            memo TEXT
        );

        CREATE TABLE attribute (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            scope TEXT NOT NULL CHECK (scope IN ('document', 'case')),
            type TEXT NOT NULL DEFAULT 'text' CHECK (type IN ('text', 'number', 'date', 'boolean')),
            UNIQUE (name, scope)
        );
        CREATE TABLE attribute_value (
            attribute_id INTEGER NOT NULL REFERENCES attribute(id) ON DELETE CASCADE,
            owner_id INTEGER NOT NULL,
            value TEXT,
            PRIMARY KEY (attribute_id, owner_id)
        ) WITHOUT ROWID;

        CREATE TABLE document (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: memos and attributes point here
            guid TEXT NOT NULL UNIQUE DEFAULT {GUID},
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            chars INTEGER NOT NULL,  -- before text: the span trigger reads it without touching the text pages
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            source TEXT,
            kind TEXT NOT NULL DEFAULT 'interview',
            interview_date TEXT,
            period_discussed TEXT,
            language TEXT,
            memo TEXT,
            created_at TEXT NOT NULL DEFAULT {NOW}
        );
        CREATE INDEX document_sha256 ON document(sha256);

        CREATE TABLE document_case (
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            case_id INTEGER NOT NULL REFERENCES case_(id) ON DELETE CASCADE,
            PRIMARY KEY (document_id, case_id)
        ) WITHOUT ROWID;
        CREATE INDEX document_case_case ON document_case(case_id);

        CREATE TABLE speaker_turn (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            case_id INTEGER REFERENCES case_(id) ON DELETE SET NULL,
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX speaker_turn_doc ON speaker_turn(document_id, start);

        CREATE TABLE segment (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('sentence', 'paragraph')),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX segment_doc ON segment(document_id, kind, start);

        CREATE TABLE code (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: memos and attributes point here
            guid TEXT NOT NULL UNIQUE DEFAULT {GUID},
            parent_id INTEGER REFERENCES code(id) ON DELETE RESTRICT,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND instr(name, '/') = 0),
            color TEXT,
            definition TEXT,
            inclusion TEXT,
            exclusion TEXT,
            example TEXT,
            memo TEXT,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'retired')),
            merged_into INTEGER REFERENCES code(id),
            ordinal INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT {NOW}
        );
        CREATE UNIQUE INDEX code_sibling_name ON code(ifnull(parent_id, 0), name);

        CREATE TABLE coding (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: memos and attributes point here
            guid TEXT NOT NULL DEFAULT {GUID},  -- no index: codings are many, looked up by guid rarely
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES code(id) ON DELETE RESTRICT,
            coder_id INTEGER NOT NULL REFERENCES coder(id) ON DELETE RESTRICT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            memo TEXT,
            evidence TEXT NOT NULL DEFAULT 'unknown'
                CHECK (evidence IN ('witnessed', 'own experience', 'hearsay', 'unknown')),
            created_at INTEGER NOT NULL DEFAULT {EPOCH},  -- Unix seconds: 4-6 bytes, not 24
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX coding_doc_start ON coding(document_id, start);
        CREATE INDEX coding_code ON coding(code_id);

        -- A span may never leave its document, whoever writes it.
        CREATE TRIGGER coding_in_document_insert BEFORE INSERT ON coding
        WHEN NEW."end" > (SELECT chars FROM document WHERE id = NEW.document_id)
        BEGIN SELECT RAISE(ABORT, 'coding span ends after the end of its document'); END;
        CREATE TRIGGER coding_in_document_update BEFORE UPDATE OF start, "end", document_id ON coding
        WHEN NEW."end" > (SELECT chars FROM document WHERE id = NEW.document_id)
        BEGIN SELECT RAISE(ABORT, 'coding span ends after the end of its document'); END;
        -- Offsets point into the text: once coded, the text may not change under them.
        CREATE TRIGGER document_text_immutable BEFORE UPDATE OF text ON document
        WHEN OLD.text IS NOT NEW.text AND EXISTS (SELECT 1 FROM coding WHERE document_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'the text of a coded document cannot change'); END;

        CREATE TABLE codebook_version (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL UNIQUE CHECK (length(trim(label)) > 0),
            created_at TEXT NOT NULL DEFAULT {NOW},
            coder_id INTEGER REFERENCES coder(id) ON DELETE SET NULL,
            snapshot TEXT NOT NULL  -- JSON: every code with guid, path, fields, status, merged_into
        );

        CREATE TABLE memo (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE DEFAULT {GUID},
            target_type TEXT NOT NULL
                CHECK (target_type IN ('project', 'document', 'case', 'code', 'coding', 'story', 'telling')),
            target_id INTEGER,
            text TEXT NOT NULL,
            coder_id INTEGER REFERENCES coder(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL DEFAULT {NOW},
            updated_at TEXT NOT NULL DEFAULT {NOW}
        );
        CREATE INDEX memo_target ON memo(target_type, target_id);

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL DEFAULT {NOW},
            coder_id INTEGER REFERENCES coder(id) ON DELETE SET NULL,
            action TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{{}}'
        );

        CREATE TABLE story (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: memos and attributes point here
            guid TEXT NOT NULL UNIQUE DEFAULT {GUID},
            title TEXT NOT NULL UNIQUE CHECK (length(trim(title)) > 0),
            summary TEXT,
            memo TEXT
        );
        CREATE TABLE story_element (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES story(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            label TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'core' CHECK (kind IN ('core', 'detail')),
            UNIQUE (story_id, label)
        );
        CREATE TABLE telling (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: memos and attributes point here
            guid TEXT NOT NULL UNIQUE DEFAULT {GUID},
            story_id INTEGER NOT NULL REFERENCES story(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            teller_case_id INTEGER REFERENCES case_(id) ON DELETE SET NULL,
            role TEXT NOT NULL DEFAULT 'hearsay' CHECK (role IN ('protagonist', 'eyewitness', 'hearsay')),
            told_on TEXT,
            completeness REAL,
            memo TEXT,
            coding_id INTEGER REFERENCES coding(id) ON DELETE SET NULL,  -- the code applied with it, if any
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX telling_story ON telling(story_id);
        CREATE INDEX telling_document ON telling(document_id, start);
        CREATE TRIGGER telling_in_document_insert BEFORE INSERT ON telling
        WHEN NEW."end" > (SELECT chars FROM document WHERE id = NEW.document_id)
        BEGIN SELECT RAISE(ABORT, 'telling span ends after the end of its document'); END;
        CREATE TRIGGER telling_in_document_update BEFORE UPDATE OF start, "end", document_id ON telling
        WHEN NEW."end" > (SELECT chars FROM document WHERE id = NEW.document_id)
        BEGIN SELECT RAISE(ABORT, 'telling span ends after the end of its document'); END;
        CREATE TRIGGER document_text_immutable_told BEFORE UPDATE OF text ON document
        WHEN OLD.text IS NOT NEW.text AND EXISTS (SELECT 1 FROM telling WHERE document_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'the text of a document with tellings cannot change'); END;
        CREATE TABLE transmission (
            id INTEGER PRIMARY KEY,
            from_telling_id INTEGER REFERENCES telling(id) ON DELETE CASCADE,
            from_case_id INTEGER REFERENCES case_(id) ON DELETE SET NULL,
            from_text TEXT,
            to_telling_id INTEGER NOT NULL REFERENCES telling(id) ON DELETE CASCADE,
            basis TEXT NOT NULL DEFAULT 'stated' CHECK (basis IN ('stated', 'inferred')),
            evidence_document_id INTEGER REFERENCES document(id) ON DELETE SET NULL,
            evidence_start INTEGER,
            evidence_end INTEGER
        );
        CREATE INDEX transmission_to ON transmission(to_telling_id);
        CREATE TABLE realization (
            telling_id INTEGER NOT NULL REFERENCES telling(id) ON DELETE CASCADE,
            element_id INTEGER NOT NULL REFERENCES story_element(id) ON DELETE CASCADE,
            status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'implied', 'contradicted')),
            position INTEGER,
            start INTEGER,
            "end" INTEGER,
            variant TEXT,
            PRIMARY KEY (telling_id, element_id),
            CHECK ((start IS NULL) = ("end" IS NULL) AND (start IS NULL OR (start >= 0 AND "end" > start)))
        ) WITHOUT ROWID;
        -- Passages the researcher rejected as tellings of a story: suggestions skip them.
        CREATE TABLE story_rejected_passage (
            story_id INTEGER NOT NULL REFERENCES story(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            PRIMARY KEY (story_id, document_id, start, "end"),
            CHECK (start >= 0 AND "end" > start)
        ) WITHOUT ROWID;
        """
    )


def m002_report_index(conn: sqlite3.Connection) -> None:
    """A covering index for the reports: counts per code x document x coder come from the
    index alone, without reading the table (a frequency table at a million codings in a
    tenth of a second instead of half a second)."""
    conn.execute("CREATE INDEX IF NOT EXISTS coding_code_doc_coder ON coding(code_id, document_id, coder_id)")
    # Its prefix serves every lookup by code_id, and a scan of it (it holds coder_id) answers
    # every count filtered by coder without touching the table, so the single-column indexes
    # only cost space and insert time (a coder index alone cost a fifth of a bulk import).
    conn.execute("DROP INDEX IF EXISTS coding_code")
    conn.execute("DROP INDEX IF EXISTS coding_coder")


def m003_full_text_search(conn: sqlite3.Connection) -> None:
    """``text_fts``: an FTS5 index over paragraph segments, for search and keyword in context.

    External content: the index stores no text of its own; ``paragraph_text`` cuts each
    paragraph out of its document (``substr`` counts code points, as offsets do). No
    column sizes either (``columnsize = 0``): they serve only bm25 ranking, and hits are
    listed in text order. New
    paragraphs are indexed by ``documents.insert_segments`` with text it already holds (a
    trigger would have to ``substr`` every paragraph again, which triples the indexing
    time); deleting or changing documents and segments is kept in sync by the triggers below.
    Documents already in the project are indexed here.
    """
    run_script(
        conn,
        """
        CREATE VIEW paragraph_text(id, text) AS
            SELECT s.id, substr(d.text, s.start + 1, s."end" - s.start)
            FROM segment s JOIN document d ON d.id = s.document_id WHERE s.kind = 'paragraph';
        CREATE VIRTUAL TABLE text_fts USING fts5(
            text, content = 'paragraph_text', content_rowid = 'id', columnsize = 0,
            tokenize = 'unicode61 remove_diacritics 2');

        -- A document's rows leave the index before its segments cascade away (the segment
        -- trigger then finds no document and does nothing).
        CREATE TRIGGER text_fts_document_delete BEFORE DELETE ON document BEGIN
            INSERT INTO text_fts(text_fts, rowid, text)
                SELECT 'delete', s.id, substr(old.text, s.start + 1, s."end" - s.start)
                FROM segment s WHERE s.document_id = old.id AND s.kind = 'paragraph';
        END;
        CREATE TRIGGER text_fts_segment_delete AFTER DELETE ON segment WHEN old.kind = 'paragraph' BEGIN
            INSERT INTO text_fts(text_fts, rowid, text)
                SELECT 'delete', old.id, substr(d.text, old.start + 1, old."end" - old.start)
                FROM document d WHERE d.id = old.document_id;
        END;
        CREATE TRIGGER text_fts_segment_update AFTER UPDATE OF document_id, kind, start, "end" ON segment BEGIN
            INSERT INTO text_fts(text_fts, rowid, text)
                SELECT 'delete', old.id, substr(d.text, old.start + 1, old."end" - old.start)
                FROM document d WHERE d.id = old.document_id AND old.kind = 'paragraph';
            INSERT INTO text_fts(rowid, text)
                SELECT new.id, substr(d.text, new.start + 1, new."end" - new.start)
                FROM document d WHERE d.id = new.document_id AND new.kind = 'paragraph';
        END;
        CREATE TRIGGER text_fts_text_before BEFORE UPDATE OF text ON document WHEN old.text IS NOT new.text BEGIN
            INSERT INTO text_fts(text_fts, rowid, text)
                SELECT 'delete', s.id, substr(old.text, s.start + 1, s."end" - s.start)
                FROM segment s WHERE s.document_id = old.id AND s.kind = 'paragraph';
        END;
        CREATE TRIGGER text_fts_text_after AFTER UPDATE OF text ON document WHEN old.text IS NOT new.text BEGIN
            INSERT INTO text_fts(rowid, text)
                SELECT s.id, substr(new.text, s.start + 1, s."end" - s.start)
                FROM segment s WHERE s.document_id = new.id AND s.kind = 'paragraph';
        END;

        INSERT INTO text_fts(text_fts) VALUES ('rebuild');
        """,
    )


# (number, name, function); append only, never reorder or edit a released one.
MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "initial", m001_initial),
    (2, "report_index", m002_report_index),
    (3, "full_text_search", m003_full_text_search),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
