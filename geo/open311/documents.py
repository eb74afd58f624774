"""The GeoReport v2 documents as text: JSON (arrays of objects) and XML (UTF-8 with its declaration).

XML element names follow the spec: ``<services><service>``, ``<service_requests><request>`` and
``<errors><error><code/><description/></error></errors>``; a null field is an empty element.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence
from typing import Final, Literal

from geo.intake.service_codes import ServiceTable

Format = Literal["json", "xml"]
FORMATS: Final = ("json", "xml")
#: MIME types of the two formats, as the spec gives them.
MEDIA_TYPES: Final = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def services_list(services: ServiceTable) -> list[dict[str, object]]:
    """GET services: one per dispute category; ``service_name_en`` is an extension beside the Chinese name."""
    return [{"service_code": s.code, "service_name": s.name_zh, "service_name_en": s.name_en,
             "description": s.name_en, "metadata": False, "type": "realtime", "keywords": s.category.value,
             "group": "dispute"} for s in services.services]


def error_list(code: int, description: str) -> list[dict[str, object]]:
    return [{"code": code, "description": description}]


def _value_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(items: Sequence[Mapping[str, object]], fmt: Format, *, root: str, element: str) -> str:
    """`items` as a JSON array, or as XML under `root` with one `element` per item."""
    if fmt == "json":
        return json.dumps(list(items), ensure_ascii=False)
    top = ElementTree.Element(root)
    for item in items:
        node = ElementTree.SubElement(top, element)
        for key, value in item.items():
            ElementTree.SubElement(node, key).text = _value_text(value)
    body = ElementTree.tostring(top, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


#: root and element of each document.
SERVICES: Final = ("services", "service")
REQUESTS: Final = ("service_requests", "request")
ERRORS: Final = ("errors", "error")
