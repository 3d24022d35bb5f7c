"""Encrypted backup files: AES-256-GCM with a key kept outside the database and the data folder.

A backup holds every client's ID number, name and phone. It is written encrypted, so a copied
backup file (a USB stick, a shared folder) gives nothing without the key. The key is 32 random
bytes in an owner-only file *next to* the data folder (``<data folder>-keys/backup.key``, or
``FFDESK_BACKUP_KEY``), never in the database or the backup itself: whoever restores on another
computer copies the key file there too. Losing the key loses the backups, so ``ffdesk backup``
names it.

File layout: ``FFDKENC1`` (8 bytes) · key id (8 bytes: SHA-256 of the key, to say "wrong key"
instead of "damaged") · nonce (12 bytes) · ciphertext · GCM tag (16 bytes). The header is the
associated data: changing any byte of the file makes decryption fail. Encryption and
decryption stream in 1 MiB chunks; a decrypted copy is used only after the tag has checked.

Backups made before encryption (plain SQLite files or pg_dump archives) still restore, with a
warning (:func:`plain_copy`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from models import db as dbmod
from models.errors import InvalidInput
from models.private_files import private_dir, private_file, write_private
from models.secrets_store import keys_dir

MAGIC = b"FFDKENC1"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + 8 + NONCE_BYTES
CHUNK = 1 << 20
UNENCRYPTED_WARNING = "这个备份文件没有加密（由旧版本 ffdesk 制作）：已照常恢复；请立即重新备份，新备份会加密"


def key_file() -> Path:
    """``FFDESK_BACKUP_KEY`` or ``<data folder>-keys/backup.key`` (beside the data folder, not in it)."""
    override = os.environ.get("FFDESK_BACKUP_KEY")
    if override:
        return Path(override).expanduser()
    return keys_dir() / "backup.key"


def load_key(create: bool = False) -> bytes:
    """The backup key; made (owner-only) on first use when ``create`` is set."""
    path = key_file()
    if not path.exists():
        if not create:
            raise InvalidInput(
                f"找不到备份密钥文件 {path}：加密的备份只能用制作它时的密钥恢复，请把密钥文件复制到这里"
            )
        private_dir(path.parent)
        write_private(path, secrets.token_bytes(KEY_BYTES))
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise InvalidInput(f"备份密钥文件 {path} 已损坏（应为 {KEY_BYTES} 字节）")
    private_file(path)
    return key


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"ffdesk-backup-key" + key).digest()[:8]


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def encrypt_file(plain: Path, out: Path) -> None:
    """Write ``plain`` encrypted to ``out`` (owner-only). Creates the key on first use."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = load_key(create=True)
    nonce = secrets.token_bytes(NONCE_BYTES)
    header = MAGIC + _key_id(key) + nonce
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header)
    fd = os.open(out, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with open(plain, "rb") as src, os.fdopen(fd, "wb") as dst:
        dst.write(header)
        while chunk := src.read(CHUNK):
            dst.write(encryptor.update(chunk))
        dst.write(encryptor.finalize())
        dst.write(encryptor.tag)
        dst.flush()
        os.fsync(dst.fileno())
    private_file(out)


def decrypt_file(source: Path, out: Path) -> None:
    """Decrypt ``source`` into ``out``; InvalidInput (and no ``out``) for a wrong key or a damaged file."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    size = source.stat().st_size
    if size < HEADER_BYTES + TAG_BYTES:
        raise InvalidInput(f"加密备份 {source.name} 不完整（文件太短）")
    key = load_key()
    with open(source, "rb") as src:
        header = src.read(HEADER_BYTES)
        if header[len(MAGIC) : len(MAGIC) + 8] != _key_id(key):
            raise InvalidInput(
                f"加密备份 {source.name} 不是用本机的备份密钥 {key_file()} 加密的：请使用制作它时的密钥文件"
            )
        src.seek(size - TAG_BYTES)
        tag = src.read(TAG_BYTES)
        src.seek(HEADER_BYTES)
        decryptor = Cipher(algorithms.AES(key), modes.GCM(header[-NONCE_BYTES:], tag)).decryptor()
        decryptor.authenticate_additional_data(header)
        remaining = size - HEADER_BYTES - TAG_BYTES
        fd = os.open(out, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as dst:
                while remaining > 0:
                    chunk = src.read(min(CHUNK, remaining))
                    remaining -= len(chunk)
                    dst.write(decryptor.update(chunk))
                dst.write(decryptor.finalize())
        except InvalidTag:
            out.unlink(missing_ok=True)
            raise InvalidInput(f"加密备份 {source.name} 已损坏或被改动（校验不通过），未做任何改动") from None


def seal_backup(part: Path, out: Path) -> None:
    """The last step of a backup: the checked plain ``part`` becomes the encrypted ``out``
    (written under a temporary name, then renamed: a half-written file never has the real name)."""
    sealed = out.with_name(out.name + ".enc-part")
    try:
        encrypt_file(part, sealed)
        os.replace(sealed, out)
    finally:
        sealed.unlink(missing_ok=True)


@contextlib.contextmanager
def plain_copy(path: Path) -> Iterator[tuple[Path, str | None]]:
    """A readable copy of a backup for checking or restoring: ``(path, warning)``.

    An encrypted backup is decrypted into a private temporary folder under the same file name
    (so messages name the file the user chose) and removed afterwards; an old unencrypted backup
    is used as it is, with :data:`UNENCRYPTED_WARNING`.
    """
    if not path.is_file():
        raise InvalidInput(f"备份文件不存在：{path}")
    if not is_encrypted(path):
        yield path, UNENCRYPTED_WARNING
        return
    tmp = Path(tempfile.mkdtemp(prefix="ffdesk-restore-", dir=dbmod.data_dir()))
    try:
        private_dir(tmp)
        plain = tmp / path.name
        decrypt_file(path, plain)
        yield plain, None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
