"""``ffdesk applications``: import, list, approve, reject, export from the command line (issue 19)."""

from __future__ import annotations

import json
from importlib import resources

from models.schema import Application
from tests.cli.test_lifecycle_cli import cli  # noqa: F401  (fixture)
from tests.helpers import make_actor


def test_import_approve_reject_export(cli, tmp_path):  # noqa: F811
    make_actor("finance", username="officer")
    example = tmp_path / "申请.csv"
    example.write_bytes(resources.files("resources.applications").joinpath("example.csv").read_bytes())

    code, result, _ = cli("applications", "import", str(example))
    assert code == 0 and result == {"file_rows": 3, "imported": 3, "unchanged": 0}
    code, result, _ = cli("applications", "import", str(example))
    assert code == 0 and result["unchanged"] == 3

    code, queue, _ = cli("applications", "list")
    assert [a["application_no"] for a in queue][:1] == ["HN2026030100001"]
    code, done, _ = cli("applications", "approve", str(queue[0]["id"]))
    assert code == 0 and done["application"]["status"] == "approved" and "券单号" in done["message"]
    code, _, err = cli("applications", "approve", str(queue[0]["id"]))
    assert code == 3 and "已处理" in err
    code, _, err = cli("applications", "reject", str(queue[1]["id"]), "--reason", "")
    assert code == 2 and "原因" in err
    code, done, _ = cli("applications", "reject", str(queue[1]["id"]), "--reason", "非本市户籍")
    assert code == 0 and done["application"]["status"] == "rejected"

    out = tmp_path / "上报.json"
    code, summary, _ = cli("applications", "export", "--out", str(out), as_user="officer")
    assert code == 0 and summary["records"] == 3
    assert [r["event"] for r in json.loads(out.read_text("utf-8"))["records"]] == [
        "issuance",
        "decision",
        "decision",
    ]
    code, summary, _ = cli("applications", "export", "--out", str(out), as_user="officer")
    assert code == 0 and summary["records"] == 0
    code, summary, _ = cli(
        "applications", "export", "--out", str(out), "--since", "2026-03-15", as_user="officer"
    )
    assert code == 0 and summary["records"] == 3


def test_bad_file_exit_2_and_nothing_imported(cli, tmp_path):  # noqa: F811
    bad = tmp_path / "bad.csv"
    bad.write_text("application_no,submitted_at,name\nA1,昨天,王小红\n", encoding="utf-8")
    code, _, err = cli("applications", "import", str(bad))
    assert code == 2
    assert "第 2 行 申请时间（submitted_at）" in err and "第 2 行 身份证件号码（id_number）：不能为空" in err
    assert "Traceback" not in err and Application.select().count() == 0
    code, _, err = cli("applications", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "不存在" in err
    code, _, err = cli("applications", "import", str(tmp_path / "x.txt"))
    assert code == 2


def test_follow_up_from_the_command_line(cli):  # noqa: F811
    from models import clients, episodes, issuance, redemption
    from tests.models.lifecycle import TODAY, woman

    desk, nurse = make_actor("frontdesk", username="desk_fu"), make_actor("nurse", username="nurse_fu")
    mother = woman(desk)
    baby = clients.register_newborn(desk, mother.id, name="小宝", sex="F", birth_date=TODAY)
    slip = issuance.issue_package(desk, episodes.open_child(desk, baby.id).id, "LYG-XS")
    heart = next(v for v in slip.vouchers if v.item_code == "HEART_SCREEN")
    redemption.redeem(nurse, heart.code, "HEART", result="positive")
    code, cases, _ = cli("followup", "list", as_user="nurse")
    assert code == 0 and len(cases) == 1
    case = str(cases[0]["id"])
    code, _, err = cli("followup", "close", case, "--outcome", "lost", as_user="nurse")
    assert code == 3 and "联系" in err
    code, view, _ = cli("followup", "contact", case, "--method", "phone", "--not-reached", as_user="nurse")
    assert code == 0 and view["attempts"] == 1
    code, view, _ = cli("followup", "close", case, "--outcome", "lost", as_user="nurse")
    assert code == 0 and view["outcome_label"] == "失访"


def test_programme_figures_from_the_command_line(cli):  # noqa: F811
    code, stats, _ = cli("report", "programme", "--from", "2026-03-01", "--to", "2026-03-31", as_user="boss")
    assert code == 0 and stats["people_total"] == 0 and stats["positive_rate"] == "-"
    code, _, err = cli("report", "programme", "--from", "2026-03-31", "--to", "2026-03-01", as_user="boss")
    assert code == 2 and "结束日期" in err
