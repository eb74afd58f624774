"""Where layers live. GeoPackage is the embedded default: one file that a planner can also open in QGIS.

A write is one SQLite transaction in the file itself (geo.store.gpkg_write), under an exclusive lock
held across the reads it depends on: readers see the state before it or after it, a failure half-way
rolls back, and its cost follows the change, not the size of the store. Only a store that does not
exist yet is built beside and renamed into place. A PostGIS backend implements the same `Store` protocol.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import tempfile
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from glob import escape as glob_escape
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors

from geo.crs import STORAGE_EPSG
from geo.errors import StoreError
from geo.schema import BOOKKEEPING_LAYERS, LOOKUP_COLUMNS, STORE_SCHEMA, STORE_SCHEMA_KEY, UNIQUE_KEYS, Layer
from geo.store.area_filters import AreaReads, Equals
from geo.store.gpkg_upgrade import holds_local_times, upgrade_geopackage
from geo.store.gpkg_write import (
    LAYER_OPTIONS,
    NEW_STORE_OPTIONS,
    add_lookup_indexes,
    add_unique_keys,
    checkpoint,
    connect,
    connect_to_read,
    write_in_place,
)
from geo.store.local_times import frame_in_local, frame_in_utc
from geo.store.process_gate import gate_of
from geo.store.side_writes import same_content_of

WriteMode = Literal["replace", "append"]
# GDAL warns when it cannot open a WAL store for writing and retries it read-only as immutable: a damaged
# file then gets our one-line StoreError instead, a healthy one in a read-only folder reads fine.
warnings.filterwarnings("ignore", message=r".*this file is a WAL-enabled database", category=RuntimeWarning)
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Values per SQLite look-up (far below its limit of bound parameters).
_LOOKUP_CHUNK = 500


def _page_size(header: bytes) -> int:
    """SQLite's page size from its file header (1 stands for 65,536)."""
    size = int.from_bytes(header[16:18], "big")
    return 65_536 if size == 1 else max(size, 512)


def _literal(value: str) -> str:
    """A value as an SQL string literal (quotes doubled)."""
    return "'" + str(value).replace("'", "''") + "'"


def _name(identifier: str) -> str:
    """A column or table name (from geo.schema) as an SQL identifier."""
    return '"' + str(identifier).replace('"', '""') + '"'


def _where(equals: Equals | None, unset: Sequence[str]) -> str | None:
    """The OGR SQL filter for `Store.read`'s typed arguments; column names come from geo.schema."""
    terms = []
    for column, wanted in (equals or {}).items():
        if isinstance(wanted, str):
            terms.append(f"{column} = {_literal(wanted)}")
        elif len(wanted) == 0:
            terms.append("0 = 1")
        else:
            terms.append(f"{column} IN ({', '.join(_literal(v) for v in wanted)})")
    terms += [f"{column} IS NULL" for column in unset]
    return " AND ".join(terms) or None


def _nulls_as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns without a value as pandas makes them from rows (object, None), not from Arrow (str)."""
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.StringDtype) and values.isna().all():
            frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame


class GeoPackageStore(AreaReads):
    """A store in one GeoPackage file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._held = threading.local()  # how deep this thread is inside `writing()`
        self._listed: tuple[str, tuple[str, ...]] = ("", ())  # revision -> its layers
        self._schema: tuple[str, int] | None = None  # revision -> its schema version

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    def layers(self) -> list[str]:
        """The layers, listed again only when the store's state has changed (every read asks first)."""
        try:
            state = self.revision()  # a first audit row makes a layer: bookkeeping writes count here
        except StoreError:  # no store (or it went away just now): no layers
            return []
        listed_at, names = self._listed
        if listed_at == state:
            return list(names)
        with self._readable():
            names = tuple(str(name) for name, _ in pyogrio.list_layers(self.path))
        self._listed = (state, names)
        return list(names)

    @contextlib.contextmanager
    def _readable(self, *, by_sqlite: bool = False) -> Iterator[None]:
        """A read by GDAL, never beside this process's own SQLite connection (geo.store.process_gate), or
        with `by_sqlite` a read by that connection, never beside GDAL's; complaints about a damaged or
        foreign file become one StoreError naming the file."""
        gate = gate_of(self.path)
        try:
            with gate.writing() if by_sqlite else gate.reading():
                yield
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError,
                sqlite3.DatabaseError) as error:
            raise StoreError(f"store {self.path} is not readable: {self._what_is_wrong(error)}") from None

    def _what_is_wrong(self, error: Exception) -> str:
        try:
            with open(self.path, "rb") as handle:
                header = handle.read(100)
            size = self.path.stat().st_size
        except FileNotFoundError:  # it went away while it was being read
            return "it does not exist (any more): build it with `pingan demo build --store PATH`"
        if not header.startswith(_SQLITE_MAGIC):
            return "it is not a GeoPackage (not an SQLite file); give the path of a .gpkg store"
        if len(header) < 100 or size % _page_size(header):
            return "the file is truncated; restore it from a backup or rebuild it"
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"the GeoPackage is damaged ({first_line})"

    def read(self, layer: str, *, equals: Equals | None = None, unset: Sequence[str] = ()) -> pd.DataFrame:
        """A layer as a GeoDataFrame (spatial layers) or DataFrame (attribute tables), filtered as
        `Store.read` describes."""
        self.read_check(layer)
        with self._readable():
            # Through Arrow: the incidents of the demo in 130 ms instead of 740 (the gate is held that
            # much shorter too), the same frame once all-null text columns are as GDAL's rows give them.
            frame = pyogrio.read_dataframe(self.path, layer=layer, where=_where(equals, unset),
                                           use_arrow=True)
        return frame_in_local(_nulls_as_objects(frame))

    def held_values(
        self, layer: str, column: str, values: Sequence[str], *, equals: Mapping[str, str] | None = None
    ) -> set[str]:
        """See `Store.held_values`. Asked of SQLite by the unique index rather than read through GDAL, whose
        every opening of the file costs a few milliseconds more than the look-up itself."""
        if not values:
            return set()
        self.read_check(layer)
        terms = " AND ".join([*(f"{_name(name)} = ?" for name in equals or {}), ""])
        fixed = [str(value) for value in (equals or {}).values()]
        wanted = [str(value) for value in values]
        found: set[str] = set()
        with self._readable(by_sqlite=True), contextlib.closing(connect_to_read(self.path)) as db:
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = wanted[start:start + _LOOKUP_CHUNK]
                marks = ", ".join("?" * len(chunk))
                rows = db.execute(f"SELECT {_name(column)} FROM {_name(layer)} WHERE {terms}"
                                  f"{_name(column)} IN ({marks})", [*fixed, *chunk])
                found.update(str(value) for (value,) in rows)
        return found

    def state(self) -> str:
        """A token of the content pages draw from: the revision, except that a write to bookkeeping
        layers only (geo.schema.BOOKKEEPING_LAYERS) made in this process keeps the token it had before
        (geo.store.side_writes). StoreError when the store is missing."""
        return same_content_of(self.path).state_of(self.revision())

    def revision(self) -> str:
        """Modification time and size of the file and of its WAL (a commit lands in the WAL first, a
        checkpoint moves it into the file): a token that moves with every write. StoreError when the
        store is missing. An empty WAL holds no change: every reader that opens the store creates one and
        the last to close removes it, so counting it would make each read look like a new revision."""
        try:
            stats = [self.path.stat()]  # one call: a file that goes away between two would slip through
        except FileNotFoundError:
            raise self._missing() from None
        with contextlib.suppress(FileNotFoundError):
            wal = self._wal().stat()
            if wal.st_size:
                stats.append(wal)
        return "-".join(f"{stat.st_mtime_ns:x}-{stat.st_size:x}" for stat in stats)

    def _wal(self) -> Path:
        return self.path.with_name(self.path.name + "-wal")

    def count(self, layer: str) -> int:
        """Rows in a layer, without reading it."""
        self.read_check(layer)
        with self._readable():
            return int(pyogrio.read_info(self.path, layer=layer)["features"])

    def _missing(self) -> StoreError:
        return StoreError(f"store {self.path} does not exist: build it with `pingan demo build --store PATH`")

    def read_check(self, layer: str) -> None:
        """Raise StoreError saying what to do when the store or the layer is missing."""
        if not self.exists():
            raise self._missing()
        available = self.layers()
        if Layer.META in available:
            self._check_schema()
        if layer not in available:
            raise StoreError(f"store {self.path} has no layer {layer!r}: it has {', '.join(available)}")

    def _check_schema(self) -> None:
        """Refuse a store written by a newer version."""
        version = self.schema_version()
        if version > STORE_SCHEMA:
            raise StoreError(f"store {self.path} has store schema {version}, newer than this version of "
                             f"Pingan Grid reads ({STORE_SCHEMA}): upgrade pingan to open it")

    def schema_version(self) -> int:
        """The store schema recorded in the meta layer; a store without the record is judged by its
        times (schema 1 kept them naive). Once per revision: every read asks."""
        state = self.revision()
        cached = self._schema
        if cached is not None and cached[0] == state:
            return int(cached[1])
        recorded = pd.Series([], dtype=object)
        if Layer.META in self.layers():
            with self._readable():
                meta = pyogrio.read_dataframe(self.path, layer=Layer.META.value)
            recorded = meta.loc[meta["key"] == STORE_SCHEMA_KEY, "value"]
        if len(recorded) and str(recorded.iloc[0]).isdigit():
            version = int(recorded.iloc[0])
        else:
            with self._readable(), contextlib.closing(sqlite3.connect(self.path)) as connection:
                version = 1 if holds_local_times(connection) else STORE_SCHEMA
        self._schema = (state, version)
        return version

    def _check_writable_schema(self) -> None:
        """Reads of a schema-1 store work (its naive times are local already), but new rows in UTC beside
        its naive ones would mix two meanings in one column: writes wait for the upgrade."""
        version = self.schema_version()
        if version < STORE_SCHEMA:
            raise StoreError(f"store {self.path} has store schema {version} (times without a zone); this "
                             f"version writes schema {STORE_SCHEMA}: run `pingan store upgrade --store "
                             f"{self.path}` once, then write again")

    def upgrade(self) -> dict[str, int]:
        """Rewrite a schema-1 store's times as UTC in one transaction and record the current schema;
        values rewritten per `table.column` (none for a store already upgraded)."""
        with self.writing():
            if not self.exists():
                raise self._missing()
            self._check_schema()
            with gate_of(self.path).writing():
                return upgrade_geopackage(self.path)

    def write(self, frames: Mapping[str, pd.DataFrame], *, mode: WriteMode = "replace") -> dict[str, int]:
        """Write several layers in one transaction: all of them land, or none. Rows written per layer;
        rows that repeat a unique key of geo.schema.UNIQUE_KEYS are skipped."""
        if mode not in ("replace", "append"):
            raise ValueError(f"write mode {mode!r}: allowed are 'replace', 'append'")
        for name, frame in frames.items():
            if (
                isinstance(frame, gpd.GeoDataFrame)
                and frame.crs is not None
                and frame.crs.to_epsg() != STORAGE_EPSG
            ):
                raise StoreError(f"layer {name!r} is in {frame.crs}; store layers are EPSG:{STORAGE_EPSG}")
        with self.writing():
            if not self.exists():
                return self._create({name: frame_in_utc(frame) for name, frame in frames.items()})
            self._check_schema()
            self._check_writable_schema()
            utc_frames = {name: frame_in_utc(frame) for name, frame in frames.items()}
            before = self.revision()
            try:
                with gate_of(self.path).writing():
                    written = write_in_place(self.path, utc_frames, mode=mode, unique_keys=UNIQUE_KEYS,
                                             lookups=LOOKUP_COLUMNS)
            except sqlite3.DatabaseError as error:
                raise StoreError(f"store {self.path} is not writable: {self._what_is_wrong(error)}") from None
            if set(frames) <= BOOKKEEPING_LAYERS:
                same_content_of(self.path).remember(before, self.revision())
            self._known_after_write(before, [str(name) for name in frames])
            return written

    def _known_after_write(self, before: str, layers: Sequence[str]) -> None:
        """With the write lock held, this write is the only change since revision `before`: what was known
        of that revision's layers and schema holds for the new one too, so the next read does not open the
        file with GDAL twice to learn it again (about 10 ms a POSTed batch)."""
        after = self.revision()
        listed_at, names = self._listed
        if listed_at == before and set(layers) <= set(names):  # a new layer: GDAL says where it is listed
            self._listed = (after, names)
        if self._schema is not None and self._schema[0] == before and Layer.META not in layers:
            self._schema = (after, self._schema[1])

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock across a read and the write that depends on it (an import's
        duplicate check and its rows), so a concurrent writer cannot slip in between. Re-entrant in one
        thread: `write` inside the block takes no second lock."""
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._remove_leftovers()
            self._held.depth = 1
            try:
                yield
            finally:
                self._held.depth = 0
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _remove_leftovers(self) -> None:
        """New stores (and their journals) staged by writers that died before the rename: with the lock
        held, no live writer owns one. A demo build's folder is its own builder's to remove."""
        for leftover in self.path.parent.glob(f".{glob_escape(self.path.name)}.*"):
            if not leftover.is_dir():
                leftover.unlink(missing_ok=True)

    def replace_with(self, built: Path) -> None:
        """Put a store built elsewhere (on this file system) in place of this one, under the write lock. The
        old store's WAL is checkpointed first: an old WAL beside the new file would be replayed into it."""
        with self.writing():
            if self.exists():
                with gate_of(self.path).writing(), contextlib.closing(connect(self.path)) as connection:
                    checkpoint(connection, complete=True)
            os.replace(built, self.path)

    def _create(self, frames: Mapping[str, pd.DataFrame]) -> dict[str, int]:
        """A new store: built beside by GDAL, put in WAL mode with its unique keys, renamed into place."""
        if not frames:
            return {}
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".gpkg", dir=self.path.parent)
        os.close(fd)
        staged = Path(name)
        staged.unlink()
        try:
            for name, frame in frames.items():
                pyogrio.write_dataframe(frame, staged, layer=str(name), driver="GPKG", append=staged.exists(),
                                        dataset_options=None if staged.exists() else NEW_STORE_OPTIONS,
                                        layer_options=LAYER_OPTIONS)
            with contextlib.closing(connect(staged)) as connection:
                add_unique_keys(connection, UNIQUE_KEYS)
                add_lookup_indexes(connection, LOOKUP_COLUMNS)
            with open(staged, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(staged, self.path)
        finally:
            staged.unlink(missing_ok=True)
        return {str(name): len(frame) for name, frame in frames.items()}
