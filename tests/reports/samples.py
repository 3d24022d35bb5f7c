"""Sample report data as the queries in models/ would hand it over."""

from __future__ import annotations

from datetime import date

from reports.figures import Figures, ReconciliationData, Row
from reports.slip import SlipData, SlipVoucher, UpgradeItem

INSTITUTION = "连云港市妇幼保健院"


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def slip(n_vouchers: int = 3, **changes: object) -> SlipData:
    catalog = [
        ("孕妇血清学产前筛查", 19_800, "产前筛查门诊（3楼）"),
        ("胎儿超声筛查（系统彩超）", 35_000, "超声科"),
        ("产前诊断", 142_500, "产前诊断中心"),
    ]
    vouchers = []
    for i in range(n_vouchers):
        name, value, point = catalog[i % len(catalog)]
        code = f"{(i + 1) * 73_921_004_571_337 % 10**20:020d}"
        vouchers.append(SlipVoucher(name, value, code, grouped(code), date(2025, 12, 31), point))
    fields: dict[str, object] = {
        "institution": INSTITUTION,
        "slip_no": "FQ20250312-0007",
        "client_name_masked": "张*喆",
        "client_id_masked": "3207**********123X",
        "episode_label": "孕期（末次月经 2025-01-05）",
        "package_name": "健康宝贝工程·孕期免费筛查包",
        "issued_by": "王小红",
        "issued_at": "2025-03-12 09:41",
        "vouchers": vouchers,
        "upgrades": [UpgradeItem("无创DNA产前检测", 98_000)],
    }
    fields.update(changes)
    return SlipData(**fields)  # type: ignore[arg-type]


PACKAGES = {
    "湘伴孕产包": ["产前检查", "妊娠风险评估和管理", "预防母婴传播", "营养指导", "住院分娩"],
    "湘佑新生包": ["出生医学证明办理", "新生儿疾病免费筛查与诊断", "疫苗接种", "高危儿评估干预"],
    "湘助成长包": ["健康监测", "视力评估", "口腔评估"],
}


def item_rows(repeat: int = 1) -> list[Row]:
    """Package × item rows with uneven amounts (odd fen) so a rounding slip would show."""
    rows = []
    n = 0
    for _ in range(repeat):
        for package, items in PACKAGES.items():
            for item in items:
                n += 1
                rows.append(
                    Row(
                        (package, item),
                        Figures(
                            issued_count=n * 10, issued_fen=n * 123_457,
                            redeemed_count=n * 7, redeemed_fen=n * 98_761,
                            reversed_count=n % 3, reversed_fen=(n % 3) * 1_001,
                            voided_count=n % 2, voided_fen=(n % 2) * 503,
                            expired_count=n % 4, expired_fen=(n % 4) * 999,
                            outstanding_count=n * 2, outstanding_fen=n * 24_691,
                        ),
                    )
                )  # fmt: skip
    return rows


def label_rows(names: list[str]) -> list[Row]:
    return [
        Row((name,), Figures(5 + i, 10_001 * (i + 1), 3 + i, 6_007 * (i + 1), 1, 2_003))
        for i, name in enumerate(names)
    ]


def recon(repeat: int = 1, **changes: object) -> ReconciliationData:
    fields: dict[str, object] = {
        "institution": INSTITUTION,
        "period_label": "2025年3月",
        "date_from": date(2025, 3, 1),
        "date_to": date(2025, 3, 31),
        "generated_at": "2025-04-01 09:00",
        "closed": True,
        "by_item": item_rows(repeat),
        "by_point": label_rows(["超声科", "检验科", "儿童保健科"]),
        "by_operator": label_rows(["王小红", "李晓玥", "赵子堃"]),
    }
    fields.update(changes)
    return ReconciliationData(**fields)  # type: ignore[arg-type]
