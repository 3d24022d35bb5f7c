"""``ffdesk cert``: a desk's whole paper trail from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from desktop.cli import main
from models import clock
from tests.helpers import PASSWORD, make_actor
from tests.models.test_certificates import make_child_episode, sample_data
from tests.reports.helpers import flat_text, require_font


@pytest.fixture
def cli(db_url, monkeypatch, capsys, tmp_path):
    """desk (front desk), boss (supervisor); run(…, as_user=) → (exit code, JSON or text, stderr)."""
    require_font()
    clock.set_now(dt.datetime(2026, 3, 10, 2))
    make_actor("frontdesk", username="desk", full_name="发证员小钱")
    make_actor("supervisor", username="boss", full_name="主管赵华")
    monkeypatch.setenv("FFDESK_DB", db_url)
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    monkeypatch.setenv("FFDESK_APPROVER_PASSWORD", PASSWORD)
    monkeypatch.setenv("FFDESK_WORKSTATION", "一号台")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    def run(*argv: str, as_user: str = "desk", json_out: bool = True):
        args = [*argv, "--as", as_user] + (["--json"] if json_out else [])
        try:
            code = main(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, (json.loads(out) if json_out and out.strip() else out), err

    return run


def write_data(tmp_path, **newborn) -> str:
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(sample_data(**newborn), ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_receive_assign_issue_print_void_destroy_and_stock(cli, tmp_path):
    code, batch, _ = cli(
        "cert", "receive", "--prefix", "R", "--from", "430000001", "--to", "430000020", as_user="boss"
    )
    assert code == 0 and batch["count"] == 20
    code, _, _ = cli(
        "cert", "assign", "--from", "R430000001", "--to", "R430000010", "--desk", "一号台", as_user="boss"
    )
    assert code == 0

    episode = make_child_episode()
    out = tmp_path / "first.pdf"
    code, issued, _ = cli("cert", "issue", str(episode.id), "--data", write_data(tmp_path), "--out", str(out))
    assert code == 0 and issued["certificate"]["serial"] == "R430000001"
    text = flat_text(out.read_bytes())
    assert "李小宝" in text and "3250" in text and "新生儿姓名" not in text

    code, _, err = cli("cert", "issue", str(episode.id), "--data", write_data(tmp_path), "--out", str(out))
    assert code == 3 and "补发" in err

    preview = tmp_path / "preview.pdf"
    code, _, _ = cli("cert", "print", "R430000001", "--out", str(preview), "--preview")
    assert code == 0 and "R430000001" in flat_text(preview.read_bytes())

    code, _, err = cli("cert", "void", "R430000001", "--reason", "打印错位", "--approved-by", "desk")
    assert code == 4 and "批准作废" in err
    code, voided, _ = cli("cert", "void", "R430000001", "--reason", "打印错位", "--approved-by", "boss")
    assert code == 0 and voided["void_approved_by"] == "主管赵华"
    code, destroyed, _ = cli(
        "cert", "destroy", "R430000001", "--date", "2026-03-10", "--witness", "孙监销", as_user="boss"
    )
    assert code == 0 and destroyed["state"] == "destroyed"

    code, report, _ = cli("cert", "stock", "--from", "2026-03-01", "--to", "2026-03-31", as_user="boss")
    assert code == 0 and report["balanced"]
    assert report["closing"] == {"on_hand": 19, "issued": 0, "voided": 0, "destroyed": 1}
    assert report["closing_serials"]["on_hand"] == ["R430000002–R430000020"]
    assert report["on_hand_by_desk"] == {"一号台": 9, "": 10}
    code, text, _ = cli(
        "cert", "stock", "--from", "2026-03-01", "--to", "2026-03-31", as_user="boss", json_out=False
    )
    assert "累计入库 20 份" in text and "R430000002–R430000020" in text

    code, usage, _ = cli("cert", "usage", "--year", "2026", as_user="boss")
    assert code == 0 and usage["totals"]["issued"] == 1 and usage["totals"]["destroyed"] == 1


def test_replacement_names_the_form_it_supersedes(cli, tmp_path):
    cli("cert", "receive", "--prefix", "R", "--from", "1", "--to", "5", as_user="boss")
    cli("cert", "assign", "--from", "R000000001", "--to", "R000000005", "--desk", "一号台", as_user="boss")
    episode, data, out = str(make_child_episode().id), write_data(tmp_path), str(tmp_path / "c.pdf")
    cli("cert", "issue", episode, "--data", data, "--out", out)
    replace = (
        "cert",
        "issue",
        episode,
        "--kind",
        "replace",
        "--reason",
        "污损",
        "--data",
        data,
        "--out",
        out,
    )
    code, error, err = cli(*replace)
    assert code == 2 and error["field"] == "replaces" and "当前证件为 R000000001" in err
    code, done, _ = cli(*replace, "--replaces", "R000000001")
    assert code == 0 and done["certificate"]["replaces_serial"] == "R000000001"
    code, _, err = cli(*replace, "--replaces", "R000000001")
    assert code == 3 and "R000000001 已被 R000000002 取代，不能再换发；当前证件为 R000000002" in err
    code, form, _ = cli("cert", "show", "R000000001")
    assert form["form"]["state"] == "voided" and "由 R000000002 取代" in form["form"]["void_reason"]
    code, _, err = cli("cert", "print", "R000000001", "--out", out)
    assert code == 3 and "已被 R000000002 取代，不能打印" in err


def test_issue_with_bad_data_consumes_no_serial(cli, tmp_path):
    cli("cert", "receive", "--prefix", "R", "--from", "1", "--to", "3", as_user="boss")
    cli("cert", "assign", "--from", "R000000001", "--to", "R000000003", "--desk", "一号台", as_user="boss")
    episode = make_child_episode()
    code, error, err = cli(
        "cert",
        "issue",
        str(episode.id),
        "--data",
        write_data(tmp_path, gestational_weeks=50),
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert code == 2 and "20–45 周" in err and error["field"] == "newborn.gestational_weeks"
    code, form, _ = cli("cert", "show", "R000000001")
    assert form["form"]["state"] == "on_hand"
    assert not (tmp_path / "x.pdf").exists()


def test_calibration_is_saved_per_printer_and_used_for_the_grid(cli, tmp_path):
    code, saved, _ = cli("cert", "calibrate", "--printer", "HP-1", "--dx", "1.5", "--dy", "-2")
    assert code == 0 and saved == {"printer": "HP-1", "dx_mm": 1.5, "dy_mm": -2.0}
    code, grid, _ = cli("cert", "grid", "--printer", "HP-1", "--out", str(tmp_path / "grid.pdf"))
    assert code == 0 and (grid["dx_mm"], grid["dy_mm"]) == (1.5, -2.0)
    assert "dx=+1.5mm" in flat_text((tmp_path / "grid.pdf").read_bytes())
    code, _, err = cli("cert", "calibrate", "--printer", "HP-1", "--dx", "40", "--dy", "0")
    assert code == 2 and "±30" in err


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("cert", "receive", "--prefix", "R", "--from", "5", "--to", "1"), 2),
        (("cert", "show", "R999999999"), 5),
        (("cert", "stock", "--from", "2026-03-01", "--to", "2026-02-01"), 2),
        (("cert", "destroy", "R000000001", "--date", "不是日期", "--witness", "孙"), 2),
    ],
)
def test_exit_codes(cli, argv, code):
    assert cli(*argv, as_user="boss")[0] == code


def test_desk_staff_cannot_receive_stock_and_a_nurse_cannot_look(cli):
    code, _, err = cli("cert", "receive", "--prefix", "R", "--from", "1", "--to", "2")
    assert code == 4 and "库存" in err
    cli("cert", "receive", "--prefix", "R", "--from", "1", "--to", "2", as_user="boss")
    make_actor("nurse", username="nurse")
    assert cli("cert", "show", "R000000001", as_user="nurse")[0] == 4
    code, shown, _ = cli("cert", "show", "r000000001")
    assert code == 0 and shown["form"]["state"] == "on_hand"
