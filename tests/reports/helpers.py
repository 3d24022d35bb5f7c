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
