"""Reading and validating a catalog TOML file (no database).

Every problem is reported with file, line and field, in Chinese, all at once, so an
administrator can fix a file in one pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from models import files
from models.errors import InvalidInput

EPISODE_KINDS = {"prepregnancy": "备孕", "pregnancy": "孕期", "child": "儿童"}
WINDOW_BASES = {"none": "服务周期内", "gestation": "孕周", "postpartum": "产后", "age": "年龄"}
TIERS = {"basic": "基础服务（免费）", "upgrade": "升级服务（自费）"}
RESIDENCY = {"any": "不限", "local": "本地户籍或居住证"}
RESULT_KINDS = {"none", "screening"}
_CODE = re.compile(r"^[A-Z][A-Z0-9_-]{1,31}$")


@dataclass
class ItemSpec:
    code: str
    name: str
    price_fen: int
    tier: str = "basic"
    example_price: bool = True
    quantity: int = 1
    service_point: str = ""
    result_kind: str = "none"
    follow_up_of: str | None = None


@dataclass
class PackageSpec:
    code: str
    name: str
    episode_kind: str
    window_basis: str
    window_from_days: int
    window_to_days: int | None
    window_unit: str
    residency: str
    validity_days: int
    program: str = ""
    stage: str = ""
    description: str = ""
    cap_fen: int | None = None
    items: list[ItemSpec] = field(default_factory=list)


@dataclass
class CatalogSpec:
    label: str
    region: str
    effective_from: dt.date
    note: str
    source_name: str
    checksum: str
    service_points: dict[str, str]
    packages: list[PackageSpec]


class CatalogError(InvalidInput):
    """All problems of one file; ``problems`` lists 'file:line: field: message' strings."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("目录文件有误：\n" + "\n".join(problems), problems=problems)
        self.problems = problems


class _LineFinder:
    """Maps (array-of-tables header, occurrence, key) to a line number in the TOML text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(
        self, header: str, index: int, key: str | None = None, parent_index: int | None = None
    ) -> int:
        count = -1
        parent_count = -1
        start = None
        parent_header = header.rsplit(".", 1)[0] if "." in header else None
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if parent_header and stripped == f"[[{parent_header}]]":
                parent_count += 1
                count = -1 if parent_index is not None else count
            if stripped == f"[[{header}]]" and (parent_index is None or parent_count == parent_index):
                count += 1
                if count == index:
                    start = number
                    if key is None:
                        return number
                    continue
            if start is not None:
                if stripped.startswith("[") and number > start:
                    break
                if re.match(rf"^{re.escape(key or '')}\s*=", stripped):
                    return number
        return start or 1


MAX_FEN = 10**9  # ¥10,000,000: more is a typo, and it must fit the 32-bit money columns


def _fen(value: Any) -> int:
    """A yuan amount from TOML (number or string) as exact integer fen (0 … MAX_FEN)."""
    if isinstance(value, bool):
        raise ValueError
    amount = Decimal(str(value))
    if not amount.is_finite():
        raise ValueError
    fen = amount * 100
    if fen != fen.to_integral_value() or fen < 0 or fen > MAX_FEN:
        raise ValueError
    return int(fen)


def _tables(value: Any, name: str, problem, line: int = 1) -> list[dict]:
    """An array of tables (``[[name]]``); anything else in its place is a problem, not a crash."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problem(line, name, f"应为表数组 [[{name.split('.')[-1]}]]")
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
    return value


def parse_catalog(path: str | Path) -> CatalogSpec:
    path = Path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise InvalidInput(f"无法读取目录文件 {path}：{files.reason(exc)}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"目录文件 {path} 不是 UTF-8 编码") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError([f"{path.name}: TOML 语法错误：{exc}"]) from exc
    return _validate(data, path, text, hashlib.sha256(raw).hexdigest())


def _validate(data: dict, path: Path, text: str, checksum: str) -> CatalogSpec:
    finder = _LineFinder(text)
    problems: list[str] = []

    def problem(line: int, field_name: str, message: str) -> None:
        problems.append(f"{path.name}:{line}: {field_name}: {message}")

    head = data.get("catalog", {})
    if not isinstance(head, dict):
        problem(1, "catalog", "应为表 [catalog]")
        head = {}
    label = str(head.get("label", "")).strip()
    if not label:
        problem(1, "catalog.label", "缺少目录版本号")
    effective = head.get("effective_from", dt.date.today())
    if not isinstance(effective, dt.date) or isinstance(effective, dt.datetime):
        problem(1, "catalog.effective_from", "应为日期，例如 2026-01-01")
        effective = dt.date.today()

    points: dict[str, str] = {}
    for i, point in enumerate(_tables(data.get("service_points", []), "service_points", problem)):
        code, name = point.get("code"), point.get("name")
        if not isinstance(code, str) or not _CODE.match(code):
            problem(
                finder.line_of("service_points", i, "code"),
                "service_points.code",
                f"服务点代码无效：{code!r}",
            )
            continue
        if code in points:
            problem(
                finder.line_of("service_points", i, "code"), "service_points.code", f"服务点代码重复：{code}"
            )
        if not isinstance(name, str) or not name.strip():
            problem(finder.line_of("service_points", i, "name"), "service_points.name", "缺少服务点名称")
        points[code] = str(name or code)

    packages: list[PackageSpec] = []
    seen_packages: set[str] = set()
    for i, pkg in enumerate(_tables(data.get("packages", []), "packages", problem)):
        spec = _package(pkg, i, finder, problem, points)
        if spec is None:
            continue
        if spec.code in seen_packages:
            problem(finder.line_of("packages", i, "code"), "packages.code", f"服务包代码重复：{spec.code}")
        seen_packages.add(spec.code)
        packages.append(spec)
    if not packages and not problems:
        problem(1, "packages", "目录中没有服务包")
    if problems:
        raise CatalogError(problems)
    return CatalogSpec(
        label=label,
        region=str(head.get("region", "")),
        effective_from=effective,
        note=str(head.get("note", "")),
        source_name=path.name,
        checksum=checksum,
        service_points=points,
        packages=packages,
    )


def _package(pkg: dict, i: int, finder: _LineFinder, problem, points: dict[str, str]) -> PackageSpec | None:
    def line(key: str | None = None) -> int:
        return finder.line_of("packages", i, key)

    code = pkg.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        problem(line("code"), "packages.code", f"服务包代码无效：{code!r}（大写字母、数字、- 或 _）")
        return None
    where = f"packages[{code}]"
    name = pkg.get("name")
    if not isinstance(name, str) or not name.strip():
        problem(line("name"), f"{where}.name", "缺少服务包名称")
    kind = pkg.get("episode_kind")
    if not isinstance(kind, str) or kind not in EPISODE_KINDS:
        problem(
            line("episode_kind"),
            f"{where}.episode_kind",
            f"应为 {'/'.join(EPISODE_KINDS)} 之一，而不是 {kind!r}",
        )
    window = pkg.get("window", {"basis": "none"})
    basis = window.get("basis") if isinstance(window, dict) else None
    if not isinstance(basis, str) or basis not in WINDOW_BASES:
        problem(line("window"), f"{where}.window.basis", f"应为 {'/'.join(WINDOW_BASES)} 之一")
        window = {}
    from_days, to_days = window.get("from_days", 0), window.get("to_days")
    unit = window.get("unit", "days")
    if (
        not isinstance(from_days, int)
        or from_days < 0
        or (to_days is not None and (not isinstance(to_days, int) or to_days < from_days))
    ):
        problem(line("window"), f"{where}.window", "起止天数应为非负整数，且截止不早于起始")
    if unit not in ("days", "years"):
        problem(line("window"), f"{where}.window.unit", "应为 days 或 years")
    validity = pkg.get("validity_days")
    if not isinstance(validity, int) or isinstance(validity, bool) or not 1 <= validity <= 3660:
        problem(line("validity_days"), f"{where}.validity_days", "有效天数应为 1–3660 的整数")
    residency = pkg.get("residency", "any")
    if not isinstance(residency, str) or residency not in RESIDENCY:
        problem(line("residency"), f"{where}.residency", "应为 any 或 local")
    cap_fen = None
    if "cap_yuan" in pkg:
        try:
            cap_fen = _fen(pkg["cap_yuan"])
        except (ValueError, InvalidOperation):
            problem(
                line("cap_yuan"), f"{where}.cap_yuan", "封顶金额应为不超过两位小数、不超过一千万元的非负金额"
            )
    items: list[ItemSpec] = []
    for j, raw in enumerate(_tables(pkg.get("items", []), f"{where}.items", problem, line("items"))):
        item = _item(raw, j, i, finder, problem, points, where)
        if item is not None:
            if any(other.code == item.code for other in items):
                problem(
                    finder.line_of("packages.items", j, "code", parent_index=i),
                    f"{where}.items.code",
                    f"项目代码重复：{item.code}",
                )
            items.append(item)
    if not items:
        problem(line(), f"{where}.items", "服务包没有服务项目")
    codes = {item.code for item in items}
    for j, item in enumerate(items):
        if item.follow_up_of and item.follow_up_of not in codes:
            problem(
                finder.line_of("packages.items", j, "follow_up_of", parent_index=i),
                f"{where}.items[{item.code}].follow_up_of",
                f"引用的项目不存在：{item.follow_up_of}",
            )
    basic_total = sum(item.price_fen * item.quantity for item in items if item.tier == "basic")
    if cap_fen is not None and basic_total > cap_fen:
        problem(line("cap_yuan"), f"{where}.cap_yuan", f"基础项目合计 {basic_total / 100:.2f} 元超过封顶金额")
    return PackageSpec(
        code=code,
        name=str(name or code),
        episode_kind=str(kind),
        window_basis=str(basis or "none"),
        window_from_days=from_days if isinstance(from_days, int) else 0,
        window_to_days=to_days if isinstance(to_days, int) else None,
        window_unit=str(unit),
        residency=str(residency),
        validity_days=validity if isinstance(validity, int) else 365,
        program=str(pkg.get("program", "")),
        stage=str(pkg.get("stage", "")),
        description=str(pkg.get("description", "")),
        cap_fen=cap_fen,
        items=items,
    )


def _item(
    raw: dict, j: int, i: int, finder: _LineFinder, problem, points: dict[str, str], where: str
) -> ItemSpec | None:
    def line(key: str) -> int:
        return finder.line_of("packages.items", j, key, parent_index=i)

    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        problem(line("code"), f"{where}.items.code", f"项目代码无效：{code!r}")
        return None
    here = f"{where}.items[{code}]"
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problem(line("name"), f"{here}.name", "缺少项目名称")
    try:
        price = _fen(raw.get("price_yuan"))
    except (ValueError, InvalidOperation, TypeError):
        problem(
            line("price_yuan"),
            f"{here}.price_yuan",
            f"价格应为不超过两位小数、不超过一千万元的非负金额，而不是 {raw.get('price_yuan')!r}",
        )
        price = 0
    tier = raw.get("tier", "basic")
    if not isinstance(tier, str) or tier not in TIERS:
        problem(line("tier"), f"{here}.tier", "应为 basic 或 upgrade")
    quantity = raw.get("quantity", 1)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 50:
        problem(line("quantity"), f"{here}.quantity", "次数应为 1–50 的整数")
        quantity = 1
    point = raw.get("service_point")
    if not isinstance(point, str) or point not in points:
        problem(line("service_point"), f"{here}.service_point", f"未定义的服务点：{point!r}")
    result = raw.get("result", "none")
    if not isinstance(result, str) or result not in RESULT_KINDS:
        problem(line("result"), f"{here}.result", "应为 none 或 screening")
    return ItemSpec(
        code=code,
        name=str(name or code),
        price_fen=price,
        tier=str(tier),
        example_price=bool(raw.get("example_price", True)),
        quantity=quantity,
        service_point=str(point),
        result_kind=str(result),
        follow_up_of=str(raw["follow_up_of"]) if raw.get("follow_up_of") else None,
    )
