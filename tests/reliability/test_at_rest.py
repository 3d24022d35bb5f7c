"""Issue 15 point 5: secrets and files at rest. The database password is not in settings.json;
the data folder, database, keys, backups and logs are owner-only; backups are AES-256-GCM
encrypted with a key outside the database; restore decrypts; an old plain backup still restores
with a warning; a changed byte or a wrong key is refused with a Chinese message."""

from __future__ import annotations

import json
import os
import random
import stat
from pathlib import Path

import pytest

from desktop.logging_setup import log_file
from models import backup, backup_crypto, clients, db, secrets_store
from models.errors import InvalidInput
from models.schema import Client
from tests.helpers import make_actor, resident_id

posix_only = pytest.mark.skipif(
    os.name != "posix", reason="owner-only modes are POSIX; Windows uses the profile ACL"
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def world(db_url):
    admin = make_actor("admin")
    number = resident_id("19940512", "F", rng=random.Random(5))
    clients.register_client(
        make_actor("frontdesk"), id_type="resident", id_number=number, name="王小红", phone="13812345678"
    )
    return admin, number


def test_a_backup_file_holds_no_personal_data_in_the_clear(world, tmp_path):
    admin, number = world
    result = backup.create_backup(admin, tmp_path / "b.bak")
    data = result.path.read_bytes()
    assert data.startswith(backup_crypto.MAGIC)
    for secret in (number, "王小红", "13812345678"):
        assert secret.encode("utf-8") not in data
    assert b"SQLite format 3" not in data and b"PGDMP" not in data
    assert backup.check_backup(result.path).ok


def test_restore_decrypts(world, tmp_path):
    admin, number = world
    result = backup.create_backup(admin, tmp_path / "b.bak")
    Client.update(name="改过的名字").execute()
    restored = backup.restore_backup(admin, result.path)
    assert restored.warnings == []
    assert Client.get(Client.id_number == number).name == "王小红"


def test_a_changed_byte_is_refused_and_nothing_changes(world, tmp_path):
    admin, _ = world
    result = backup.create_backup(admin, tmp_path / "b.bak")
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.path.write_bytes(bytes(data))
    Client.update(name="恢复前").execute()
    with pytest.raises(InvalidInput, match="已损坏或被改动"):
        backup.restore_backup(admin, result.path)
    db.connect(backup.connected_url() or db.resolve_url(None))
    assert Client.get().name == "恢复前"


def test_a_backup_needs_its_own_key(world, tmp_path, monkeypatch):
    admin, _ = world
    result = backup.create_backup(admin, tmp_path / "b.bak")
    other_key = tmp_path / "other.key"
    other_key.write_bytes(b"k" * 32)
    monkeypatch.setenv("FFDESK_BACKUP_KEY", str(other_key))
    with pytest.raises(InvalidInput, match="不是用本机的备份密钥"):
        backup.check_backup(result.path)
    monkeypatch.setenv("FFDESK_BACKUP_KEY", str(tmp_path / "missing.key"))
    with pytest.raises(InvalidInput, match="找不到备份密钥文件"):
        backup.check_backup(result.path)


def test_an_old_unencrypted_backup_still_restores_with_a_warning(world, tmp_path):
    admin, number = world
    sealed = backup.create_backup(admin, tmp_path / "b.bak").path
    old = tmp_path / "old-plain.db"
    backup_crypto.decrypt_file(sealed, old)  # what ffdesk wrote before backups were encrypted
    Client.update(name="改过的名字").execute()
    restored = backup.restore_backup(admin, old)
    assert restored.warnings == [backup_crypto.UNENCRYPTED_WARNING]
    assert "没有加密" in restored.to_dict()["warnings"][0]
    assert Client.get(Client.id_number == number).name == "王小红"


@posix_only
def test_data_folder_database_keys_backups_and_logs_are_owner_only(world, tmp_path):
    admin, _ = world
    home = db.data_dir()
    result = backup.create_backup(admin)  # into <data>/backups
    files = [result.path, backup_crypto.key_file(), log_file()]
    folders = [home, backup.backup_dir(), backup_crypto.key_file().parent, log_file().parent]
    if backup.backend_of(backup.connected_url() or "") == "sqlite":
        database = backup.sqlite_path(backup.connected_url())
        files += [p for p in (database, Path(f"{database}-wal"), Path(f"{database}-shm")) if p.exists()]
    assert {str(p): oct(mode(p)) for p in folders if mode(p) != 0o700} == {}
    assert {str(p): oct(mode(p)) for p in files if mode(p) != 0o600} == {}
    assert not str(backup_crypto.key_file()).startswith(str(home) + "/"), "the key is not in the data folder"


@posix_only
def test_an_existing_world_readable_data_folder_is_closed(tmp_path, monkeypatch):
    home = tmp_path / "open"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    monkeypatch.setenv("FFDESK_HOME", str(home))
    assert mode(db.data_dir()) == 0o700


def test_the_database_password_is_not_in_settings_json(tmp_path):
    url = "postgresql://desk:S3cret%2Fpw@db.example:5432/ffdesk"
    db.write_settings_file({"database_url": url, "language": "zh_CN"})
    text = db.settings_file().read_text("utf-8")
    assert "S3cret" not in text
    assert json.loads(text)["database_url"] == "postgresql://desk@db.example:5432/ffdesk"
    assert db.resolve_url(None) == url  # put back from the owner-only file
    assert "S3cret" in secrets_store.password_file().read_text("utf-8")
    if os.name == "posix":
        assert mode(secrets_store.password_file()) == 0o600 and mode(db.settings_file()) == 0o600


def test_an_old_settings_file_with_a_password_is_cleaned_on_first_read(tmp_path):
    url = "postgresql://desk:Old-Pass-1@db.example/ffdesk"
    db.settings_file().write_text(json.dumps({"database_url": url}), "utf-8")
    assert db.resolve_url(None) == url
    assert "Old-Pass-1" not in db.settings_file().read_text("utf-8")
    assert db.resolve_url(None) == url


def test_the_keyring_is_used_when_it_works(tmp_path, monkeypatch):
    kept: dict[tuple[str, str], str] = {}

    class FakeKeyring:
        @staticmethod
        def set_password(service, user, password):
            kept[(service, user)] = password

        @staticmethod
        def get_password(service, user):
            return kept.get((service, user))

    monkeypatch.setattr(secrets_store, "_keyring", lambda: FakeKeyring)
    url = "postgresql://desk:Ring-Pass-1@db.example/ffdesk"
    db.write_settings_file({"database_url": url})
    assert kept == {("ffdesk", "postgresql://desk@db.example/ffdesk"): "Ring-Pass-1"}
    assert not secrets_store.password_file().exists()
    assert db.resolve_url(None) == url
