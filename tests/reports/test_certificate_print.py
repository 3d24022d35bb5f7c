"""Printing onto the pre-printed birth certificate: values at their places, offsets, preview, grid."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from models import certificates, clock
from models.errors import InvalidInput
from reports.certificate import load_layout, parse_layout, render_calibration_grid, render_certificate
from reports.fonts import register_fonts
from tests.models.test_certificates import sample_data
from tests.reports.helpers import flat_text, page_sizes, render_png, require_font


@pytest.fixture(autouse=True)
def _font():
    require_font()


@pytest.fixture
def values() -> dict[str, str]:
    clock.set_now(dt.datetime(2026, 3, 10, 2))
    return certificates.print_values(certificates.validate_data(sample_data()), "R430000001")


def png(pdf: bytes, folder: Path) -> Path:
    folder.mkdir()
    (page,) = render_png(pdf, folder, dpi=72)  # 72 dpi: one pixel per PDF point
    return page


def text_positions(pdf: bytes) -> dict[str, tuple[float, float, float]]:
    """Each drawn string -> (x, y, font size) in PDF points, read from the content stream."""
    found: dict[str, tuple[float, float, float]] = {}

    def visit(text, cm, tm, _font, size):
        if text.strip():
            found.setdefault(text.strip(), (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], size))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_print_mode_has_the_values_only_and_the_form_size(values):
    pdf = render_certificate(values)
    text = flat_text(pdf)
    for expected in (
        "李小宝",
        "男",
        "3250",
        "湖南长沙天心",  # the form prints 省 市 县（区） after the boxes: never 湖南省省
        "王丽",
        "土家族",
        "长沙市妇幼保健院",
        values["mother.id_number"],
    ):
        assert expected in text
    assert "湖南省" not in text and "天心区" not in text
    for printed_on_the_form in ("新生儿姓名", "出生体重", "出生医学证明", "R430000001"):
        assert printed_on_the_form not in text
    layout = load_layout()
    assert page_sizes(pdf) == [(pytest.approx(layout.width_mm * mm), pytest.approx(layout.height_mm * mm))]


def test_preview_draws_labels_outline_and_the_serial(values, tmp_path):
    pdf = render_certificate(values, preview=True)
    text = flat_text(pdf)
    assert "出生医学证明" in text and "新生儿姓名" in text and "R430000001" in text and "李小宝" in text
    # The outline is drawn: a dark horizontal rule crosses the page in preview, not in print.
    preview_png = png(pdf, tmp_path / "p")
    print_png = png(render_certificate(values), tmp_path / "q")
    row = round(30 * mm)  # the outline's top edge, 30 mm from the top

    def dark_run(path):
        image = Image.open(path).convert("L")
        return sum(1 for x in range(image.width) if image.getpixel((x, row)) < 200)

    assert dark_run(preview_png) > 500 and dark_run(print_png) < 50


def test_values_land_at_their_layout_position(values):
    layout = load_layout()
    spec = layout.field("newborn.weight_g")
    x, y, _size = text_positions(render_certificate(values))["3250"]
    assert x == pytest.approx(spec.x * mm, abs=0.05)
    assert y == pytest.approx((layout.height_mm - spec.y) * mm, abs=0.05)


@pytest.mark.parametrize(("dx", "dy"), [(2.5, 0.0), (0.0, -3.0), (-1.5, 4.0)])
def test_calibration_offsets_move_every_value_by_that_many_millimetres(values, dx, dy):
    plain = text_positions(render_certificate(values))
    moved = text_positions(render_certificate(values, dx_mm=dx, dy_mm=dy))
    assert plain.keys() == moved.keys()
    for key, (x, y, _) in plain.items():
        assert moved[key][0] - x == pytest.approx(dx * mm, abs=0.05), key
        assert moved[key][1] - y == pytest.approx(-dy * mm, abs=0.05), key  # dy > 0 prints lower


def test_offset_is_visible_in_the_rendered_image(values, tmp_path):
    def left_edge(pdf: bytes, name: str) -> int:
        ink = ImageOps.invert(Image.open(png(pdf, tmp_path / name)).convert("L")).point(
            lambda p: 255 if p > 60 else 0
        )
        return ink.getbbox()[0]

    shift = left_edge(render_certificate(values, dx_mm=10), "b") - left_edge(render_certificate(values), "a")
    assert shift == pytest.approx(10 * mm, abs=1.5)  # 28 px at 72 dpi


def test_long_text_shrinks_to_fit_and_refuses_beyond_the_minimum(values):
    layout = load_layout()
    spec = layout.field("mother.name")
    long_name = "阿依古丽·买买提·艾尔肯江·阿不都热合曼"
    pdf = render_certificate({**values, "mother.name": long_name})
    _x, _y, size = text_positions(pdf)[long_name]
    assert size < spec.size
    assert stringWidth(long_name, register_fonts(), size) <= spec.max_width * mm + 0.01
    with pytest.raises(InvalidInput, match="母亲姓名”内容过长") as exc:
        render_certificate({**values, "mother.name": long_name * 3})
    assert exc.value.details["field"] == "mother.name"


def test_every_value_the_model_produces_has_a_place_on_the_form(values):
    keys = {spec.key for spec in load_layout().fields}
    assert set(values) <= keys
    with pytest.raises(InvalidInput, match=r"newborn\.nickname"):
        render_certificate({**values, "newborn.nickname": "宝宝"})


def test_calibration_grid_prints_rulers_offsets_and_printer(tmp_path):
    pdf = render_calibration_grid(dx_mm=2, dy_mm=-1, printer="HP LaserJet")
    text = flat_text(pdf)
    assert "dx=+2.0mm" in text and "dy=-1.0mm" in text and "HPLaserJet" in text
    positions = text_positions(pdf)
    layout = load_layout()
    # The "100" label of the top ruler (drawn first, centred on its tick) sits 100 mm + dx from the left.
    x100, _y, size = positions["100"]
    centre = x100 + stringWidth("100", register_fonts(), size) / 2
    assert centre == pytest.approx(102 * mm, abs=0.05)
    assert page_sizes(pdf) == [(pytest.approx(layout.width_mm * mm), pytest.approx(layout.height_mm * mm))]
    assert render_png(pdf, tmp_path, dpi=50)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "缺少 \\[form\\]"),
        ({"form": {"width_mm": 297, "height_mm": 210, "font_size": 11}}, "min_font_size"),
        (
            {"form": {"width_mm": 297, "height_mm": 210, "font_size": 11, "min_font_size": 6},
             "field": [{"key": "a", "x": 1, "y": 1, "max_width": 5}, {"key": "a", "x": 1, "y": 1, "max_width": 5}]},
            "重复",
        ),
        (
            {"form": {"width_mm": 297, "height_mm": 210, "font_size": 11, "min_font_size": 6},
             "field": [{"key": "a", "x": 400, "y": 1, "max_width": 5}]},
            "x = 400",
        ),
        (
            {"form": {"width_mm": 297, "height_mm": 210, "font_size": 11, "min_font_size": 6},
             "label": [{"text": "x", "x": 1, "y": 1, "align": "middle"}]},
            "align",
        ),
    ],
)  # fmt: skip
def test_layout_errors_name_the_entry(data, message):
    with pytest.raises(InvalidInput, match=message):
        parse_layout(data)
