"""Open311 GeoReport v2 documents as lists of requests: JSON (with the spec's own quirk) and XML.

The specification's "GET Service Requests" JSON example writes ``"service_code":006``, a number with a
leading zero that strict JSON refuses. Such numbers are read as the text they spell (``"006"``): a code
keeps its zeros. Any other syntax error names the line and column.

XML is the spec's primary format: ``<service_requests>`` holding ``<request>`` elements whose children are
the fields. A document type declaration is refused, so no entity can expand or reach outside the file.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Final

from geo.errors import SourceFileError

_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*"')
# A bare number with a leading zero ("006", "-01.5") between JSON punctuation.
_LEADING_ZERO: Final = re.compile(r"(?<=[:\[,])(\s*)(-?0\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*[,\]}])")
REQUESTS_ROOT: Final = "service_requests"
REQUEST_ELEMENT: Final = "request"


def quote_leading_zero_numbers(text: str) -> str:
    """JSON text with every bare number that has a leading zero turned into a string of its digits;
    strings are left as they are."""
    parts: list[str] = []
    last = 0
    for match in _STRING.finditer(text):
        parts.append(_LEADING_ZERO.sub(r'\1"\2"', text[last:match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(_LEADING_ZERO.sub(r'\1"\2"', text[last:]))
    return "".join(parts)


def loads_georeport_json(path: Path, text: str) -> object:
    """Parse JSON text, tolerating the spec's leading-zero numbers; SourceFileError with line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as first:
        try:
            return json.loads(quote_leading_zero_numbers(text))
        except json.JSONDecodeError:
            raise SourceFileError(path, f"not valid JSON: {first.msg} at line {first.lineno} column "
                                        f"{first.colno}") from None


def looks_like_xml(text: str) -> bool:
    return text.lstrip().startswith("<")


def read_georeport_xml(path: Path, text: str) -> list[object]:
    """The requests of a GeoReport XML document, each a dict of field -> text ("" for an empty element);
    an element that is not a ``<request>`` is kept as its tag name so it is reported as unreadable."""
    if re.search(r"<!(?:DOCTYPE|ENTITY)", text[:4096], flags=re.IGNORECASE):
        raise SourceFileError(path, "XML with a document type declaration is not read: remove <!DOCTYPE>")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise SourceFileError(path, f"not well-formed XML at line {line} column {column + 1}: "
                                    f"{str(error).split(':')[0]}") from None
    if root.tag != REQUESTS_ROOT:
        raise SourceFileError(path, f"XML root is <{root.tag}>: expected <{REQUESTS_ROOT}> of Open311 "
                                    "GeoReport v2 requests")
    items: list[object] = []
    for element in root:
        if element.tag != REQUEST_ELEMENT:
            items.append(f"<{element.tag}>")
            continue
        items.append({child.tag: (child.text or "").strip() for child in element})
    return items


def requests_of_json(payload: object) -> list[object] | None:
    """The list of requests in a GeoReport JSON payload (a bare array, or one under
    ``service_requests``), or None when the payload is not one."""
    if isinstance(payload, dict) and isinstance(payload.get(REQUESTS_ROOT), list):
        payload = payload[REQUESTS_ROOT]
    return payload if isinstance(payload, list) else None
