"""HTTP plumbing of the app: content negotiation and the strict JSON body reader.

The guards around the whole app (security headers, NUL in URLs) live in
:mod:`._guards` and are re-exported here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from tthc_adapters.app._guards import SECURITY_HEADERS, RefuseNul, SecurityHeaders
from tthc_core.errors import InvalidInput

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_DEPTH",
    "SECURITY_HEADERS",
    "BadBody",
    "BodyTooLarge",
    "RefuseNul",
    "SecurityHeaders",
    "UnsupportedMediaType",
    "body_error",
    "int_field",
    "json_error",
    "parse_json",
    "read_body",
    "read_bytes",
    "read_json",
    "text_field",
    "wants_json",
]

#: The largest webhook body read (a chat message or a postal report is far smaller).
MAX_BODY_BYTES = 64 * 1024


def _quality(accept: str, media_type: str) -> float | None:
    """The q-value ``accept`` names ``media_type`` with exactly, or ``None``."""
    for item in accept.split(","):
        name, *params = (p.strip() for p in item.split(";"))
        if name.lower() != media_type:
            continue
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    return max(0.0, min(1.0, float(value)))
                except ValueError:
                    return 0.0
        return 1.0
    return None


def wants_json(request: Request) -> bool:
    """Whether the client asked for JSON by name, rather than HTML (RFC 9110 §12.5.1).

    Wildcards count for HTML only: a browser's ``*/*`` gets the page, and
    ``Accept: application/json`` gets JSON.
    """
    accept = request.headers.get("accept", "")
    if "json" not in accept.lower():  # most requests: a browser's Accept, or none
        return False
    as_json = _quality(accept, "application/json")
    if not as_json:
        return False
    as_html = _quality(accept, "text/html")
    return as_html is None or as_json >= as_html


class BadBody(InvalidInput):
    """A request body this service refuses; :attr:`status` and :attr:`error` say how.

    The one error family of :func:`read_json` and the field readers
    (:func:`text_field`, :func:`int_field`); :func:`body_error` turns any of
    them into the JSON error response.
    """

    #: The HTTP status the refusal is answered with.
    status = 400
    #: The stable machine-readable code of the refusal.
    error = "invalid_input"


class BodyTooLarge(BadBody):
    """A request body above its limit (:data:`MAX_BODY_BYTES`): ``413``."""

    status = 413
    error = "too_large"


class UnsupportedMediaType(BadBody):
    """A body that is not declared ``application/json`` (UTF-8): ``415``."""

    status = 415
    error = "unsupported_media_type"


#: The deepest nesting of arrays and objects read (webhook bodies are two deep).
MAX_DEPTH = 32
#: The integers read exactly: I-JSON's interoperable range (RFC 7493 §2.2).
MAX_SAFE_INTEGER = 2**53 - 1
# One JSON string (unterminated ones run to the end, so matching stays
# linear), an opening bracket, or a closing one.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|([\[{])|[\]}]', re.DOTALL)
# Code points no stored text may hold: lone surrogates (not encodable in
# UTF-8: SQLite's driver fails on them) and NUL (PostgreSQL text refuses it).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check_media_type(request: Request) -> None:
    media_type, *params = (
        p.strip().lower() for p in request.headers.get("content-type", "").split(";")
    )
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        raise UnsupportedMediaType(
            f"send the body as 'Content-Type: application/json', not {media_type or 'nothing'!r}"
        )
    for param in params:
        key, _, value = param.partition("=")
        if key.strip() == "charset" and value.strip().strip('"') not in ("utf-8", "utf8"):
            raise UnsupportedMediaType("JSON bodies must be UTF-8 (RFC 8259 §8.1)")


def _too_deep(text: str, deepest: int) -> bool:
    """Whether ``text`` nests arrays and objects deeper than ``deepest``.

    One pass over its tokens, without recursion, stopping at the first level
    too deep (so a 20,000-deep body costs ``deepest`` steps).
    """
    depth = 0
    for match in _TOKENS.finditer(text):
        if match.group(1):
            depth += 1
            if depth > deepest:
                return True
        elif match.group()[0] != '"':
            depth -= 1
    return False


def _refuse_constant(name: str) -> Any:
    raise InvalidInput(f"{name} is not a JSON number; send a finite number")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise InvalidInput(f"the number {literal[:20]} is out of range")
    return value


def _safe_int(literal: str) -> int:
    value = int(literal) if len(literal) <= 17 else MAX_SAFE_INTEGER + 1
    if abs(value) > MAX_SAFE_INTEGER:
        raise InvalidInput(
            f"the integer {literal[:20]} is out of range (at most {MAX_SAFE_INTEGER} either way)"
        )
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    body = dict(pairs)
    if len(body) != len(pairs):
        raise InvalidInput("an object names the same field twice")
    return body


def _check_strings(value: Any) -> None:
    """Refuse text no store keeps, in any string or key (iterative walk)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                raise InvalidInput(
                    "the body holds a lone surrogate or NUL character (\\ud800-\\udfff, "
                    "\\u0000); send valid Unicode text"
                )
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(raw: bytes, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    """A JSON object from ``raw`` bytes, strictly (the body rules of :func:`read_json`).

    Raises:
        BadBody: Saying what is wrong: not UTF-8, not JSON, nested deeper than
            ``max_depth``, a number out of range or not finite (``1e400``,
            ``NaN``, ``Infinity``), a lone surrogate or NUL, a field named
            twice, or not an object.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadBody(f"the body is not UTF-8 JSON: {exc}") from None
    # Nesting never exceeds the count of opening brackets (those inside strings included).
    if text.count("[") + text.count("{") > max_depth and _too_deep(text, max_depth):
        raise BadBody(f"the body is nested deeper than {max_depth} levels")
    try:
        body = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_safe_int,
            object_pairs_hook=_unique_keys,
        )
        # UTF-8 decoding yields no surrogate and the strict decoder refuses a raw NUL in a
        # string, so only a ``\\u`` escape can put one in the parsed body.
        if "\\u" in text:
            _check_strings(body)
    except InvalidInput as exc:
        raise BadBody(exc.reason) from None
    except ValueError as exc:  # JSONDecodeError, and int()'s digit limit
        raise BadBody(f"the body is not UTF-8 JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadBody("the body must be a JSON object")
    return body


async def read_body(request: Request, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw bytes of a JSON request body, its media type and size checked.

    For a caller that needs the exact bytes too (a signature over the raw
    body, as Zalo's); parse them with :func:`parse_json`.

    Raises:
        UnsupportedMediaType: For another or a missing ``Content-Type`` (415).
        BodyTooLarge: Past ``limit`` bytes, declared or read (413).
    """
    _check_media_type(request)
    return await read_bytes(request, limit=limit)


async def read_bytes(request: Request, *, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw bytes of a request body of any media type, at most ``limit`` of them.

    A declared ``Content-Length`` over the limit is refused before reading; the
    bytes read are counted too (a body may be sent without a length).

    Raises:
        BodyTooLarge: Past ``limit`` bytes, declared or read (413).
    """
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"the body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, *, limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """The request's body as a JSON object: the one strict reader of every endpoint with a body.

    Checks, in order: the ``Content-Type`` (``application/json`` or
    ``application/*+json``, UTF-8), the size (a declared ``Content-Length``
    first, then the bytes read, stopping at ``limit``) — :func:`read_body` —
    then the body rules of :func:`parse_json`.

    Raises:
        UnsupportedMediaType: For another or a missing ``Content-Type`` (415).
        BodyTooLarge: Past ``limit`` bytes (413).
        BadBody: For a body :func:`parse_json` refuses (400).
    """
    return parse_json(await read_body(request, limit=limit))


def text_field(body: Mapping[str, Any], name: str, longest: int, *, blank: bool = False) -> str:
    """``body[name]`` as a string of at most ``longest`` characters.

    Raises:
        BadBody: Naming the field if it is missing, not a string, blank (unless
            ``blank``) or too long.
    """
    value = body.get(name)
    if not isinstance(value, str) or (not blank and not value.strip()):
        raise BadBody(f"field {name!r} must be a {'' if blank else 'non-empty '}string")
    if len(value) > longest:
        raise BadBody(f"field {name!r} is longer than {longest} characters")
    return value


def int_field(body: Mapping[str, Any], name: str, lowest: int, highest: int) -> int:
    """``body[name]`` as an integer in ``[lowest, highest]`` (a string of digits counts).

    Raises:
        BadBody: Naming the field and the range if it is missing, not an
            integer (booleans and fractions are not) or out of range.
    """
    value = body.get(name)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 17:
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value <= highest:
        raise BadBody(f"field {name!r} must be an integer from {lowest} to {highest}")
    return value


def body_error(exc: BadBody) -> JSONResponse:
    """The JSON response refusing a body: ``exc.status`` with ``exc.error`` and the reason."""
    return json_error(exc.status, exc.error, exc.reason)


def json_error(status: int, error: str, reason: str, **extra: Any) -> JSONResponse:
    """``{"error": ..., "reason": ...}`` with ``status``.

    Args:
        status: The HTTP status.
        error: A stable machine-readable code.
        reason: A sentence a person can act on.
        extra: More fields.
    """
    return JSONResponse({"error": error, "reason": reason, **extra}, status_code=status)
