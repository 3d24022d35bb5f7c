"""The service catalog in the database: loading versions and reading the active one.

Loading a new version adds rows; it never touches issued vouchers, which carry copies of
name, value and expiry. The active version is the most recently loaded one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from models import audit, clock
from models.catalog_file import CatalogSpec, parse_catalog
from models.db import database
from models.errors import NotFound
from models.permissions import Actor
from models.schema import CatalogVersion, Package, ServiceItem, ServicePoint, Staff

DEFAULT_CATALOG = "default.toml"


def default_catalog_path() -> Path:
    return Path(str(resources.files("resources.catalog").joinpath(DEFAULT_CATALOG)))


def load_catalog(
    path: str | Path, loaded_by: Staff | None = None, actor: Actor | None = None
) -> CatalogVersion:
    """Validate ``path`` and store it as the new active catalog version with its ``catalog.load``
    event (one transaction; ``actor`` None is the system itself, as ``ffdesk init``)."""
    spec = parse_catalog(path)
    with database.atomic():
        return _store(spec, loaded_by, actor)


def _store(spec: CatalogSpec, loaded_by: Staff | None, actor: Actor | None) -> CatalogVersion:
    for code, name in spec.service_points.items():
        point = ServicePoint.get_or_none(ServicePoint.code == code)
        if point is None:
            ServicePoint.create(code=code, name=name, active=True)
        elif point.name != name or not point.active:
            ServicePoint.update(name=name, active=True).where(ServicePoint.id == point.id).execute()
    was_active = [v.id for v in CatalogVersion.select(CatalogVersion.id).where(CatalogVersion.active == True)]
    CatalogVersion.update(active=False).where(CatalogVersion.active == True).execute()
    version = CatalogVersion.create(
        label=spec.label,
        source_name=spec.source_name,
        checksum=spec.checksum,
        region=spec.region,
        note=spec.note,
        effective_from=spec.effective_from,
        loaded_at=clock.utcnow(),
        loaded_by=loaded_by,
        active=True,
    )
    points = {p.code: p for p in ServicePoint.select()}
    for order, pkg in enumerate(spec.packages):
        package = Package.create(
            catalog_version=version,
            code=pkg.code,
            name=pkg.name,
            program=pkg.program,
            stage=pkg.stage,
            description=pkg.description,
            episode_kind=pkg.episode_kind,
            window_basis=pkg.window_basis,
            window_from_days=pkg.window_from_days,
            window_to_days=pkg.window_to_days,
            window_unit=pkg.window_unit,
            residency=pkg.residency,
            validity_days=pkg.validity_days,
            cap_fen=pkg.cap_fen,
            sort_order=order,
        )
        for item_order, item in enumerate(pkg.items):
            ServiceItem.create(
                package=package,
                code=item.code,
                name=item.name,
                tier=item.tier,
                price_fen=item.price_fen,
                example_price=item.example_price,
                quantity=item.quantity,
                service_point=points[item.service_point],
                result_kind=item.result_kind,
                follow_up_of=item.follow_up_of,
                sort_order=item_order,
            )
    audit.record(
        actor,
        "catalog.load",
        "catalog_version",
        version.id,
        after={"label": version.label, "source": version.source_name, "checksum": version.checksum},
        rows={"catalog_version": [*was_active, version.id]},
    )
    return version


def active_version() -> CatalogVersion | None:
    return (
        CatalogVersion.select()
        .where(CatalogVersion.active == True)
        .order_by(CatalogVersion.id.desc())
        .first()
    )


def active_packages() -> list[Package]:
    version = active_version()
    if version is None:
        return []
    return list(Package.select().where(Package.catalog_version == version).order_by(Package.sort_order))


def get_package(code: str) -> Package:
    """The active version's package ``code`` (case-insensitive)."""
    version = active_version()
    package = None
    if version is not None:
        package = Package.get_or_none(
            (Package.catalog_version == version) & (Package.code == code.strip().upper())
        )
    if package is None:
        raise NotFound(f"没有代码为 {code} 的服务包（可用 ffdesk catalog list 查看）")
    return package


def package_items(package: Package) -> list[ServiceItem]:
    return list(
        ServiceItem.select(ServiceItem, ServicePoint)
        .join(ServicePoint)
        .where(ServiceItem.package == package)
        .order_by(ServiceItem.sort_order)
    )


@dataclass
class ItemView:
    code: str
    name: str
    tier: str
    price_fen: int
    example_price: bool
    quantity: int
    service_point: str
    service_point_name: str
    result_kind: str
    follow_up_of: str | None


@dataclass
class PackageView:
    code: str
    name: str
    program: str
    stage: str
    episode_kind: str
    window_basis: str
    window_from_days: int
    window_to_days: int | None
    window_unit: str
    residency: str
    validity_days: int
    cap_fen: int | None
    basic_value_fen: int
    description: str
    items: list[ItemView]

    def to_dict(self) -> dict:
        return asdict(self)


def package_view(package: Package) -> PackageView:
    items = [
        ItemView(
            code=i.code,
            name=i.name,
            tier=i.tier,
            price_fen=i.price_fen,
            example_price=i.example_price,
            quantity=i.quantity,
            service_point=i.service_point.code,
            service_point_name=i.service_point.name,
            result_kind=i.result_kind,
            follow_up_of=i.follow_up_of,
        )
        for i in package_items(package)
    ]
    return PackageView(
        code=package.code,
        name=package.name,
        program=package.program,
        stage=package.stage,
        episode_kind=package.episode_kind,
        window_basis=package.window_basis,
        window_from_days=package.window_from_days,
        window_to_days=package.window_to_days,
        window_unit=package.window_unit,
        residency=package.residency,
        validity_days=package.validity_days,
        cap_fen=package.cap_fen,
        basic_value_fen=sum(
            i.price_fen * i.quantity for i in items if i.tier == "basic" and not i.follow_up_of
        ),
        description=package.description,
        items=items,
    )


def catalog_views() -> list[PackageView]:
    return [package_view(p) for p in active_packages()]


def service_points() -> list[ServicePoint]:
    return list(ServicePoint.select().where(ServicePoint.active == True).order_by(ServicePoint.id))


def get_service_point(code: str) -> ServicePoint:
    point = ServicePoint.get_or_none(ServicePoint.code == code.strip().upper())
    if point is None:
        raise NotFound(f"没有代码为 {code} 的服务点")
    return point
