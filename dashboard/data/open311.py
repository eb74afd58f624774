"""What the Open311 endpoints need from the store: the service table, the clients, the public listing of
requests (cached per store state) and the intake of POSTed ones."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import pandas as pd

from dashboard.data.request_batches import Batcher
from dashboard.data.store_state import StateCache
from dashboard.settings import Settings
from geo.api import (
    LOCAL_TIMEZONE,
    AuditAction,
    IntakeContext,
    Layer,
    Posted,
    RequestRejected,
    ServiceTable,
    Submission,
    audit,
    client_of_key,
    client_sees_detail,
    load_intake_context,
    load_profile,
    load_service_table,
    open_store,
    parse_filter,
    read_clients,
    select_requests,
    service_requests,
    submit_requests,
)

logger = logging.getLogger(__name__)


class Open311Desk:
    """One per app. The intake context (grids, their index and the geocoder) is built on the first POST
    and kept: a new boundary layout reaches POSTed cases at the next start."""

    def __init__(self, settings: Settings) -> None:
        self._store = open_store(settings.store)
        self.services: ServiceTable = load_service_table()
        self._profile = load_profile("open311")
        self._context: IntakeContext | None = None
        self._context_lock = threading.Lock()
        self._index_dir = settings.cache_dir / "grid-index"
        # The clients are read again after a change by anyone but this desk: its own batches never touch
        # them, and a reread would wait for the batch being written (reads and this process's writes
        # take turns), which would hold every POST to one batch at a time.
        self._clients_lock = threading.Lock()
        self._clients: pd.DataFrame | None = None
        self._clients_state = ""
        self._incidents = StateCache(self._store, self._read_incidents)
        self._batches: Batcher[Posted, Submission | RequestRejected] = Batcher(
            self._submit_batch, name="open311-intake")

    def _read_incidents(self) -> pd.DataFrame:
        if Layer.INCIDENTS.value not in self._store.layers():
            return pd.DataFrame()
        return pd.DataFrame(self._store.read(Layer.INCIDENTS.value))

    def _current_clients(self) -> pd.DataFrame:
        state = self._store.revision()  # clients are a bookkeeping layer: state() does not see a revoke
        with self._clients_lock:
            if self._clients is None or state != self._clients_state:
                self._clients, self._clients_state = read_clients(self._store), state
            return self._clients

    def client_of(self, api_key: str) -> str | None:
        """The valid client holding `api_key` (a key revoked by `pingan clients revoke` is refused from
        the next request on), or None."""
        return client_of_key(self._current_clients(), api_key)

    def sees_detail(self, client_id: str) -> bool:
        """Whether the client was given the detail right (`pingan clients add --detail`)."""
        return client_sees_detail(self._current_clients(), client_id)

    def requests(self, params: dict[str, str], *, detail_for: str | None = None,
                 address: str = "") -> list[dict[str, object]]:
        """The listing for a query string (GeoInputError for a bad filter); in full for `detail_for`, a
        client with the detail right, and then in the audit log with the client's `address`."""
        wanted = parse_filter(params, self.services)
        incidents = self._incidents.get()
        if incidents.empty:
            return []
        now = pd.Timestamp.now(tz=LOCAL_TIMEZONE).tz_localize(None)
        listed = service_requests(select_requests(incidents, wanted, now=now), self.services,
                                  detail=detail_for is not None)
        if detail_for is not None:
            audit(self._store, f"open311:{detail_for}", AuditAction.EXPORT,
                  f"{len(listed)} requests with descriptions, addresses and exact positions",
                  address=address or "unknown")
        return listed

    def submit(self, client_id: str, params: dict[str, str]) -> Submission:
        """One POSTed request made a case, batched with those that arrive meanwhile (RequestRejected
        when it cannot be one)."""
        answer = self._batches.submit((client_id, params))
        if isinstance(answer, RequestRejected):
            raise answer
        return answer

    def _intake_context(self) -> IntakeContext:
        with self._context_lock:
            if self._context is None:
                self._context = load_intake_context(self._store)
                # With a grid index a batch's join takes a fraction of a millisecond instead of ~15 ms.
                # Building it takes seconds, so the first POSTs join without it meanwhile; it is kept
                # in the cache folder for the next start.
                threading.Thread(target=self._index_grids, name="open311-grid-index", daemon=True).start()
            return self._context

    def _index_grids(self) -> None:
        with self._context_lock:
            plain = self._context
        assert plain is not None
        try:
            indexed = plain.with_grid_index(self._index_dir)
        except Exception:  # POSTs go on joining without the index
            logger.warning("the grid index for POSTed cases could not be built", exc_info=True)
            return
        with self._context_lock:
            self._context = indexed

    def _submit_batch(self, posted: Sequence[Posted]) -> list[Submission | RequestRejected]:
        context = self._intake_context()
        with self._store.writing():
            before = self._store.revision()
            answers = submit_requests(self._store, context, self._profile, self.services, posted)
            after = self._store.revision()
        with self._clients_lock:
            if self._clients_state == before:  # nobody else wrote since the clients were read
                self._clients_state = after
        return answers
