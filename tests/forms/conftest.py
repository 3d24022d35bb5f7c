"""GUI fixtures: the QApplication in Chinese with the CJK font, as the program starts it."""

from __future__ import annotations

import pytest

from desktop import i18n


@pytest.fixture
def zh_app(qapp):
    i18n.install_translators(qapp, "zh_CN")
    i18n.install_font(qapp)
    yield qapp
    i18n.install_translators(qapp, "zh_CN")
