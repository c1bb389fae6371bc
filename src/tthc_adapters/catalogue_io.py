"""Read a procedure catalogue from CSV or JSON (``tthc catalog import``), and the shipped sample.

One procedure per row (CSV) or object (JSON, a list), with these columns:

``code``
    National procedure code (``1.001193``) or its local variant.
``name``, ``sector``
    As the national TTHC database (CSDLQG về TTHC) publishes them.
``processing``
    Legal processing time: ``3d`` (working days), ``8h`` (working hours) or
    ``sameday`` (trong ngày; ``sameday@16:00`` with the procedure's own cut-off).
``steps``
    ``unit=2d|unit=1d``: the internal steps, summing to ``processing``
    (``unit=sameday`` for each step of a same-day procedure).
``documents``
    ``name:copy_type:count[:media]|...`` with copy_type ``original``,
    ``certified_copy`` or ``copy``, and media how it may be sent online:
    ``photo+pdf`` (the default), ``pdf``, ``photo+pdf+reuse`` (may be reused
    from an earlier dossier); a trailing ``?`` on the media marks the document
    optional online (``photo+pdf?``).
``fees``, ``fee_exemption``
    ``name=amount_vnd|...``; the exemption is printed with the first fee.
``fee_exempt_if`` (optional)
    ``field=reason|...``: the e-form's yes/no ``field`` answered "có" exempts
    from every fee of the procedure, for ``reason`` (with its legal basis).
``form`` (optional)
    The e-form: a JSON list of fields ``{"name", "label_vi", "kind", "required",
    "help_vi", "choices", "max_length"}`` (in a CSV cell, the JSON text), kinds
    as :class:`tthc_core.eform.FieldKind`.
``identity`` (optional)
    ``phone`` (the default: the phone shared in chat) or ``verified`` (an
    electronic identity such as VNeID level 2).
``return_channels`` (optional)
    ``desk|postal|electronic``; by default the desk, the post when
    ``postal_return``, and electronic results for toàn trình.
``postal_intake``, ``postal_return``
    ``true``/``false`` (Decision 45/2016/QĐ-TTg).
``online_level``
    ``none``, ``partial`` (một phần) or ``full`` (toàn trình), Decree 42/2022/NĐ-CP.
``source``
    The public source of the row (legal basis and portal page). Required.

The sample (:func:`sample_catalogue`) holds real commune-level procedures;
each row names its source.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.resources
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tthc_core.calendar import Duration
from tthc_core.catalogue import (
    CopyType,
    DocumentMedium,
    Fee,
    FeeExemption,
    IdentityLevel,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    StepTemplate,
)
from tthc_core.codes import ProcedureCode
from tthc_core.eform import FieldKind, FormField
from tthc_core.errors import InvalidInput
from tthc_core.party import ReturnChannel

__all__ = ["load_catalogue", "parse_catalogue", "sample_catalogue"]

_SAMPLE = "commune_sample.csv"


def _duration(text: str, where: str) -> Duration:
    """``3d`` (working days), ``8h`` (working hours) or ``sameday[@HH:MM]`` (trong ngày).

    ``sameday`` is due at the close of the receipt day, or of the next working day
    when received after the cut-off (15:00 unless ``@HH:MM`` gives the procedure's
    own): Decree 23/2015/NĐ-CP Art. 7, Law on Civil Status 2014 Art. 16.
    """
    value = text.strip()
    if value.startswith("sameday"):
        rest = value.removeprefix("sameday")
        if not rest:
            return Duration.same_day()
        clock = rest.removeprefix("@")
        hours, _, minutes = clock.partition(":")
        if (
            rest.startswith("@")
            and hours.isascii()
            and hours.isdigit()
            and minutes.isascii()
            and minutes.isdigit()
            and int(hours) < 24
            and int(minutes) < 60
        ):
            return Duration.same_day(dt.time(int(hours), int(minutes)))
        raise InvalidInput(f"{where}: time {text!r}: a same-day cut-off is written 'sameday@15:00'")
    amount, unit = value[:-1], value[-1:]
    if not amount.isascii() or not amount.isdigit() or unit not in ("d", "h"):
        raise InvalidInput(
            f"{where}: time {text!r} must be like '3d' (working days), '8h' (working hours) "
            "or 'sameday' (trong ngày)"
        )
    return (
        Duration.working_days(int(amount)) if unit == "d" else Duration.working_hours(int(amount))
    )


def _parts(text: str) -> list[str]:
    return [p.strip() for p in text.split("|") if p.strip()]


def _bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise InvalidInput(f"{where}: {value!r} must be true or false")
    return text == "true"


def _document(text: str, where: str) -> RequiredDocument:
    name, _, rest = text.partition(":")
    copy_type, _, rest = rest.partition(":")
    count, _, media = rest.partition(":")
    media = media.strip()
    required = not media.endswith("?")
    try:
        kinds = tuple(DocumentMedium(m.strip()) for m in media.rstrip("?").split("+") if m.strip())
        return RequiredDocument(
            name.strip(),
            CopyType(copy_type or "original"),
            int(count or 1),
            media=kinds or (DocumentMedium.PHOTO, DocumentMedium.PDF),
            required=required,
        )
    except ValueError:
        raise InvalidInput(
            f"{where}: document {text!r} must be name:copy_type:count[:media], media as "
            "photo+pdf+reuse"
        ) from None


def _exemptions(text: str, where: str) -> tuple[FeeExemption, ...]:
    found = []
    for part in _parts(text):
        field, _, reason = part.partition("=")
        if not field.strip() or not reason.strip():
            raise InvalidInput(f"{where}: fee exemption {part!r} must be field=reason")
        found.append(FeeExemption(field.strip(), reason.strip()))
    return tuple(found)


def _fees(text: str, exemption: str, exempt_if: str, where: str) -> tuple[Fee, ...]:
    fees = []
    exemptions = _exemptions(exempt_if, where)
    for part in _parts(text):
        name, _, amount = part.rpartition("=")
        if not amount.strip().isdigit():
            raise InvalidInput(f"{where}: fee {part!r} must be name=amount in đồng")
        fees.append(Fee(name.strip(), int(amount), exemptions))
    if fees and exemption.strip() and exemption.strip().lower() != "không":
        fees[0] = Fee(f"{fees[0].name} ({exemption.strip()})", fees[0].amount_vnd, exemptions)
    return tuple(fees)


def _form(value: Any, where: str) -> tuple[FormField, ...]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{where}: the form is not valid JSON: {exc}") from None
    if not isinstance(value, list) or not all(isinstance(f, dict) for f in value):
        raise InvalidInput(f"{where}: the form must be a JSON list of field objects")
    fields = []
    for item in value:
        try:
            fields.append(
                FormField(
                    name=str(item["name"]),
                    label_vi=str(item["label_vi"]),
                    kind=FieldKind(str(item.get("kind", "text"))),
                    required=_bool(item.get("required", True), where),
                    help_vi=str(item.get("help_vi", "")),
                    choices=tuple(str(c) for c in item.get("choices", ())),
                    max_length=int(item.get("max_length", 200)),
                )
            )
        except KeyError as exc:
            raise InvalidInput(f"{where}: a form field has no {exc.args[0]!r}") from None
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"{where}: form field {item.get('name')!r}: {exc}") from None
    return tuple(fields)


def _returns(value: Any) -> dict[str, Any]:
    text = "" if value is None else str(value)
    if not text.strip():
        return {}
    return {"return_channels": tuple(ReturnChannel(p) for p in _parts(text))}


def _procedure(row: Mapping[str, Any], where: str) -> Procedure:
    try:
        if not str(row.get("source", "")).strip():
            raise InvalidInput(f"{where}: every procedure needs its public source")
        steps = []
        for part in _parts(str(row.get("steps", ""))):
            unit, _, time = part.rpartition("=")
            steps.append(StepTemplate(unit.strip(), _duration(time, where)))
        return Procedure(
            code=ProcedureCode.parse(str(row["code"]).strip()),
            name=str(row["name"]).strip(),
            sector=str(row["sector"]).strip(),
            processing_time=_duration(str(row["processing"]), where),
            documents=tuple(_document(d, where) for d in _parts(str(row.get("documents", "")))),
            fees=_fees(
                str(row.get("fees", "")),
                str(row.get("fee_exemption", "")),
                str(row.get("fee_exempt_if") or ""),
                where,
            ),
            postal_intake=_bool(row.get("postal_intake", True), where),
            postal_return=_bool(row.get("postal_return", True), where),
            online_level=OnlineLevel(str(row.get("online_level", "partial")).strip()),
            steps=tuple(steps),
            form=_form(row.get("form"), where),
            identity=IdentityLevel(str(row.get("identity") or "phone").strip()),
            **_returns(row.get("return_channels")),
        )
    except KeyError as exc:
        raise InvalidInput(f"{where}: column {exc.args[0]!r} is missing") from None
    except ValueError as exc:
        raise InvalidInput(f"{where}: {exc}") from None


def parse_catalogue(rows: Iterable[Mapping[str, Any]], *, origin: str) -> list[Procedure]:
    """The procedures of ``rows`` (dicts of the columns above).

    Raises:
        InvalidInput: Naming the row and what is wrong with it.
    """
    return [_procedure(row, f"{origin} row {n}") for n, row in enumerate(rows, 1)]


def load_catalogue(path: Path) -> list[Procedure]:
    """The procedures of a ``.csv`` or ``.json`` file.

    Raises:
        InvalidInput: If the file cannot be read or a row is wrong.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read catalogue {path}: {exc.strerror}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"catalogue {path} is not valid JSON: {exc}") from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InvalidInput(f"catalogue {path} must be a JSON list of objects")
        return parse_catalogue(data, origin=str(path))
    if path.suffix.lower() != ".csv":
        raise InvalidInput(f"catalogue {path} must be a .csv or .json file")
    return parse_catalogue(csv.DictReader(io.StringIO(text)), origin=str(path))


def sample_catalogue() -> list[Procedure]:
    """The shipped sample of real commune-level procedures (hộ tịch, chứng thực)."""
    text = (importlib.resources.files("tthc_adapters") / "catalogue_data" / _SAMPLE).read_text(
        encoding="utf-8"
    )
    return parse_catalogue(csv.DictReader(io.StringIO(text)), origin=_SAMPLE)
