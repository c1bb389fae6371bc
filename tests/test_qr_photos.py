"""Phone-like photos of the real receipt PDF: every moderate class reads and verifies.

A fixed-seed sample (the benchmark runs many more, bench/bench_receipt.py); each
photo is reproducible from (page, kind, severity, seed).
"""

from __future__ import annotations

import io

import attrs
import pytest
import zxingcpp
from PIL import Image

from tthc_adapters.cli._receipt import sample_receipt
from tthc_adapters.qr import NoReceiptQr, SegnoRenderer, ZxingReader, receipt_pdf
from tthc_adapters.qr.testing import DEGRADATIONS, MODERATE, pdf_page, photograph
from tthc_core.codes import DossierCode
from tthc_core.receipt import ReceiptCodec, ReceiptKey, StaticKeyRing

CODEC = ReceiptCodec("tracuu.example.gov.vn")
RING = StaticKeyRing([ReceiptKey("K1", bytes(range(32)))])
# No budget cut-off on a loaded CI machine: neither the CPU budget nor the wall-clock ceiling.
READER = ZxingReader(CODEC, RING, budget_s=5.0, ceiling_s=30.0)


def _page(sequence: int) -> tuple[str, Image.Image]:
    receipt = sample_receipt()
    code = DossierCode(receipt.dossier_code.agency, receipt.dossier_code.received_on, sequence)
    text = CODEC.url(CODEC.sign(code, RING))
    return text, pdf_page(receipt_pdf(attrs.evolve(receipt, dossier_code=code), text))


@pytest.fixture(scope="module")
def pages() -> dict[int, tuple[str, Image.Image]]:
    return {seed: _page(100 + seed) for seed in range(3)}


def _raw_reads(photo: bytes, text: str) -> bool:
    return any(b.text == text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(photo))))


@pytest.mark.parametrize("kind", sorted(DEGRADATIONS))
def test_moderate_photos_of_every_class_read_and_verify(
    kind: str, pages: dict[int, tuple[str, Image.Image]]
) -> None:
    seed = 1
    text, page = pages[seed]
    photo = photograph(page, kind, MODERATE, seed=seed)
    verified = READER.read(photo)
    assert verified.text == text
    assert verified.verification.grants_details


@pytest.mark.parametrize(("kind", "seed"), [("curved", 0), ("curved", 2)])
def test_geometric_recovery_reads_what_raw_zxing_cannot(
    kind: str, seed: int, pages: dict[int, tuple[str, Image.Image]]
) -> None:
    """Photos (seeds fixed) where zxing-cpp's single projective grid fails."""
    text, page = pages[seed]
    photo = photograph(page, kind, MODERATE, seed=seed)
    assert not _raw_reads(photo, text)
    assert READER.read(photo).text == text


#: The default CPU budget, with a wall-clock ceiling no loaded CI machine reaches.
BUDGETED = ZxingReader(CODEC, RING, ceiling_s=30.0)


@pytest.mark.parametrize("seed", [4, 12, 23, 31, 74, 84, 136, 167])
def test_moderate_crumpled_photos_read_within_the_default_cpu_budget(seed: int) -> None:
    """Benchmark seeds (page 100 + seed) that need recovery. 4: its first located "symbol" was a
    thin strip; 12, 23: a later mesh attempt; 31, 74, 84, 167: creases and facet shading defeat
    the mesh on the plain crop (31 read only through the whole-photo downscale pass, 167 only
    through whole-photo Otsu, both beyond a 0.2 s budget) and read on the flat-fielded crop;
    136: the finder width gives the wrong module count."""
    text, page = _page(100 + seed)
    photo = photograph(page, "crumpled", MODERATE, seed=seed)
    assert not _raw_reads(photo, text)
    assert BUDGETED.read(photo).text == text


@pytest.mark.parametrize(("kind", "seed"), [("curved", 41), ("curved", 44), ("curved", 71)])
def test_moderate_curved_photos_stretched_by_short_waves_read(kind: str, seed: int) -> None:
    """Benchmark seeds (page 100 + seed): waves about one QR width long stretch the paper by a
    quarter; the outline patch and the unwrapped grid phase missed them even with 10 s. The
    integrated-phase mesh (``_grid.follow``) reads them within the default CPU budget."""
    text, page = _page(100 + seed)
    photo = photograph(page, kind, MODERATE, seed=seed)
    assert not _raw_reads(photo, text)
    assert BUDGETED.read(photo).text == text


def test_moderate_combined_seed_97_reads() -> None:
    """Downscale, curvature, blur and JPEG together (benchmark seed 97, page 197): read by the
    integrated-phase mesh on the binarised crop."""
    text, page = _page(197)
    photo = photograph(page, "combined", MODERATE, seed=97)
    assert not _raw_reads(photo, text)
    assert BUDGETED.read(photo).text == text


def test_a_sample_of_moderate_curved_photos_all_read(
    pages: dict[int, tuple[str, Image.Image]],
) -> None:
    """Every photo of a fixed sample (one page, photo seeds 200-215, none in the benchmark's
    pairs) reads and verifies: the class's goal is 99 %, so a miss here is a regression."""
    text, page = pages[2]
    misses = [
        seed
        for seed in range(200, 216)
        if not _reads(READER, photograph(page, "curved", MODERATE, seed=seed), text)
    ]
    assert misses == []


def _reads(reader: ZxingReader, photo: bytes, text: str) -> bool:
    try:
        return reader.read(photo).text == text
    except NoReceiptQr:
        return False


def test_photos_are_reproducible_from_their_seed(
    pages: dict[int, tuple[str, Image.Image]],
) -> None:
    _, page = pages[0]
    first = photograph(page, "crumpled", MODERATE, 7)
    assert photograph(page, "crumpled", MODERATE, 7) == first
    assert photograph(page, "crumpled", MODERATE, 8) != first


def test_the_pdf_page_has_the_qr_at_about_six_pixels_per_module(
    pages: dict[int, tuple[str, Image.Image]],
) -> None:
    text, page = pages[0]
    assert abs(page.width / page.height - 148 / 210) < 0.01
    (found,) = zxingcpp.read_barcodes(page)
    assert found.text == text
    side = found.position.top_right.x - found.position.top_left.x
    modules = SegnoRenderer().symbol(text).size
    assert 5.0 < side / modules < 8.0


def test_the_budget_gates_the_fallbacks(pages: dict[int, tuple[str, Image.Image]]) -> None:
    """With no time left only the direct pass runs: a clean page reads, a bent one does not."""
    text, page = pages[0]
    hurried = ZxingReader(CODEC, RING, budget_s=0.0)
    clean = io.BytesIO()
    page.save(clean, format="PNG")
    assert hurried.read(clean.getvalue()).text == text
    bent = photograph(page, "curved", MODERATE, seed=0)
    with pytest.raises(NoReceiptQr):
        hurried.read(bent)
    assert READER.read(bent).text == text


def test_the_wall_clock_ceiling_gates_the_fallbacks(
    pages: dict[int, tuple[str, Image.Image]],
) -> None:
    """However much CPU budget is left, nothing starts past the wall-clock ceiling."""
    text, page = pages[0]
    bent = photograph(page, "curved", MODERATE, seed=0)
    with pytest.raises(NoReceiptQr):
        ZxingReader(CODEC, RING, budget_s=5.0, ceiling_s=0.0).read(bent)
    assert ZxingReader(CODEC, RING, budget_s=5.0, ceiling_s=30.0).read(bent).text == text
