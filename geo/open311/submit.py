"""A POSTed Open311 request through the same intake as a file: checks, quarantine, CRS, geocoding, grids.

The client names its own request id (``client_request_id``, an extension of the spec); the incident's
source id is ``CLIENT.REQUEST``, so a repeated POST (a retry after a lost answer) finds the stored case
and creates nothing. A request the checks reject is quarantined like a file's row and answered with the
quarantine's detail; its repeats are not quarantined twice.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd

from geo.errors import GeoInputError
from geo.intake.ingest import IntakeContext, prepare_import, write_import
from geo.intake.profiles import SourceProfile
from geo.intake.readers import table_of_requests
from geo.intake.row_checks import LOCAL_TIMEZONE
from geo.intake.service_codes import ServiceTable
from geo.schema import Col, Layer, QuarantineCol
from geo.store import Store

#: Longest text accepted in any one field (a description is a few hundred characters).
MAX_FIELD_CHARS: Final = 4000
_REQUEST_ID: Final = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
#: Parameters of the spec's POST Service Request that this server reads, and its extensions.
POST_FIELDS: Final = frozenset({
    "service_code", "lat", "long", "address_string", "address_id", "email", "device_id", "account_id",
    "first_name", "last_name", "phone", "description", "media_url", "jurisdiction_id", "api_key",
    "client_request_id", "requested_datetime",
})


class RequestRejected(GeoInputError):
    """A request that cannot become a case; `detail` says why, in the words of the quarantine."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Submission:
    service_request_id: str
    created: bool  # False: this client's request id was stored before, nothing new was made
    service_notice: str = ""


def _text(params: Mapping[str, str], name: str) -> str:
    value = str(params.get(name, "") or "").strip()
    if len(value) > MAX_FIELD_CHARS:
        raise RequestRejected(f"{name} has {len(value)} characters: at most {MAX_FIELD_CHARS}")
    return value


def request_record(params: Mapping[str, str], *, client_id: str, services: ServiceTable,
                   now: pd.Timestamp) -> dict[str, str]:
    """The request as a row of the open311 source profile; RequestRejected for what the spec itself
    forbids (no service code, an unknown one, no location), before any intake check."""
    code = _text(params, "service_code")
    if not code:
        raise RequestRejected("service_code is required: see services.json for the codes")
    if services.category_of(code) is None:
        shown = ", ".join(s.code for s in services.services)
        raise RequestRejected(f"service_code {code!r} is not a service here: allowed are {shown}")
    if not ((_text(params, "lat") and _text(params, "long")) or _text(params, "address_string")):
        raise RequestRejected("a location is required: lat and long, or address_string")
    request_id = _text(params, "client_request_id") or secrets.token_hex(8)
    if not _REQUEST_ID.match(request_id):
        raise RequestRejected(f"client_request_id {request_id[:70]!r}: use 1-64 letters, digits or . _ : -")
    service = next((s for s in services.services if s.code == code), None)
    stamp = _text(params, "requested_datetime") or now.tz_localize(LOCAL_TIMEZONE).isoformat()
    name = " ".join(part for part in (_text(params, "first_name"), _text(params, "last_name")) if part)
    return {
        "service_request_id": f"{client_id}.{request_id}", "requested_datetime": stamp, "status": "open",
        "service_code": code, "service_name": service.name_zh if service else "",
        "description": _text(params, "description"), "address_string": _text(params, "address_string"),
        "lat": _text(params, "lat"), "long": _text(params, "long"), "media_url": _text(params, "media_url"),
        "reporter_name": name, "phone": _text(params, "phone"),
    }


def _quarantined(store: Store, source: str, raw: str) -> bool:
    if Layer.QUARANTINE.value not in store.layers():
        return False
    return not store.read(Layer.QUARANTINE.value, equals={Col.SOURCE: source, QuarantineCol.RAW: [raw]}).empty


def submit_request(store: Store, context: IntakeContext, profile: SourceProfile, services: ServiceTable,
                   params: Mapping[str, str], *, client_id: str,
                   now: pd.Timestamp | None = None) -> Submission:
    """Make one case of a POSTed request (see the module notes); RequestRejected when it cannot be one."""
    # Local wall-clock time, as the store keeps it, whatever the machine's own zone.
    local_now = pd.Timestamp.now(tz=LOCAL_TIMEZONE).tz_localize(None)
    started = (now if now is not None else local_now).floor("s")
    record = request_record(params, client_id=client_id, services=services, now=started)
    source_id = record["service_request_id"]
    table = table_of_requests(f"POST by {client_id}", [record])
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()
    import_id = f"{profile.name}-{client_id}-{started:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
    service_request_id = f"{profile.name}:{source_id}"

    def stored(values: object) -> set[str]:
        if Layer.INCIDENTS.value not in store.layers():
            return set()
        found = store.read(Layer.INCIDENTS.value,
                           equals={Col.SOURCE: profile.name, Col.SOURCE_ID: [source_id]})
        return set(found[Col.SOURCE_ID].astype(str))

    with store.writing():
        batch = prepare_import(table, profile, context, import_id=import_id, now=started, stored_ids=stored)
        if batch.summary.skipped_existing:
            return Submission(service_request_id, created=False)
        if len(batch.quarantine):
            detail = str(batch.quarantine[QuarantineCol.DETAIL].iloc[0])
            raw = str(batch.quarantine[QuarantineCol.RAW].iloc[0])
            if not _quarantined(store, profile.name, raw):
                write_import(store, batch, file_sha256=digest, started=started)
            raise RequestRejected(detail)
        write_import(store, batch, file_sha256=digest, started=started)
    flags = str(batch.incidents["flags"].iloc[0] or "")
    return Submission(service_request_id, created=True, service_notice=flags)
