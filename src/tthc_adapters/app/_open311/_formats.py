"""GeoReport v2 bodies in both formats: XML (required) and JSON, from one data value.

open311.org GeoReport v2, "Format Support": the format is the resource's
suffix (``.xml``, ``.json``); XML is ``text/xml; charset=utf-8`` with the
declaration ``encoding="UTF-8"``, schemaless and without a namespace; JSON is
``application/json; charset=utf-8`` and the Spark-convention mapping of the
XML. Both are rendered here from the same value (lists of objects), so they
carry the same data: a list is an element holding one child per item, named
by :data:`ITEMS`; ``None`` is an empty element; ``true``/``false`` are
lower case. XML is built with :mod:`xml.etree.ElementTree`, never by joining
strings.
"""

from __future__ import annotations

import enum
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

__all__ = [
    "ITEMS",
    "JSON_TYPE",
    "XML_TYPE",
    "Format",
    "clean",
    "error_body",
    "render",
    "to_xml",
]

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

#: A list's element name -> its items' element name (GeoReport v2 and Service Discovery).
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


class Format(enum.Enum):
    """A response format, named by the resource's suffix."""

    JSON = "json"
    XML = "xml"

    @classmethod
    def of_path(cls, path: str) -> Format:
        """The format a path asks for by its suffix (JSON unless it ends in ``.xml``)."""
        return cls.XML if path.lower().endswith(".xml") else cls.JSON


def clean(value: Any) -> Any:
    """``value`` with every text XML 1.0 can carry as is, so both formats say the same.

    Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/FFFF)
    become U+FFFD; line ends become ``\n`` (an XML parser normalises them anyway).
    """
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        return _FORBIDDEN.sub("\ufffd", text)
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        child = ITEMS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, child), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """``value`` as a GeoReport XML document whose root element is ``root``.

    Args:
        root: The root element (``services``, ``service_requests``, ``discovery``...).
        value: A list (of the items :data:`ITEMS` names for ``root``) or an object.
    """
    element = ET.Element(root)
    _fill(element, clean(value))
    ET.indent(element)
    document: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return _DECLARATION + document


def render(
    fmt: Format,
    root: str,
    value: Any,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A response holding ``value`` in ``fmt``.

    Args:
        fmt: The format.
        root: The XML root element (JSON has none).
        value: The data.
        status: The HTTP status.
        headers: More headers.
    """
    if fmt is Format.XML:
        body, media_type = to_xml(root, value), XML_TYPE
    else:
        body = json.dumps(clean(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        media_type = JSON_TYPE
    return Response(body, status_code=status, media_type=media_type, headers=dict(headers or {}))


def error_body(status: int, description: str) -> list[dict[str, Any]]:
    """GeoReport v2 "Errors": one error with the HTTP status as its code."""
    return [{"code": status, "description": description}]
