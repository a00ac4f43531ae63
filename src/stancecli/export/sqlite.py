"""The dataset as one SQLite file for Datasette and sqlite-utils: tables with foreign keys,
views for the everyday questions, and FTS5 full-text search on quotes and source text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from stancecli.export import need
from stancecli.export.atomic import dataset_files, replace_atomically
from stancecli.export.tables import Export, Table, about, build
from stancecli.model import Dataset

if TYPE_CHECKING:
    from stancecli.corpus import Sources

VIEWS = {
    # One row per position with its first quote: `compare` for every issue at once.
    "compare": """
        SELECT p.issue, i.title_nb AS issue_title, p.organisation, o.name AS organisation_name, o.kind,
               p.document, d.year, p.stance, p.score, p.reported_by, p.summary_nb, p.summary_en,
               q.text AS quote, q.citation
        FROM positions p
        JOIN issues i ON i.key = p.issue
        JOIN organisations o ON o.id = p.organisation
        JOIN documents d ON d.id = p.document
        LEFT JOIN quotes q ON q.position = p.id AND q.rank = 1
        ORDER BY i.rowid, p.score DESC, o.short""",
    # The agreement matrix as rows: every pair once, closest first, pairs with nothing shared last.
    "agreement_pairs": """
        SELECT g.a, oa.name AS a_name, g.b, ob.name AS b_name, g.proximity, g.shared, g.issues
        FROM agreement g
        JOIN organisations oa ON oa.id = g.a
        JOIN organisations ob ON ob.id = g.b
        WHERE g.a < g.b
        ORDER BY g.proximity IS NULL, g.proximity DESC, g.shared DESC""",
    # Issues most divided first, with who took which stance.
    "conflicts": """
        SELECT s.rank, s.issue, i.title_nb AS issue_title, s.positions, s."for", s.mixed, s.against,
               s.agreement, s.verdict,
               (SELECT group_concat(o.short || ' ' || m.stance, ', ') FROM map m
                JOIN organisations o ON o.id = m.organisation
                WHERE m.issue = s.issue AND m.stance != 'not-addressed') AS stances
        FROM spread s JOIN issues i ON i.key = s.issue
        ORDER BY s.rank""",
    # Every quote with whose words they are and where to find them.
    "quotes_cited": """
        SELECT q.id, q.issue, q.organisation, o.name AS organisation_name, q.stance, q.text, q.speaker,
               q.document, d.title AS document_title, d.year, q.line_start, q.line_end, q.citation
        FROM quotes q
        JOIN organisations o ON o.id = q.organisation
        JOIN documents d ON d.id = q.document""",
}


def _write_table(db, table: Table) -> None:
    if table.rows:
        db[table.name].insert_all(table.rows, pk=table.pk, foreign_keys=table.foreign_keys,
                                  columns=table.types or None)
    elif table.types:
        # insert_all creates nothing from no rows; the empty table still belongs in the file.
        db[table.name].create(table.types, pk=table.pk, foreign_keys=table.foreign_keys)
    if table.full_text and table.rows:
        db[table.name].enable_fts(list(table.full_text), fts_version="FTS5")


def write_database(path: Path, export: Export, info: list[dict]) -> None:
    import sqlite3

    try:
        _write_database(path, export, info)
    except sqlite3.OperationalError as exc:  # "database or disk is full", "disk I/O error"
        raise OSError(str(exc)) from None


def _write_database(path: Path, export: Export, info: list[dict]) -> None:
    sqlite_utils = need("sqlite_utils", "export sqlite")
    db = sqlite_utils.Database(path)
    try:
        # A temporary file, fsynced once and renamed when complete: no journal, no sync per commit.
        db.conn.execute("PRAGMA journal_mode = OFF")
        db.conn.execute("PRAGMA synchronous = OFF")
        db.conn.execute("PRAGMA foreign_keys = ON")
        for table in export.tables:
            _write_table(db, table)
        db["about"].insert_all(info, pk="key")
        for name, sql in VIEWS.items():
            db.create_view(name, sql.strip())
        db.index_foreign_keys()
        db.vacuum()
    finally:
        db.close()


def export_sqlite(ds: Dataset, path: Path, generated: str, sources: Sources | None = None) -> list[str]:
    """Write the dataset to `path` (replacing it atomically); return warnings for the user."""
    export = build(ds, sources)
    replace_atomically(path, lambda tmp: write_database(tmp, export, about(ds, generated)), dataset_files(ds))
    return export.warnings
