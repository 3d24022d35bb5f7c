"""Malformed catalog and leave-rule files: a Chinese message naming file, line and field — never a crash.

Hypothesis mutates the shipped files line by line (a key deleted, a value of the wrong type, a
negative, huge, infinite or fractional-fen price, a duplicated block, a table header broken,
garbage or non-UTF-8 bytes) and checks that parsing either succeeds or raises the project's
own ``InvalidInput``/``CatalogError``. Loading a bad catalog through ``ffdesk catalog load``
leaves the database as it was. Money at the edges (zero, negative, huge) is checked for
catalog prices, package caps and leave wages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop.cli import main as cli_main
from models import catalog, clock, db, leave
from models.catalog_file import CatalogError, parse_catalog
from models.errors import InvalidInput, NotFound
from models.schema import ALL_MODELS, AuditHead
from tests.helpers import PASSWORD, make_actor

CJK = re.compile(r"[\u4e00-\u9fff]")
CATALOG = catalog.default_catalog_path()
RULES = Path(leave.__file__).resolve().parents[1] / "resources" / "leave_rules" / "national.toml"
PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

BAD_VALUES = [
    '""',
    '"abc"',
    '"１２３"',
    "-1",
    "-0.01",
    "0.001",
    "12.345",
    "1e309",
    "inf",
    "-inf",
    "nan",
    "99999999999999999999",
    "1e30",
    "true",
    "[]",
    "{}",
    "[1, 2]",
    "{ basis = 5 }",
    "1979-05-27",
    "1979-05-27T07:32:00",
    '"<script>"',
    '"%s%n{0}"',
    '"\'; DROP TABLE voucher; --"',
]
KEY_LINE = re.compile(r"^(\s*[A-Za-z_][A-Za-z0-9_]*\s*=\s*)(.*)$")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@st.composite
def mutated(draw, path: Path) -> bytes:
    """The file's text with one to three random, plausible mistakes."""
    lines = _lines(path)
    for _ in range(draw(st.integers(1, 3))):
        keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
        op = draw(st.sampled_from(["delete", "value", "value", "duplicate", "header", "garbage"]))
        if op == "delete":
            del lines[draw(st.sampled_from(keyed))]
        elif op == "value":
            i = draw(st.sampled_from(keyed))
            value = draw(st.one_of(st.sampled_from(BAD_VALUES), st.integers().map(str)))
            lines[i] = KEY_LINE.match(lines[i]).group(1) + value
        elif op == "duplicate":
            start = draw(st.integers(0, len(lines) - 1))
            size = draw(st.integers(1, 8))
            lines[start:start] = lines[start : start + size]
        elif op == "header":
            headers = [i for i, line in enumerate(lines) if line.startswith("[")]
            i = draw(st.sampled_from(headers))
            lines[i] = draw(
                st.sampled_from(["[packages]", "[[packages.items]]", "[[nope]]", "[", "[[rules]]"])
            )
        else:
            i = draw(st.integers(0, len(lines) - 1))
            junk = draw(st.sampled_from(["\x00", "\x1b[31m", "👶🏻", "=", '"', "'''"]))
            lines[i] = lines[i] + junk
    data = "\n".join(lines).encode("utf-8")
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\x80"])) + data[at:]
    return data


def _assert_catalog_problem(exc: InvalidInput, name: str) -> None:
    assert CJK.search(exc.message), exc.message
    if isinstance(exc, CatalogError):
        for problem in exc.problems:
            assert re.match(rf"^{re.escape(name)}:(\d+: [\w.\[\]\-]+: |\s*TOML)", problem), problem


@PROPERTY
@given(data=mutated(CATALOG))
def test_mutated_catalog_is_refused_in_chinese_or_read(tmp_path, data):
    path = tmp_path / "bad.toml"
    path.write_bytes(data)
    try:
        spec = parse_catalog(path)
    except InvalidInput as exc:
        _assert_catalog_problem(exc, "bad.toml")
        return
    for package in spec.packages:  # what was accepted is sound
        assert package.items
        for item in package.items:
            assert isinstance(item.price_fen, int) and item.price_fen >= 0


@pytest.mark.parametrize(
    "value", ["-1", "-0.01", "0.001", "12.345", "inf", "nan", "1e30", '"abc"', "true", "[]"]
)
def test_bad_price_names_its_line_and_field(tmp_path, value):
    lines = _lines(CATALOG)
    at = next(i for i, line in enumerate(lines) if line.startswith("price_yuan"))
    lines[at] = f"price_yuan = {value}"
    path = tmp_path / "prices.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        parse_catalog(path)
    assert any(p.startswith(f"prices.toml:{at + 1}: ") and "price_yuan" in p for p in info.value.problems), (
        info.value.problems
    )


@pytest.mark.parametrize("value", ["-5", "0.001", "1e30", "inf", '"x"'])
def test_bad_cap_is_refused(tmp_path, value):
    text = CATALOG.read_text(encoding="utf-8").replace(
        "validity_days = 365\n", f"validity_days = 365\ncap_yuan = {value}\n", 1
    )
    path = tmp_path / "cap.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        parse_catalog(path)
    assert any("cap_yuan" in p for p in info.value.problems)


def test_zero_price_and_a_cap_below_the_items_are_handled(tmp_path):
    """A free item is allowed; a cap lower than the basic items is refused with the sums."""
    lines = _lines(CATALOG)
    at = next(i for i, line in enumerate(lines) if line.startswith("price_yuan"))
    lines[at] = "price_yuan = 0"
    path = tmp_path / "zero.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    spec = parse_catalog(path)
    assert spec.packages[0].items[0].price_fen == 0
    text = CATALOG.read_text(encoding="utf-8").replace(
        "validity_days = 365\n", "validity_days = 365\ncap_yuan = 1\n", 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="超过封顶金额"):
        parse_catalog(path)


def test_duplicate_codes_are_named(tmp_path):
    lines = _lines(CATALOG)
    text = "\n".join(lines).replace('code = "HN-ZY"', 'code = "HN-BY"', 1)
    text = text.replace('code = "US"', 'code = "OB"', 1)
    path = tmp_path / "dup.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        parse_catalog(path)
    text = "\n".join(info.value.problems)
    assert "服务包代码重复：HN-BY" in text and "服务点代码重复：OB" in text


@pytest.mark.parametrize(
    "data", [b"\xff\xfe\x00garbage", b"", b"[catalog]\nlabel = \xc3\x28\n", b"\x00" * 100]
)
def test_garbage_catalog_bytes(tmp_path, data):
    path = tmp_path / "junk.toml"
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as info:
        parse_catalog(path)
    assert CJK.search(info.value.message)


# --- leave rule files ------------------------------------------------------------------------


@PROPERTY
@given(data=mutated(RULES))
@example(data=RULES.read_bytes().replace(b"days = 98", b"days = 1e309"))
@example(data=RULES.read_bytes().replace(b"days_per_month = 30", b"days_per_month = 0"))
def test_mutated_rule_file_is_refused_in_chinese_or_read(tmp_path, data):
    path = tmp_path / "rules.toml"
    path.write_bytes(data)
    try:
        rules = leave.load_rule_set(path)
    except InvalidInput as exc:
        assert CJK.search(exc.message) and "rules.toml" in exc.message, exc.message
        return
    except NotFound as exc:  # pragma: no cover - the file exists
        pytest.fail(exc.message)
    # what was accepted computes without a crash
    facts = leave.LeaveFacts(
        kind="birth",
        delivery_date=dt.date(2026, 3, 1),
        employer_avg_monthly_wage_fen=900_000,
        city_avg_monthly_wage_fen=800_000,
        mother_age=30,
        spouse=True,
    )
    with contextlib.suppress(InvalidInput):
        result = leave.compute(rules, facts)
        assert result.total_days >= 0


@pytest.mark.parametrize("wage", [0, 1, -1, 10**30, 2**63])
def test_leave_wages_zero_negative_huge(wage):
    clock.set_now(dt.datetime(2026, 3, 15, 2, 0))
    rules = leave.load_rule_set("national")
    facts = leave.LeaveFacts(
        kind="birth", delivery_date=dt.date(2026, 3, 1), employer_avg_monthly_wage_fen=wage, mother_age=30
    )
    if wage < 0 or wage > leave.MAX_WAGE_FEN:
        with pytest.raises(InvalidInput, match="工资"):
            leave.compute(rules, facts)
    else:
        result = leave.compute(rules, facts)
        assert result.allowance_fen is not None and result.allowance_fen >= 0


# --- a bad catalog through the command line changes nothing ------------------------------------


def _snapshot() -> tuple:
    counts = tuple(model.select().count() for model in ALL_MODELS)
    head = AuditHead.get_by_id(1)
    return counts, head.seq, head.hash


@pytest.fixture
def admin_url(db_url, monkeypatch):
    make_actor("admin", username="catadmin")
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    return db_url


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated(CATALOG))
def test_cli_catalog_load_of_a_bad_file_changes_nothing(admin_url, tmp_path, data):
    path = tmp_path / "load.toml"
    path.write_bytes(data)
    try:
        parse_catalog(path)
    except InvalidInput:
        pass
    else:
        return  # a harmless mutation: nothing to refuse
    db.connect(admin_url)
    before = _snapshot()
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli_main(["--db", admin_url, "--as", "catadmin", "catalog", "load", str(path)])
    assert code == 2, err.getvalue()
    assert CJK.search(err.getvalue()) and "Traceback" not in err.getvalue()
    db.connect(admin_url)
    assert _snapshot() == before


@pytest.mark.parametrize(
    "text",
    [
        "catalog = 5\n",
        'catalog = "x"\npackages = "HN-ZY"\n',
        '[catalog]\nlabel = "x"\n[packages]\ncode = "A"\n',
        '[catalog]\nlabel = "x"\nservice_points = [1, "a"]\npackages = [1]\n',
        '[catalog]\nlabel = "x"\n[[packages]]\ncode = "A"\nitems = 3\n',
        '[catalog]\nlabel = "x"\n[[packages]]\ncode = "A"\nitems = ["x", 1]\n',
        "[catalog]\nlabel = [1]\neffective_from = 2026-02-30\n",
    ],
)
def test_wrong_shapes_are_problems_not_crashes(tmp_path, text):
    path = tmp_path / "shape.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        parse_catalog(path)
    _assert_catalog_problem(info.value, "shape.toml")
