"""A store in a PostgreSQL database with PostGIS: the same `Store` protocol as the GeoPackage, for a
province or a server of its own.

Every write is one transaction: each layer's rows are copied into a temporary table and inserted from
there, rows that repeat a unique key (geo.schema.UNIQUE_KEYS) skipped, and a generation counter in
`pingan_state` raised in the same transaction, which is the store's `state()`. Geometry columns are
`geometry(Geometry, 4490)` with a GiST index. The write lock is an advisory lock of the database, so
writers on several machines take turns.
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo.crs import STORAGE_EPSG
from geo.errors import StoreError
from geo.schema import BOOKKEEPING_LAYERS, LOOKUP_COLUMNS, STORE_SCHEMA, UNIQUE_KEYS
from geo.store.area_filters import AreaReads, Equals
from geo.store.geopackage import WriteMode
from geo.store.postgis_rows import GEOMETRY, column_types, frame_of, rows_of
from geo.store.postgis_upgrade import upgrade_times

_STATE_TABLE: Final = "pingan_state"
#: Every table's hidden row number: the order rows were written in, which reads keep (the heap's own
#: order is not it: PostgreSQL fills free space in earlier pages).
_ROW: Final = "pingan_row"
#: The advisory lock every writer of a Pingan store takes (a fixed number: one store per database).
_WRITE_LOCK: Final = zlib.crc32(b"pingan-store-write")
_TYPE_NAMES: Final = {"boolean": "boolean", "bigint": "bigint", "integer": "integer",
                      "double precision": "double precision", "timestamp without time zone": "timestamp",
                      "timestamp with time zone": "timestamptz", "text": "text"}


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - a dependency; kept clear for a trimmed install
        raise StoreError("the PostGIS store needs psycopg 3: pip install 'psycopg[binary]'") from None
    return psycopg


def _name(text: str) -> Any:
    return _psycopg().sql.Identifier(text)


def _raise_generation(cursor: Any, *, content: bool = True) -> None:
    """The store's revision moves on with the transaction the cursor is in, and its state (the
    generation) too unless the transaction wrote bookkeeping layers only (`content` False)."""
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {_STATE_TABLE} (generation bigint NOT NULL)")
    cursor.execute(f"ALTER TABLE {_STATE_TABLE} ADD COLUMN IF NOT EXISTS revision bigint NOT NULL DEFAULT 0")
    cursor.execute(f"INSERT INTO {_STATE_TABLE} SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {_STATE_TABLE})")
    step = 1 if content else 0
    cursor.execute(f"UPDATE {_STATE_TABLE} SET generation = generation + {step}, revision = revision + 1")


class PostGISStore(AreaReads):
    """A store in the PostgreSQL database at `url` (postgresql://user@host:port/database)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()  # a read connection per thread, and the write lock's depth

    def __repr__(self) -> str:
        return f"PostGISStore({self.url!r})"

    # ------------------------------------------------------------ connections

    def _connect(self, *, autocommit: bool) -> Any:
        psycopg = _psycopg()
        try:
            return psycopg.connect(self.url, autocommit=autocommit, connect_timeout=10)
        except psycopg.OperationalError as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise StoreError(f"store {self.url} is not reachable: {first}") from None

    def _reader(self) -> Any:
        """This thread's connection for reads, opened again when the server dropped it."""
        connection = getattr(self._local, "reader", None)
        if connection is None or connection.closed or connection.broken:
            connection = self._connect(autocommit=True)
            self._local.reader = connection
        return connection

    @contextlib.contextmanager
    def reading(self) -> Iterator[Any]:
        """A cursor on this thread's read connection; StoreError when the server went away."""
        psycopg = _psycopg()
        try:
            yield self._reader().cursor()
        except psycopg.OperationalError as error:
            self._local.reader = None
            raise StoreError(f"store {self.url} is not readable: {error}") from None

    # ------------------------------------------------------------ reads

    def layers(self) -> list[str]:
        with self.reading() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                           "current_schema() AND table_type = 'BASE TABLE' AND table_name <> %s "
                           "AND table_name <> 'spatial_ref_sys' ORDER BY table_name", (_STATE_TABLE,))
            return [str(name) for (name,) in cursor.fetchall()]

    def _types(self, cursor: Any, layer: str) -> tuple[dict[str, str], bool]:
        """Attribute column -> type name (as column_types names them), and whether it has a geometry."""
        cursor.execute("SELECT column_name, data_type, udt_name FROM information_schema.columns WHERE "
                       "table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
                       (layer,))
        types, geometry = {}, False
        for name, data_type, udt in cursor.fetchall():
            if name == _ROW:
                continue
            if udt == "geometry":
                geometry = True
            else:
                types[str(name)] = _TYPE_NAMES.get(str(data_type), "text")
        return types, geometry

    def read_check(self, layer: str) -> None:
        available = self.layers()
        if layer not in available:
            raise StoreError(f"store {self.url} has no layer {layer!r}: it has {', '.join(available)}")

    def read(self, layer: str, *, equals: Equals | None = None, unset: Sequence[str] = ()) -> pd.DataFrame:
        """A layer as a GeoDataFrame (spatial layers) or DataFrame, filtered as `Store.read` describes."""
        sql = _psycopg().sql
        self.read_check(str(layer))
        with self.reading() as cursor:
            types, geometry = self._types(cursor, str(layer))
            fields = [_name(name) for name in types]
            if geometry:
                fields.append(sql.SQL("ST_AsBinary({})").format(_name(GEOMETRY)))
            terms, values = [], []
            for column, wanted in (equals or {}).items():
                many = not isinstance(wanted, str)
                terms.append(sql.SQL("{} = ANY(%s)" if many else "{} = %s").format(_name(str(column))))
                values.append([str(v) for v in wanted] if many else wanted)
            terms += [sql.SQL("{} IS NULL").format(_name(str(column))) for column in unset]
            where = sql.SQL(" WHERE ") + sql.SQL(" AND ").join(terms) if terms else sql.SQL("")
            query = sql.SQL("SELECT {} FROM {}{} ORDER BY {}").format(
                sql.SQL(", ").join(fields), _name(str(layer)), where, _name(_ROW))
            cursor.execute(query, values)
            return frame_of(cursor.fetchall(), list(types), types, geometry)

    def held_values(
        self, layer: str, column: str, values: Sequence[str], *, equals: Mapping[str, str] | None = None
    ) -> set[str]:
        """See `Store.held_values`."""
        if not values:
            return set()
        sql = _psycopg().sql
        self.read_check(str(layer))
        terms = [sql.SQL("{} = %s").format(_name(str(name))) for name in (equals or {})]
        terms.append(sql.SQL("{} = ANY(%s)").format(_name(str(column))))
        query = sql.SQL("SELECT DISTINCT {} FROM {} WHERE {}").format(
            _name(str(column)), _name(str(layer)), sql.SQL(" AND ").join(terms))
        with self.reading() as cursor:
            cursor.execute(query, [*(equals or {}).values(), [str(v) for v in values]])
            return {str(value) for (value,) in cursor.fetchall()}

    def count(self, layer: str) -> int:
        self.read_check(layer)
        with self.reading() as cursor:
            cursor.execute(_psycopg().sql.SQL("SELECT count(*) FROM {}").format(_name(layer)))
            return int(cursor.fetchone()[0])

    def state(self) -> str:
        """The generation every write raises but one to bookkeeping layers only
        (geo.schema.BOOKKEEPING_LAYERS); StoreError while the database is unreachable."""
        return str(self._counters().get("generation", 0))

    def revision(self) -> str:
        """A token that moves with every write; StoreError while the database is unreachable."""
        counters = self._counters()
        return f"{counters.get('generation', 0)}.{counters.get('revision', 0)}"

    def _counters(self) -> dict[str, int]:
        """The state table's counters (none before the first write; no revision in an older store)."""
        with self.reading() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (_STATE_TABLE,))
            if not cursor.fetchone()[0]:
                return {}
            cursor.execute(f"SELECT to_jsonb(counters) FROM {_STATE_TABLE} AS counters")
            row = cursor.fetchone()
            return {str(k): int(v) for k, v in row[0].items()} if row else {}

    # ------------------------------------------------------------ writes

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """The store's write lock (a session advisory lock), held across a read and the write that depends
        on it; re-entrant in one thread."""
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        with contextlib.closing(self._connect(autocommit=True)) as lock:
            lock.execute("SELECT pg_advisory_lock(%s)", (_WRITE_LOCK,))
            self._local.depth = 1
            try:
                yield
            finally:
                self._local.depth = 0
                lock.execute("SELECT pg_advisory_unlock(%s)", (_WRITE_LOCK,))

    def write(self, frames: Mapping[str, pd.DataFrame], *, mode: WriteMode = "replace") -> dict[str, int]:
        """Several layers in one transaction: all land, or none. Rows written per layer; rows repeating a
        unique key of geo.schema.UNIQUE_KEYS are skipped."""
        if mode not in ("replace", "append"):
            raise ValueError(f"write mode {mode!r}: allowed are 'replace', 'append'")
        for name, frame in frames.items():
            if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None \
                    and frame.crs.to_epsg() != STORAGE_EPSG:
                raise StoreError(f"layer {name!r} is in {frame.crs}; store layers are EPSG:{STORAGE_EPSG}")
        psycopg = _psycopg()
        with self.writing(), contextlib.closing(self._connect(autocommit=False)) as connection:
            try:
                with connection.transaction():
                    cursor = connection.cursor()
                    present = set(self._present(cursor))
                    written = {str(name): self._write_layer(cursor, str(name), frame,
                                                            mode == "replace" or str(name) not in present)
                               for name, frame in frames.items()}
                    _raise_generation(cursor, content=not set(map(str, frames)) <= BOOKKEEPING_LAYERS)
            except psycopg.errors.UniqueViolation:
                raise StoreError(f"store {self.url}: rows repeat a unique key of their layer") from None
            except psycopg.Error as error:
                raise StoreError(f"store {self.url} is not writable: {error}") from None
        return written

    def upgrade(self) -> dict[str, int]:
        """Turn a schema-1 store's `timestamp` columns into `timestamptz` in one transaction and record the
        current schema; values converted per `table.column`."""
        psycopg = _psycopg()
        with self.writing(), contextlib.closing(self._connect(autocommit=False)) as connection:
            try:
                with connection.transaction():
                    cursor = connection.cursor()
                    converted = upgrade_times(cursor, row_column=_ROW)
                    _raise_generation(cursor)
            except psycopg.Error as error:
                raise StoreError(f"store {self.url} could not be upgraded: {error}") from None
        return converted

    def _present(self, cursor: Any) -> list[str]:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                       "current_schema()")
        return [str(name) for (name,) in cursor.fetchall()]

    def _write_layer(self, cursor: Any, layer: str, frame: pd.DataFrame, replaced: bool) -> int:
        sql = _psycopg().sql
        types = column_types(frame)
        spatial = isinstance(frame, gpd.GeoDataFrame) and GEOMETRY in frame.columns
        table = _name(layer)
        if replaced:
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
            columns = [sql.SQL("{} bigserial").format(_name(_ROW)),
                       *(sql.SQL("{} {}").format(_name(c), sql.SQL(t)) for c, t in types.items())]
            if spatial:
                columns.append(sql.SQL("{} geometry(Geometry, {})").format(_name(GEOMETRY),
                                                                            sql.Literal(STORAGE_EPSG)))
            cursor.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(columns)))
            if spatial:
                cursor.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST ({})").format(
                    _name(f"{layer}_geometry_gist"), table, _name(GEOMETRY)))
        else:
            known, _ = self._types(cursor, layer)
            local = [column for column, kind in known.items() if kind == "timestamp"]
            if local:  # new instants beside schema 1's local times would mix two meanings in one column
                raise StoreError(f"store {self.url} has store schema 1 (layer {layer!r}: {', '.join(local)} "
                                 f"without a zone); this version writes schema {STORE_SCHEMA}: run `pingan "
                                 f"store upgrade --store {self.url}` once, then write again")
            for column, kind in types.items():
                if column not in known:  # columns the new rows have and the layer lacks
                    cursor.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                        table, _name(column), sql.SQL(kind)))
        key = UNIQUE_KEYS.get(layer)
        if key and set(key) <= set(types):
            cursor.execute(sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} ({})").format(
                _name(f"{layer}_unique_key"), table, sql.SQL(", ").join(_name(c) for c in key)))
        for column in set(LOOKUP_COLUMNS.get(layer, ())) & set(types):
            cursor.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                _name(f"{layer}_{column}_lookup"), table, _name(column)))
        names = [*types, *([GEOMETRY] if spatial else [])]
        fields = sql.SQL(", ").join(_name(c) for c in names)
        row = _name(_ROW)
        cursor.execute(sql.SQL("CREATE TEMPORARY TABLE incoming ON COMMIT DROP AS "
                               "SELECT {}, 0::bigint AS {} FROM {} LIMIT 0").format(fields, row, table))
        with cursor.copy(sql.SQL("COPY incoming ({}, {}) FROM STDIN").format(fields, row)) as copy:
            for number, cells in enumerate(rows_of(frame, types)):
                copy.write_row((*cells, number))
        cursor.execute(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM incoming ORDER BY {} "
                               "ON CONFLICT DO NOTHING").format(table, fields, fields, row))
        inserted = int(cursor.rowcount)
        cursor.execute("DROP TABLE incoming")
        return inserted
