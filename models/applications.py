"""Online applications (线上申领): the platform's file in, the desk's decisions and results out.

Import checks the whole file first (:mod:`models.application_file`); one bad field anywhere
and nothing is imported. Rows already imported under the same application number are
skipped when unchanged and refused when changed, so re-importing a file changes nothing.

The queue is the pending applications, oldest first. Approving one finds the client by ID
number or registers her from the application, finds or opens the episode the package needs,
and issues the package through :func:`models.issuance.issue_package` (eligibility checked
there). A package the episode already has is not issued twice: the application is closed as
``duplicate`` and says which slip it already is. Rejecting needs a reason.

Export writes the decisions, issuances and redemptions recorded in the audit chain after the
last export (its sequence number is kept in the settings table), or after ``since``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass

import peewee as pw

from models import audit, clients, clock, episodes, identity, issuance
from models.application_file import ID_TYPE_CODE_OF, ApplicationRow, parse
from models.catalog import active_version, get_package
from models.db import run_in_transaction
from models.errors import InvalidInput, NotFound, Refused
from models.permissions import Actor, require
from models.privacy import mask_id, mask_name, mask_phone
from models.schema import (
    Application,
    AuditEvent,
    Client,
    Episode,
    FamilyLink,
    Issuance,
    Package,
    Setting,
    Voucher,
)
from models.text import one_line

STATUS_LABELS = {"pending": "待审核", "approved": "已发放", "duplicate": "重复申领", "rejected": "已驳回"}
EXPORT_MARK = "applications.last_export_seq"
EXPORTED_ACTIONS = (
    "application.approve",
    "application.duplicate",
    "application.reject",
    "voucher.issue",
    "voucher.redeem",
    "voucher.reverse",
)
EXPORT_COLUMNS: tuple[str, ...] = (
    "seq", "event", "event_at", "application_no", "decision", "reason", "id_type_code",
    "id_number", "name", "package_code", "slip_no", "voucher_code", "item_code", "value_fen",
)  # fmt: skip
BATCH = 500


@dataclass
class ImportResult:
    file_rows: int
    imported: int
    unchanged: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class ApplicationView:
    id: int
    application_no: str
    submitted_at: str  # local
    name_masked: str
    id_number_masked: str
    phone_masked: str
    package_code: str
    package_name: str
    stage_text: str
    status: str
    status_label: str
    reason: str | None
    slip_no: str | None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Decision:
    application: ApplicationView
    issuance: issuance.IssuanceView | None
    message: str

    def to_dict(self) -> dict:
        return {"application": self.application.to_dict(), "issuance": self.issuance and self.issuance.to_dict(),
                "message": self.message}  # fmt: skip


def _stage_text(app: Application) -> str:
    if app.lmp:
        return f"末次月经 {app.lmp.isoformat()}"
    if app.child_birth_date:
        return f"儿童出生 {app.child_birth_date.isoformat()}"
    return ""


def _package_name(code: str) -> str:
    try:
        return get_package(code).name
    except NotFound:
        return f"{code}（目录中没有）"


def view(app: Application) -> ApplicationView:
    return ApplicationView(
        id=app.id,
        application_no=app.application_no,
        submitted_at=clock.format_local(app.submitted_at),
        name_masked=mask_name(app.name),
        id_number_masked=mask_id(app.id_number),
        phone_masked=mask_phone(app.phone),
        package_code=app.package_code,
        package_name=_package_name(app.package_code),
        stage_text=_stage_text(app),
        status=app.status,
        status_label=STATUS_LABELS.get(app.status, app.status),
        reason=app.reason,
        slip_no=app.issuance.slip_no if app.issuance_id else None,
    )


# --- import ------------------------------------------------------------------------------------------


def _existing_digests(numbers: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        query = Application.select(Application.application_no, Application.digest).where(
            Application.application_no.in_(chunk)
        )
        found.update({no: digest for no, digest in query.tuples()})
    return found


def _catalog_codes() -> set[str]:
    version = active_version()
    if version is None:
        return set()
    return {p.code for p in Package.select(Package.code).where(Package.catalog_version == version)}


def _record(row: ApplicationRow, digest: str, actor: Actor, source: str, now: dt.datetime) -> dict:
    return {
        "application_no": row.application_no,
        "digest": digest,
        "submitted_at": row.submitted_at,
        "name": row.name,
        "id_type": row.id_type,
        "id_number": row.id_number,
        "sex": row.sex,
        "phone": row.phone,
        "division_code": row.division_code,
        "package_code": row.package_code,
        "lmp": row.lmp,
        "child_name": row.child_name,
        "child_sex": row.child_sex,
        "child_birth_date": row.child_birth_date,
        "status": "pending",
        "source_name": source[:255],
        "imported_at": now,
        "imported_by": actor.staff.id,
    }


def import_file(
    actor: Actor,
    data: bytes,
    fmt: str,
    source_name: str = "",
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportResult:
    """Import every row or none: InvalidInput lists each bad row:field (at most 50 lines shown).

    ``progress(done, total, text)`` follows the checking and the writing; raising from it
    (a cancelled progress dialog) leaves nothing imported.
    """
    require(actor, "voucher.issue")
    report = progress or (lambda _done, _total, _text: None)
    parsed = parse(data, fmt, report=lambda done, total: report(done, total, "核对申请"))
    errors = list(parsed.errors)
    digests = {row.application_no: row.digest() for row in parsed.rows}
    existing = _existing_digests(list(digests))
    offered = _catalog_codes()
    for row in parsed.rows:
        if row.package_code not in offered:
            errors.append(
                f"第 {row.row} 行 服务包代码（package_code）：当前目录中没有服务包 {row.package_code}"
            )
        known = existing.get(row.application_no)
        if known is not None and known != digests[row.application_no]:
            errors.append(
                f"第 {row.row} 行 申请编号（application_no）：{row.application_no} 已导入，但本次内容与上次不同"
            )
    if errors:
        shown = errors[:50] + ([f"……另有 {len(errors) - 50} 处问题"] if len(errors) > 50 else [])
        raise InvalidInput(
            f"申请文件有 {len(errors)} 处问题，未导入任何记录：\n" + "\n".join(shown),
            errors=errors,
            field="file",
        )
    new_rows = [row for row in parsed.rows if row.application_no not in existing]
    checksum = hashlib.sha256(data).hexdigest()

    def work() -> None:
        now = clock.utcnow()
        records = [_record(r, digests[r.application_no], actor, source_name, now) for r in new_rows]
        for start in range(0, len(records), BATCH):
            report(start, len(records), "写入申请")
            Application.insert_many(records[start : start + BATCH]).execute()
        audit.record(
            actor,
            "application.import",
            "application",
            "",
            after={
                "file": source_name,
                "sha256": checksum,
                "rows": len(parsed.rows),
                "imported": len(new_rows),
            },
        )

    if new_rows:
        try:
            run_in_transaction(work)
        except pw.IntegrityError as exc:  # another desk imported the same file a moment ago
            raise Refused("另一台电脑正在导入同一批申请，请稍后重新导入（已导入的不会重复）") from exc
    return ImportResult(
        file_rows=len(parsed.rows), imported=len(new_rows), unchanged=len(parsed.rows) - len(new_rows)
    )


# --- the queue ---------------------------------------------------------------------------------------


def pending_count() -> int:
    return Application.select().where(Application.status == "pending").count()


def list_applications(actor: Actor, status: str = "pending", limit: int = 500) -> list[ApplicationView]:
    """Applications of one status, oldest submission first."""
    require(actor, "client.read")
    if status not in STATUS_LABELS:
        raise InvalidInput(f"状态应为 {'、'.join(STATUS_LABELS)} 之一", field="status")
    query = (
        Application.select()
        .where(Application.status == status)
        .order_by(Application.submitted_at, Application.id)
        .limit(limit)
    )
    return [view(a) for a in query]


def _get(application_id: int) -> Application:
    app = Application.get_or_none(Application.id == application_id) if 0 < application_id < 2**62 else None
    if app is None:
        raise NotFound(f"没有编号为 {application_id} 的线上申领")
    return app


def get_application(actor: Actor, application_id: int) -> ApplicationView:
    require(actor, "client.read")
    return view(_get(application_id))


def _require_pending(app: Application) -> None:
    if app.status != "pending":
        raise Refused(f"申请 {app.application_no} 已处理（{STATUS_LABELS.get(app.status, app.status)}）")


def _client_of(actor: Actor, app: Application) -> Client:
    found = clients.find_by_id_number(app.id_type, app.id_number)
    if found is not None:
        return found
    result = clients.register_client(
        actor,
        id_type=app.id_type,
        id_number=app.id_number,
        name=app.name,
        sex=app.sex or None,
        phone=app.phone,
    )
    return Client.get_by_id(result.client.id)


def _open_episode(actor: Actor, client: Client, kind: str) -> Episode | None:
    return (
        Episode.select()
        .where((Episode.client == client) & (Episode.kind == kind) & (Episode.status == "open"))
        .order_by(Episode.id.desc())
        .first()
    )


def _child_of(actor: Actor, mother: Client, app: Application) -> Client:
    child = (
        Client.select()
        .join(FamilyLink, on=(FamilyLink.to_client == Client.id))
        .where(
            (FamilyLink.kind == "mother_child")
            & (FamilyLink.from_client == mother)
            & (Client.birth_date == app.child_birth_date)
        )
        .first()
    )
    if child is not None:
        return child
    if not app.child_name or not app.child_sex:
        raise Refused("申请未填写儿童姓名和性别，无法为儿童建档，请到院登记")
    view_ = clients.register_newborn(
        actor, mother.id, name=app.child_name, sex=app.child_sex, birth_date=app.child_birth_date
    )
    return Client.get_by_id(view_.id)


def _episode_for(actor: Actor, client: Client, app: Application) -> Episode:
    """The episode the package is issued on: found, or opened from the application's stage data."""
    package = get_package(app.package_code)
    kind = package.episode_kind
    if kind == "pregnancy" and package.window_basis == "postpartum":
        latest = (
            Episode.select()
            .where((Episode.client == client) & (Episode.kind == "pregnancy"))
            .order_by(Episode.id.desc())
            .first()
        )
        if latest is None or latest.delivery_date is None:
            raise Refused("产后服务包需先在院登记分娩，请联系申请人到院办理")
        return latest
    if kind == "pregnancy":
        current = _open_episode(actor, client, "pregnancy")
        if current is not None:
            return current
        if app.lmp is None:
            raise Refused("申请未填写末次月经日期，无法建立孕产期服务周期")
        return episodes.get_episode_row(episodes.open_pregnancy(actor, client.id, app.lmp).id)
    if kind == "prepregnancy":
        current = _open_episode(actor, client, "prepregnancy")
        if current is not None:
            return current
        return episodes.get_episode_row(episodes.open_prepregnancy(actor, client.id, None).id)
    if kind == "child":
        if app.child_birth_date is None:
            raise Refused("申请未填写儿童出生日期，无法建立儿童服务周期")
        child = _child_of(actor, client, app)
        current = Episode.select().where((Episode.client == child) & (Episode.kind == "child")).first()
        if current is not None:
            return current
        return episodes.get_episode_row(episodes.open_child(actor, child.id).id)
    raise Refused(f"服务包 {package.name} 不能在线申领")


def _decide(actor: Actor, app_id: int, status: str, action: str, **fields) -> Application:
    def work() -> Application:
        now = clock.server_now()
        changed = (
            Application.update(status=status, decided_at=now, decided_by=actor.staff.id, **fields)
            .where((Application.id == app_id) & (Application.status == "pending"))
            .execute()
        )
        app = Application.get_by_id(app_id)
        if not changed:
            _require_pending(app)
        audit.record(
            actor,
            action,
            "application",
            app_id,
            before={"status": "pending"},
            after={"application_no": app.application_no, "status": status, **_jsonable(fields)},
        )
        return app

    return run_in_transaction(work)


def _jsonable(fields: dict) -> dict:
    return {k: (v.id if isinstance(v, pw.Model) else v) for k, v in fields.items()}


def approve(actor: Actor, application_id: int) -> Decision:
    """Match or register the client, open the episode if needed, issue the package.

    Not eligible → Refused (the application stays pending: reject it with the reason, or a
    supervisor issues with an override at the counter).
    """
    require(actor, "voucher.issue")
    app = _get(application_id)
    _require_pending(app)
    client = _client_of(actor, app)
    episode = _episode_for(actor, client, app)
    issued = issuance.issue_package(actor, episode.id, app.package_code)
    if issued.created:
        status, action = "approved", "application.approve"
        message = f"已发放{issued.package_name}，券单号 {issued.slip_no}"
    else:
        status, action = "duplicate", "application.duplicate"
        message = f"重复申领：{issued.package_name}已于 {issued.issued_at} 发放（券单号 {issued.slip_no}），未重复发券"
    decided = _decide(
        actor, app.id, status, action, client=client.id, episode=episode.id, issuance=issued.id,
        reason=None if issued.created else message,
    )  # fmt: skip
    return Decision(view(decided), issued, message)


def reject(actor: Actor, application_id: int, reason: str) -> Decision:
    require(actor, "voucher.issue")
    reason = one_line(reason, "reason", "驳回原因")
    if not reason:
        raise InvalidInput("驳回申请需要填写原因", field="reason")
    app = _get(application_id)
    _require_pending(app)
    decided = _decide(actor, app.id, "rejected", "application.reject", reason=reason)
    return Decision(view(decided), None, f"已驳回申请 {decided.application_no}：{reason}")


# --- export ------------------------------------------------------------------------------------------


def last_export_seq() -> int:
    row = Setting.get_or_none(Setting.key == EXPORT_MARK)
    return int(row.value) if row is not None else 0


def _seq_of_local_day(day: dt.date) -> int:
    start = dt.datetime.combine(day, dt.time(), clock.LOCAL_TZ).astimezone(dt.UTC).replace(tzinfo=None)
    before = AuditEvent.select(pw.fn.MAX(AuditEvent.seq)).where(AuditEvent.at < start).scalar()
    return int(before or 0)


def parse_since(text: str | None) -> int | None:
    """``--since``: an audit sequence number (events after it) or a local date (events from it)."""
    if text is None or not text.strip():
        return None
    text = identity._halfwidth(text.strip())
    if text.isdigit():
        return int(text)
    try:
        return _seq_of_local_day(dt.date.fromisoformat(text))
    except ValueError as exc:
        raise InvalidInput("--since 应为事件序号或日期（如 2026-03-01）", field="since") from exc


def _application_by_issuance(issuance_ids: set[int]) -> dict[int, Application]:
    if not issuance_ids:
        return {}
    rows = Application.select().where(Application.issuance.in_(list(issuance_ids)))
    return {a.issuance_id: a for a in rows}


def _export_rows(events: list[AuditEvent]) -> list[dict]:
    app_ids = {int(e.entity_id) for e in events if e.entity == "application"}
    apps = {a.id: a for a in Application.select().where(Application.id.in_(list(app_ids)))} if app_ids else {}
    issuance_ids = {int(e.entity_id) for e in events if e.entity == "issuance"}
    voucher_ids = {int(e.entity_id) for e in events if e.entity == "voucher"}
    vouchers = {}
    if voucher_ids:
        for v in Voucher.select().where(Voucher.id.in_(list(voucher_ids))):
            vouchers[str(v.id)] = v
            issuance_ids.add(v.issuance_id)
    issuances = (
        {i.id: i for i in Issuance.select().where(Issuance.id.in_(list(issuance_ids)))}
        if issuance_ids
        else {}
    )
    by_issuance = _application_by_issuance(set(issuances))
    rows = []
    for e in events:
        row: dict = {"seq": e.seq, "event_at": clock.to_local(e.at).isoformat(timespec="seconds")}
        if e.entity == "application":
            app = apps.get(int(e.entity_id))
            if app is None:
                continue
            row.update(event="decision", decision=app.status, reason=app.reason)
            _person(row, app)
            row["package_code"] = app.package_code
            if app.issuance_id:
                row["slip_no"] = app.issuance.slip_no
        elif e.entity == "issuance":
            issued = issuances.get(int(e.entity_id))
            if issued is None:
                continue
            row.update(event="issuance", package_code=issued.package_code, slip_no=issued.slip_no)
            _holder(row, issued, by_issuance)
        else:
            voucher = vouchers.get(e.entity_id)
            if voucher is None:
                continue
            issued = issuances[voucher.issuance_id]
            row.update(
                event="redemption" if e.action == "voucher.redeem" else "reversal",
                package_code=issued.package_code,
                slip_no=issued.slip_no,
                voucher_code=voucher.code,
                item_code=voucher.item_code,
                value_fen=voucher.value_fen,
            )
            _holder(row, issued, by_issuance)
        rows.append(row)
    return rows


def _person(row: dict, person: Application | Client) -> None:
    row["id_type_code"] = ID_TYPE_CODE_OF.get(person.id_type, "99" if person.id_number else "")
    row["id_number"] = person.id_number or ""
    row["name"] = person.name


def _holder(row: dict, issued: Issuance, by_issuance: dict[int, Application]) -> None:
    app = by_issuance.get(issued.id)
    if app is not None:
        row["application_no"] = app.application_no
    _person(row, issued.episode.client)


@dataclass
class ExportResult:
    data: bytes
    records: int
    from_seq: int
    to_seq: int

    def summary(self) -> dict:
        return {"records": self.records, "from_seq": self.from_seq, "to_seq": self.to_seq}


def export(
    actor: Actor, fmt: str, since: int | None = None, deliver: Callable[[bytes], None] | None = None
) -> ExportResult:
    """Events after ``since`` (default: after the last export); the mark moves to the last one.

    ``deliver(data)`` (writing the file) runs before the mark moves: when it fails, the next
    export still starts where this one did, so no result is skipped.
    """
    from models.application_file import write

    require(actor, "export.full")
    start = last_export_seq() if since is None else since
    events = list(
        AuditEvent.select()
        .where((AuditEvent.seq > start) & (AuditEvent.action.in_(EXPORTED_ACTIONS)))
        .order_by(AuditEvent.seq)
    )
    rows = _export_rows(events)
    end = events[-1].seq if events else start
    data = write(rows, EXPORT_COLUMNS, fmt)
    if deliver is not None:
        deliver(data)

    def work() -> None:
        mark = max(last_export_seq(), end)
        Setting.insert(key=EXPORT_MARK, value=str(mark)).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: str(mark)}
        ).execute()
        audit.record(
            actor, "application.export", "setting", EXPORT_MARK,
            after={"from_seq": start, "to_seq": end, "records": len(rows), "format": fmt},
        )  # fmt: skip

    run_in_transaction(work)
    return ExportResult(data, len(rows), start, end)
