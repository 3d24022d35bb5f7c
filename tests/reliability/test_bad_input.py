"""Bad input everywhere on the command line: a Chinese message, exit code 2/3/5, nothing changed.

Hypothesis feeds hostile text (overlong, control characters, emoji, SQL/HTML/format-string
payloads, full-width digits, impossible dates) into every argument of the commands that
change data. Sign-in is replaced by a direct lookup (password hashing would make each example
slow; sign-in has its own tests) — everything after it is the real CLI.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main as cli_main
from models import clients, clock, db, episodes, issuance, staff
from models.schema import ALL_MODELS, AuditHead, Staff, Voucher
from tests.helpers import make_actor, resident_id

CJK = re.compile(r"[\u4e00-\u9fff]")
PAYLOADS = [
    "",
    " ",
    "'; DROP TABLE voucher; --",
    "1 OR 1=1",
    '" OR ""="',
    "<script>alert(1)</script>",
    "<b>王</b>",
    "%s%s%s%n",
    "{0}{1}{__class__}",
    "${jndi:ldap://x}",
    "../../etc/passwd",
    "\x00\x01\x1b[31m",
    "\u202e\u200b\ufeff",
    "👶🏻🍼",
    "１２３４５６７８９０１２３４５６７８９０",
    "４３０１０２１９９００１０１１２３４",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "x" * 5000,
]
hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "So", "Nd"]), max_size=40),
)
hostile_date = st.one_of(
    st.sampled_from(["2026-02-30", "2025-02-29", "2026-04-31", "2026-00-10", "26-3-1", "二〇二六年三月"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))
    .filter(lambda d: not dt.date(2025, 5, 1) <= d <= dt.date(2026, 3, 15))  # future or > 44 weeks ago
    .map(str),
    hostile,
)
PROPERTY = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def world(sqlite_url, monkeypatch):
    """A desk with one client, one pregnancy, one issued package; sign-in without password hashing."""
    clock.set_now(dt.datetime(2026, 3, 15, 2, 0))
    boss = make_actor("supervisor", "admin", username="boss")
    client = clients.register_client(
        boss, id_type="resident", id_number=resident_id("19940512", "F"), name="王小红"
    ).client
    episode = episodes.open_pregnancy(boss, client.id, dt.date(2026, 1, 4))
    issued = issuance.issue_package(boss, episode.id, "HN-ZY")
    other = clients.register_client(
        boss, id_type="resident", id_number=resident_id("19950101", "F"), name="李四"
    ).client
    monkeypatch.setenv("FFDESK_PASSWORD", "not-checked")
    monkeypatch.setattr(
        staff,
        "authenticate",
        lambda username, password, service_point=None: staff.actor_for(
            Staff.get(Staff.username == username), service_point
        ),
    )
    db.close()
    return {
        "url": sqlite_url,
        "client": client.id,
        "other": other.id,
        "episode": episode.id,
        "voucher": issued.vouchers[0].code,
    }


def snapshot(url: str) -> tuple:
    db.connect(url)
    try:
        counts = tuple(model.select().count() for model in ALL_MODELS)
        head = AuditHead.get_by_id(1)
        states = tuple(Voucher.select(Voucher.state).order_by(Voucher.id).tuples())
        return counts, head.seq, head.hash, states
    finally:
        db.close()


def run(url: str, *argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli_main(["--db", url, "--as", "boss", *argv])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return code, err.getvalue()


def assert_refused_cleanly(world, *argv: str, allowed=(2, 3, 5)) -> None:
    before = snapshot(world["url"])
    code, err = run(world["url"], *argv)
    assert code in allowed, f"exit {code} for {argv!r}: {err}"
    assert CJK.search(err), f"no Chinese message for {argv!r}: {err!r}"
    assert "Traceback" not in err and "意外错误" not in err
    assert snapshot(world["url"]) == before, f"{argv!r} changed the database"


@PROPERTY
@given(episode=hostile, package=hostile)
def test_issue_with_hostile_arguments(world, episode, package):
    assert_refused_cleanly(world, "issue", episode, package)


@PROPERTY
@given(package=hostile)
def test_issue_unknown_package_for_a_real_episode(world, package):
    assert_refused_cleanly(world, "issue", str(world["episode"]), package)


@PROPERTY
@given(code=hostile, point=hostile)
def test_redeem_with_hostile_code_and_point(world, code, point):
    assert_refused_cleanly(world, "redeem", code, "--point", point)


@PROPERTY
@given(point=hostile, result=hostile)
def test_redeem_a_real_voucher_at_a_hostile_point(world, point, result):
    assert_refused_cleanly(world, "redeem", world["voucher"], "--point", point, "--result", result)


@PROPERTY
@given(code=hostile, reason=hostile)
def test_void_and_reverse_with_hostile_arguments(world, code, reason):
    assert_refused_cleanly(world, "void", code, "--reason", reason)
    assert_refused_cleanly(world, "reverse", code, "--reason", reason)


@PROPERTY
@given(number=hostile, name=hostile, birth=hostile_date)
def test_register_with_a_hostile_id_number(world, number, name, birth):
    assert_refused_cleanly(
        world, "client", "add", "--id-type", "resident", "--id", number, "--name", name, "--birth", birth
    )


@PROPERTY
@given(lmp=hostile_date)
def test_pregnancy_with_an_impossible_lmp(world, lmp):
    """30 February, LMP after today, a pregnancy past 44 weeks, garbage: all refused."""
    assert_refused_cleanly(world, "episode", "open", str(world["other"]), "--kind", "pregnancy", "--lmp", lmp)


@PROPERTY
@given(query=hostile)
def test_search_never_breaks(world, query):
    before = snapshot(world["url"])
    code, err = run(world["url"], "client", "find", query)
    assert code in (0, 2, 5), err
    assert "Traceback" not in err and "意外错误" not in err
    assert snapshot(world["url"])[0] == before[0]


@PROPERTY
@given(day=hostile_date, wage=hostile)
def test_leave_compute_with_hostile_dates_and_money(world, day, wage):
    code, err = run(world["url"], "leave", "compute", "--delivery-date", day, "--employer-wage", wage)
    assert code in (0, 2), f"exit {code}: {err}"
    assert "Traceback" not in err and "意外错误" not in err
    if code:
        assert CJK.search(err)


def test_the_harness_reaches_the_commands(world):
    """A valid command through the same harness is done (so the refusals above are real refusals)."""
    before = snapshot(world["url"])
    code, err = run(world["url"], "issue", str(world["episode"]), "HN-YC")
    assert code == 0, err
    assert snapshot(world["url"]) != before


@pytest.mark.parametrize(
    "episode", ["１２３４５６７８９０１２３４５６７８９０", "99999999999999999999999", "-5", "0"]
)
def test_huge_or_full_width_episode_numbers_are_not_found(world, episode):
    """Found by the properties above: argparse's int() takes full-width digits; the database overflowed."""
    assert_refused_cleanly(world, "issue", episode, "HN-ZY", allowed=(2, 5))
    assert_refused_cleanly(world, "episode", "show", episode, allowed=(2, 5))


@pytest.mark.parametrize("number", ["１２３４５６７８９０１２３４５６７８９０", "99999999999999999999999"])
def test_huge_ids_in_every_command_are_not_found(world, number, tmp_path):
    """The same overflow, in every other command that takes a record number."""
    out = str(tmp_path / "out.pdf")
    data = tmp_path / "cert.json"
    data.write_text("{}", encoding="utf-8")
    client = str(world["client"])
    assert_refused_cleanly(world, "slip", number, "--out", out, allowed=(5,))
    assert_refused_cleanly(world, "client", "show", number, allowed=(5,))
    assert_refused_cleanly(world, "client", "link", number, client, allowed=(5,))
    assert_refused_cleanly(world, "cert", "issue", number, "--data", str(data), "--out", out, allowed=(2, 5))
    assert_refused_cleanly(
        world, "leave", "issue", client, "--rules", "national", "--episode", number,
        "--delivery-date", "2026-03-01", "--out", out, allowed=(5,),
    )  # fmt: skip
    assert_refused_cleanly(
        world, "cert", "receive", "--prefix", "R", "--from", number, "--to", number, allowed=(2,)
    )
