"""Reading receipt QR codes from photos: the :class:`QrReader` port and its zxing-cpp adapter.

Citizens photograph paper receipts with phones and send the photo to the
Official Account. :meth:`ZxingReader.read` finds the receipt QR, **verifies its
tag** and returns a :class:`VerifiedReceipt`, or raises one
:class:`~tthc_adapters.qr.ReceiptScanError` saying why (unreadable image, no
QR, not ours, forged, unknown key). :meth:`ZxingReader.read_unverified`
returns the decoded payload without checking the tag: it proves nothing.

The search runs cheap passes first and stops at the first receipt payload; a
pass starts only if one like it, as last timed on this photo, still fits in the
budget (:class:`tthc_adapters.qr._budget.Clock`) — ``budget_s`` (0.2 s by
default) of the reading thread's CPU time, so a loaded machine tries the same
passes as an idle one, under a wall-clock ceiling (``ceiling_s``, 0.25 s, image
decoding included), so a photo without a receipt QR answers within about
300 ms. The passes run in the order of their measured yield on the benchmark's
photos (docs/receipt.md):

1. zxing-cpp on the photo, QR only, also reporting symbols it located but
   could not decode (``return_errors=True``);
2. for such symbols (squarest and largest first, each attempt on every symbol
   before the next attempt on any), geometric recovery
   (:mod:`tthc_adapters.qr._dewarp`): perspective rectification; the crop
   binarised after a flat-field division (crumpled paper's creases and facet
   shading removed), flattened, or as it is; the outline's Coons patch, the
   local grid-phase mesh and the integrated-phase mesh (:mod:`._grid`, paper
   stretched by waves about one QR width long) — the curved, folded and
   crumpled paper zxing's single projective grid misses;
3. photometric variants of the whole photo — flat-field correction of
   uneven light, downscale, unsharp mask, Otsu binarisation, 2× upscale, a 45°
   turn, zxing's global-histogram binariser — each followed by step 2 on the
   symbols it locates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

import attrs
import numpy as np
import zxingcpp
from numpy.typing import NDArray
from PIL import Image

from tthc_adapters.qr import _dewarp as dewarp
from tthc_adapters.qr import _grid as grid
from tthc_adapters.qr import _photometric as photometric
from tthc_adapters.qr import _tone as tone
from tthc_adapters.qr._budget import DEFAULT_BUDGET_S, DEFAULT_CEILING_S, Clock
from tthc_adapters.qr._errors import ForgedReceipt, NoReceiptQr, NotOurReceipt, UnknownReceiptKey
from tthc_adapters.qr._image import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, load_image
from tthc_core.codes import DossierCode
from tthc_core.receipt import (
    InvalidReceiptPayload,
    KeyRing,
    ReceiptCodec,
    ReceiptPayload,
    Verdict,
    Verification,
)

__all__ = ["DEFAULT_BUDGET_S", "DEFAULT_CEILING_S", "QrReader", "VerifiedReceipt", "ZxingReader"]

_QR_FORMATS = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)  # never Micro QR
Gray = NDArray[np.uint8]
#: (tone of the rectified crop, module count: 0 best / 1 second / None to decode the toned
#: crop as it is, follow the outline?, mesh: "phase" or "follow").
_Attempt = tuple[str, int | None, bool, str]


@attrs.frozen
class VerifiedReceipt:
    """A receipt QR whose tag matched one of the office's keys.

    Args:
        payload: The decoded payload.
        text: The QR's text as scanned.
        verification: The verdict (always ``VALID``) and its reason.
    """

    payload: ReceiptPayload
    text: str
    verification: Verification

    @property
    def code(self) -> DossierCode:
        """The dossier code."""
        return self.payload.code


class QrReader(Protocol):
    """Port: finds the receipt QR in a photo."""

    def read(self, image: bytes | Image.Image) -> VerifiedReceipt:
        """The verified receipt in the photo.

        Raises:
            ReceiptScanError: With ``kind`` unreadable, no_qr, not_ours, forged or unknown_key.
        """
        ...

    def read_unverified(self, image: bytes | Image.Image) -> ReceiptPayload:
        """The decoded payload, tag NOT checked (proves nothing about authenticity)."""
        ...

    def texts(self, image: bytes | Image.Image) -> tuple[str, ...]:
        """The texts of every QR code found by the first pass that finds any."""
        ...


# Attempts per located symbol, by measured yield per millisecond on photos raw zxing-cpp
# misses (docs/receipt.md, "Recovery attempts"): the rectified crop as it is (3 ms), then the
# outline patch with the grid-phase mesh (about 8 ms) and the integrated-phase mesh (three
# rounds, about 20 ms), cheapest and most productive first.
_ATTEMPTS: tuple[_Attempt, ...] = (
    ("binary", None, False, "crop"),
    ("binary", 0, True, "phase"),
    ("binary", 0, True, "follow"),
    ("binary", 0, False, "phase"),
    ("binary", 0, False, "follow"),
    ("flat", 0, False, "phase"),
    ("plain", 0, True, "follow"),
    ("plain", 0, False, "phase"),
    ("plain", 1, False, "phase"),
    ("flat", 1, False, "phase"),
    ("plain", 0, False, "follow"),
    ("flat", 0, True, "phase"),
    ("binary", 1, True, "phase"),
    ("flat", 0, True, "follow"),
)


def _zxing(
    gray: Gray, binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage
) -> tuple[tuple[str, ...], list[NDArray[np.float32]]]:
    found = zxingcpp.read_barcodes(
        gray, formats=_QR_FORMATS, binarizer=binarizer, return_errors=True
    )
    return tuple(b.text for b in found if b.valid), dewarp.candidate_quads(found)


def _attempt(
    straighten: Callable[[str, int, bool], Gray],
    toned: dict[str, Gray],
    modules: tuple[int, int],
    attempt: _Attempt,
) -> Iterator[tuple[str, Gray]]:
    """(stage, image to decode) of one attempt on a rectified crop: one image, or one a round."""
    name, count, outline, mesh = attempt
    if count is None:
        yield f"rectified_{name}", toned[name]
        return
    straight = straighten(name, modules[count], outline)
    label = f"{name}" + ("" if outline else "_plain")
    if mesh == "phase":
        yield f"meshed_{label}", dewarp.refine(straight)
        return
    for round_, image in enumerate(grid.follow(straight), start=1):
        yield f"followed{round_}_{label}", image


def _recover(
    gray: Gray, quads: list[NDArray[np.float32]], clock: Clock
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Geometric recovery of the located symbols: rectified, toned, straightened and meshed.

    Each outline is rectified once (cheap), its tones (:data:`tone.TONES`),
    module counts and straightened squares computed once and shared by the
    attempts (:data:`_ATTEMPTS`); these go breadth-first — each attempt on
    every symbol before the next attempt on any — so a false symbol ranked
    first cannot spend the budget before the real one is tried.
    """
    if not quads or not clock.fits("mesh"):
        return
    prepared = []
    for quad in quads:
        rect = dewarp.rectify(gray, quad)
        yield "rectified", _zxing(rect)[0]
        tones = {name: make(rect) for name, make in tone.TONES.items()}  # about 2 ms
        first, second = dewarp.modules_across(rect)[:2]
        straight: dict[tuple[str, int, bool], Gray] = {}

        def straighten(
            name: str,
            count: int,
            outline: bool,
            tones: dict[str, Gray] = tones,
            cache: dict[tuple[str, int, bool], Gray] = straight,
        ) -> Gray:
            key = (name, count, outline)
            if key not in cache:
                cache[key] = dewarp.dewarp(tones[name], modules=count, outline=outline)
            return cache[key]

        prepared.append((straighten, tones, (first, second)))
    for attempt in _ATTEMPTS:
        kind = "crop" if attempt[1] is None else attempt[3]
        for straighten, tones, modules in prepared:
            if not clock.fits(kind):
                return
            clock.start()
            for stage, image in _attempt(straighten, tones, modules, attempt):
                found = _zxing(image)[0]
                if found:
                    yield stage, found
                    break
            else:
                yield stage, ()
            clock.timed(kind)


def _search(gray: Gray, clock: Clock) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(stage, texts) of each pass, cheapest first, while a pass still fits in the budget."""
    clock.start()
    texts, quads = _zxing(gray)
    clock.timed("whole")
    yield "direct", texts
    yield from _recover(gray, quads, clock)
    for name, make, size in photometric.VARIANTS:
        scale = size(gray)
        if not clock.fits("whole", scale):
            return
        clock.start()
        variant = make(gray)
        texts, quads = _zxing(variant)
        clock.timed("whole", scale)
        yield name, texts
        yield from ((f"{name}+{stage}", t) for stage, t in _recover(variant, quads, clock))
    if clock.fits("whole"):
        yield "global_histogram", _zxing(gray, zxingcpp.Binarizer.GlobalHistogram)[0]


class ZxingReader:
    """A :class:`QrReader` over zxing-cpp and OpenCV, with geometric recovery and a time budget.

    Args:
        codec: Recognises this office's receipt payloads.
        keys: The office's receipt keys (verification).
        max_bytes: Largest image file accepted.
        max_pixels: Largest image accepted (width × height).
        budget_s: CPU time of the reading thread after which a photo is given up as "no QR".
        ceiling_s: Wall-clock time after which a photo is given up, however loaded the machine.
    """

    def __init__(
        self,
        codec: ReceiptCodec,
        keys: KeyRing,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        budget_s: float = DEFAULT_BUDGET_S,
        ceiling_s: float = DEFAULT_CEILING_S,
    ) -> None:
        self.codec = codec
        self.keys = keys
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.budget_s = budget_s
        self.ceiling_s = ceiling_s

    def _passes(self, image: bytes | Image.Image) -> Iterator[tuple[str, tuple[str, ...]]]:
        clock = Clock(self.budget_s, self.ceiling_s)
        loaded = load_image(image, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        gray = np.asarray(loaded if loaded.mode == "L" else loaded.convert("L"), dtype=np.uint8)
        yield from _search(np.ascontiguousarray(gray), clock)

    def texts(self, image: bytes | Image.Image) -> tuple[str, ...]:
        """The texts of every QR code found by the first pass that finds any."""
        for _, found in self._passes(image):
            if found:
                return found
        return ()

    def _first_ours(self, image: bytes | Image.Image) -> tuple[str, ReceiptPayload, str]:
        """(text, payload, stage) of the first receipt payload found; raises if none."""
        others: list[str] = []
        for stage, found in self._passes(image):
            for text in found:
                try:
                    return text, self.codec.decode(text), stage
                except InvalidReceiptPayload as exc:
                    if exc.kind == "malformed":
                        raise ForgedReceipt(
                            f"a receipt QR with a broken body: {exc.reason}"
                        ) from exc
                    if text not in others:
                        others.append(text)
        if others:
            raise NotOurReceipt(
                f"the photo has {len(others)} QR code(s), none of them a receipt of "
                f"{self.codec.lookup_base.lower()}",
                others=tuple(others),
            )
        raise NoReceiptQr("no QR code could be read in the photo")

    def read_unverified(self, image: bytes | Image.Image) -> ReceiptPayload:
        """UNSAFE: the receipt payload in the photo, decoded but its tag NOT verified.

        Anyone can print a QR with any dossier code; only :meth:`read` (or
        ``codec.verify``) tells a real receipt from a forged one.

        Raises:
            ReceiptScanError: ``unreadable``, ``no_qr``, ``not_ours`` or ``forged`` (broken body).
        """
        return self._first_ours(image)[1]

    def read(self, image: bytes | Image.Image) -> VerifiedReceipt:
        """The verified receipt in the photo.

        Raises:
            UnreadableImage: Not an image, truncated, or too large (``kind`` ``unreadable``).
            NoReceiptQr: No QR code could be read (``no_qr``).
            NotOurReceipt: QR codes, none a receipt of this office (``not_ours``).
            ForgedReceipt: Our format, but the tag does not match (``forged``).
            UnknownReceiptKey: Signed with a key this office does not hold (``unknown_key``).
        """
        return self.read_traced(image)[0]

    def read_traced(self, image: bytes | Image.Image) -> tuple[VerifiedReceipt, str]:
        """:meth:`read` plus the name of the pass that found the QR (for benchmarks)."""
        text, payload, stage = self._first_ours(image)
        verification = self.codec.verify(payload, self.keys)
        if verification.verdict is Verdict.UNKNOWN_KEY:
            raise UnknownReceiptKey(verification.reason, payload=payload)
        if verification.verdict is not Verdict.VALID:
            raise ForgedReceipt(verification.reason, payload=payload)
        return VerifiedReceipt(payload, text, verification), stage
