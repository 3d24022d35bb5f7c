"""``ffdesk leave``: the CLI a desk uses to check one case, text and JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop.cli import main
from models import clock


@pytest.fixture(autouse=True)
def _today():
    clock.set_now(dt.datetime(2025, 6, 1, 4, 0))
    yield
    clock.set_now(None)


def test_rules_lists_both_shipped_sets(capsys):
    assert main(["leave", "rules", "--json"]) == 0
    listed = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed["national"]["valid"] and listed["municipal_example"]["valid"]


def test_compute_late_caesarean_twins_in_json(capsys):
    # By hand (seeds/003): 90 + 15 (晚育: born 1995-06-01, 29 at delivery) + 30 (剖腹产)
    # + 15 (twins) = 150 days; 6,543.21 yuan = 654,321 fen × 150 ÷ 30 = 3,271,605 fen.
    code = main(
        [
            "leave", "compute", "--rules", "municipal_example", "--delivery-date", "2025-03-10",
            "--mode", "caesarean", "--babies", "2", "--mother-birth-date", "1995-06-01",
            "--employer-wage", "6543.21", "--city-wage", "7000", "--json",
        ]
    )  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total_days"] == 150
    assert [r["days"] for r in out["applied"]] == [90, 15, 30, 15]
    assert out["allowance_fen"] == 3_271_605
    assert out["nutrition_fen"] == 350_000
    assert out["end_date"] == "2025-07-22"  # 2025-02-23 + 149 days


def test_compute_text_shows_clauses_and_arithmetic(capsys):
    code = main(
        [
            "leave", "compute", "--rules", "national", "--kind", "miscarriage",
            "--delivery-date", "2025-03-10", "--months", "3", "--employer-wage", "3000",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    # 未满4个月 15 days; 300,000 fen ÷ 30 × 15 = 150,000 fen.
    assert "怀孕未满4个月流产的，享受15天产假" in out
    assert "¥3,000.00 ÷ 30 × 15 天 = ¥1,500.00" in out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--rules", "atlantis", "--delivery-date", "2025-03-10"], 5, "atlantis"),
        (["--rules", "national", "--delivery-date", "2025-13-01"], 2, "日期格式不正确"),
        (["--rules", "national", "--delivery-date", "2025-07-01"], 2, "晚于今天"),
        (["--rules", "national", "--delivery-date", "2025-03-10", "--employer-wage", "abc"], 2, "金额格式"),
        (["--rules", "municipal_example", "--delivery-date", "2025-03-10"], 2, "母亲出生日期或年龄"),
    ],
)
def test_compute_errors_in_chinese_with_exit_codes(capsys, argv, code, message):
    assert main(["leave", "compute", *argv]) == code
    assert message in capsys.readouterr().err
