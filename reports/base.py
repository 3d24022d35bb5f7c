"""Renderer base: paper sizes, one stylesheet, header/footer, '第 x 页 共 y 页', bytes out.

Every PDF is built with ``invariant=True``: the same data gives byte-identical output (no
creation time or random document id), so a closed month re-prints identically years later.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from reports import kinsoku
from reports.fonts import register_fonts

kinsoku.install()  # Chinese line-breaking rules for every CJK paragraph

ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm  # 72 mm printable on an 80 mm roll
_TALL = 14400.0  # PDF's largest page height (200 in): the measuring page for rolls
PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "a5": A5, "a4-landscape": landscape(A4)}

StoryFactory = Callable[[], list[Flowable]]


@dataclass(frozen=True)
class Styles:
    """The one stylesheet: every style uses the registered CJK font and CJK line breaking."""

    font: str
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    right: ParagraphStyle
    center: ParagraphStyle


def make_styles(size: float = 10.0, font_file: str | None = None) -> Styles:
    font = register_fonts(font_file)

    def style(name: str, factor: float = 1.0, **kw: Any) -> ParagraphStyle:
        fs = size * factor
        return ParagraphStyle(name, fontName=font, fontSize=fs, leading=fs * 1.35, wordWrap="CJK", **kw)

    return Styles(
        font=font,
        title=style("title", 1.6, alignment=TA_CENTER, spaceAfter=size * 0.6),
        heading=style("heading", 1.2, spaceBefore=size * 0.8, spaceAfter=size * 0.4),
        body=style("body"),
        small=style("small", 0.85),
        cell=style("cell", 0.85),
        cell_right=style("cell_right", 0.85, alignment=TA_RIGHT),
        right=style("right", alignment=TA_RIGHT),
        center=style("center", alignment=TA_CENTER),
    )


def _numbered_canvas(font: str) -> type[Canvas]:
    """A canvas that keeps each page until the end so it can print '第 x 页 共 y 页'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                width = self._pagesize[0]
                self.setFont(font, 8)
                self.drawRightString(width - 15 * mm, 8 * mm, f"第 {number} 页 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pages(
    make_story: StoryFactory,
    *,
    institution: str,
    title: str,
    pagesize: tuple[float, float] = A4,
    footer_note: str = "",
    font_file: str | None = None,
) -> bytes:
    """A sheet document: institution and title at the top of every page, page x of y below."""
    font = register_fonts(font_file)
    width, height = pagesize
    margin_x, margin_top, margin_bottom = 15 * mm, 20 * mm, 16 * mm

    def decorate(canv: Canvas, _doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setFont(font, 8)
        canv.drawString(margin_x, height - 12 * mm, institution)
        canv.drawRightString(width - margin_x, height - 12 * mm, title)
        canv.setStrokeColor(colors.grey)
        canv.setLineWidth(0.5)
        canv.line(margin_x, height - 13.5 * mm, width - margin_x, height - 13.5 * mm)
        canv.line(margin_x, 11.5 * mm, width - margin_x, 11.5 * mm)
        if footer_note:
            canv.drawString(margin_x, 8 * mm, footer_note)
        canv.restoreState()

    frame = Frame(
        margin_x, margin_bottom, width - 2 * margin_x, height - margin_top - margin_bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )  # fmt: skip
    buf = io.BytesIO()
    doc = _doc(buf, pagesize, title, institution, font)
    doc.addPageTemplates([PageTemplate("page", frames=[frame], onPage=decorate)])
    doc.build(make_story(), canvasmaker=_numbered_canvas(font))
    return buf.getvalue()


class _EndMark(Flowable):
    """Zero-size flowable that records where the content ended on the measuring page."""

    def __init__(self) -> None:
        super().__init__()
        self.y: float | None = None
        self.page = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.y = self.canv.absolutePosition(0, 0)[1]
        self.page = self.canv.getPageNumber()


def render_roll(
    make_story: StoryFactory,
    *,
    title: str,
    institution: str = "",
    width: float = ROLL_WIDTH,
    font_file: str | None = None,
) -> bytes:
    """A receipt-roll document whose page is exactly as long as its content.

    Built twice: first on a very tall page to measure where the content ends, then on a page
    of that height. ``make_story`` is called for each build because platypus consumes stories.
    """
    mark = _EndMark()
    probe_story = [*make_story(), mark]
    font = register_fonts(font_file)
    _build_roll(probe_story, width, _TALL, title, institution, font)
    if mark.y is None or mark.page != 1:
        raise ValueError("小票内容过长，无法打印在一张卷纸上")
    height = (_TALL - ROLL_MARGIN - mark.y) + 2 * ROLL_MARGIN + 2  # 2 pt slack for rounding
    buf = _build_roll(make_story(), width, height, title, institution, font)
    return buf.getvalue()


def _build_roll(
    story: Sequence[Flowable], width: float, height: float, title: str, author: str, font: str
) -> io.BytesIO:
    frame = Frame(
        ROLL_MARGIN, ROLL_MARGIN, width - 2 * ROLL_MARGIN, height - 2 * ROLL_MARGIN,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="roll",
    )  # fmt: skip
    buf = io.BytesIO()
    doc = _doc(buf, (width, height), title, author, font)
    doc.addPageTemplates([PageTemplate("roll", frames=[frame])])
    doc.build(list(story))
    return buf


def _doc(
    buf: io.BytesIO, pagesize: tuple[float, float], title: str, author: str, font: str
) -> BaseDocTemplate:
    return BaseDocTemplate(
        buf,
        pagesize=pagesize,
        title=title,
        author=author,
        creator="ffdesk",
        producer="ffdesk",
        subject=title,
        invariant=1,
        initialFontName=font,  # otherwise every page declares an unused Helvetica
        pageCompression=1,
    )
