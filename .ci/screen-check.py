"""Screenshot of the X display in $DISPLAY; fails unless a window is painted on it.

Usage: python screen-check.py OUT.png — run with a Python that has PySide6 (the desk's own).
Exit 0 when the picture holds a window (enough pixels differ from the background), else 1.
"""

from __future__ import annotations

import os
import sys
from collections import Counter

os.environ["QT_QPA_PLATFORM"] = "xcb"

from PySide6.QtGui import QGuiApplication


def main(out: str) -> int:
    app = QGuiApplication(sys.argv[:1])
    image = app.primaryScreen().grabWindow(0).toImage()
    image.save(out)
    colours = Counter(
        image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
    )
    _background, count = colours.most_common(1)[0]
    painted = 1 - count / sum(colours.values())
    print(
        f"screenshot {out}: {image.width()}x{image.height()}, {painted:.0%} painted, {len(colours)} colours"
    )
    return 0 if painted > 0.02 and len(colours) > 8 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
