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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from geo.errors import GeoInputError
from geo.intake.ingest import IntakeContext, held_by, prepare_import, raw_rows, write_import
from geo.intake.profiles import SourceProfile
from geo.intake.readers import table_of_requests
from geo.intake.service_codes import ServiceTable
from geo.schema import LOCAL_TIMEZONE, Col, IncidentCol, Layer, QuarantineCol
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


#: One POSTed request: the client that sent it and its parameters.
Posted = tuple[str, Mapping[str, str]]


Lookup = Callable[[Sequence[str]], set[str]]


def _recording(lookup: Lookup, seen: set[str]) -> Lookup:
    """`lookup`, noting what it found in `seen`."""
    def recorded(values: Sequence[str]) -> set[str]:
        found = lookup(values)
        seen.update(found)
        return found
    return recorded


def _earlier_details(store: Store, source: str, raws: Sequence[str]) -> dict[str, str]:
    if not raws or Layer.QUARANTINE.value not in store.layers():
        return {}
    found = store.read(Layer.QUARANTINE.value, equals={Col.SOURCE: source, QuarantineCol.RAW: list(raws)})
    return dict(zip(found[QuarantineCol.RAW].astype(str), found[QuarantineCol.DETAIL].astype(str),
                    strict=True))


def submit_requests(store: Store, context: IntakeContext, profile: SourceProfile, services: ServiceTable,
                    posted: Sequence[Posted], *,
                    now: pd.Timestamp | None = None) -> list[Submission | RequestRejected]:
    """Make cases of several POSTed requests in one transaction: one answer per request, in order.

    The checks' fixed cost is paid once for the lot, so requests that arrive together are cheaper
    together. A request repeating an earlier one of the same lot shares its answer, as not created."""
    # Local wall-clock time, as the store keeps it, whatever the machine's own zone.
    local_now = pd.Timestamp.now(tz=LOCAL_TIMEZONE).tz_localize(None)
    started = (now if now is not None else local_now).floor("s")
    answers: list[Submission | RequestRejected | None] = [None] * len(posted)
    records: list[dict[str, str]] = []
    places: list[int] = []
    first_of: dict[str, int] = {}
    repeats: list[tuple[int, int]] = []
    for place, (client_id, params) in enumerate(posted):
        try:
            record = request_record(params, client_id=client_id, services=services, now=started)
        except RequestRejected as rejected:
            answers[place] = rejected
            continue
        source_id = record["service_request_id"]
        if source_id in first_of:
            repeats.append((place, first_of[source_id]))
            continue
        first_of[source_id] = place
        records.append(record)
        places.append(place)
    if records:
        _make_cases(store, context, profile, records, places, answers, started)
    for place, first in repeats:
        earlier = answers[first]
        answers[place] = (Submission(earlier.service_request_id, created=False)
                          if isinstance(earlier, Submission) else earlier)
    return [answer for answer in answers if answer is not None]


def _make_cases(store: Store, context: IntakeContext, profile: SourceProfile, records: list[dict[str, str]],
                places: list[int], answers: list[Submission | RequestRejected | None],
                started: pd.Timestamp) -> None:
    clients = sorted({record["service_request_id"].split(".", 1)[0] for record in records})
    name = f"POST by {', '.join(clients)}"[:200]
    table = table_of_requests(name, list(records))
    digest = hashlib.sha256(json.dumps(records, sort_keys=True).encode("utf-8")).hexdigest()
    import_id = f"{profile.name}-post-{started:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
    stored: set[str] = set()
    refused_before: set[str] = set()
    with store.writing():
        batch = prepare_import(
            table, profile, context, import_id=import_id, now=started,
            stored_ids=_recording(held_by(store, Layer.INCIDENTS, profile.name, Col.SOURCE_ID), stored),
            quarantined_raw=_recording(held_by(store, Layer.QUARANTINE, profile.name, QuarantineCol.RAW),
                                       refused_before))
        if len(batch.incidents) or len(batch.quarantine):
            write_import(store, batch, file_sha256=digest, started=started)
        earlier = _earlier_details(store, profile.name, sorted(refused_before))
    made = dict(zip(batch.incidents[Col.SOURCE_ID].astype(str),
                    batch.incidents[IncidentCol.FLAGS].fillna("").astype(str), strict=True))
    refused = dict(zip(batch.quarantine[QuarantineCol.ROW_NUMBER].astype(int),
                       batch.quarantine[QuarantineCol.DETAIL].astype(str), strict=True))
    # Raw texts only to find the words of an earlier refusal, which most batches do not need.
    raws = dict(zip(table.row_numbers.tolist(), raw_rows(table.frame), strict=True)) if refused_before else {}
    for number, record, place in zip(table.row_numbers.tolist(), records, places, strict=True):
        source_id = record["service_request_id"]
        request_id = f"{profile.name}:{source_id}"
        if source_id in made:
            answers[place] = Submission(request_id, created=True, service_notice=made[source_id])
        elif number in refused:
            answers[place] = RequestRejected(refused[number])
        elif source_id in stored:
            answers[place] = Submission(request_id, created=False)
        else:
            answers[place] = RequestRejected(earlier.get(raws.get(number, ""), "refused before"))


def submit_request(store: Store, context: IntakeContext, profile: SourceProfile, services: ServiceTable,
                   params: Mapping[str, str], *, client_id: str,
                   now: pd.Timestamp | None = None) -> Submission:
    """Make one case of a POSTed request (see the module notes); RequestRejected when it cannot be one."""
    (answer,) = submit_requests(store, context, profile, services, [(client_id, params)], now=now)
    if isinstance(answer, RequestRejected):
        raise answer
    return answer
