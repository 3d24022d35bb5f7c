from __future__ import annotations

import pytest

from reports.charts import PackageRate, StatisticsData, TimePoint, render_statistics
from tests.reports.helpers import flat_text, page_texts, require_font


@pytest.fixture(autouse=True)
def _font() -> None:
    require_font()


def _stats(days: int = 10, packages: list[PackageRate] | None = None) -> StatisticsData:
    timeline = [TimePoint(f"03-{d:02d}", 20 + d, 10 + d % 7) for d in range(1, days + 1)]
    if packages is None:
        packages = [
            PackageRate("湘伴孕产包", 410, 390),
            PackageRate("湘佑新生包", 3, 1),
            PackageRate("湘助成长包", 0, 0),
        ]
    return StatisticsData("连云港市妇幼保健院", "2025年3月", "2025-04-01 09:00", timeline, packages)


def test_statistics_pdf_shows_charts_with_chinese_labels_and_rates() -> None:
    text = flat_text(render_statistics(_stats()))
    assert "电子券发放与核销趋势" in text and "各服务包核销率" in text
    # legend in the chart and column headings in the table
    assert "发放" in text and "核销" in text
    # package names appear on the bar chart's axis and in the table below it
    assert text.count("湘佑新生包") == 2
    assert text.count("95.1%") == 2  # 390 / 410 on the bar and in the table
    assert "33.3%" in text  # 1 / 3
    assert "—" in text  # nothing issued: no rate rather than a misleading 0 %
    assert "100%" in text  # the rate axis


def test_long_period_spills_over_pages_with_page_numbers() -> None:
    pages = page_texts(render_statistics(_stats(days=31)))
    assert len(pages) == 2
    assert all(f"第{n}页共2页" in "".join(p.split()) for n, p in enumerate(pages, start=1))


def test_empty_period_still_prints() -> None:
    text = flat_text(render_statistics(_stats(days=0, packages=[])))
    assert "生育友好服务电子券统计" in text


def test_same_data_same_bytes() -> None:
    assert render_statistics(_stats()) == render_statistics(_stats())
