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


@pytest.fixture
def frontdesk(db_url):
    from tests.helpers import make_actor

    return make_actor("frontdesk")


@pytest.fixture
def issued(frontdesk):
    """A pregnant woman (10 weeks) with the early-pregnancy package issued: an IssuanceView."""
    import datetime as dt
    import random

    from models import clients, clock, episodes, issuance
    from tests.helpers import resident_id

    number = resident_id("19940512", "F", rng=random.Random(7))
    client = clients.register_client(
        frontdesk, id_type="resident", id_number=number, name="王小红", phone="13812345678"
    ).client
    lmp = clock.local_today() - dt.timedelta(weeks=10)
    episode = episodes.open_pregnancy(frontdesk, client.id, lmp)
    return issuance.issue_package(frontdesk, episode.id, "HN-ZY")
