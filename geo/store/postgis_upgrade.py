"""`pingan store upgrade` for PostGIS: the `timestamp` columns of a store of schema 1 (naive Beijing
wall-clock times) turned into `timestamptz` read as LOCAL_TIMEZONE, with the new schema version in the
meta table; the caller holds the write lock and the transaction."""

from __future__ import annotations

from typing import Any

from geo.schema import LOCAL_TIMEZONE, STORE_SCHEMA, STORE_SCHEMA_KEY, Layer


def _local_columns(cursor: Any) -> list[tuple[str, str]]:
    cursor.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                   "current_schema() AND data_type = 'timestamp without time zone' "
                   "ORDER BY table_name, ordinal_position")
    return [(str(table), str(column)) for table, column in cursor.fetchall()]


def _record_schema(cursor: Any, row_column: str) -> None:
    from psycopg import sql  # psycopg is imported only by a PostGIS store (geo.store.postgis)

    meta = sql.Identifier(Layer.META.value)
    cursor.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({} bigserial, key text, value text)").format(
        meta, sql.Identifier(row_column)))
    cursor.execute(sql.SQL("DELETE FROM {} WHERE key = %s").format(meta), (STORE_SCHEMA_KEY,))
    cursor.execute(sql.SQL("INSERT INTO {} (key, value) VALUES (%s, %s)").format(meta),
                   (STORE_SCHEMA_KEY, str(STORE_SCHEMA)))


def upgrade_times(cursor: Any, *, row_column: str) -> dict[str, int]:
    """Every `timestamp` column as `timestamptz`, its values read as the city's time; values converted
    per `table.column` (none for a store already upgraded)."""
    from psycopg import sql

    converted = {}
    for table, column in _local_columns(cursor):
        name, target = sql.Identifier(table), sql.Identifier(column)
        cursor.execute(sql.SQL("SELECT count({}) FROM {}").format(target, name))
        converted[f"{table}.{column}"] = int(cursor.fetchone()[0])
        cursor.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} TYPE timestamptz USING {} AT TIME ZONE {}")
                       .format(name, target, target, sql.Literal(LOCAL_TIMEZONE)))
    _record_schema(cursor, row_column)
    return converted
