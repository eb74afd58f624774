"""Writes into a GeoPackage in place, in one SQLite transaction, at the cost of the change.

GDAL encodes each layer's new rows (geometry blobs, dates, booleans) into a GeoPackage in memory; those
are attached to the store's connection and their rows copied across with INSERT ... SELECT, all layers in
one transaction. The store runs in WAL mode: readers keep reading the last committed state while a write
goes on, and a writer that dies leaves an uncommitted tail in the WAL that SQLite discards. A layer the
store lacks, or one being replaced, gets the schema GDAL made for it in memory (table, R-tree, triggers,
gpkg_* rows). Unique keys are unique indexes, and rows that would repeat one are skipped, not failed.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, Literal

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import StoreError
from geo.store.gpkg_functions import register_geometry_functions
from geo.store.gpkg_rows import EncodedRows, encoded_rows

_BUSY_TIMEOUT_S = 60.0
#: SQLite's default limit of attached databases: one per layer of a write.
MAX_LAYERS_PER_WRITE = 10
#: gpkg_* tables with rows per layer, copied with a new layer and removed with a replaced one.
_LAYER_ROWS = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents",
               "gpkg_data_columns")


def _creation_order(entry: tuple[str, str]) -> int:
    """The table first, then its R-tree (whose shadow tables make themselves), then what refers to both."""
    kind, sql = entry
    if sql.startswith("CREATE VIRTUAL"):
        return 1
    return {"table": 0, "trigger": 2}.get(kind, 3)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(path: Path) -> sqlite3.Connection:
    """A connection in WAL mode with the functions the R-tree triggers call; transactions explicit."""
    connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
    register_geometry_functions(connection)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    return connection


def connect_to_read(path: Path) -> sqlite3.Connection:
    """A connection for a look-up: it changes no setting of the file and writes nothing."""
    return sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S)


#: How long a write's checkpoint waits for readers (other processes' snapshots) before it leaves the rest.
_CHECKPOINT_WAIT_MS: Final = 200


def checkpoint(connection: sqlite3.Connection, *, complete: bool = False) -> None:
    """Move committed pages into the file itself, so the .gpkg alone holds them (a copy of only that file
    is whole). When a reader holds an old snapshot, what is left waits for the next checkpoint: the
    commit is already durable in the WAL, and a write must not stall behind a long read (SQLite would
    wait for it as long as the busy timeout). `complete` waits for readers, for a file about to be
    replaced."""
    if complete:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    connection.execute(f"PRAGMA busy_timeout = {_CHECKPOINT_WAIT_MS}")
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT_S * 1000)}")


#: GeoPackage 1.3 for new stores: its R-tree triggers are the ones GDAL's validator and older readers
#: know; a store made as 1.4 (GDAL's default) gets new layers in its own version.
NEW_STORE_OPTIONS: Final = {"VERSION": "1.3"}
#: DATETIME always with milliseconds (`...T08:00:00.000Z`): GDAL drops a zero fraction by default, and
#: the GeoPackage's own pattern (and GDAL 3.6's validator) wants it.
LAYER_OPTIONS: Final = {"DATETIME_PRECISION": "MILLISECOND"}


def _encoded(name: str, frame: pd.DataFrame, promote: bool, version: str) -> bytes:
    buffer = io.BytesIO()
    options = {"promote_to_multi": True} if promote and isinstance(frame, gpd.GeoDataFrame) else {}
    pyogrio.write_dataframe(frame, buffer, layer=name, driver="GPKG", dataset_options={"VERSION": version},
                            layer_options=LAYER_OPTIONS, **options)
    return buffer.getvalue()


def _has_table(connection: sqlite3.Connection, schema: str, name: str) -> bool:
    row = connection.execute(f"SELECT 1 FROM {schema}.sqlite_master WHERE type = 'table' AND name = ?",
                             (name,)).fetchone()
    return row is not None


def _geometry_column(connection: sqlite3.Connection, schema: str, table: str) -> str | None:
    row = connection.execute(f"SELECT column_name FROM {schema}.gpkg_geometry_columns WHERE table_name = ?",
                             (table,)).fetchone()
    return None if row is None else str(row[0])


def _columns(connection: sqlite3.Connection, schema: str, table: str) -> dict[str, str]:
    rows = connection.execute(f"PRAGMA {schema}.table_info({_quoted(table)})").fetchall()
    return {str(row[1]): str(row[2]) for row in rows if not row[5]}  # without the primary key (fid)


def add_unique_keys(connection: sqlite3.Connection, keys: Mapping[str, Sequence[str]]) -> None:
    """A unique index per key of the layers the store has; a store whose rows already repeat a key (one
    written before keys were kept) is named with the repeat, not silently deduplicated."""
    present = {str(name) for (name,) in connection.execute("SELECT table_name FROM main.gpkg_contents")}
    for table, key in keys.items():
        # Only a layer with every key column: SQLite would read a missing "name" as a string literal.
        if table not in present or not set(key) <= set(_columns(connection, "main", table)):
            continue
        columns = ", ".join(_quoted(column) for column in key)
        try:
            connection.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS main.{_quoted(f'{table}_unique_key')} "
                               f"ON {_quoted(table)} ({columns})")
        except sqlite3.IntegrityError:
            raise StoreError(f"layer {table!r} has rows that repeat ({', '.join(key)}); remove the repeats "
                             "before writing to this store") from None


def add_lookup_indexes(connection: sqlite3.Connection, lookups: Mapping[str, Sequence[str]]) -> None:
    """An index on each lookup column (geo.schema.LOOKUP_COLUMNS) of the layers the store has."""
    present = {str(name) for (name,) in connection.execute("SELECT table_name FROM main.gpkg_contents")}
    for table, columns in lookups.items():
        if table not in present:
            continue
        for column in set(columns) & set(_columns(connection, "main", table)):
            connection.execute(f"CREATE INDEX IF NOT EXISTS main.{_quoted(f'{table}_{column}_lookup')} "
                               f"ON {_quoted(table)} ({_quoted(column)})")


class _Transaction:
    """One write: every layer's staged rows attached, then copied in one transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection
        self.stores = {str(name) for (name,) in self.db.execute("SELECT table_name FROM main.gpkg_contents")}

    def encode(self, table: str, frame: pd.DataFrame) -> EncodedRows | None:
        """An append's rows as SQLite values (geo.store.gpkg_rows), or None when GDAL must stage them:
        the layer is new, lacks one of the frame's columns, or a value is of a kind encoded only by GDAL."""
        if table not in self.stores or "fid" in {str(name).lower() for name in frame.columns}:
            return None
        geometry = _geometry_column(self.db, "main", table)
        present = set(_columns(self.db, "main", table)) | ({geometry} if geometry else set())
        own_geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
        attributes = [str(name) for name in frame.columns if name != own_geometry]
        if not set(attributes) <= present:
            return None
        kind = self.db.execute("SELECT geometry_type_name, srs_id FROM main.gpkg_geometry_columns "
                               "WHERE table_name = ?", (table,)).fetchone()
        return encoded_rows(frame, geometry_column=geometry, geometry_type=None if kind is None else kind[0],
                            srs_id=None if kind is None else int(kind[1]))

    def insert_rows(self, table: str, encoded: EncodedRows) -> int:
        """Append encoded rows; rows repeating a unique key are skipped. Rows inserted."""
        if not encoded.rows:
            return 0
        targets = ", ".join(_quoted(column) for column in encoded.columns)
        marks = ", ".join("?" * len(encoded.columns))
        cursor = self.db.executemany(f"INSERT INTO main.{_quoted(table)} ({targets}) VALUES ({marks}) "
                                     "ON CONFLICT DO NOTHING", encoded.rows)
        return int(cursor.rowcount)  # summed over the rows, without what the layer's triggers change

    def stage(self, frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
        """Attach each frame as a GeoPackage of its own; the schema name of each layer."""
        multi = {str(name) for (name,) in self.db.execute(
            "SELECT table_name FROM main.gpkg_geometry_columns WHERE geometry_type_name LIKE 'MULTI%'")}
        user_version = int(self.db.execute("PRAGMA main.user_version").fetchone()[0])
        version = "1.4" if user_version >= 10400 else "1.3"
        schemas = {}
        for number, (name, frame) in enumerate(frames.items()):
            schema = f"staged_{number}"
            self.db.execute(f"ATTACH DATABASE ':memory:' AS {schema}")
            self.db.deserialize(_encoded(name, frame, promote=name in multi, version=version), name=schema)
            schemas[name] = schema
        return schemas

    def drop(self, table: str) -> None:
        """A layer with its R-tree (triggers and indexes go with the table) and its gpkg_* rows."""
        column = _geometry_column(self.db, "main", table)
        if column is not None:
            self.db.execute(f"DROP TABLE IF EXISTS main.{_quoted(f'rtree_{table}_{column}')}")
        self.db.execute(f"DROP TABLE IF EXISTS main.{_quoted(table)}")
        for meta in _LAYER_ROWS:
            if _has_table(self.db, "main", meta):
                self.db.execute(f"DELETE FROM main.{meta} WHERE lower(table_name) = lower(?)", (table,))
        self.stores.discard(table)

    def create(self, table: str, schema: str) -> None:
        """The layer as GDAL made it in `schema`: table, R-tree, triggers, indexes, gpkg_* rows."""
        column = _geometry_column(self.db, schema, table)
        rtree = f"rtree_{table}_{column}" if column else ""
        objects = self.db.execute(
            f"SELECT type, sql FROM {schema}.sqlite_master "
            "WHERE sql IS NOT NULL AND (tbl_name = ? OR name = ?)", (table, rtree)).fetchall()
        counted = _has_table(self.db, "main", "gpkg_ogr_contents")
        for _kind, sql in sorted(objects, key=_creation_order):
            if counted or "gpkg_ogr_contents" not in sql:
                self.db.execute(sql)
        self.db.execute("INSERT OR IGNORE INTO main.gpkg_spatial_ref_sys "
                        f"SELECT * FROM {schema}.gpkg_spatial_ref_sys")
        for meta in _LAYER_ROWS:
            if _has_table(self.db, "main", meta) and _has_table(self.db, schema, meta):
                self.db.execute(
                    f"INSERT INTO main.{meta} SELECT * FROM {schema}.{meta} WHERE table_name = ?", (table,))
        if counted:
            self.db.execute("UPDATE main.gpkg_ogr_contents SET feature_count = 0 WHERE table_name = ?",
                            (table,))
        self.stores.add(table)

    def widen(self, table: str, schema: str) -> None:
        """Columns the new rows have and the layer lacks, added with GDAL's type for them."""
        present = _columns(self.db, "main", table)
        for column, kind in _columns(self.db, schema, table).items():
            if column not in present and column != _geometry_column(self.db, schema, table):
                self.db.execute(f"ALTER TABLE main.{_quoted(table)} ADD COLUMN {_quoted(column)} {kind}")

    def insert(self, table: str, schema: str) -> int:
        """Copy the staged rows; rows repeating a unique key are skipped. Rows inserted."""
        source_geometry = _geometry_column(self.db, schema, table)
        target_geometry = _geometry_column(self.db, "main", table)
        pairs = [(column, column) for column in _columns(self.db, schema, table) if column != source_geometry]
        if source_geometry and target_geometry:
            pairs.append((target_geometry, source_geometry))
        targets = ", ".join(_quoted(target) for target, _ in pairs)
        sources = ", ".join(_quoted(source) for _, source in pairs)
        cursor = self.db.execute(
            f"INSERT INTO main.{_quoted(table)} ({targets}) SELECT {sources} FROM {schema}.{_quoted(table)} "
            "WHERE true ON CONFLICT DO NOTHING")
        return int(cursor.rowcount)

    def staged_extent(self, table: str, schema: str) -> tuple[float, float, float, float] | None:
        extent = self.db.execute(f"SELECT min_x, min_y, max_x, max_y FROM {schema}.gpkg_contents "
                                 "WHERE table_name = ?", (table,)).fetchone()
        return None if extent is None or extent[0] is None else tuple(extent)

    def touch_contents(self, table: str, extent: tuple[float, float, float, float] | None,
                       replaced: bool) -> None:
        """gpkg_contents' last change, and its extent grown by the new rows' (or theirs, when replaced)."""
        stamp = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
        if extent is None:
            self.db.execute(f"UPDATE main.gpkg_contents SET last_change = {stamp} WHERE table_name = ?",
                            (table,))
            return
        pick = ("?", "?", "?", "?") if replaced else (
            "min(coalesce(min_x, ?), ?)", "min(coalesce(min_y, ?), ?)",
            "max(coalesce(max_x, ?), ?)", "max(coalesce(max_y, ?), ?)")
        values = list(extent) if replaced else [value for value in extent for _ in (0, 1)]
        self.db.execute(
            f"UPDATE main.gpkg_contents SET last_change = {stamp}, min_x = {pick[0]}, min_y = {pick[1]}, "
            f"max_x = {pick[2]}, max_y = {pick[3]} WHERE table_name = ?", (*values, table))


def write_in_place(
    path: Path, frames: Mapping[str, pd.DataFrame], *, mode: Literal["replace", "append"],
    unique_keys: Mapping[str, Sequence[str]], lookups: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, int]:
    """Write `frames` into the GeoPackage at `path` in one transaction; rows written per layer. Unique keys
    and lookup columns of the layers written are indexed."""
    indexed = lookups or {}
    if len(frames) > MAX_LAYERS_PER_WRITE:
        raise ValueError(f"{len(frames)} layers in one write: at most {MAX_LAYERS_PER_WRITE}")
    connection = connect(path)
    try:
        write = _Transaction(connection)
        # Appended rows SQLite can take as they are skip GDAL; the rest is staged by it.
        encoded = {table: write.encode(table, frame) if mode == "append" else None
                   for table, frame in frames.items()}
        schemas = write.stage({table: frame for table, frame in frames.items() if encoded[table] is None})
        connection.execute("BEGIN IMMEDIATE")
        try:
            written = {}
            for table, rows in encoded.items():
                replaced = False
                if rows is None:
                    replaced = mode == "replace" or table not in write.stores
                    if replaced:
                        write.drop(table)
                        write.create(table, schemas[table])
                    else:
                        write.widen(table, schemas[table])
                add_unique_keys(connection, {table: unique_keys[table]} if table in unique_keys else {})
                add_lookup_indexes(connection, {table: indexed[table]} if table in indexed else {})
                if rows is None:
                    written[table] = write.insert(table, schemas[table])
                    write.touch_contents(table, write.staged_extent(table, schemas[table]), replaced)
                else:
                    written[table] = write.insert_rows(table, rows)
                    write.touch_contents(table, rows.extent, replaced)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        checkpoint(connection)
        return written
    finally:
        connection.close()
