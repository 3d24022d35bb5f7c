"""A .deb from the bundle: /opt/ffdesk, /usr/bin/ffdesk, a menu entry and the icon.

The user's data (database, settings, logs, backups) lives in their home folder, which the
package never touches: removing the package leaves it where it was.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path

PACKAGE = "ffdesk"
ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
# Qt's xcb platform plugin and its libraries (the bundle carries Qt itself), the Chinese font
# that Qt and the PDF reports use.
DEPENDS = [
    "fonts-wqy-microhei",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libdbus-1-3",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-image0",
]
DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=生育友好服务台
Name[en]=ffdesk fertility-friendly service desk
GenericName=电子券发放与核销
GenericName[en]=E-voucher service desk
Comment=生育友好服务通道：电子券发放、核销、报表与证明打印
Comment[en]=Fertility-friendly service channel: e-vouchers, redemption, reports and certificates
Exec=ffdesk
Icon=ffdesk
Terminal=false
Categories=Office;
Keywords=ffdesk;电子券;核销;妇幼;
StartupWMClass=ffdesk
"""


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def libc_requirement() -> str:
    """The bundle carries this machine's Python and libraries: it needs its glibc or newer."""
    name, version = platform.libc_ver()
    return f"libc6 (>= {version})" if name == "glibc" and version else "libc6"


def control(version: str, arch: str, installed_kib: int) -> str:
    depends = ", ".join([libc_requirement(), *DEPENDS])
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        "Maintainer: ffdesk maintainers <ffdesk@localhost>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {depends}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: 生育友好服务台 fertility-friendly service desk\n"
        " Issues and redeems the electronic vouchers of the fertility-friendly service\n"
        " channel of a maternal-child health hospital; prints slips, certificates and\n"
        " finance reports. Self-contained: Python and Qt are inside /opt/ffdesk.\n"
    )


def _size_kib(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*")) // 1024 + 1


def build_deb(bundle: Path, out_dir: Path, version: str, work: Path) -> Path:
    """Lay out the package tree under ``work`` and build ``ffdesk_VERSION_ARCH.deb`` in ``out_dir``."""
    arch = architecture()
    root = work / f"{PACKAGE}_{version}_{arch}"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / "opt" / PACKAGE, symlinks=True)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    os.symlink(f"/opt/{PACKAGE}/{PACKAGE}", bin_dir / PACKAGE)
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{PACKAGE}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    icons = root / "usr" / "share" / "icons" / "hicolor"
    for source, folder in (("ffdesk.svg", "scalable"), ("ffdesk.png", "256x256")):
        target = icons / folder / "apps"
        target.mkdir(parents=True)
        shutil.copy2(ICONS / source, target / source)
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control(version, arch, _size_kib(root)), encoding="utf-8")
    for path in [root, *root.rglob("*")]:  # dpkg wants 0755 folders and readable files
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    out_dir.mkdir(parents=True, exist_ok=True)
    deb = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(root), str(deb)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return deb
