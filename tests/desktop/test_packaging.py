"""The desk package's metadata (the build itself runs in CI: .ci/package-check)."""

from __future__ import annotations

import configparser
from pathlib import Path

from desktop import __version__
from desktop.packaging import deb

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_depends_on_what_the_source_set_up_installs_for_qt_and_fonts():
    listed = {
        line.strip()
        for line in (ROOT / ".ci" / "apt-packages").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert set(deb.DEPENDS) <= listed
    assert "fonts-wqy-microhei" in deb.DEPENDS and "libxcb-cursor0" in deb.DEPENDS


def test_control_file_names_version_architecture_and_c_library():
    text = deb.control(__version__, "amd64", 1234)
    fields = dict(
        line.split(": ", 1) for line in text.splitlines() if ": " in line and not line.startswith(" ")
    )
    assert fields["Package"] == "ffdesk"
    assert fields["Version"] == __version__
    assert fields["Architecture"] == "amd64"
    assert fields["Installed-Size"] == "1234"
    assert fields["Depends"].startswith("libc6")


def test_the_menu_entry_opens_the_program_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read_string(deb.DESKTOP_ENTRY)
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == "ffdesk" and desktop["Icon"] == "ffdesk"
    assert desktop["Name"] == "生育友好服务台"
    assert desktop["StartupWMClass"] == "ffdesk"  # the window's class: the menu and the window match
    for icon in ("ffdesk.svg", "ffdesk.png", "ffdesk.ico"):
        assert (ROOT / "resources" / "icons" / icon).stat().st_size > 0
