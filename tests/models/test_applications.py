"""Online applications (issue 19 points 1 and 2): import, queue, approve/reject, export."""

from __future__ import annotations

import csv
import io
import json
import random
from importlib import resources

import pytest
from openpyxl import Workbook, load_workbook

from models import applications, audit, redemption
from models.application_file import FIELDS
from models.errors import InvalidInput, NotPermitted, Refused
from models.schema import Application, AuditEvent, Client, Episode, FamilyLink, Issuance
from tests.helpers import make_actor, resident_id
from tests.models.lifecycle import freeze, woman


def example() -> bytes:
    return resources.files("resources.applications").joinpath("example.csv").read_bytes()


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FIELDS))
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return out.getvalue().encode("utf-8")


def row(no: str, number: str, package: str = "HN-YC", **extra) -> dict:
    base = {
        "application_no": no,
        "submitted_at": "2026-03-01T09:30:00+08:00",
        "name": "刘芳",
        "id_type_code": "01",
        "id_number": number,
        "sex_code": "2",
        "phone": "13812345678",
        "division_code": "430104",
        "package_code": package,
        "lmp": "2026-01-05",
    }
    return {**base, **extra}


@pytest.fixture
def desk(db_url):
    freeze()
    return make_actor("frontdesk")


def by_no(no: str) -> Application:
    return Application.get(Application.application_no == no)


def test_example_file_fills_the_queue_oldest_first(desk):
    result = applications.import_file(desk, example(), "csv", "example.csv")
    assert (result.imported, result.unchanged) == (3, 0)
    queue = applications.list_applications(desk)
    assert [a.application_no for a in queue] == ["HN2026030100001", "HN2026030100002", "HN2026030200003"]
    assert queue[0].name_masked == "王*红" and queue[0].stage_text == "末次月经 2026-01-05"
    assert queue[0].submitted_at.startswith("2026-03-01 09:30")  # stored UTC, shown Beijing time
    assert applications.pending_count() == 3


def test_reimporting_the_same_file_changes_nothing(desk):
    applications.import_file(desk, example(), "csv", "example.csv")
    events = AuditEvent.select().count()
    again = applications.import_file(desk, example(), "csv", "example.csv")
    assert (again.imported, again.unchanged) == (0, 3)
    assert Application.select().count() == 3
    assert AuditEvent.select().count() == events


def test_bad_file_names_row_and_field_and_imports_nothing(desk):
    good = resident_id("19930101", "F", rng=random.Random(1))
    rows = [
        row("A1", good),
        row("A2", good[:-1] + ("0" if good[-1] != "0" else "1")),  # wrong check character
        row("A3", good, phone="12345", lmp="2099-01-01", sex_code="7"),
        row("A4", good, package="NO-SUCH"),
        row("A1", good),  # the same number twice in one file
    ]
    with pytest.raises(InvalidInput) as caught:
        applications.import_file(desk, csv_bytes(rows), "csv")
    message = caught.value.message
    assert "未导入任何记录" in message
    assert "第 3 行 身份证件号码（id_number）" in message
    assert "第 4 行 联系电话（phone）" in message
    assert "第 4 行 末次月经日期（lmp）" in message and "晚于今天" in message
    assert "第 4 行 性别代码（sex_code）" in message
    assert "第 6 行 申请编号（application_no）：与第 2 行重复" in message
    assert "第 5 行 服务包代码（package_code）：当前目录中没有服务包 NO-SUCH" in message
    assert Application.select().count() == 0


def test_a_changed_row_under_a_known_number_is_refused(desk):
    number = resident_id("19930101", "F", rng=random.Random(2))
    applications.import_file(desk, csv_bytes([row("B1", number)]), "csv")
    with pytest.raises(InvalidInput, match="B1 已导入，但本次内容与上次不同"):
        applications.import_file(
            desk, csv_bytes([row("B1", number, lmp="2026-01-06"), row("B2", number)]), "csv"
        )
    assert [a.application_no for a in Application.select()] == ["B1"]
    assert by_no("B1").lmp.isoformat() == "2026-01-05"


def test_xlsx_and_json_read_the_same_as_csv(desk):
    number = resident_id("19930101", "F", rng=random.Random(3))
    record = row("X1", number)
    book = Workbook()
    book.active.append(list(FIELDS))
    book.active.append([record.get(f, "") for f in FIELDS])
    buffer = io.BytesIO()
    book.save(buffer)
    applications.import_file(desk, buffer.getvalue(), "xlsx")
    doc = json.dumps({"applications": [{**record, "application_no": "J1"}]}).encode()
    applications.import_file(desk, doc, "json")
    first, second = by_no("X1"), by_no("J1")
    assert first.digest != second.digest  # different numbers
    assert (first.id_number, first.lmp, first.submitted_at) == (
        second.id_number,
        second.lmp,
        second.submitted_at,
    )


def test_unreadable_files_are_input_errors(desk):
    for data, fmt in ((b"\xff\xfe", "csv"), (b"{", "json"), (b"not a zip", "xlsx"), (b"[1]", "json")):
        with pytest.raises(InvalidInput):
            applications.import_file(desk, data, fmt)
    assert Application.select().count() == 0


def test_approve_registers_opens_and_issues(desk):
    applications.import_file(desk, example(), "csv")
    app = by_no("HN2026030100001")
    decision = applications.approve(desk, app.id)
    assert decision.issuance.created and decision.issuance.package_code == "HN-YC"
    assert decision.application.status == "approved" and decision.application.slip_no
    client = Client.get(Client.id_number == app.id_number)
    assert client.name == "王小红" and client.phone == "13812345678"
    episode = Episode.get(Episode.client == client)
    assert episode.kind == "pregnancy" and episode.lmp.isoformat() == "2026-01-05"
    assert [a.application_no for a in applications.list_applications(desk)] == [
        "HN2026030100002",
        "HN2026030200003",
    ]
    assert AuditEvent.select().where(AuditEvent.action == "application.approve").count() == 1
    assert audit.verify_chain().ok


def test_approve_matches_a_registered_client_and_says_duplicate(desk):
    from models import episodes, issuance

    registered = woman(desk, name="刘芳", birth="19930101")
    ep = episodes.open_pregnancy(desk, registered.id, __import__("datetime").date(2026, 1, 5))
    issued = issuance.issue_package(desk, ep.id, "HN-YC")
    number = Client.get_by_id(registered.id).id_number
    applications.import_file(desk, csv_bytes([row("D1", number)]), "csv")
    decision = applications.approve(desk, by_no("D1").id)
    assert not decision.issuance.created and decision.issuance.slip_no == issued.slip_no
    assert "重复申领" in decision.message and issued.slip_no in decision.message
    assert by_no("D1").status == "duplicate" and by_no("D1").client_id == registered.id
    assert Client.select().count() == 1 and Issuance.select().count() == 1


def test_child_application_registers_the_newborn_under_the_mother(desk):
    applications.import_file(desk, example(), "csv")
    decision = applications.approve(desk, by_no("HN2026030200003").id)
    assert decision.issuance.package_code == "LYG-XS"
    link = FamilyLink.get(FamilyLink.kind == "mother_child")
    assert link.from_client.name == "张敏" and link.to_client.name == "张小宝"
    assert link.to_client.sex == "M" and link.to_client.birth_date.isoformat() == "2026-02-20"


def test_not_eligible_stays_pending_and_reject_needs_a_reason(desk):
    number = resident_id("19930101", "F", rng=random.Random(4))
    applications.import_file(desk, csv_bytes([row("E1", number, package="HN-ZY", lmp="2025-09-01")]), "csv")
    app = by_no("E1")
    with pytest.raises(Refused, match="不符合"):
        applications.approve(desk, app.id)
    assert by_no("E1").status == "pending" and Issuance.select().count() == 0
    with pytest.raises(InvalidInput, match="原因"):
        applications.reject(desk, app.id, "  ")
    decision = applications.reject(desk, app.id, "孕周已超过早孕包期限")
    assert decision.application.status_label == "已驳回"
    with pytest.raises(Refused, match="已处理"):
        applications.approve(desk, app.id)
    with pytest.raises(Refused, match="已处理"):
        applications.reject(desk, app.id, "again")


def test_nurse_cannot_import_or_decide(desk):
    nurse = make_actor("nurse")
    with pytest.raises(NotPermitted):
        applications.import_file(nurse, example(), "csv")
    applications.import_file(desk, example(), "csv")
    with pytest.raises(NotPermitted):
        applications.approve(nurse, by_no("HN2026030100001").id)


def read_export(data: bytes) -> list[dict]:
    return json.loads(data)["records"]


def test_export_is_incremental_and_repeatable(desk):
    officer = make_actor("finance")
    nurse = make_actor("nurse")
    applications.import_file(desk, example(), "csv")
    approved = applications.approve(desk, by_no("HN2026030100001").id)
    applications.reject(desk, by_no("HN2026030100002").id, "已在外院领取")
    first = read_export(applications.export(officer, "json").data)
    assert [(r["event"], r.get("decision")) for r in first] == [
        ("issuance", None),
        ("decision", "approved"),
        ("decision", "rejected"),
    ]
    assert first[0]["application_no"] == "HN2026030100001" and first[0]["id_type_code"] == "01"
    assert first[2]["reason"] == "已在外院领取"
    assert read_export(applications.export(officer, "json").data) == []  # nothing new
    voucher = approved.issuance.vouchers[0]
    redemption.redeem(nurse, voucher.code, voucher.service_point)
    second = read_export(applications.export(officer, "json").data)
    assert [(r["event"], r["voucher_code"], r["value_fen"]) for r in second] == [
        ("redemption", voucher.code, voucher.value_fen)
    ]
    again = read_export(applications.export(officer, "json", since=0).data)
    assert again == first + second


def test_export_csv_and_xlsx_keep_cells_as_data(desk):
    officer = make_actor("finance")
    number = resident_id("19930101", "F", rng=random.Random(5))
    applications.import_file(desk, csv_bytes([row("F1", number)]), "csv")
    applications.reject(desk, by_no("F1").id, "=HYPERLINK(1)")
    text = applications.export(officer, "csv", since=0).data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    book = load_workbook(io.BytesIO(applications.export(officer, "xlsx", since=0).data))
    values = [c.value for c in book.active[2]]
    assert "=HYPERLINK(1)" in values and book.active[2][values.index("=HYPERLINK(1)")].data_type == "s"


def test_front_desk_cannot_export_identities(desk):
    with pytest.raises(NotPermitted):
        applications.export(desk, "json")


def test_a_failed_delivery_does_not_move_the_export_mark(desk):
    officer = make_actor("finance")
    applications.import_file(desk, example(), "csv")
    applications.reject(desk, by_no("HN2026030100001").id, "重复提交")

    def disk_full(_data: bytes) -> None:
        raise InvalidInput("无法写入导出文件：磁盘已满")

    with pytest.raises(InvalidInput):
        applications.export(officer, "json", deliver=disk_full)
    assert applications.last_export_seq() == 0
    assert len(read_export(applications.export(officer, "json").data)) == 1  # still there next time


def test_a_failure_while_writing_leaves_nothing_half_imported(desk, monkeypatch):
    rows = [row(f"H{i}", resident_id("19930101", "F", rng=random.Random(i))) for i in range(1200)]

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk gone after the inserts")

    monkeypatch.setattr(audit, "record", broken)  # fails after every batch is inserted
    with pytest.raises(RuntimeError):
        applications.import_file(desk, csv_bytes(rows), "csv")
    assert Application.select().count() == 0


def test_two_desks_approving_the_same_application_issue_once(desk, monkeypatch):
    from models import issuance

    other = make_actor("frontdesk")
    applications.import_file(desk, example(), "csv")
    app_id = by_no("HN2026030100001").id
    real = issuance.issue_package
    raced = []

    def other_desk_first(actor, episode_id, code, **kwargs):
        if not raced:  # the other desk approves between our check and our issue
            raced.append(True)
            monkeypatch.setattr(issuance, "issue_package", real)
            applications.approve(other, app_id)
        return real(actor, episode_id, code, **kwargs)

    monkeypatch.setattr(issuance, "issue_package", other_desk_first)
    with pytest.raises(Refused, match="已处理"):
        applications.approve(desk, app_id)
    assert Issuance.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action.startswith("application.a")).count() == 1
