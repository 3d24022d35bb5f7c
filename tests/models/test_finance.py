"""Finance figures, month close and the documents built from them — on both backends.

The scenario is worked out by hand from the default catalog's example prices:
LYG-CQ = serum 243.00 + ultrasound 300.00, and prenatal diagnosis 1,430.00 once the serum screening
is high-risk (3 vouchers, ¥1,973.00);
HN-ZY  = early test 40 + risk 50 + file 30 + genetic 60 + PMTCT 120 (5 vouchers, ¥300.00;
the two upgrade items are self-paid and issue no voucher).
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from pypdf import PdfReader

from desktop import documents
from models import clients, clock, episodes, finance, issuance, periods, redemption, vouchers
from models import settings as app_settings
from models.db import database
from models.errors import NotPermitted, Refused
from models.schema import LedgerEntry, Voucher
from tests.helpers import make_actor, resident_id


def at(local: str) -> None:
    """Freeze the clock at a Shanghai local time 'YYYY-MM-DD HH:MM'."""
    clock.set_now(dt.datetime.fromisoformat(local).replace(tzinfo=clock.LOCAL_TZ))


def code_of(view, item_code: str) -> str:
    return next(v.code for v in view.vouchers if v.item_code == item_code)


@pytest.fixture
def september(db_url):
    """Issued, redeemed, voided and reversed vouchers in September 2026."""
    desk, nurse, boss, clerk = (make_actor(r) for r in ("frontdesk", "nurse", "supervisor", "finance"))
    at("2026-09-10 09:30")
    woman = clients.register_client(
        desk, id_type="resident", id_number=resident_id("19950203", "F"), name="李晓梅", phone="13812345678"
    ).client
    episode = episodes.open_pregnancy(desk, woman.id, dt.date(2026, 8, 1))
    screening = issuance.issue_package(desk, episode.id, "LYG-CQ")
    early = issuance.issue_package(desk, episode.id, "HN-ZY")
    # high risk: the prenatal diagnosis is issued now, as its follow-up (policy: only after a positive screening)
    redemption.redeem(nurse, code_of(screening, "SERUM_SCREEN"), "PND", result="high_risk")
    redemption.redeem(nurse, code_of(screening, "US_SCREEN"), "US", result="negative")
    redemption.redeem(nurse, code_of(early, "EARLY_TEST"), "LAB")
    vouchers.void_voucher(desk, code_of(early, "GENETIC_COUNSEL"), "客户已在外院完成")
    at("2026-09-20 15:00")
    redemption.reverse(boss, code_of(screening, "US_SCREEN"), "录入错误")
    return {
        "desk": desk,
        "nurse": nurse,
        "boss": boss,
        "clerk": clerk,
        "screening": screening,
        "early": early,
    }


def test_month_figures_match_the_hand_worked_scenario(september):
    report = finance.reconciliation(september["clerk"], dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    t = report.totals()
    assert (t.issued_count, t.issued_fen) == (8, 227300)
    assert (t.redeemed_count, t.redeemed_fen) == (3, 24300 + 30000 + 4000)
    assert (t.reversed_count, t.reversed_fen) == (1, 30000)
    assert (t.voided_count, t.voided_fen) == (1, 6000)
    assert (t.expired_count, t.expired_fen) == (0, 0)
    # still usable on 30 September: ultrasound (reversed), diagnosis, risk, file, PMTCT
    assert (t.outstanding_count, t.outstanding_fen) == (5, 30000 + 143000 + 5000 + 3000 + 12000)
    assert t.settled_fen == 28300
    by_item = {keys: tally for keys, tally in report.by_item.items()}
    assert by_item[("孕产期免费筛查包", "母血清学产前筛查")].redeemed_fen == 24300
    points = {keys[0]: tally for keys, tally in report.by_point.items()}
    assert points["超声科"].reversed_fen == 30000
    operators = {keys[0]: tally for keys, tally in report.by_operator.items()}
    desk_name = f"{september['desk'].name}（{september['desk'].staff.username}）"
    assert operators[desk_name].issued_count == 8
    assert operators[desk_name].voided_fen == 6000


def test_totals_equal_the_raw_ledger_and_voucher_tables(september):
    report = finance.reconciliation(september["clerk"], dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    ledger_sum = database.execute_sql("SELECT SUM(amount_fen) FROM ledger_entry").fetchone()[0]
    assert report.totals().settled_fen == int(ledger_sum)
    voucher_sum = database.execute_sql("SELECT SUM(value_fen) FROM voucher").fetchone()[0]
    assert report.totals().issued_fen == int(voucher_sum)


def test_a_single_day_shows_only_that_day(september):
    day = finance.reconciliation(september["clerk"], dt.date(2026, 9, 20), dt.date(2026, 9, 20)).totals()
    assert (day.issued_count, day.redeemed_count, day.reversed_fen) == (0, 0, 30000)


def test_daily_close_per_operator(september):
    rows = finance.daily_close(september["clerk"], dt.date(2026, 9, 10))
    nurse = f"{september['nurse'].name}（{september['nurse'].staff.username}）"
    assert rows[(nurse,)].redeemed_count == 3
    assert rows[(nurse,)].redeemed_fen == 58300


def test_closed_month_is_frozen_and_reprints_identically(september):
    clerk, boss = september["clerk"], september["boss"]
    at("2026-10-02 09:00")
    before = documents.render(
        documents.reconciliation_data(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30)), "pdf"
    )
    periods.close_month(clerk, "2026-09")
    closed_pdf = documents.render(
        documents.reconciliation_data(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30)), "pdf"
    )
    assert "已结账" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(closed_pdf)).pages)
    assert before != closed_pdf  # the closed one says so

    at("2026-10-03 11:00")
    redemption.reverse(boss, code_of(september["screening"], "SERUM_SCREEN"), "患者投诉，复核后冲正")
    entry = LedgerEntry.select().order_by(LedgerEntry.id.desc()).get()
    assert entry.period == "2026-10"

    at("2027-10-03 11:00")  # a year later
    again = documents.render(
        documents.reconciliation_data(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30)), "pdf"
    )
    assert again == closed_pdf
    october = periods.month_report(clerk, "2026-10")[0].totals()
    assert (october.reversed_count, october.reversed_fen) == (1, 24300)
    with pytest.raises(Refused, match="已于"):
        periods.close_month(clerk, "2026-09")


def test_month_close_refused_before_month_end_and_for_front_desk(september):
    at("2026-09-25 10:00")
    with pytest.raises(Refused, match="尚未结束"):
        periods.close_month(september["clerk"], "2026-09")
    with pytest.raises(NotPermitted):
        periods.close_month(september["desk"], "2026-08")
    with pytest.raises(NotPermitted):
        finance.reconciliation(september["nurse"], dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def test_expired_vouchers_count_in_the_month_they_ran_out(september):
    expiry = Voucher.select().where(Voucher.item_code == "RISK_ASSESS_EARLY").get().expires_on
    first, last = finance.month_bounds(clock.month_of(expiry + dt.timedelta(days=1)))
    at(f"{last + dt.timedelta(days=1)} 10:00")
    t = finance.reconciliation(september["clerk"], first, last).totals()
    # risk 50 + file 30 + PMTCT 120 ran out unused (genetic was voided, early test redeemed), and
    # the prenatal diagnosis 1,430, issued the same day after the high-risk serum, valid 120 days too
    assert (t.expired_count, t.expired_fen) == (4, 20000 + 143000)


def test_csv_xlsx_and_pdf_show_the_same_totals(september):
    data = documents.reconciliation_data(september["clerk"], dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    book = openpyxl.load_workbook(io.BytesIO(documents.render(data, "xlsx")))
    values = [cell for row in book.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert (
        227300 in values and 28300 not in values
    )  # issued fen present; settled is not a reconciliation column
    csv_text = documents.render(data, "csv").decode("utf-8-sig")
    assert "227300" in csv_text and "2273.00" in csv_text
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(documents.render(data, "pdf"))).pages)
    assert "2,273.00" in pdf_text and "583.00" in pdf_text


def test_settlement_statement_nets_reversals(september):
    at("2026-10-02 09:00")
    data = documents.settlement_data(september["clerk"], "2026-09", prepared_by="王会计")
    assert data.totals.settled_fen == 28300
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(documents.render(data, "pdf"))).pages)
    for word in ("制表人", "审核人", "负责人", "¥283.00"):
        assert word in text


def test_statistics_series_and_rates(september):
    clerk = september["clerk"]
    series = finance.monthly_series(clerk, "2026-08", "2026-10")
    assert [(p.month, p.issued_count, p.redeemed_count) for p in series] == [
        ("2026-08", 0, 0),
        ("2026-09", 8, 2),
        ("2026-10", 0, 0),
    ]
    rates = {
        r.package_code: r for r in finance.redemption_rates(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    }
    assert (rates["LYG-CQ"].issued_count, rates["LYG-CQ"].redeemed_count) == (3, 1)
    assert rates["HN-ZY"].rate_percent == pytest.approx(20.0)
    assert documents.statistics_pdf(clerk, "2026-08", "2026-10").startswith(b"%PDF")


def test_slip_print_counts_and_reprint_needs_reason(september):
    from models.errors import InvalidInput

    desk = september["desk"]
    view = september["screening"]
    first = documents.slip_pdf(desk, view.id, "roll80")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(first)).pages)
    assert view.slip_no in text and "李*梅" in text and "李晓梅" not in text
    with pytest.raises(InvalidInput, match="补打"):
        documents.slip_pdf(desk, view.id, "a4")
    again = documents.slip_pdf(desk, view.id, "a4", reprint_reason="客户遗失")
    assert "补打" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(again)).pages)


def test_report_cli_writes_files_and_closes_the_month(september, db_url, tmp_path, capsys, monkeypatch):
    import json

    from desktop.cli import main
    from tests.helpers import PASSWORD

    clerk = september["clerk"].staff.username
    monkeypatch.setenv("FFDESK_PASSWORD", PASSWORD)
    at("2026-10-02 09:00")
    out = tmp_path / "sept.xlsx"
    args = ["--db", db_url, "report", "reconciliation", "--from", "2026-09-01", "--to", "2026-09-30"]
    assert main([*args, "--format", "xlsx", "--out", str(out), "--as", clerk, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["totals"]["issued_fen"] == 227300 and out.read_bytes().startswith(b"PK")
    assert main(["--db", db_url, "report", "close-month", "2026-09", "--as", clerk]) == 0
    assert "已月结" in capsys.readouterr().out
    assert main(["--db", db_url, "report", "close-month", "2026-09", "--as", clerk]) == 3
    assert "不能重复月结" in capsys.readouterr().err
    nurse = september["nurse"].staff.username
    assert main([*args, "--as", nurse]) == 4
    assert main([*args[:-1], "2026-02-30", "--as", clerk]) == 2


def test_reports_list_packages_in_life_course_order(september):
    """备孕 → 早孕 → 孕产 → 产康 → 新生 → 成长, then screening programmes: the early-pregnancy
    package comes before the screening package, though its name sorts after it."""
    clerk = september["clerk"]
    ranks = finance.package_rank()
    hunan = ["HN-BY", "HN-ZY", "HN-YC", "HN-CK", "HN-XS", "HN-CZ"]
    assert sorted(hunan, key=ranks.get) == hunan
    assert all(ranks[code] < ranks["LYG-CQ"] for code in hunan)
    report = finance.reconciliation(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    packages = list(dict.fromkeys(package for package, _item in report.by_item))
    assert packages == [september["early"].package_name, september["screening"].package_name]
    assert sorted(packages) != packages  # not the order of the names
    rates = finance.redemption_rates(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert [r.package_code for r in rates] == ["HN-ZY", "LYG-CQ"]


def test_a_closed_months_documents_reprint_byte_identical_in_every_format(september):
    clerk = september["clerk"]
    at("2026-10-02 09:00")
    closed_at = periods.close_month(clerk, "2026-09").closed_at

    def documents_now() -> dict[str, bytes]:
        settlement = documents.settlement_data(clerk, "2026-09", prepared_by="王会计")
        month = documents.reconciliation_data(clerk, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
        return {
            f"{name}.{fmt}": documents.render(data, fmt)
            for name, data in (("settlement", settlement), ("reconciliation", month))
            for fmt in documents.FORMATS
        }

    at("2026-10-02 09:00")
    first = documents_now()
    at("2027-03-15 16:42")  # months later, after a correction posted to the open month
    redemption.reverse(september["boss"], code_of(september["screening"], "SERUM_SCREEN"), "复核后冲正")
    app_settings.put(make_actor("admin"), "institution_name", "更名后的妇幼保健院")
    again = documents_now()
    assert [name for name in first if first[name] != again[name]] == []
    book = openpyxl.load_workbook(io.BytesIO(again["settlement.xlsx"]))
    props = book.properties
    assert props.created == props.modified == closed_at, "stamped with the close time, not the wall clock"
    assert (props.creator, props.last_modified_by) == ("ffdesk", "ffdesk")
    open_month = documents.settlement_data(clerk, "2027-03")
    assert open_month.institution == "更名后的妇幼保健院" and not open_month.closed
