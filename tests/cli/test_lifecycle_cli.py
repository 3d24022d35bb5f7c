"""The voucher lifecycle from the command line alone, on SQLite and PostgreSQL (issue 3, Done when)."""

from __future__ import annotations

import datetime as dt
import io
import json
import random

import pytest

from desktop.cli import main
from models.codes import new_code
from tests.helpers import PASSWORD, make_actor, resident_id
from tests.models.lifecycle import TODAY, freeze


@pytest.fixture
def cli(db_url, monkeypatch, capsys):
    """Staff desk/nurse/boss exist; run(…, as_user=) → (exit code, parsed JSON or text, stderr)."""
    freeze()
    make_actor("frontdesk", username="desk", full_name="发券员小张")
    make_actor("nurse", username="nurse", full_name="护士李梅")
    make_actor("nurse", username="nurse2", full_name="护士王兰")
    make_actor("supervisor", username="boss", full_name="主管周华")
    monkeypatch.setenv("FFDESK_DB", db_url)
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
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


def test_done_when_scenario(cli):
    number = resident_id("19940512", "F", rng=random.Random(42))
    lmp = (TODAY - dt.timedelta(days=70)).isoformat()  # 10+0 weeks

    code, added, _ = cli("client", "add", "--id", number, "--name", "王小红", "--phone", "13812345678")
    assert code == 0 and added["created"] and added["client"]["name_masked"] == "王*红"
    code, again, _ = cli("client", "add", "--id", number.lower(), "--name", "王小红")
    assert code == 0 and not again["created"] and again["client"]["id"] == added["client"]["id"]

    code, episode, _ = cli("episode", "open", number, "--kind", "pregnancy", "--lmp", lmp)
    assert code == 0 and episode["gestation_label"] == "10+0周"
    ep = str(episode["id"])

    code, elig, _ = cli("eligibility", ep)
    assert code == 0
    status = {p["package_code"]: p for p in elig["packages"]}
    assert status["HN-ZY"]["eligible"] and status["LYG-CQ"]["eligible"]
    assert not status["HN-CK"]["eligible"] and "分娩" in status["HN-CK"]["reasons"][0]
    assert not status["HN-XS"]["eligible"] and status["HN-XS"]["reasons"]
    code, single, err = cli("eligibility", ep, "HN-CK")
    assert code == 3 and not single["packages"][0]["eligible"]

    code, issued, _ = cli("issue", ep, "HN-ZY")
    assert code == 0 and issued["created"]
    vouchers = issued["vouchers"]
    code, repeat, _ = cli("issue", ep, "HN-ZY")
    assert code == 0 and not repeat["created"] and repeat["slip_no"] == issued["slip_no"]

    for v in vouchers:
        extra = ["--result", "negative"] if v["result_kind"] == "screening" else []
        code, done, err = cli(
            "redeem", v["code_display"], "--point", v["service_point"], *extra, as_user="nurse"
        )
        assert code == 0, err
        assert done["voucher"]["state"] == "redeemed" and done["voucher"]["client_id_masked"]

    first = vouchers[0]
    code, refusal, err = cli("redeem", first["code"], "--point", first["service_point"], as_user="nurse2")
    assert code == 3
    assert "护士李梅" in refusal["message"] and first["service_point_name"] in err and "核销" in err

    code, rev, _ = cli("reverse", first["code"], "--reason", "误扫", as_user="boss")
    assert code == 0 and rev["amount_fen"] == -first["value_fen"]
    code, voided, _ = cli("void", first["code"], "--reason", "服务对象放弃")
    assert code == 0 and voided["state"] == "voided"

    code, shown, _ = cli("voucher", "show", first["code"])
    assert code == 0
    assert (shown["state"], shown["state_label"], shown["void_reason"]) == (
        "voided",
        "已作废",
        "服务对象放弃",
    )
    assert [(e["kind"], e["amount_fen"]) for e in shown["ledger"]] == [
        ("redeem", first["value_fen"]),
        ("reverse", -first["value_fen"]),
    ]
    assert shown["ledger_net_fen"] == 0 and shown["value_fen"] == first["value_fen"]
    second = vouchers[1]
    code, shown2, _ = cli("voucher", "show", second["code"])
    assert shown2["state"] == "redeemed" and shown2["redeemed_by"] == "护士李梅"
    assert shown2["ledger_net_fen"] == second["value_fen"]

    code, out, _ = cli("episode", "show", ep, json_out=False)
    assert code == 0 and f"已核销 {len(vouchers) - 1}/{len(vouchers)}" in out


def test_refusal_exit_codes(cli):
    number = resident_id("19940512", "F", rng=random.Random(7))
    assert cli("client", "add", "--id", number[:-1], "--name", "王红")[0] == 2
    assert cli("client", "add", "--id", number, "--name", "王红", "--birth", "1994-05-13")[0] == 2
    assert cli("client", "add", "--id", number, "--name", "王红", as_user="nurse")[0] == 4
    assert cli("client", "show", "999999")[0] == 5
    assert cli("client", "add", "--id", number, "--name", "王红")[0] == 0
    future = (TODAY + dt.timedelta(days=1)).isoformat()
    assert cli("episode", "open", number, "--kind", "pregnancy", "--lmp", future)[0] == 2
    lmp = (TODAY - dt.timedelta(days=20 * 7)).isoformat()
    code, ep, _ = cli("episode", "open", number, "--kind", "pregnancy", "--lmp", lmp)
    assert code == 0
    code, refused, err = cli("issue", str(ep["id"]), "HN-ZY")
    assert code == 3 and "孕20+0周" in err and refused["reasons"]
    assert cli("issue", str(ep["id"]), "HN-ZY", "--override-reason", "外院转入")[0] == 4
    code, issued, _ = cli("issue", str(ep["id"]), "HN-ZY", "--override-reason", "外院转入", as_user="boss")
    assert code == 0 and issued["override_reason"] == "外院转入"
    assert cli("issue", str(ep["id"]), "NOPE")[0] == 5
    v = issued["vouchers"][0]
    typo = v["code"][:-1] + str((int(v["code"][-1]) + 1) % 10)
    code, err_json, err = cli("redeem", typo, "--point", v["service_point"], as_user="nurse")
    assert code == 2 and err_json["typo"] is True
    assert cli("redeem", "1234", "--point", v["service_point"], as_user="nurse")[0] == 2
    code, _, err = cli("redeem", v["code"], "--point", "US", as_user="nurse")
    assert code == 3 and "应在" in err
    assert cli("redeem", v["code"], "--point", v["service_point"], as_user="desk")[0] == 4
    assert cli("reverse", v["code"], "--reason", "x", as_user="boss")[0] == 3
    assert cli("void", v["code"], "--reason", "x", as_user="nurse")[0] == 4
    assert cli("void", v["code"], "--reason", "作废")[0] == 0
    assert cli("redeem", v["code"], "--point", v["service_point"], as_user="nurse")[0] == 3
    assert cli("voucher", "show", new_code(), as_user="nurse")[0] == 5


def test_find_by_initials_and_text_output(cli):
    for seed, name in enumerate(["王小红", "汪晓虹", "李丽"]):
        cli("client", "add", "--id", resident_id("19900101", "F", rng=random.Random(seed)), "--name", name)
    code, found, _ = cli("client", "find", "wxh")
    # the front desk has no pii.reveal: even --json gives masked names, no birth date
    assert code == 0 and sorted(c["name"] for c in found["clients"]) == ["汪*虹", "王*红"]
    assert all(c["birth_date"] is None for c in found["clients"])
    code, text, _ = cli("client", "find", "ll", json_out=False)
    assert code == 0 and "李*" in text and "王" not in text


def test_a_nurse_gets_no_full_personal_data_and_cannot_walk_numbers(cli):
    """Issue 15: ``client show/find --json`` as a nurse; exact number searches are counted and locked."""
    number = resident_id("19940512", "F", rng=random.Random(43))
    cli(
        "client",
        "add",
        "--id",
        number,
        "--name",
        "王小红",
        "--phone",
        "13812345678",
        "--address",
        "湘潭市人民路12号",
    )
    code, shown, _ = cli("client", "show", number, as_user="nurse")
    text = json.dumps(shown, ensure_ascii=False)
    assert code == 0 and shown["client"]["name"] == "王*红" and shown["client"]["birth_date"] is None
    for secret in ("王小红", "1994-05-12", "人民路", "13812345678", number):
        assert secret not in text
    misses = 0
    for seed in range(10):
        other = resident_id("19940512", "F", rng=random.Random(1000 + seed))
        code, _, err = cli("client", "find", other, as_user="nurse")
        if code == 4:
            assert "查询已被锁定" in err
            break
        misses += 1
    assert code == 4 and misses < 5
    code, _, err = cli("client", "show", number, as_user="nurse")
    assert code == 4 and "查询已被锁定" in err
