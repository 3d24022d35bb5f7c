"""Find and register one Chinese TrueType (glyf) font for reportlab — and tell Qt where it is.

Why so careful: reportlab embeds only TrueType outlines. Noto CJK and other CFF/OTF fonts are
refused, and the built-in ``UnicodeCIDFont('STSong-Light')`` embeds nothing, so the PDF prints
blank or tofu on a desk PC without that font. We therefore take one real ``.ttf``/``.ttc`` with
Chinese glyphs and let reportlab embed a subset of it in every PDF.

Search order: an explicit path (argument or the program's setting), the environment variable
``FFDESK_FONT``, then well-known system fonts. No Qt here: the GUI calls :func:`font_path` too.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from models.errors import FfdeskError

ENV_VAR = "FFDESK_FONT"
FAMILY = "FFDeskCJK"
INSTALL_HINT = (
    "未找到中文字体：请安装 fonts-wqy-microhei（Debian/Ubuntu: sudo apt-get install fonts-wqy-microhei）"
    "或在设置中指定 TrueType 字体文件"
)
# Characters every usable font must have: common text plus name characters outside GB2312.
PROBE = "中文第页共券核销元喆堃玥"

_WINDIR = os.environ.get("WINDIR", "C:/Windows")
SYSTEM_CANDIDATES: tuple[str, ...] = (
    # Debian/Ubuntu, Fedora, Arch
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    # Windows
    f"{_WINDIR}/Fonts/simsun.ttc",
    f"{_WINDIR}/Fonts/msyh.ttc",
    f"{_WINDIR}/Fonts/msyh.ttf",
    f"{_WINDIR}/Fonts/simhei.ttf",
    # macOS
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)


class FontNotFound(FfdeskError):
    """No usable Chinese TrueType font: the message says what to install."""

    exit_code = 1

    def __init__(self, message: str = INSTALL_HINT, **details: object) -> None:
        super().__init__(message, **details)


def _usable(path: str) -> str | None:
    """None when *path* is a TrueType font with Chinese glyphs, else the reason it is not."""
    try:
        stat = Path(path).stat()
    except OSError:
        return "文件不存在"
    # keyed on size and time too: a font installed or replaced while the program runs is seen
    return _check(path, stat.st_size, stat.st_mtime_ns)


@cache
def _check(path: str, _size: int, _mtime: int) -> str | None:
    # reportlab is imported here, not at the top: the desktop reads ENV_VAR and SYSTEM_CANDIDATES
    # at start-up, and reportlab costs ~0.1 s there
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        face = TTFontFile(path, subfontIndex=0)
    except TTFError as exc:  # CFF outlines, broken file, …
        return f"不是可嵌入的 TrueType 字体（{exc}）"
    missing = [ch for ch in PROBE if ord(ch) not in face.charToGlyph]
    if missing:
        return f"字体缺少中文字符：{''.join(missing)}"
    return None


def font_path(explicit: str | os.PathLike[str] | None = None) -> str:
    """Path of the Chinese TrueType font to use (subfont 0 of a ``.ttc``).

    An explicit path (argument or ``FFDESK_FONT``) that is not usable is an error rather than
    being silently skipped: the user asked for that font and must learn why it was refused.
    """
    for chosen in (explicit, os.environ.get(ENV_VAR) or None):
        if chosen:
            reason = _usable(os.fspath(chosen))
            if reason:
                raise FontNotFound(f"指定的字体无法使用：{os.fspath(chosen)}：{reason}。{INSTALL_HINT}")
            return os.fspath(chosen)
    for candidate in SYSTEM_CANDIDATES:
        if _usable(candidate) is None:
            return candidate
    raise FontNotFound()


_registered: dict[str, str] = {}


def register_fonts(explicit: str | os.PathLike[str] | None = None) -> str:
    """Register the font with reportlab (once per path) and return its family name.

    Bold and italic map to the same face: one embedded font per PDF, no missing-style errors.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = font_path(explicit)
    if path in _registered:
        return _registered[path]
    name = FAMILY if not _registered else f"{FAMILY}{len(_registered) + 1}"
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    _registered[path] = name
    return name
