"""``python -m desktop.packaging [--dist DIR] [--no-deb]``: build the desk bundle and its .deb."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from desktop import __version__

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def build_bundle(dist: Path, work: Path) -> Path:
    """PyInstaller over ``ffdesk.spec``; returns the bundle folder (``dist/ffdesk``)."""
    from PyInstaller import __main__ as pyinstaller

    pyinstaller.run(
        [
            str(HERE / "ffdesk.spec"),
            "--noconfirm",
            "--log-level=WARN",
            f"--distpath={dist}",
            f"--workpath={work / 'pyinstaller'}",
        ]
    )
    bundle = dist / "ffdesk"
    executable = bundle / ("ffdesk.exe" if sys.platform == "win32" else "ffdesk")
    shown = subprocess.run([str(executable), "--version"], capture_output=True, text=True, check=True)
    print(f"bundle: {bundle} ({shown.stdout.strip()})")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.packaging", description="构建安装包")
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", metavar="目录", help="输出目录（默认 dist/）"
    )
    parser.add_argument("--no-deb", action="store_true", help="只构建程序文件夹，不打 .deb 包")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    work = ROOT / "build"
    bundle = build_bundle(dist, work)
    if sys.platform.startswith("linux") and not args.no_deb:
        from desktop.packaging.deb import build_deb

        deb = build_deb(bundle, dist, __version__, work)
        print(f"package: {deb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
