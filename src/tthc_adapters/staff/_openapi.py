"""The OpenAPI 3.1 description of the staff JSON API, generated from the action table.

Each dossier action of :data:`tthc_adapters.staff._actions.ACTIONS` is one
operation, with the permission it needs; the description is checked in as
``docs/openapi.json`` and a test fails when the two differ. Regenerate with
``python -m tthc_adapters.staff._openapi > docs/openapi.json``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from tthc_adapters.staff._actions import ACTIONS
from tthc_adapters.staff._case_actions import CASE_ACTIONS

__all__ = ["openapi"]

#: The form fields each action reads (all strings), as the pages send them.
_ACTION_FIELDS: dict[str, dict[str, str]] = {
    "receive_online": {},
    "ask_to_complete": {"items": "One document per line", "reason": "Why"},
    "refuse_at_intake": {"reason": "Why the dossier is refused"},
    "hand_over": {"to_unit": "The receiving unit", "to_officer": "Its officer", "note": "Ghi chú"},
    "request_supplement": {"items": "One document per line", "reason": "Why"},
    "receive_supplement": {},
    "refuse": {"reason": "Why the dossier does not qualify"},
    "reschedule": {"new_date": "YYYY-MM-DD", "new_time": "HH:MM", "reason": "Why it is late"},
    "resolve": {"note": "A note for the record"},
    "request_payment": {"amount_vnd": "Amount in đồng (digits)", "reason": "What it is for"},
    "confirm_payment": {},
    "return_at_desk": {},
}
#: The form fields each case action reads.
_CASE_FIELDS: dict[str, dict[str, str]] = {
    "accept": {},
    "decline": {"reason": "Why it is not accepted"},
    "forward": {"to": "The competent agency", "reason": "Why it is forwarded"},
    "assign": {"handler": "A case handler's user name (default: the caller)"},
    "verify": {},
    "dialogue": {"record_ref": "The dialogue record's number"},
    "extend": {
        "variant": "complex, especially_complex or multi_site (one the case offers)",
        "reason": "Why",
    },
    "suspend": {"reason": "The ground for suspension"},
    "resume": {},
    "resolve": {"summary": "The outcome", "document_ref": "The decision's number"},
    "publish": {},
    "close": {},
    "escalate": {
        "agency_code": "The second-level authority's electronic id",
        "agency_name": "Its name",
        "remote_area": "true if it sits in a remote area",
        "decision_received_on": "YYYY-MM-DD the complainant received the first decision",
    },
    "withdraw": {"reason": "What the sender's withdrawal says (optional)"},
    "terminate": {"reason": "The ground for terminating (required)"},
    "reopen": {"reason": "Why the answered case is handled again (required)"},
}
_ERROR = {"$ref": "#/components/schemas/Error"}
_CASE = {"$ref": "#/components/schemas/Case"}
_DOSSIER = {"$ref": "#/components/schemas/Dossier"}


def _responses(ok: str, schema: dict[str, Any], *codes: int) -> dict[str, Any]:
    described = {
        400: "Invalid input (the reason names the field)",
        401: "No valid API token",
        403: "The token's role may not do this",
        404: "No such dossier, case or procedure",
        409: "A rule forbids it in the dossier's state (the reason names the rule)",
    }
    out: dict[str, Any] = {ok: {"description": "OK", "content": _json(schema)}}
    for code in codes:
        out[str(code)] = {"description": described[code], "content": _json(_ERROR)}
    return out


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _strings(fields: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {k: {"type": "string", "description": v} for k, v in fields.items()},
    }


def _action_paths() -> dict[str, Any]:
    paths = {}
    for action in ACTIONS:
        paths[f"/dossiers/{{code}}/actions/{action.name}"] = {
            "post": {
                "operationId": action.name,
                "summary": action.label_vi,
                "description": f"Needs permission `{action.permission.value}`.",
                "parameters": [_CODE],
                "requestBody": {
                    "required": True,
                    "content": _json(_strings(_ACTION_FIELDS[action.name])),
                },
                "responses": _responses("200", _DOSSIER, 400, 401, 403, 404, 409),
            }
        }
    return paths


def _case_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/cases": {
            "get": {
                "operationId": "listCases",
                "summary": "A case list: open (running period), overdue, or all not ended",
                "description": "Needs permission `handle_cases`. A denouncer's identity is "
                "shown to the assigned handler only.",
                "parameters": [
                    {
                        "name": "queue",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["open", "overdue", "all"]},
                    }
                ],
                "responses": _responses("200", {"type": "array", "items": _CASE}, 400, 401, 403),
            }
        },
        "/cases/{case_id}": {
            "get": {
                "operationId": "getCase",
                "summary": "A case and the actions open to the caller",
                "description": "Needs permission `handle_cases`.",
                "parameters": [_CASE_ID],
                "responses": _responses("200", _CASE, 401, 403, 404),
            }
        },
    }
    for action in CASE_ACTIONS:
        paths[f"/cases/{{case_id}}/actions/{action.name}"] = {
            "post": {
                "operationId": f"case_{action.name}",
                "summary": action.label_vi,
                "description": f"Needs permission `{action.permission.value}`.",
                "parameters": [_CASE_ID],
                "requestBody": {
                    "required": True,
                    "content": _json(_strings(_CASE_FIELDS[action.name])),
                },
                "responses": _responses("200", _CASE, 400, 401, 403, 404, 409),
            }
        }
    return paths


_CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "string"}}
_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}

_INTAKE = {
    "type": "object",
    "required": ["procedure_code", "name"],
    "properties": {
        "procedure_code": {"type": "string", "example": "1.001193"},
        "name": {"type": "string"},
        "identity_number": {"type": "string"},
        "phone": {"type": "string"},
        "address": {"type": "string"},
        "email": {"type": "string"},
        "documents_received": {
            "type": "array",
            "items": {"type": "integer"},
            "description": "Indexes in the procedure's checklist; all are required",
        },
        "return_channel": {"type": "string", "enum": ["desk", "postal", "electronic"]},
        "postal_street": {"type": "string"},
        "postal_ward": {"type": "string", "description": "5-digit commune/ward code"},
        "postal_province": {"type": "string", "description": "2-digit province code"},
    },
}


def openapi() -> dict[str, Any]:
    """The API's OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "tthc officials' desk API",
            "version": "1",
            "description": "The staff pages' actions for the province's systems. A token acts "
            "as its staff account: the account's role decides what it may do.",
        },
        "servers": [{"url": "/staff/api/v1"}],
        "security": [{"token": []}],
        "paths": {
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "security": [],
                    "summary": "This description",
                    "responses": {"200": {"description": "OK"}},
                }
            },
            "/procedures": {
                "get": {
                    "operationId": "searchProcedures",
                    "summary": "The catalogue, filtered (diacritics ignored)",
                    "description": "Needs permission `receive`.",
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "responses": _responses(
                        "200", {"type": "array", "items": {"type": "object"}}, 401, 403
                    ),
                }
            },
            "/dossiers": {
                "post": {
                    "operationId": "receive",
                    "summary": "Receive a complete dossier (Mẫu 01)",
                    "description": "Needs permission `receive`.",
                    "requestBody": {"required": True, "content": _json(_INTAKE)},
                    "responses": _responses("201", _DOSSIER, 400, 401, 403, 404),
                }
            },
            "/dossiers/{code}": {
                "get": {
                    "operationId": "getDossier",
                    "summary": "A dossier, its control sheet and the actions open to the caller",
                    "description": "Needs permission `view_dossier`.",
                    "parameters": [_CODE],
                    "responses": _responses("200", _DOSSIER, 401, 403, 404),
                }
            },
            **_action_paths(),
            "/dossiers/{code}/parcels/{reference}/cancel": {
                "post": {
                    "operationId": "cancelParcel",
                    "summary": "Cancel a booked result parcel before the post picks it up",
                    "description": "Needs permission `cancel_parcel`. The operator is told "
                    "through the outbox (orderCancel).",
                    "parameters": [
                        _CODE,
                        {
                            "name": "reference",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": _json(_strings({"reason": "Why the booking is cancelled"})),
                    },
                    "responses": _responses("200", {"type": "object"}, 400, 401, 403, 404, 409),
                }
            },
            **_case_paths(),
        },
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "bearerFormat": "tthc_<id>.<secret>"}
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "reason"],
                    "properties": {"error": {"type": "string"}, "reason": {"type": "string"}},
                },
                "Case": {
                    "type": "object",
                    "required": ["case_id", "kind", "state", "actions"],
                    "properties": {
                        "case_id": {"type": "string"},
                        "kind": {"type": "string"},
                        "state": {"type": "string"},
                        "timeliness": {"type": "string"},
                        "actions": {"type": "array", "items": {"type": "string"}},
                    },
                    "additionalProperties": True,
                },
                "Dossier": {
                    "type": "object",
                    "required": ["code", "state", "actions"],
                    "properties": {
                        "code": {"type": "string"},
                        "state": {"type": "string"},
                        "due_at": {"type": ["string", "null"], "format": "date-time"},
                        "actions": {"type": "array", "items": {"type": "string"}},
                    },
                    "additionalProperties": True,
                },
            },
        },
    }


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(json.dumps(openapi(), ensure_ascii=False, indent=2) + "\n")
