"""QR code and Code128 flowables for voucher codes.

The QR symbol is encoded with reportlab's own encoder (cached per code) and painted straight
onto the canvas as one filled path of row runs: reportlab's QrCodeWidget builds a drawing
node per run and re-encodes on every measure, which made a 7-voucher slip take ~0.5 s.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

# 3 dots of a 203 dpi thermal head: bars stay crisp on the roll printer and on 300/600 dpi.
ROLL_BAR_WIDTH = 0.375 * mm


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

    def draw(self) -> None:
        count, runs = qr_runs(self.value)
        box = self.size / (count + 2 * QUIET_MODULES)
        canv = self.canv
        canv.saveState()
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


def code128(value: str, bar_width: float = ROLL_BAR_WIDTH, height: float = 11 * mm) -> Code128:
    """Code128 without printed text (the code is printed separately, grouped for reading).

    An all-digit code is encoded in set C (two digits per symbol): 20 digits are about 62 mm wide
    at the roll bar width, quiet zones included, which fits the 72 mm printable width.
    """
    return Code128(value, barWidth=bar_width, barHeight=height, humanReadable=False, quiet=1)
