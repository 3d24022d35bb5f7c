"""The shipped catalogs against the policy's own lists (resources/catalog/policy_services.toml).

Every service a policy text names has an item in its package; every item of the catalog comes
from the text; what the policy says about a service (shared, per partner, after a screening,
administrative, targeted) is what the catalog declares. No database needed.
"""

from __future__ import annotations

import tomllib

import pytest

from models import catalog
from models.catalog_file import parse_catalog

POLICY = tomllib.loads(catalog.default_catalog_path().with_name("policy_services.toml").read_text("utf-8"))
PACKAGES = [(prog, pkg) for prog in POLICY["programmes"] for pkg in prog["packages"]]


def catalog_package(programme: dict, code: str):
    spec = parse_catalog(catalog.default_catalog_path(programme["key"]))
    assert spec.source_name == programme["catalog"]
    return next(p for p in spec.packages if p.code == code)


@pytest.mark.parametrize(("programme", "policy"), PACKAGES, ids=lambda p: p.get("code", p.get("key")))
def test_each_service_the_policy_names_has_its_item_and_nothing_else_is_there(programme, policy):
    package = catalog_package(programme, policy["code"])
    assert package.name == policy["name"]
    items = {item.code: item for item in package.items}
    for service in policy["services"]:
        assert service["name"] in policy["text"], service["name"]  # the list is the text's own words
        missing = [code for code in service["items"] if code not in items]
        assert not missing, f"{policy['name']}：“{service['name']}”没有对应项目 {missing}"
    named = {code for service in policy["services"] for code in service["items"]}
    assert set(items) == named, f"{policy['name']}：目录中有政策未列的项目 {set(items) - named}"


@pytest.mark.parametrize(("programme", "policy"), PACKAGES, ids=lambda p: p.get("code", p.get("key")))
def test_what_the_policy_says_about_a_service_is_declared_in_the_catalog(programme, policy):
    items = {item.code: item for item in catalog_package(programme, policy["code"]).items}
    for service in policy["services"]:
        for code in service["items"]:
            item = items[code]
            if "service_key" in service and not item.triggers:
                assert item.service_key == service["service_key"], code
            assert item.per_person == service.get("per_person", "client"), code
            if service.get("administrative"):
                assert item.price_fen == 0 and not item.example_price and item.tier == "basic", code
            if service.get("targeted"):
                assert item.condition and item.tier == "basic", code
            if "after" in service:
                assert item.triggers == service["after"] and item.validity_days, code
    if "cap_yuan" in policy:
        package = catalog_package(programme, policy["code"])
        basic = sum(i.price_fen * i.quantity for i in package.items if i.tier == "basic")
        assert package.cap_fen == policy["cap_yuan"] * 100 == basic


def test_shared_service_keys_join_the_packages_the_policy_lists_twice():
    both = parse_catalog(catalog.default_catalog_path())
    keys: dict[str, set[str]] = {}
    for package in both.packages:
        for item in package.items:
            keys.setdefault(item.service_key, set()).add(package.code)
    assert keys["PMTCT"] == {"HN-ZY", "HN-YC"}
    assert keys["NEWBORN_SCREEN"] == {"HN-XS", "LYG-XS"}
    assert all(len(codes) == 1 for key, codes in keys.items() if key not in ("PMTCT", "NEWBORN_SCREEN"))


def test_demo_catalog_is_both_programmes():
    both = parse_catalog(catalog.default_catalog_path())
    hunan = parse_catalog(catalog.default_catalog_path("hunan"))
    lyg = parse_catalog(catalog.default_catalog_path("lianyungang"))
    assert both.packages == hunan.packages + lyg.packages
    assert both.service_points == {**hunan.service_points, **lyg.service_points}
