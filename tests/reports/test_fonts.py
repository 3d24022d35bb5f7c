from __future__ import annotations

import re
from pathlib import Path

import pytest

from reports import fonts
from reports.fonts import FontNotFound, font_path, register_fonts
from reports.slip import render_slip
from tests.reports.helpers import require_font
from tests.reports.samples import slip

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_system_font_is_found_and_registered_once() -> None:
    require_font()
    path = font_path()
    assert Path(path).is_file()
    assert register_fonts() == register_fonts()


def test_no_font_anywhere_names_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "SYSTEM_CANDIDATES", (str(tmp_path / "none.ttc"),))
    with pytest.raises(FontNotFound) as caught:
        font_path()
    assert "未找到中文字体" in caught.value.message
    assert "fonts-wqy-microhei" in caught.value.message


def test_cff_font_is_refused_with_reason(tmp_path: Path) -> None:
    fake_otf = tmp_path / "NotoSansCJK-Regular.otf"
    fake_otf.write_bytes(b"OTTO" + bytes(200))  # CFF-flavoured sfnt header
    with pytest.raises(FontNotFound, match="不是可嵌入的 TrueType 字体"):
        font_path(fake_otf)


def test_truetype_font_without_chinese_is_refused() -> None:
    if not DEJAVU.is_file():
        pytest.skip("DejaVuSans.ttf not installed (Debian: fonts-dejavu-core)")
    with pytest.raises(FontNotFound, match="缺少中文字符"):
        font_path(DEJAVU)


def test_environment_variable_comes_before_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    require_font()
    chosen = font_path()
    monkeypatch.setattr(fonts, "SYSTEM_CANDIDATES", ())
    monkeypatch.setenv(fonts.ENV_VAR, chosen)
    assert font_path() == chosen
    monkeypatch.setenv(fonts.ENV_VAR, "/nonexistent/font.ttf")
    with pytest.raises(FontNotFound, match=re.escape("/nonexistent/font.ttf")):
        font_path()


def test_pdf_embeds_the_truetype_subset_and_no_cid_font() -> None:
    require_font()
    pdf = render_slip(slip(), "a4")
    assert b"/FontFile2" in pdf  # embedded TrueType program
    assert b"STSong" not in pdf
    assert b"UniGB" not in pdf  # the CID encodings a non-embedded Chinese font would use
