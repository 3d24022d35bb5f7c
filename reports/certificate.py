"""Printing a birth medical certificate (出生医学证明) onto the pre-printed, numbered form.

Plain data in, PDF bytes out. The layout (where each value goes, in millimetres from the form's
top-left corner) is data: ``resources/forms/birth_certificate.toml``. Printing onto a real form
draws only the values; preview also draws the form's own outline and labels so staff can check
the result on screen. Every printer feeds paper slightly differently, so the values are shifted
by that printer's calibration offsets (dx to the right, dy downwards, in mm). The calibration
page prints mm rulers, a 10 mm grid, the form's outline and cross marks with the same offsets:
laid over a blank form it shows how far off the printer is.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from models import files
from models.errors import InvalidInput
from reports.fonts import register_fonts

TITLE = "出生医学证明"
ALIGNS = ("left", "center", "right")
RULER = 10.0  # mm from the top and left edges of the calibration page


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    x: float  # mm from the left edge
    y: float  # mm from the top edge (text baseline)
    max_width: float  # mm
    size: float  # pt
    align: str = "left"
    preview_only: bool = False


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float  # 0: a horizontal rule


@dataclass(frozen=True)
class Label:
    text: str
    x: float
    y: float
    size: float
    align: str = "left"


@dataclass(frozen=True)
class FormLayout:
    name: str
    width_mm: float
    height_mm: float
    min_font_size: float
    fields: tuple[FieldSpec, ...]
    boxes: tuple[Box, ...]
    labels: tuple[Label, ...]

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)


def default_layout_path() -> Path:
    return Path(str(resources.files("resources.forms"))) / "birth_certificate.toml"


def _number(table: Mapping[str, Any], key: str, where: str, low: float, high: float) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"版式文件：{where} 缺少数值 {key}")
    if not low <= value <= high:
        raise InvalidInput(f"版式文件：{where} 的 {key} = {value} 超出 {low}–{high}")
    return float(value)


def _align(table: Mapping[str, Any], where: str) -> str:
    align = table.get("align", "left")
    if align not in ALIGNS:
        raise InvalidInput(f"版式文件：{where} 的 align 应为 left、center 或 right")
    return str(align)


def parse_layout(data: Mapping[str, Any]) -> FormLayout:
    """Check a layout table (parsed TOML); messages name the entry that is wrong."""
    form = data.get("form")
    if not isinstance(form, Mapping):
        raise InvalidInput("版式文件缺少 [form] 表")
    width = _number(form, "width_mm", "[form]", 50, 600)
    height = _number(form, "height_mm", "[form]", 50, 600)
    default_size = _number(form, "font_size", "[form]", 4, 40)
    min_size = _number(form, "min_font_size", "[form]", 3, 40)
    fields: list[FieldSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(data.get("field", []), start=1):
        key = str(entry.get("key", "")).strip()
        where = f"第 {index} 个 [[field]]（{key or '无 key'}）"
        if not key or key in seen:
            raise InvalidInput(f"版式文件：{where} 的 key 为空或重复")
        seen.add(key)
        fields.append(
            FieldSpec(
                key=key,
                label=str(entry.get("label", key)),
                x=_number(entry, "x", where, 0, width),
                y=_number(entry, "y", where, 0, height),
                max_width=_number(entry, "max_width", where, 1, width),
                size=_number(entry, "size", where, 4, 40) if "size" in entry else default_size,
                align=_align(entry, where),
                preview_only=bool(entry.get("preview_only", False)),
            )
        )
    boxes = []
    for index, entry in enumerate(data.get("box", []), start=1):
        where = f"第 {index} 个 [[box]]"
        boxes.append(
            Box(
                _number(entry, "x", where, 0, width),
                _number(entry, "y", where, 0, height),
                _number(entry, "w", where, 0, width),
                _number(entry, "h", where, 0, height),
            )
        )
    labels = []
    for index, entry in enumerate(data.get("label", []), start=1):
        where = f"第 {index} 个 [[label]]"
        labels.append(
            Label(
                str(entry.get("text", "")),
                _number(entry, "x", where, 0, width),
                _number(entry, "y", where, 0, height),
                _number(entry, "size", where, 4, 40) if "size" in entry else default_size,
                _align(entry, where),
            )
        )
    return FormLayout(
        name=str(form.get("name", TITLE)),
        width_mm=width,
        height_mm=height,
        min_font_size=min_size,
        fields=tuple(fields),
        boxes=tuple(boxes),
        labels=tuple(labels),
    )


def load_layout(path: str | Path | None = None) -> FormLayout:
    """The shipped layout, or the TOML file at ``path`` (an institution's own edition of the form)."""
    source = Path(path) if path else default_layout_path()
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"无法读取版式文件 {source}：{files.reason(exc)}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"版式文件 {source.name} 格式错误：{exc}") from None
    return parse_layout(data)


# --- drawing ---------------------------------------------------------------------------------------------


class _Sheet:
    """Canvas in form millimetres (origin top-left, y down), shifted by the calibration offsets."""

    def __init__(self, layout: FormLayout, dx_mm: float, dy_mm: float, font: str, title: str) -> None:
        self.layout, self.dx, self.dy, self.font = layout, dx_mm, dy_mm, font
        self.buf = io.BytesIO()
        self.canvas = Canvas(
            self.buf,
            pagesize=(layout.width_mm * mm, layout.height_mm * mm),
            invariant=1,
            pageCompression=1,
            initialFontName=font,
        )
        self.canvas.setTitle(title)
        self.canvas.setCreator("ffdesk")
        self.canvas.setProducer("ffdesk")

    def point(self, x: float, y: float) -> tuple[float, float]:
        return (x + self.dx) * mm, (self.layout.height_mm - (y + self.dy)) * mm

    def text(self, text: str, x: float, y: float, size: float, align: str = "left") -> None:
        px, py = self.point(x, y)
        self.canvas.setFont(self.font, size)
        draw = {
            "left": self.canvas.drawString,
            "center": self.canvas.drawCentredString,
            "right": self.canvas.drawRightString,
        }[align]
        draw(px, py, text)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.canvas.line(*self.point(x1, y1), *self.point(x2, y2))

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buf.getvalue()


def fitted_size(text: str, spec: FieldSpec, font: str, min_size: float) -> float:
    """The font size at which ``text`` fits the blank; InvalidInput when even ``min_size`` is too big."""
    width = stringWidth(text, font, spec.size)
    limit = spec.max_width * mm
    if width <= limit:
        return spec.size
    size = spec.size * limit / width
    if size < min_size:
        raise InvalidInput(
            f"“{spec.label}”内容过长（{text}），在 {spec.max_width:g} 毫米宽的栏内无法打印，请缩写后重试",
            field=spec.key,
        )
    return size


def _draw_form(sheet: _Sheet, layout: FormLayout, grey: colors.Color) -> None:
    c = sheet.canvas
    c.setStrokeColor(grey)
    c.setFillColor(grey)
    c.setLineWidth(0.6)
    for box in layout.boxes:
        if box.h == 0:
            sheet.line(box.x, box.y, box.x + box.w, box.y)
        else:
            x, y = sheet.point(box.x, box.y + box.h)
            c.rect(x, y, box.w * mm, box.h * mm, stroke=1, fill=0)
    for label in layout.labels:
        sheet.text(label.text, label.x, label.y, label.size, label.align)


def render_certificate(
    values: Mapping[str, str],
    layout: FormLayout | None = None,
    *,
    dx_mm: float = 0.0,
    dy_mm: float = 0.0,
    preview: bool = False,
    font_file: str | None = None,
) -> bytes:
    """One page the size of the form: the values at their positions, shifted by (dx, dy) mm.

    ``values`` maps layout keys to printed strings (``models.certificates.print_values``); keys
    the layout does not know are an error, so a renamed field cannot silently vanish from print.
    """
    layout = layout or load_layout()
    known = {spec.key for spec in layout.fields}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InvalidInput(f"版式中没有以下栏目：{'、'.join(unknown)}")
    font = register_fonts(font_file)
    sheet = _Sheet(layout, dx_mm, dy_mm, font, f"{TITLE}（预览）" if preview else TITLE)
    if preview:
        _draw_form(sheet, layout, colors.Color(0.55, 0.55, 0.55))
    sheet.canvas.setFillColor(colors.black)
    for spec in layout.fields:
        text = str(values.get(spec.key, "") or "").strip()
        if not text or (spec.preview_only and not preview):
            continue
        sheet.text(text, spec.x, spec.y, fitted_size(text, spec, font, layout.min_font_size), spec.align)
    return sheet.finish()


def render_calibration_grid(
    layout: FormLayout | None = None,
    *,
    dx_mm: float = 0.0,
    dy_mm: float = 0.0,
    printer: str = "",
    font_file: str | None = None,
) -> bytes:
    """Test page: mm rulers on the top and left edges, a 10 mm grid, the form's outline and a cross
    at every field's start — all shifted by the current offsets, as a certificate would be."""
    layout = layout or load_layout()
    font = register_fonts(font_file)
    sheet = _Sheet(layout, dx_mm, dy_mm, font, "出生医学证明打印校准页")
    c = sheet.canvas
    width, height = layout.width_mm, layout.height_mm
    c.setLineWidth(0.25)
    c.setStrokeColor(colors.Color(0.8, 0.8, 0.8))
    for x in range(10, int(width), 10):
        sheet.line(x, 0, x, height)
    for y in range(10, int(height), 10):
        sheet.line(0, y, width, y)
    c.setStrokeColor(colors.black)
    c.setFillColor(colors.black)
    # Rulers run along lines RULER mm inside the top and left edges (printers cannot print at the
    # very edge); each tick sits at its distance from the paper's edge, so a correctly calibrated
    # printer puts the "50" tick 50 mm from the edge, checkable with a ruler.
    sheet.line(RULER, RULER, width, RULER)
    sheet.line(RULER, RULER, RULER, height)
    for x in range(int(RULER), int(width) + 1):
        tick = 5 if x % 10 == 0 else 3 if x % 5 == 0 else 1.5
        sheet.line(x, RULER, x, RULER + tick)
        if x % 10 == 0 and RULER < x < width - 3:
            sheet.text(str(x), x, RULER + 8, 6, "center")
    for y in range(int(RULER), int(height) + 1):
        tick = 5 if y % 10 == 0 else 3 if y % 5 == 0 else 1.5
        sheet.line(RULER, y, RULER + tick, y)
        if y % 10 == 0 and RULER < y < height - 3:
            sheet.text(str(y), RULER + 6, y + 1, 6)
    _draw_form(sheet, layout, colors.Color(0.4, 0.4, 1.0))
    c.setStrokeColor(colors.red)
    c.setLineWidth(0.3)
    for spec in layout.fields:
        sheet.line(spec.x - 2, spec.y, spec.x + 2, spec.y)
        sheet.line(spec.x, spec.y - 2, spec.x, spec.y + 2)
    c.setFillColor(colors.black)
    notes = [
        f"出生医学证明打印校准页 — {layout.name}" + (f" — 打印机：{printer}" if printer else ""),
        f"当前偏移：水平 dx = {dx_mm:+.1f} mm（向右为正），垂直 dy = {dy_mm:+.1f} mm（向下为正）",
        "用法：将本页与一张空白证件对齐叠放，对光查看蓝色框线与证件框线的偏差，",
        "量出偏差毫米数后在校准对话框中调整偏移，再打印本页确认；红色十字为各栏文字起点。",
    ]
    for index, note in enumerate(notes):
        sheet.text(note, 25, height - 40 + index * 6, 9)
    return sheet.finish()
