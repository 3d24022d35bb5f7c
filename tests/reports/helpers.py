"""Helpers for report tests: read a PDF like a user would (text, pixels, barcodes)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.fonts import FontNotFound, font_path


def require_font() -> None:
    try:
        font_path()
    except FontNotFound as exc:
        pytest.skip(f"no Chinese TrueType font on this machine: {exc.message}")


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat_text(pdf: bytes) -> str:
    """All pages' text with line breaks and spaces removed (CJK wrapping splits words anywhere)."""
    return "".join("".join(page_texts(pdf)).split())


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(pdf)).pages]


def render_png(pdf: bytes, tmp_path: Path, dpi: int = 300) -> list[Path]:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm missing: install poppler-utils (Debian: sudo apt-get install poppler-utils)")
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page*.png"))


def decode_barcodes(pdf: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """(symbology, data) of every barcode zbarimg finds on the pages rendered at 300 dpi."""
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg missing: install zbar-tools (Debian: sudo apt-get install zbar-tools)")
    pngs = render_png(pdf, tmp_path)
    run = subprocess.run(["zbarimg", "-q", *map(str, pngs)], capture_output=True, text=True, check=False)
    found = []
    for line in run.stdout.splitlines():
        symbology, _, data = line.partition(":")
        found.append((symbology, data))
    return found


def _pbm_bands(pbm: Path, band: int) -> list[Path]:
    """Horizontal strips of a raw PBM page, ``band`` rows high, overlapping by half."""
    data = pbm.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 3:  # magic, width, height (comments are not written by pdftoppm)
        while data[pos : pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1  # the single whitespace before the bits
    width, height = int(fields[1]), int(fields[2])
    row = (width + 7) // 8
    bits = data[pos:]
    strips = []
    for n, top in enumerate(range(0, max(1, height - band // 2), band // 2)):
        rows = min(band, height - top)
        strip = pbm.with_name(f"{pbm.stem}-band{n}.pbm")
        strip.write_bytes(b"P4\n%d %d\n" % (width, rows) + bits[top * row : (top + rows) * row])
        strips.append(strip)
    return strips


def decode_mono(
    pdf: bytes, folder: Path, dpi: int, expected: set[tuple[str, str]] | None = None
) -> set[tuple[str, str]]:
    """(symbology, data) of every barcode zbarimg reads on the pages rendered at ``dpi`` in pure
    black and white (``pdftoppm -mono``: no anti-aliasing, what a thermal head prints).

    Like a hand-held scanner aimed at one voucher, the page is also read in overlapping strips
    40 mm high (unless the whole pages already gave every ``expected`` symbol): zbar's QR finder
    mixes up finder patterns of symbols stacked in one column of a whole page, which no scanner
    looking at one voucher ever sees.
    """
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.skip("pdftoppm and zbarimg needed: install poppler-utils and zbar-tools")
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "slip.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-mono", str(source), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page*.pbm"))
    found = _zbar(pages)
    if expected is not None and expected <= found:
        return found
    return found | _zbar([band for page in pages for band in _pbm_bands(page, round(40 / 25.4 * dpi))])


def _zbar(images: list[Path]) -> set[tuple[str, str]]:
    run = subprocess.run(["zbarimg", "-q", *map(str, images)], capture_output=True, text=True, check=False)
    return {tuple(line.split(":", 1)) for line in run.stdout.splitlines() if ":" in line}  # type: ignore[misc]
