"""`ffdesk leave issue`: the proof is stored, audited and printed with the rule lines (both backends)."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from desktop.cli import main
from models import clients, db
from models.schema import AuditEvent, LeaveProof
from tests.helpers import PASSWORD, make_actor, resident_id


def test_issue_a_municipal_proof_for_a_late_caesarean_twin_birth(db_url, tmp_path, capsys, monkeypatch):
    desk = make_actor("frontdesk")
    number = resident_id("19960204", "F")
    clients.register_client(desk, id_type="resident", id_number=number, name="周晓雯", phone="13812345678")
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    out = tmp_path / "proof.pdf"
    args = [
        "--db",
        db_url,
        "leave",
        "issue",
        number,
        "--rules",
        "municipal_example",
        "--delivery-date",
        "2026-10-08",
    ]
    args += ["--mode", "caesarean", "--babies", "2", "--mother-birth-date", "1996-02-04"]
    args += [
        "--employer-wage",
        "6000",
        "--city-wage",
        "5000",
        "--out",
        str(out),
        "--as",
        desk.staff.username,
        "--json",
    ]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    # 90 normal + 15 late birth (30 years old, first child) + 30 caesarean + 15 second baby = 150 days;
    # allowance 6,000.00 / 30 x 150 = 30,000.00; nutrition 5,000.00 x 50 % (difficult birth) = 2,500.00
    assert payload["total_days"] == 150
    assert payload["allowance_fen"] == 3_000_000
    assert payload["nutrition_fen"] == 250_000
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
    # for her employer: full name and ID number on the proof, an audited reveal
    assert payload["proof_no"] in text and "周晓雯" in text and number in text
    assert "150" in text
    db.connect(db_url)
    assert LeaveProof.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "leave.issue").count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "pii.reveal").count() == 1


def test_nurse_may_not_issue_a_proof(db_url, tmp_path, capsys, monkeypatch):
    desk, nurse = make_actor("frontdesk"), make_actor("nurse")
    number = resident_id("19900101", "F")
    clients.register_client(desk, id_type="resident", id_number=number, name="吴丽")
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    args = ["--db", db_url, "leave", "issue", number, "--rules", "national", "--delivery-date", "2026-10-01"]
    assert main([*args, "--out", str(tmp_path / "x.pdf"), "--as", nurse.staff.username]) == 4
    assert not (tmp_path / "x.pdf").exists()
