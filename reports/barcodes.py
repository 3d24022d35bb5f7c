"""QR code and Code128 flowables for voucher codes, made for a 203 dpi thermal printer.

The QR symbol is encoded with reportlab's own encoder (cached per code) and painted straight
onto the canvas as one filled path of row runs: reportlab's QrCodeWidget builds a drawing
node per run and re-encodes on every measure, which made a 7-voucher slip take ~0.5 s.

Thermal receipt printers print at 203 dpi in pure black and white: a QR module of 6.06 dots
prints as 6 or 7 dots and some symbols no longer scan (6 of 9 did). So every module and bar is
a whole number of printer dots (:data:`DOT`, 1/203 in ≈ 0.125 mm) and each symbol's corner is
moved (by less than one dot) onto the dot grid counted from the page's top-left corner, where
the printer (and ``pdftoppm``) start their raster.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

PRINTER_DPI = 203
DOT = inch / PRINTER_DPI  # one dot of the thermal head, in points (≈ 0.125 mm)

# 3 dots (0.375 mm) a module: still 2.7 pixels at 180 dpi, where 2 dots no longer read. A 20-digit
# code is 145 modules, 62 mm with its quiet zones: it fits the 72 mm printable roll width.
ROLL_BAR_WIDTH = 3 * DOT
QUIET_BARS = 10  # Code128 quiet zone, in modules


def dots(length: float, minimum: int = 1) -> float:
    """``length`` (points) rounded down to whole printer dots, at least ``minimum`` dots."""
    return max(minimum, math.floor(length / DOT + 1e-6)) * DOT


def snap_to_dots(canv: Canvas) -> None:
    """Move the origin (by less than a dot) onto the printer's dot grid, counted from the page's
    top-left corner: then every edge drawn at whole dots from here falls between two dots."""
    x, y = canv.absolutePosition(0, 0)
    top = canv._pagesize[1] - y
    dx = math.ceil(x / DOT - 1e-6) * DOT - x
    dy = math.ceil(top / DOT - 1e-6) * DOT - top
    canv.translate(dx, -dy)


QUIET_MODULES = 4  # the quiet zone the QR standard asks for, in modules


@lru_cache(maxsize=4096)
def qr_runs(value: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(module count, dark runs as (row, first column, length)) of ``value`` at error level M."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    runs = []
    for row, modules in enumerate(code.modules):
        column = 0
        for dark, group in itertools.groupby(bool(m) for m in modules):
            length = len(list(group))
            if dark:
                runs.append((row, column, length))
            column += length
    return code.getModuleCount(), tuple(runs)


class QrFlowable(Flowable):
    """A square QR code *size* points wide, quiet zone included."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value = value
        self.size = size
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def module(self) -> float:
        """The module size: whole printer dots, as large as fits ``size`` with the quiet zone."""
        count, _runs = qr_runs(self.value)
        return dots(self.size / (count + 2 * QUIET_MODULES), minimum=3)

    def draw(self) -> None:
        count, runs = qr_runs(self.value)
        box = self.module()
        canv = self.canv
        canv.saveState()
        # the symbol (a little smaller than ``size`` after snapping) centred in its square
        spare = self.size - box * (count + 2 * QUIET_MODULES)
        canv.translate(spare / 2, spare / 2)
        snap_to_dots(canv)
        # Scale once so that every run is drawn in whole-module units: the geometry reportlab's
        # own QR widget produces (with rounding in the points, some symbols failed to scan).
        canv.scale(box, box)
        canv.setFillColorRGB(0, 0, 0)
        top = count + QUIET_MODULES
        for row, column, length in runs:
            canv.rect(column + QUIET_MODULES, top - row - 1, length, 1, stroke=0, fill=1)
        canv.restoreState()


def qr_code(value: str, size: float) -> QrFlowable:
    """A square QR code *size* points wide, quiet zone included, error correction M."""
    return QrFlowable(value, size)


class DotCode128(Code128):
    """Code128 whose bars start on the printer's dot grid (the bar width is whole dots)."""

    def draw(self) -> None:
        self.canv.saveState()
        snap_to_dots(self.canv)
        super().draw()
        self.canv.restoreState()


def code128(value: str, bar_width: float = ROLL_BAR_WIDTH, height: float = 8 * mm) -> Code128:
    """Code128 without printed text (the code is printed separately, grouped for reading).

    An all-digit code is encoded in set C (two digits per symbol): 20 digits are 145 modules,
    41 mm at the roll bar width with the quiet zones. ``bar_width`` is rounded to whole dots.
    """
    bar = dots(bar_width)
    quiet = QUIET_BARS * bar
    return DotCode128(
        value, barWidth=bar, barHeight=height, humanReadable=False, quiet=1, lquiet=quiet, rquiet=quiet
    )
