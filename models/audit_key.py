"""The audit sealing key: a secret kept OUTSIDE the database, in a key file on each desk.

Events are sealed with HMAC-SHA256 under this key (see :mod:`models.audit`), so someone who
can write the database but has no key file cannot rebuild the chain after an edit: the public
hash function gives a different digest, and verification fails at the first rebuilt event.

The file (JSON) holds every key ever used, by key id, and which one seals new events::

    {"current": "k1a2b3c4d", "keys": {"k1a2b3c4d": "<64 hex digits>", ...}}

- Where: settings ``audit_key_file``, else ``<data folder>/keys/audit-key.json``; the folder is
  made 0700 and the file 0600 (owner only) on systems with POSIX permissions.
- Created by the first start of a database that has no sealed events (migration 6, i.e.
  ``ffdesk init`` or the first upgrade). A database that already has sealed events never gets a
  new key silently: without the key file ffdesk refuses to write (:class:`KeyMissing`), with a
  Chinese message saying how to copy the key from another desk.
- Shared with the other desks by copying the file (``ffdesk audit export-key --out F`` on one
  desk, ``ffdesk audit import-key F`` on the other; the keys are merged, never replaced).
- Rotated by ``ffdesk audit rotate-key``: a new key becomes current; old keys stay in the file
  for verifying the events they sealed.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from models import db as dbmod
from models.errors import InvalidInput, Refused
from models.private_files import write_private

KEY_FILE_NAME = "audit-key.json"


class KeyMissing(Refused):
    """The database is sealed but this desk has no key file (or not the key it needs)."""


@dataclass(frozen=True)
class KeyRing:
    current: str | None
    keys: dict[str, bytes]

    def key(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)


def key_file() -> Path:
    configured = str(dbmod.read_settings_file().get("audit_key_file") or "").strip()
    return Path(configured).expanduser() if configured else dbmod.data_dir() / "keys" / KEY_FILE_NAME


def _parse(text: str, path: Path) -> KeyRing:
    try:
        data = json.loads(text)
        keys = {str(k): bytes.fromhex(v) for k, v in dict(data.get("keys") or {}).items()}
        current = data.get("current")
    except (ValueError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"审计密钥文件 {path} 内容无法识别（{exc}）") from exc
    if current is not None and current not in keys:
        raise InvalidInput(f"审计密钥文件 {path} 中没有当前密钥 {current}")
    return KeyRing(current, keys)


_cache: dict[Path, tuple[tuple[int, int, int], KeyRing]] = {}


def load(path: Path | None = None) -> KeyRing:
    """The key ring of this desk (empty when there is no key file). Read again only when the
    file changed (every audit event needs the key: a sign-in must not pay for a JSON parse)."""
    path = path or key_file()
    try:
        st = path.stat()
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        cached = _cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        text = path.read_text("utf-8")
    except FileNotFoundError:
        _cache.pop(path, None)
        return KeyRing(None, {})
    except OSError as exc:
        raise KeyMissing(f"无法读取审计密钥文件 {path}：{exc.strerror or exc}") from exc
    ring = _parse(text, path)
    _cache[path] = (stamp, ring)
    return ring


def _write(ring: KeyRing, path: Path | None = None) -> Path:
    """Write atomically with owner-only permissions (folder 0700, file 0600)."""
    body = json.dumps(
        {"current": ring.current, "keys": {k: v.hex() for k, v in sorted(ring.keys.items())}}, indent=2
    )
    return write_private(path or key_file(), body.encode("utf-8"))


def _new_key() -> tuple[str, bytes]:
    return "k" + secrets.token_hex(4), secrets.token_bytes(32)


def ensure_key() -> KeyRing:
    """The ring with a current key, creating the key file when this desk has none yet.

    Only for a database that has no sealed events (migration 6): a sealed database needs the
    key that sealed it, which :func:`current_key` asks for instead of inventing a new one.
    """
    ring = load()
    if ring.current is not None:
        return ring
    key_id, key = _new_key()
    ring = KeyRing(key_id, {**ring.keys, key_id: key})
    _write(ring)
    return ring


def missing_message(key_id: str | None = None) -> str:
    what = f"审计密钥 {key_id}" if key_id else "审计密钥"
    return (
        f"本机没有{what}（密钥文件 {key_file()}），不能写入或核对封印的审计链。"
        "请在已有密钥的服务台运行 ffdesk audit export-key --out 文件，把文件安全地拷到本机后运行 "
        "ffdesk audit import-key 文件；不要新建密钥"
    )


def current_key() -> tuple[str, bytes]:
    """(key id, key) that seals new events; :class:`KeyMissing` when this desk has none."""
    ring = load()
    if ring.current is None:
        raise KeyMissing(missing_message())
    return ring.current, ring.keys[ring.current]


def rotate() -> tuple[str, str | None]:
    """Add a new key and make it current (old keys are kept). Returns (new id, previous id)."""
    ring = load()
    if ring.current is None:
        raise KeyMissing(missing_message())
    key_id, key = _new_key()
    _write(KeyRing(key_id, {**ring.keys, key_id: key}))
    return key_id, ring.current


def export_to(out: Path) -> Path:
    """Copy this desk's key ring to ``out`` (owner-only) to carry it to another desk."""
    ring = load()
    if ring.current is None:
        raise KeyMissing(missing_message())
    if out.is_dir():
        raise InvalidInput(f"输出路径是一个文件夹：{out}")
    if not out.parent.is_dir():
        raise InvalidInput(f"文件夹不存在：{out.parent}")
    return _write(ring, out)


def import_from(source: Path) -> KeyRing:
    """Merge the keys of ``source`` into this desk's ring; its current key becomes current here."""
    try:
        text = source.read_text("utf-8")
    except OSError as exc:
        raise InvalidInput(f"无法读取密钥文件 {source}：{exc.strerror or exc}") from exc
    incoming = _parse(text, source)
    if incoming.current is None:
        raise InvalidInput(f"{source} 中没有密钥")
    ring = load()
    for key_id, key in incoming.keys.items():
        if key_id in ring.keys and ring.keys[key_id] != key:
            raise Refused(f"密钥 {key_id} 与本机已有的同名密钥不同：请核对密钥文件来源")
    merged = KeyRing(incoming.current, {**ring.keys, **incoming.keys})
    _write(merged)
    return merged
