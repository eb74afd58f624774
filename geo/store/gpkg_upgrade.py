"""`pingan store upgrade` for a GeoPackage: the datetime columns of a store of schema 1 (naive Beijing
wall-clock text) rewritten as GeoPackage DATETIME in UTC, in place and in one transaction with the new
schema version in the meta layer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from geo.schema import STORE_SCHEMA, STORE_SCHEMA_KEY, Layer
from geo.store.gpkg_write import _quoted, _Transaction, checkpoint, connect
from geo.store.local_times import utc_texts_of_local


def datetime_columns(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, column) of every DATETIME column of the store's layers."""
    tables = [str(name) for (name,) in connection.execute("SELECT table_name FROM gpkg_contents")]
    return [(table, str(row[1])) for table in tables
            for row in connection.execute(f"PRAGMA table_info({_quoted(table)})")
            if str(row[2]).upper() == "DATETIME"]


def holds_local_times(connection: sqlite3.Connection) -> bool:
    """Whether any DATETIME value lacks its zone (a store written before schema 2)."""
    return any(connection.execute(f"SELECT 1 FROM {_quoted(table)} WHERE {_quoted(column)} IS NOT NULL "
                                  f"AND {_quoted(column)} NOT LIKE '%Z' LIMIT 1").fetchone()
               for table, column in datetime_columns(connection))


def _record_schema(write: _Transaction, staged_meta: str | None) -> None:
    """The meta layer's schema row; `staged_meta` is the meta layer GDAL made for a store without one."""
    if staged_meta is not None:
        write.create(Layer.META.value, staged_meta)
        write.insert(Layer.META.value, staged_meta)
        return
    write.db.execute('DELETE FROM main.meta WHERE "key" = ?', (STORE_SCHEMA_KEY,))
    write.db.execute('INSERT INTO main.meta ("key", "value") VALUES (?, ?)', (STORE_SCHEMA_KEY,
                                                                            str(STORE_SCHEMA)))


def _rewrite_in_utc(connection: sqlite3.Connection, table: str, column: str) -> int:
    """The column's naive values rewritten as UTC (converted all at once: per value is far slower)."""
    name = _quoted(column)
    rows = connection.execute(f"SELECT rowid, {name} FROM main.{_quoted(table)} "
                              f"WHERE {name} IS NOT NULL AND {name} NOT LIKE '%Z'").fetchall()
    if not rows:
        return 0
    utc = utc_texts_of_local([str(text) for _, text in rows])
    connection.executemany(f"UPDATE main.{_quoted(table)} SET {name} = ? WHERE rowid = ?",
                           zip(utc, (rowid for rowid, _ in rows), strict=True))
    return len(rows)


def upgrade_geopackage(path: Path) -> dict[str, int]:
    """Rewrite every naive DATETIME value as UTC and record STORE_SCHEMA; values rewritten per
    `table.column`. A store already upgraded is left as it is (nothing to rewrite)."""
    connection = connect(path)
    try:
        write = _Transaction(connection)
        staged_meta = None
        if Layer.META.value not in write.stores:  # staged before the transaction: SQLite attaches outside one
            staged_meta = write.stage({Layer.META.value: pd.DataFrame(
                {"key": [STORE_SCHEMA_KEY], "value": [str(STORE_SCHEMA)]})})[Layer.META.value]
        connection.execute("BEGIN IMMEDIATE")
        try:
            rewritten = {}
            for table, column in datetime_columns(connection):
                rewritten[f"{table}.{column}"] = _rewrite_in_utc(connection, table, column)
            _record_schema(write, staged_meta)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        checkpoint(connection)
        return rewritten
    finally:
        connection.close()
