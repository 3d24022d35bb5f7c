"""The README's command-line walk-through, copied from README.md and run as a reader runs it,
on a new demo hospital (the default database after the first start)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from desktop.cli.common import pick
from models import first_start
from tests.readme import sh_block

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_walkthrough_runs_as_written_on_the_demo_hospital(tmp_path):
    first_start.build_default_database()
    block = sh_block("A whole voucher life")
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        PYTHONPATH=str(ROOT),
    )
    env.pop("FFDESK_PASSWORD", None)
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", block],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "exit 3" in done.stdout
    assert "不能重复核销" in done.stderr  # the second scan: already redeemed, where and by whom
    voucher = json.loads(done.stdout[done.stdout.rindex("\n{") :])
    assert voucher["item_code"] == "SERUM_SCREEN"
    assert voucher["state"] == "issued"  # redeemed, then reversed by the supervisor
    assert [row["kind"] for row in voucher["ledger"]] == ["redeem", "reverse"]
    assert "Traceback" not in done.stderr


def test_the_walkthrough_uses_no_fixed_dates_or_record_numbers():
    """Nothing in it stops working next year: dates are relative, numbers are looked up."""
    block = sh_block("A whole voucher life")
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", block)
    assert not re.search(r"\b(eligibility|issue) \d+\b", block)
    assert not re.search(r"\d{4}-\d{4}-\d{4}", block)


def test_the_package_install_command_names_this_version():
    assert f"ffdesk_{__version__}_amd64.deb" in sh_block("Debian, Ubuntu")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("id", 7),
        ("vouchers.1.code", "B"),
        ("vouchers[item_code=US].code", "B"),
        ("vouchers", [{"code": "A", "item_code": "SERUM"}, {"code": "B", "item_code": "US"}]),
    ],
)
def test_get_picks_one_field_of_the_json_result(path, expected):
    payload = {"id": 7, "vouchers": [{"code": "A", "item_code": "SERUM"}, {"code": "B", "item_code": "US"}]}
    assert pick(payload, path) == expected


@pytest.mark.parametrize("path", ["nope", "vouchers.5.code", "vouchers[item_code=X].code", "id.x"])
def test_get_of_a_missing_field_is_a_key_error(path):
    with pytest.raises(KeyError):
        pick({"id": 7, "vouchers": [{"code": "A"}]}, path)
