"""The whole domain schema (peewee models).

Conventions: money is integer fen (``IntegerField`` so that SUM() is an integer on both
SQLite and PostgreSQL); timestamps are naive UTC; business dates (posting day, month) are
Asia/Shanghai local dates; nothing is ever deleted — states and append-only rows instead.
"""

from __future__ import annotations

import peewee as pw

from models.db import database


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    applied_at = pw.DateTimeField()


class Setting(BaseModel):
    """Institution-wide settings stored in the database (institution name, code format…)."""

    key = pw.CharField(max_length=100, primary_key=True)
    value = pw.TextField()


# --- staff -----------------------------------------------------------------------------------


class Staff(BaseModel):
    username = pw.CharField(max_length=64, unique=True)
    full_name = pw.CharField(max_length=64)
    password_hash = pw.CharField(max_length=255, default="")
    active = pw.BooleanField(default=True)
    must_change_password = pw.BooleanField(default=False)
    failed_logins = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    service_point = pw.CharField(max_length=32, null=True)
    created_at = pw.DateTimeField()
    last_login_at = pw.DateTimeField(null=True)


class StaffRole(BaseModel):
    """One row per role a person holds: frontdesk, nurse, finance, supervisor, admin."""

    staff = pw.ForeignKeyField(Staff, backref="role_rows", on_delete="RESTRICT")
    role = pw.CharField(max_length=32)

    class Meta:
        indexes = ((("staff", "role"), True),)


# --- catalog -----------------------------------------------------------------------------------


class ServicePoint(BaseModel):
    code = pw.CharField(max_length=32, unique=True)
    name = pw.CharField(max_length=64)
    active = pw.BooleanField(default=True)


class CatalogVersion(BaseModel):
    label = pw.CharField(max_length=64)
    source_name = pw.CharField(max_length=255)
    checksum = pw.CharField(max_length=64)
    region = pw.CharField(max_length=64, default="")
    note = pw.TextField(default="")
    effective_from = pw.DateField()
    loaded_at = pw.DateTimeField()
    loaded_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    active = pw.BooleanField(default=True)


class Package(BaseModel):
    """A service package of one catalog version. ``code`` is stable across versions."""

    catalog_version = pw.ForeignKeyField(CatalogVersion, backref="packages", on_delete="RESTRICT")
    code = pw.CharField(max_length=32)
    name = pw.CharField(max_length=64)
    program = pw.CharField(max_length=64, default="")
    stage = pw.CharField(max_length=64, default="")
    description = pw.TextField(default="")
    episode_kind = pw.CharField(max_length=16)  # prepregnancy | pregnancy | postpartum | child
    window_basis = pw.CharField(max_length=16, default="none")  # none | gestation | postpartum | age
    window_from_days = pw.IntegerField(default=0)
    window_to_days = pw.IntegerField(null=True)
    window_unit = pw.CharField(max_length=8, default="days")  # days | years (ages such as 0–18 周岁)
    residency = pw.CharField(max_length=16, default="any")  # any | local
    validity_days = pw.IntegerField()
    cap_fen = pw.IntegerField(null=True)
    sort_order = pw.IntegerField(default=0)
    schedule = pw.TextField(null=True)  # migration 8: JSON age windows (child health checks)

    class Meta:
        indexes = ((("catalog_version", "code"), True),)


class ServiceItem(BaseModel):
    package = pw.ForeignKeyField(Package, backref="items", on_delete="RESTRICT")
    code = pw.CharField(max_length=32)
    name = pw.CharField(max_length=64)
    tier = pw.CharField(max_length=16, default="basic")  # basic | upgrade
    price_fen = pw.IntegerField()
    example_price = pw.BooleanField(default=True)
    quantity = pw.IntegerField(default=1)
    service_point = pw.ForeignKeyField(ServicePoint, on_delete="RESTRICT")
    result_kind = pw.CharField(max_length=16, default="none")  # none | screening
    # item codes (comma-separated) whose positive or high-risk result issues this (migration 8: 128)
    follow_up_of = pw.CharField(max_length=128, null=True)
    sort_order = pw.IntegerField(default=0)
    # migration 8: one entitlement per person per period across packages/programmes sharing the key
    service_key = pw.CharField(max_length=32, null=True, index=True)
    per_person = pw.CharField(max_length=16, default="client")  # client | couple (each partner)
    validity_days = pw.IntegerField(null=True)  # a follow-up's own validity (else the package's)
    condition = pw.TextField(null=True)  # JSON: who the item is for (targeted items)

    class Meta:
        indexes = ((("package", "code"), True),)


# --- clients and episodes ------------------------------------------------------------------------


class Client(BaseModel):
    id_type = pw.CharField(max_length=16)  # resident | hkmo | tw | passport | foreign_pr | none
    id_number = pw.CharField(max_length=32, null=True)
    name = pw.CharField(max_length=64)
    name_pinyin = pw.CharField(max_length=255, default="", index=True)
    name_initials = pw.CharField(max_length=64, default="", index=True)
    sex = pw.CharField(max_length=1)  # F | M
    birth_date = pw.DateField(null=True)
    phone = pw.CharField(max_length=20, default="", index=True)
    address = pw.CharField(max_length=255, default="")
    residency = pw.CharField(max_length=16, default="local")  # local | permit | nonlocal
    ethnicity = pw.CharField(max_length=32, default="")
    nationality = pw.CharField(max_length=32, default="中国")
    created_at = pw.DateTimeField()
    created_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")

    class Meta:
        indexes = (
            (("id_type", "id_number"), True),
            (("name",), False),
        )


class FamilyLink(BaseModel):
    kind = pw.CharField(max_length=16)  # partner | mother_child | father_child
    from_client = pw.ForeignKeyField(Client, backref="links_out", on_delete="RESTRICT")
    to_client = pw.ForeignKeyField(Client, backref="links_in", on_delete="RESTRICT")
    created_at = pw.DateTimeField()

    class Meta:
        indexes = ((("kind", "from_client", "to_client"), True),)


class Episode(BaseModel):
    """A stage of care: a pre-pregnancy couple, one pregnancy, or one child."""

    kind = pw.CharField(max_length=16)  # prepregnancy | pregnancy | child
    client = pw.ForeignKeyField(Client, backref="episodes", on_delete="RESTRICT")
    partner = pw.ForeignKeyField(Client, null=True, backref="partner_episodes", on_delete="RESTRICT")
    status = pw.CharField(max_length=16, default="open")  # open | closed
    lmp = pw.DateField(null=True)
    edd = pw.DateField(null=True)
    delivery_date = pw.DateField(null=True)
    delivery_mode = pw.CharField(max_length=16, null=True)
    babies = pw.IntegerField(null=True)
    birth_date = pw.DateField(null=True)
    note = pw.TextField(default="")
    opened_at = pw.DateTimeField()
    opened_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    closed_at = pw.DateTimeField(null=True)
    # migration 8: an infertility history recorded for targeted items (who and when)
    infertility_recorded_at = pw.DateTimeField(null=True)
    infertility_recorded_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")


# --- vouchers --------------------------------------------------------------------------------------


class Issuance(BaseModel):
    """One package issued for one episode (and age window): the unique index makes issuance idempotent."""

    episode = pw.ForeignKeyField(Episode, backref="issuances", on_delete="RESTRICT")
    package = pw.ForeignKeyField(Package, on_delete="RESTRICT")
    package_code = pw.CharField(max_length=32)
    package_name = pw.CharField(max_length=64)
    slip_no = pw.CharField(max_length=32, unique=True)
    issued_at = pw.DateTimeField()
    issued_by = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
    workstation = pw.CharField(max_length=64, default="")
    override_reason = pw.TextField(null=True)
    override_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    print_count = pw.IntegerField(default=0)
    window_no = pw.IntegerField(default=0)  # migration 8: the age window of a scheduled package (else 0)

    class Meta:
        indexes = (
            (("episode", "package_code", "window_no"), True),  # migration 8 (was episode, package_code)
            (("issued_at",), False),  # migration 4
        )


class Voucher(BaseModel):
    """One use of one service item. Name, value and expiry are copies taken at issue time."""

    code = pw.CharField(max_length=20, unique=True)
    issuance = pw.ForeignKeyField(Issuance, backref="vouchers", on_delete="RESTRICT")
    item = pw.ForeignKeyField(ServiceItem, on_delete="RESTRICT")
    item_code = pw.CharField(max_length=32)
    item_name = pw.CharField(max_length=64)
    value_fen = pw.IntegerField()
    service_point = pw.ForeignKeyField(ServicePoint, on_delete="RESTRICT")
    result_kind = pw.CharField(max_length=16, default="none")
    sequence = pw.IntegerField(default=1)  # 1..quantity for items issued several times
    state = pw.CharField(max_length=16, default="issued", index=True)  # issued | redeemed | voided | expired
    valid_from = pw.DateField()
    expires_on = pw.DateField(index=True)
    issued_at = pw.DateTimeField(index=True)
    redeemed_at = pw.DateTimeField(null=True)
    redeemed_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    redeemed_point = pw.ForeignKeyField(ServicePoint, null=True, on_delete="RESTRICT")
    result = pw.CharField(max_length=16, null=True)  # negative | positive
    voided_at = pw.DateTimeField(null=True)
    voided_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    void_reason = pw.TextField(null=True)
    follow_up_of = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")
    version = pw.IntegerField(default=0)  # bumped by every state change (optimistic checks)
    # migration 8: the person served (a partner, a newborn); NULL is the episode's client
    beneficiary = pw.ForeignKeyField(Client, null=True, on_delete="RESTRICT")

    class Meta:
        # migration 4 (PostgreSQL also gets "voucher_code_prefix": code varchar_pattern_ops for prefix search)
        indexes = (
            (("state", "expires_on"), False),
            (("voided_at",), False),
            (("redeemed_point", "redeemed_at"), False),
        )


class LedgerEntry(BaseModel):
    """Append-only redemption ledger: +value on redeem, -value on reverse, posted to an open month."""

    voucher = pw.ForeignKeyField(Voucher, backref="ledger", on_delete="RESTRICT")
    kind = pw.CharField(max_length=16)  # redeem | reverse
    amount_fen = pw.IntegerField()
    posted_on = pw.DateField(index=True)
    period = pw.CharField(max_length=7, index=True)  # YYYY-MM (local)
    created_at = pw.DateTimeField()
    staff = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
    service_point = pw.ForeignKeyField(ServicePoint, on_delete="RESTRICT")
    package_code = pw.CharField(max_length=32)
    item_code = pw.CharField(max_length=32)
    reason = pw.TextField(null=True)
    workstation = pw.CharField(max_length=64, default="")

    class Meta:
        indexes = (  # migration 4
            (("service_point", "created_at"), False),
            (("staff", "posted_on"), False),
        )


class Period(BaseModel):
    """A local calendar month; once closed its figures are frozen in ``snapshot`` (JSON)."""

    month = pw.CharField(max_length=7, unique=True)
    state = pw.CharField(max_length=16, default="open")  # open | closed
    closed_at = pw.DateTimeField(null=True)
    closed_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    snapshot = pw.TextField(null=True)


# --- audit ---------------------------------------------------------------------------------------------


class AuditEvent(BaseModel):
    """Hash-chained audit trail: ``hash`` covers ``prev_hash`` and the event's own fields."""

    seq = pw.BigIntegerField(unique=True)
    at = pw.DateTimeField()
    staff = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    staff_name = pw.CharField(max_length=64, default="")
    workstation = pw.CharField(max_length=64, default="")
    action = pw.CharField(max_length=64, index=True)
    entity = pw.CharField(max_length=32)
    entity_id = pw.CharField(max_length=64, default="")
    before = pw.TextField(null=True)
    after = pw.TextField(null=True)
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)  # HMAC-SHA256 under key ``key_id`` (plain SHA-256 before migration 6)
    key_id = pw.CharField(max_length=16, null=True)  # migration 6
    row_state = pw.TextField(
        null=True
    )  # migration 6: JSON images of the money rows written (models.audit_rows)

    class Meta:
        indexes = ((("entity", "entity_id"), False),)  # migration 4


class AuditHead(BaseModel):
    """A single row locked (SELECT … FOR UPDATE) while appending, so the chain stays linear."""

    id = pw.IntegerField(primary_key=True)
    seq = pw.BigIntegerField(default=0)
    hash = pw.CharField(max_length=64)


class ChainHead(BaseModel):
    """Migration 6: the chain head (seq, digest) recorded by a daily close, month close or backup
    and printed on its paper; append-only (triggers)."""

    seq = pw.BigIntegerField()
    digest = pw.CharField(max_length=64)
    kind = pw.CharField(max_length=16)  # daily_close | month_close | backup
    label = pw.CharField(max_length=32)  # the day, month or file it belongs to
    recorded_at = pw.DateTimeField()


# --- certificates and leave proofs ---------------------------------------------------------------


class CertificateBatch(BaseModel):
    """Blank birth-certificate forms received as one serial range."""

    prefix = pw.CharField(max_length=8)
    first_number = pw.BigIntegerField()
    last_number = pw.BigIntegerField()
    digits = pw.IntegerField()
    received_on = pw.DateField()
    received_by = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
    note = pw.TextField(default="")


class CertificateForm(BaseModel):
    """One numbered blank form: on_hand → issued | voided → destroyed."""

    serial = pw.CharField(max_length=32, unique=True)
    batch = pw.ForeignKeyField(CertificateBatch, backref="forms", on_delete="RESTRICT")
    state = pw.CharField(max_length=16, default="on_hand", index=True)
    desk = pw.CharField(max_length=64, null=True)
    updated_at = pw.DateTimeField()
    void_reason = pw.TextField(null=True)
    voided_at = pw.DateTimeField(null=True)
    void_approved_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    destroyed_on = pw.DateField(null=True)
    destroy_witness = pw.CharField(max_length=64, null=True)


class BirthCertificate(BaseModel):
    form = pw.ForeignKeyField(CertificateForm, unique=True, on_delete="RESTRICT")
    episode = pw.ForeignKeyField(Episode, backref="certificates", on_delete="RESTRICT")
    kind = pw.CharField(max_length=16)  # first | reissue | replace
    reason = pw.TextField(default="")
    replaces = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")
    data = pw.TextField()  # JSON: newborn, mother, father, institution…
    issued_on = pw.DateField()
    issued_at = pw.DateTimeField()
    issued_by = pw.ForeignKeyField(Staff, on_delete="RESTRICT")


class LeaveProof(BaseModel):
    client = pw.ForeignKeyField(Client, on_delete="RESTRICT")
    episode = pw.ForeignKeyField(Episode, null=True, on_delete="RESTRICT")
    rule_set = pw.CharField(max_length=64)
    facts = pw.TextField()  # JSON
    result = pw.TextField()  # JSON
    total_days = pw.IntegerField()
    allowance_fen = pw.IntegerField()
    issued_at = pw.DateTimeField()
    issued_by = pw.ForeignKeyField(Staff, on_delete="RESTRICT")


class SearchWatch(BaseModel):
    """Client searches of one account without ``pii.reveal`` (models.search_watch): counted per
    local day; too many misses on a full ID number or phone lock that account's search."""

    staff = pw.ForeignKeyField(Staff, primary_key=True, on_delete="RESTRICT")
    day = pw.DateField()
    searches = pw.IntegerField(default=0)
    misses = pw.IntegerField(default=0)
    locked_at = pw.DateTimeField(null=True)


class Application(BaseModel):
    """An online application (线上申领) imported from the platform's file (models.applications).

    ``application_no`` is the platform's number: importing it again changes nothing
    (``digest`` tells the same row from a changed one). Pending until the desk approves
    (issues the package, or finds it issued: ``duplicate``) or rejects it with a reason.
    """

    application_no = pw.CharField(max_length=40, unique=True)
    digest = pw.CharField(max_length=64)
    submitted_at = pw.DateTimeField()
    name = pw.CharField(max_length=64)
    id_type = pw.CharField(max_length=16)
    id_number = pw.CharField(max_length=32)
    sex = pw.CharField(max_length=1, default="")
    phone = pw.CharField(max_length=20, default="")
    division_code = pw.CharField(max_length=6, default="")
    package_code = pw.CharField(max_length=32)
    lmp = pw.DateField(null=True)
    child_name = pw.CharField(max_length=64, default="")
    child_sex = pw.CharField(max_length=1, default="")
    child_birth_date = pw.DateField(null=True)
    status = pw.CharField(max_length=16, default="pending")  # pending | approved | duplicate | rejected
    source_name = pw.CharField(max_length=255, default="")
    imported_at = pw.DateTimeField()
    imported_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")
    decided_at = pw.DateTimeField(null=True)
    decided_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT", backref="+")
    reason = pw.TextField(null=True)
    client = pw.ForeignKeyField(Client, null=True, on_delete="RESTRICT")
    episode = pw.ForeignKeyField(Episode, null=True, on_delete="RESTRICT")
    issuance = pw.ForeignKeyField(Issuance, null=True, on_delete="RESTRICT")

    class Meta:
        indexes = ((("status", "submitted_at"), False),)


class FollowUpCase(BaseModel):
    """阳性追踪: a positive screening result to be followed up (models.follow_up), one per voucher."""

    voucher = pw.ForeignKeyField(Voucher, unique=True, on_delete="RESTRICT")
    client = pw.ForeignKeyField(Client, on_delete="RESTRICT")
    item_code = pw.CharField(max_length=32)
    item_name = pw.CharField(max_length=64)
    opened_at = pw.DateTimeField()
    due_on = pw.DateField()
    status = pw.CharField(max_length=16, default="open")  # open | closed
    outcome = pw.CharField(max_length=16, null=True)  # confirmed | excluded | referred | lost
    note = pw.TextField(default="")
    closed_at = pw.DateTimeField(null=True)
    closed_by = pw.ForeignKeyField(Staff, null=True, on_delete="RESTRICT")

    class Meta:
        indexes = ((("status", "due_on"), False),)


class FollowUpContact(BaseModel):
    """One contact attempt of a follow-up case: when, who, how, reached or not."""

    case = pw.ForeignKeyField(FollowUpCase, backref="contacts", on_delete="RESTRICT")
    at = pw.DateTimeField()
    staff = pw.ForeignKeyField(Staff, on_delete="RESTRICT")
    method = pw.CharField(max_length=16)  # phone | sms | visit
    reached = pw.BooleanField()
    note = pw.TextField(default="")


ALL_MODELS: list[type[BaseModel]] = [
    SchemaVersion,
    Setting,
    Staff,
    StaffRole,
    ServicePoint,
    CatalogVersion,
    Package,
    ServiceItem,
    Client,
    FamilyLink,
    Episode,
    Issuance,
    Voucher,
    LedgerEntry,
    Period,
    AuditEvent,
    AuditHead,
    ChainHead,
    CertificateBatch,
    CertificateForm,
    BirthCertificate,
    LeaveProof,
    SearchWatch,
    Application,
    FollowUpCase,
    FollowUpContact,
]
