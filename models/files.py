"""Files and paths the user names: checked before any work, written whole or not at all,
every operating-system error turned into a Simplified Chinese input error.

A path from the command line may hold bytes that are not UTF-8 (Python keeps them as lone
surrogates); such a path is refused rather than used to make a file nobody can name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from models.errors import InvalidInput

REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许（文件或文件夹受保护）",
    errno.EROFS: "所在的磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EINVAL: "文件名不合法",
    errno.EIO: "读写设备出错",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.ELOOP: "路径中的符号链接太多（可能循环）",
}


def reason(exc: OSError) -> str:
    """Why the operating system refused, in Chinese."""
    return REASONS.get(exc.errno or 0) or f"系统错误（{exc.strerror or exc}）"


def undecodable(text: str) -> bool:
    """Whether ``text`` holds bytes that were not valid UTF-8 (kept as lone surrogates)."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def shown(text: str) -> str:
    """``text`` safe to print: each undecodable byte as �."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def refuse_undecodable(text: str, what: str) -> None:
    if undecodable(text):
        raise InvalidInput(f"{what}含有无法识别的字符（不是 UTF-8 编码）：{shown(text)}")


def _first_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(path.anchor or ".")


def output_file(text: str, what: str = "输出文件") -> Path:
    """The path to write ``what`` to, refused now (before any work) if it cannot be a new file."""
    refuse_undecodable(text, f"{what}路径")
    if not text.strip():
        raise InvalidInput(f"请给出{what}的路径")
    path = Path(text).expanduser()
    try:
        return _writable(path, what)
    except OSError as exc:  # no permission, a read-only disk, a name too long…
        raise InvalidInput(f"无法写入{what} {path}：{reason(exc)}") from None


def _writable(path: Path, what: str) -> Path:
    if path.is_dir():
        raise InvalidInput(
            f"{what} {path} 是一个文件夹：请给出文件名，例如 {path / ('输出' + (path.suffix or '.pdf'))}"
        )
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise InvalidInput(f"{what} {path} 不是普通文件（设备或管道），不能写入")
    parent = path.absolute().parent
    if not parent.is_dir():
        found = _first_existing(parent)
        if found.exists() and not found.is_dir():
            raise InvalidInput(f"无法写入{what} {path}：{found} 是文件，不是文件夹")
        raise InvalidInput(f"无法写入{what} {path}：文件夹 {parent} 不存在，请先建立它或换一个位置")
    if path.exists() and not os.access(path, os.W_OK):
        raise InvalidInput(f"无法写入{what} {path}：没有权限")
    _probe(_part(path))  # root may write anywhere the permission bits say no; the disk may still say no
    return path


def _part(path: Path) -> Path:
    """The temporary file beside ``path`` that the writing goes to first."""
    return path.with_name(f".{path.name}.{os.getpid()}.part")


def _probe(tmp: Path) -> None:
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    tmp.unlink()


def write_file(path: Path, data: bytes, what: str = "输出文件") -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file beside it, then a rename)."""
    tmp = _part(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InvalidInput(f"无法写入{what} {path}：{reason(exc)}，文件未写入") from None


def input_file(text: str, what: str = "文件") -> Path:
    """The path of an existing, readable file named by the user."""
    refuse_undecodable(text, f"{what}路径")
    path = Path(text).expanduser()
    try:
        return _readable(path, what)
    except OSError as exc:
        raise InvalidInput(f"无法读取{what} {path}：{reason(exc)}") from None


def _readable(path: Path, what: str) -> Path:
    if path.is_dir():
        raise InvalidInput(f"{what} {path} 是一个文件夹，不是文件")
    if not path.exists():
        raise InvalidInput(f"{what} {path} 不存在")
    if not os.access(path, os.R_OK):
        raise InvalidInput(f"无法读取{what} {path}：没有权限")
    return path
