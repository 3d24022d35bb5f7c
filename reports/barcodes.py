"""QR code and Code128 flowables for voucher codes (reportlab's own widgets)."""

from __future__ import annotations

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

# 3 dots of a 203 dpi thermal head: bars stay crisp on the roll printer and on 300/600 dpi.
ROLL_BAR_WIDTH = 0.375 * mm


def qr_code(value: str, size: float) -> Drawing:
    """A square QR drawing *size* points wide, quiet zone included, error correction M."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def code128(value: str, bar_width: float = ROLL_BAR_WIDTH, height: float = 11 * mm) -> Code128:
    """Code128 without printed text (the code is printed separately, grouped for reading).

    An all-digit code is encoded in set C (two digits per symbol): 20 digits are about 62 mm wide
    at the roll bar width, quiet zones included, which fits the 72 mm printable width.
    """
    return Code128(value, barWidth=bar_width, barHeight=height, humanReadable=False, quiet=1)
