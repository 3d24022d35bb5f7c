"""`ffdesk init --programme`, `ffdesk check double-claims` and the eligibility notes on the command line."""

from __future__ import annotations

import io
import json

import pytest

from desktop.cli import main
from models import db, issuance
from tests.helpers import PASSWORD, make_actor
from tests.models.lifecycle import freeze
from tests.models.test_entitlements import newborn, plant_double_claim


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def package_codes(capsys, url: str) -> list[str]:
    code, out, _ = run(capsys, "--db", url, "catalog", "list", "--json")
    assert code == 0
    return [p["code"] for p in json.loads(out)["packages"]]


@pytest.mark.parametrize(
    ("programme", "packages"),
    [
        ("hunan", ["HN-BY", "HN-ZY", "HN-YC", "HN-CK", "HN-XS", "HN-CZ"]),
        ("lianyungang", ["LYG-CQ", "LYG-XS"]),
    ],
)
def test_init_loads_one_programme(empty_db_url, capsys, programme, packages):
    code, out, _ = run(capsys, "--db", empty_db_url, "init", "--programme", programme)
    assert code == 0 and "已载入" in out
    assert package_codes(capsys, empty_db_url) == packages


def test_init_asks_which_programme_at_a_terminal(empty_db_url, capsys, monkeypatch):
    answers = iter(["4", "2"])
    monkeypatch.setattr("sys.stdin", io.StringIO())
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, out, _ = run(capsys, "--db", empty_db_url, "init")
    assert code == 0
    assert "连云港健康宝贝工程（lianyungang）" in out and "请输入 1、2 或 3" in out
    assert package_codes(capsys, empty_db_url) == ["LYG-CQ", "LYG-XS"]


def test_init_without_a_terminal_loads_both_programmes_for_the_demo(empty_db_url, capsys):
    assert run(capsys, "--db", empty_db_url, "init")[0] == 0
    assert len(package_codes(capsys, empty_db_url)) == 8


def test_an_unknown_programme_is_an_input_error(empty_db_url, capsys):
    with pytest.raises(SystemExit) as info:
        main(["--db", empty_db_url, "init", "--programme", "beijing"])
    assert info.value.code == 2 and "无效的选项" in capsys.readouterr().err


def test_check_double_claims_lists_them_and_exits_3(db_url, capsys, monkeypatch):
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    freeze()
    desk = make_actor("frontdesk")
    finance = make_actor("finance").staff.username
    code, out, _ = run(capsys, "--db", db_url, "check", "double-claims", "--as", finance)
    assert code == 0 and "未发现重复领取" in out
    db.connect(db_url)
    ep, heel, metabolic = plant_double_claim(desk)
    code, out, _ = run(capsys, "--db", db_url, "check", "double-claims", "--as", finance)
    assert code == 3
    assert f"服务周期 {ep.id}" in out and "湘佑新生包" in out and "新生儿免费筛查包" in out
    code, out, _ = run(capsys, "--db", db_url, "--json", "check", "double-claims", "--as", finance)
    [claim] = json.loads(out)["double_claims"]
    assert sorted(v["code"] for v in claim["vouchers"]) == sorted([heel, metabolic])


def test_eligibility_names_the_package_that_covers_an_item(db_url, capsys, monkeypatch):
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    freeze()
    desk = make_actor("frontdesk")
    ep = newborn(desk)
    issuance.issue_package(desk, ep.id, "HN-XS")
    code, out, _ = run(
        capsys, "--db", db_url, "eligibility", str(ep.id), "LYG-XS", "--as", desk.staff.username
    )
    assert code == 0 and "已由湘佑新生包覆盖（已发放）" in out


def test_infertility_history_is_recorded_with_who_and_then_the_assessment_is_issued(
    db_url, capsys, monkeypatch
):
    from models import episodes
    from tests.models.lifecycle import woman

    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    freeze()
    desk = make_actor("frontdesk", full_name="刘医生")
    wife = woman(desk)
    ep = episodes.open_prepregnancy(desk, wife.id, None)
    code, out, _ = run(
        capsys, "--db", db_url, "episode", "infertility", str(ep.id), "--as", desk.staff.username
    )
    assert code == 0 and "已登记不孕史（刘医生" in out
    code, out, _ = run(capsys, "--db", db_url, "issue", str(ep.id), "HN-BY", "--as", desk.staff.username)
    assert code == 0 and "生育力评估与健康指导" in out
