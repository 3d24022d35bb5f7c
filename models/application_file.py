"""The exchange format of online applications (线上申领) with the city/provincial platform.

One row per application, the same fields in CSV (UTF-8, header row), XLSX (first sheet,
header row) and JSON (a list of objects, or ``{"applications": [...]}``). Codes follow the
national health data standards:

* ``id_type_code`` — 身份证件类别代码, WS 364 CV02.01.101: 01 居民身份证, 03 护照,
  99 其他法定有效证件 (here: 港澳台居民居住证, told apart by the number's 810000/820000/830000);
* ``sex_code`` / ``child_sex_code`` — GB/T 2261.1: 1 男, 2 女 (0 未知, 9 未说明 are refused
  for a child and ignored for the applicant, whose sex comes from the ID number);
* ``division_code`` — GB/T 2260 six-digit administrative division of the applicant's residence.

Times are ISO 8601; a time without an offset is Beijing time. Dates are ``YYYY-MM-DD``.
Everything here is pure parsing and writing: the database work is in :mod:`models.applications`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from models import clock, identity
from models.errors import InvalidInput

FIELDS: tuple[str, ...] = (
    "application_no",
    "submitted_at",
    "name",
    "id_type_code",
    "id_number",
    "sex_code",
    "phone",
    "division_code",
    "package_code",
    "lmp",
    "child_name",
    "child_sex_code",
    "child_birth_date",
)
REQUIRED = ("application_no", "submitted_at", "name", "id_type_code", "id_number", "package_code")
FIELD_LABELS: dict[str, str] = {
    "application_no": "申请编号",
    "submitted_at": "申请时间",
    "name": "姓名",
    "id_type_code": "身份证件类别代码",
    "id_number": "身份证件号码",
    "sex_code": "性别代码",
    "phone": "联系电话",
    "division_code": "行政区划代码",
    "package_code": "服务包代码",
    "lmp": "末次月经日期",
    "child_name": "儿童姓名",
    "child_sex_code": "儿童性别代码",
    "child_birth_date": "儿童出生日期",
}
SEX_CODES = {"1": "M", "2": "F"}  # GB/T 2261.1
SEX_CODE_OF = {v: k for k, v in SEX_CODES.items()}
ID_TYPE_CODES = {"01": identity.ID_RESIDENT, "03": identity.ID_PASSPORT}  # WS 364 CV02.01.101
_PERMITS = {"810000": identity.ID_HKMO, "820000": identity.ID_HKMO, "830000": identity.ID_TW}
ID_TYPE_CODE_OF = {identity.ID_RESIDENT: "01", identity.ID_PASSPORT: "03"}
_APP_NO = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_DIVISION = re.compile(r"^\d{6}$")
FORMATS = ("csv", "xlsx", "json")
MAX_ROWS = 200_000


@dataclass
class ApplicationRow:
    """One valid row, in ffdesk's own terms (UTC time, internal id type and sex)."""

    row: int
    application_no: str
    submitted_at: dt.datetime
    name: str
    id_type: str
    id_number: str
    sex: str
    phone: str
    division_code: str
    package_code: str
    lmp: dt.date | None
    child_name: str
    child_sex: str
    child_birth_date: dt.date | None

    def digest(self) -> str:
        parts = [
            self.application_no, self.submitted_at.isoformat(), self.name, self.id_type, self.id_number,
            self.sex, self.phone, self.division_code, self.package_code, str(self.lmp or ""),
            self.child_name, self.child_sex, str(self.child_birth_date or ""),
        ]  # fmt: skip
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass
class ParsedFile:
    rows: list[ApplicationRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "第 N 行 字段：问题"


def format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidInput(f"文件格式应为 CSV、XLSX 或 JSON：{path.name}", field="file")
    return fmt


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_records(data: bytes, fmt: str) -> list[dict[str, str]]:
    """The file's rows as {field: text}; InvalidInput when the file cannot be read at all."""
    if fmt == "json":
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidInput(f"JSON 文件无法解析：{exc}", field="file") from exc
        if isinstance(doc, dict):
            doc = doc.get("applications")
        if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
            raise InvalidInput('JSON 文件应为申请对象的列表，或 {"applications": [...]}', field="file")
        return [{str(k): _text(v) for k, v in r.items()} for r in doc]
    if fmt == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput("CSV 文件应为 UTF-8 编码", field="file") from exc
        reader = csv.DictReader(io.StringIO(text, newline=""))
        return [{(k or "").strip(): _text(v) for k, v in r.items() if k is not None} for r in reader]
    return _read_xlsx(data)


def _read_xlsx(data: bytes) -> list[dict[str, str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput("XLSX 文件无法打开（文件损坏或不是 Excel 工作簿）", field="file") from exc
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    records = []
    for values in rows:
        if all(v is None or _text(v) == "" for v in values):
            continue
        records.append({h: _text(v) for h, v in zip(header, values, strict=False) if h})
    book.close()
    return records


def parse_time(text: str) -> dt.datetime:
    """ISO 8601 → naive UTC; no offset means Beijing time."""
    value = dt.datetime.fromisoformat(text.replace("T", " ").replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=clock.LOCAL_TZ)
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _id_type(code: str, number: str) -> str:
    if code in ID_TYPE_CODES:
        return ID_TYPE_CODES[code]
    if code == "99":
        permit = _PERMITS.get(identity.normalize_id_number(identity.ID_HKMO, number)[:6])
        if permit:
            return permit
        raise InvalidInput("代码 99 只受理港澳台居民居住证（号码以 810000、820000、830000 开头）")
    raise InvalidInput(f"不受理的证件类别代码 {code}（可用 01 居民身份证、03 护照、99 港澳台居民居住证）")


def parse_row(number: int, record: dict[str, str], today: dt.date) -> tuple[ApplicationRow | None, list[str]]:
    """One record checked field by field: the row, or the errors of every bad field."""
    errors: list[str] = []

    def fail(name: str, message: str) -> None:
        errors.append(f"第 {number} 行 {FIELD_LABELS[name]}（{name}）：{message}")

    def get(name: str, convert, message: str):
        text = record.get(name, "")
        if not text:
            if name in REQUIRED:
                fail(name, "不能为空")
            return None
        try:
            return convert(text)
        except InvalidInput as exc:
            fail(name, exc.message)
        except (ValueError, TypeError):
            fail(name, message)
        return None

    def app_no(text: str) -> str:
        if not _APP_NO.match(text):
            raise InvalidInput("只能含字母、数字、- 和 _，最多 40 个字符")
        return text

    def name(text: str) -> str:
        if len(text) > 64 or any(ord(c) < 32 for c in text):
            raise InvalidInput("姓名不能超过 64 个字符，也不能含控制字符")
        return text

    def sex(text: str) -> str:
        if text not in SEX_CODES:
            raise InvalidInput("应为 1（男）或 2（女）（GB/T 2261.1）")
        return SEX_CODES[text]

    def division(text: str) -> str:
        if not _DIVISION.match(text) or text[:2] not in identity._PROVINCES:
            raise InvalidInput("应为 6 位 GB/T 2260 行政区划代码，如 430104")
        return text

    def past_date(text: str) -> dt.date:
        day = dt.date.fromisoformat(text)
        if day > today:
            raise InvalidInput(f"{day.isoformat()} 晚于今天")
        return day

    application_no = get("application_no", app_no, "格式不正确")
    submitted = get("submitted_at", parse_time, "应为 ISO 8601 时间，如 2026-03-01T09:30:00+08:00")
    applicant = get("name", name, "格式不正确")
    id_type = get("id_type_code", lambda c: _id_type(c, record.get("id_number", "")), "格式不正确")
    id_number = (
        get("id_number", lambda n: identity.validate_id(id_type, n), "格式不正确") if id_type else None
    )
    if id_type is None and not record.get("id_number"):
        fail("id_number", "不能为空")
    applicant_sex = None
    if record.get("sex_code") not in ("", "0", "9", None):
        applicant_sex = get("sex_code", sex, "格式不正确")
    phone = get("phone", identity.validate_mobile, "格式不正确") or ""
    division_code = get("division_code", division, "格式不正确") or ""
    package_code = get("package_code", lambda t: t.upper()[:32], "格式不正确")
    lmp = get("lmp", past_date, "应为日期，如 2026-01-05")
    child_birth = get("child_birth_date", past_date, "应为日期，如 2026-02-20")
    child_sex = get("child_sex_code", sex, "格式不正确") or ""
    child_name = get("child_name", name, "格式不正确") or ""
    if id_type and id_number and applicant_sex:
        try:
            identity.check_against_typed(id_type, id_number, None, applicant_sex)
        except InvalidInput as exc:
            fail("sex_code", exc.message)
    if errors:
        return None, errors
    derived_sex = identity.derive_birth_and_sex(id_type, id_number)[1]
    return (
        ApplicationRow(
            row=number,
            application_no=application_no,
            submitted_at=submitted,
            name=applicant,
            id_type=id_type,
            id_number=id_number,
            sex=applicant_sex or derived_sex or "",
            phone=phone,
            division_code=division_code,
            package_code=package_code,
            lmp=lmp,
            child_name=child_name,
            child_sex=child_sex,
            child_birth_date=child_birth,
        ),
        [],
    )


def parse(
    data: bytes, fmt: str, today: dt.date | None = None, report: Callable[[int, int], None] | None = None
) -> ParsedFile:
    """Every row checked; rows numbered as a spreadsheet shows them (the header is row 1).

    ``report(done, total)`` is called every 500 rows (a progress bar; it may raise to cancel).
    """
    records = read_records(data, fmt)
    if len(records) > MAX_ROWS:
        raise InvalidInput(f"一个文件最多 {MAX_ROWS} 条申请", field="file")
    today = today or clock.local_today()
    result = ParsedFile()
    first_row = 1 if fmt == "json" else 2
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if report is not None and index % 500 == 0:
            report(index, len(records))
        number = index + first_row
        row, errors = parse_row(number, record, today)
        result.errors.extend(errors)
        if row is None:
            continue
        if row.application_no in seen:
            result.errors.append(
                f"第 {number} 行 申请编号（application_no）：与第 {seen[row.application_no]} 行重复"
            )
            continue
        seen[row.application_no] = number
        result.rows.append(row)
    if not records:
        result.errors.append("文件中没有申请记录")
    return result


# --- writing (export) ------------------------------------------------------------------------------


def write(records: list[dict[str, object]], columns: tuple[str, ...], fmt: str) -> bytes:
    """The records in ``fmt``; text cells never become formulas (reports.cells)."""
    from reports.cells import SafeCsvWriter, xlsx_text_only

    if fmt == "json":
        body = json.dumps({"records": records}, ensure_ascii=False, indent=2, default=str)
        return (body + "\n").encode("utf-8")
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = SafeCsvWriter(csv.writer(out, lineterminator="\r\n"))
        writer.writerow(list(columns))
        for r in records:
            writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "records"
    sheet.append(list(columns))
    for r in records:
        sheet.append(["" if r.get(c) is None else r.get(c) for c in columns])
    xlsx_text_only(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
