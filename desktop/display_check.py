"""Before Qt opens a window: is there a display, and are the system libraries of Qt's X11 plugin
installed? Without them Qt aborts the process with an English message that often blames the
wrong library; here the desk gets a Chinese sentence that names what is missing (exit 2).

Linux only; no Qt is imported here.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

# sonames whose Debian package does not follow "libfooN" / "libfoo-N"
_PACKAGE_EXCEPTIONS = {"libglib-2.0.so.0": "libglib2.0-0", "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1"}


def debian_package(soname: str) -> str:
    """The usual Debian (UOS, Kylin) package of a shared library: libxcb-cursor.so.0 → libxcb-cursor0."""
    if soname in _PACKAGE_EXCEPTIONS:
        return _PACKAGE_EXCEPTIONS[soname]
    match = re.fullmatch(r"(lib.+?)\.so\.(\d+).*", soname)
    if match is None:
        return soname
    name, version = match.group(1).lower(), match.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def _platform() -> str:
    """The Qt platform plugin that will be used: QT_QPA_PLATFORM, else Wayland or X11 by the session."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen:
        return chosen
    if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return "wayland"
    return "xcb"


def x_display_reachable(display: str) -> bool:
    """Whether an X server answers at ``display`` (``:0``, ``unix:0``, ``localhost:10.0``)."""
    match = re.fullmatch(r"(?:(unix)|([\w.-]*)):(\d+)(?:\.\d+)?", display.strip())
    if match is None:
        return True  # a form this check does not know: let Qt try
    host, number = match.group(2), int(match.group(3))
    if host and host != "unix":
        try:
            socket.create_connection((host, 6000 + number), timeout=2).close()
        except OSError:
            return False
        return True
    for address in (f"/tmp/.X11-unix/X{number}", f"\0/tmp/.X11-unix/X{number}"):  # file, then abstract
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(2)
            try:
                probe.connect(address)
            except OSError:
                continue
            return True
    return False


def xcb_plugin() -> Path | None:
    import PySide6  # the package only: no Qt library is loaded

    path = Path(PySide6.__file__).resolve().parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return path if path.exists() else None


def missing_libraries(plugin: Path) -> list[str]:
    """Libraries the plugin needs that the dynamic linker cannot find (``ldd``)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    try:
        shown = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return []
    return re.findall(r"^\s*(\S+)\s*=>\s*not found", shown.stdout, re.M)


def problem() -> str | None:
    """A Chinese sentence saying why no window can open, or None when it can (or cannot be told)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = _platform()
    if platform == "xcb" and not os.environ.get("DISPLAY"):
        return (
            "无法打开程序窗口：没有图形显示（环境变量 DISPLAY 和 WAYLAND_DISPLAY 都未设置，"
            "例如通过 ssh 登录时没有加 -X）。请在桌面上启动 ffdesk；命令行功能不需要显示，见 ffdesk --help"
        )
    if platform == "wayland" and not os.environ.get("WAYLAND_DISPLAY"):
        return "无法打开程序窗口：QT_QPA_PLATFORM=wayland，但环境变量 WAYLAND_DISPLAY 未设置"
    if platform != "xcb":
        return None
    if not x_display_reachable(os.environ["DISPLAY"]):
        return (
            f"无法打开程序窗口：连接不上图形显示 {os.environ['DISPLAY']}（该显示不存在或已关闭，"
            "例如 ssh 会话已断开）。请在桌面上重新启动 ffdesk"
        )
    plugin = xcb_plugin()
    missing = missing_libraries(plugin) if plugin is not None else []
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(debian_package(name) for name in missing))
    return (
        f"无法打开程序窗口：缺少 Qt 图形界面需要的系统库 {'、'.join(missing)}。"
        f"请安装（Debian、统信 UOS、麒麟）：apt-get install {packages}"
    )
