"""`ffdesk init` / `catalog list|show|load` from the command line (issue 2's 'done when')."""

from __future__ import annotations

import json

from desktop.cli import main
from models import catalog, db
from models.schema import AuditEvent, CatalogVersion
from tests.helpers import PASSWORD, make_actor


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_then_catalog_list_json_has_eight_packages_in_fen(empty_db_url, capsys):
    assert run(capsys, "--db", empty_db_url, "init")[0] == 0
    code, out, _ = run(capsys, "--db", empty_db_url, "catalog", "list", "--json")
    assert code == 0
    payload = json.loads(out)
    assert len(payload["packages"]) == 8
    prenatal = next(p for p in payload["packages"] if p["code"] == "LYG-CQ")
    assert [i["price_fen"] for i in prenatal["items"]] == [24300, 30000, 143000]
    assert all(isinstance(i["price_fen"], int) for p in payload["packages"] for i in p["items"])
    # --json before the command works too, and init twice upgrades nothing
    code, out, _ = run(capsys, "--json", "--db", empty_db_url, "init")
    assert code == 0 and json.loads(out)["applied"] == []


def test_catalog_show_unknown_code_is_not_found(empty_db_url, capsys):
    run(capsys, "--db", empty_db_url, "init")
    code, _, err = run(capsys, "--db", empty_db_url, "catalog", "show", "NOPE")
    assert code == 5 and "没有代码为 NOPE 的服务包" in err


def test_catalog_load_needs_an_administrator_and_a_valid_file(db_url, tmp_path, capsys, monkeypatch):
    admin, nurse = make_actor("admin"), make_actor("nurse")
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    versions_before = CatalogVersion.select().count()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        catalog.default_catalog_path().read_text("utf-8").replace("price_yuan = 243.00", "price_yuan = -1"),
        "utf-8",
    )
    code, _, err = run(capsys, "--db", db_url, "catalog", "load", str(bad), "--as", admin.staff.username)
    assert code == 2 and "bad.toml:" in err and "price_yuan" in err
    new = tmp_path / "new.toml"
    new.write_text(
        catalog.default_catalog_path().read_text("utf-8").replace('label = "2026.1"', 'label = "2026.2"'),
        "utf-8",
    )
    code, _, err = run(capsys, "--db", db_url, "catalog", "load", str(new), "--as", nurse.staff.username)
    assert code == 4
    db.connect(db_url)
    assert CatalogVersion.select().count() == versions_before
    code, out, _ = run(capsys, "--db", db_url, "catalog", "load", str(new), "--as", admin.staff.username)
    assert code == 0 and "2026.2" in out
    db.connect(db_url)
    assert catalog.active_version().label == "2026.2"
    loads = AuditEvent.select().where(AuditEvent.action == "catalog.load")
    assert loads.where(AuditEvent.staff == admin.staff.id).count() == 1  # the fixture's own load is 系统
