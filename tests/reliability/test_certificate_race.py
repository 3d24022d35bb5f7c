"""Eight desks replacing the same birth certificate at the same moment: one replacement, one form."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest

from models import certificates, clock, db
from models.schema import BirthCertificate, CertificateForm
from tests.helpers import make_actor
from tests.models.test_certificates import NOW, make_child_episode, sample_data
from tests.reliability import workers

DESKS = 8
RECEIVED = 20


def prepare() -> int:
    """20 blank forms at 一号台, a child whose first certificate is on R430000001."""
    clock.set_now(NOW)
    sup = make_actor("supervisor", username="cert_sup")
    make_actor("frontdesk", username="cert_desk")
    certificates.receive(sup, "R", 430000001, 430000000 + RECEIVED)
    certificates.assign(sup, "R430000001", f"R{430000000 + RECEIVED}", "一号台")
    episode = make_child_episode()
    certificates.issue(sup, episode.id, "first", sample_data(), desk="一号台")
    return episode.id


def race(url: str, episode_id: int, broken: bool = False) -> list[dict]:
    db.close()
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Barrier(DESKS)
    results = ctx.Queue()
    now = clock.to_local(NOW).replace(tzinfo=None).isoformat(sep=" ")
    procs = [
        ctx.Process(
            target=workers.replace_worker,
            args=(url, "cert_desk", episode_id, sample_data(), "R430000001", now, go, results, broken),
        )
        for _ in range(DESKS)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=90) for _ in procs]
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    db.connect(url)
    clock.set_now(NOW)
    return outcomes


@pytest.mark.slow
def test_eight_desks_replacing_one_certificate_use_one_form(db_url):
    episode_id = prepare()
    outcomes = race(db_url, episode_id)

    assert [o["error"] for o in outcomes if o["error"]] == []
    winners = [o["serial"] for o in outcomes if o["serial"]]
    assert len(winners) == 1, f"exactly one replacement: {winners}"
    refusals = [o["refusal"] for o in outcomes if o["refusal"]]
    assert len(refusals) == DESKS - 1
    assert all(
        f"R430000001 已被 {winners[0]} 取代" in r and f"当前证件为 {winners[0]}" in r for r in refusals
    )

    states = {f.serial: f.state for f in certificates.list_forms()}
    assert len(states) == RECEIVED, "every received serial is there, once"
    counts = {s: list(states.values()).count(s) for s in certificates.STATES}
    assert counts == {"on_hand": RECEIVED - 2, "issued": 1, "voided": 1, "destroyed": 0}, (
        "one blank form used"
    )
    assert states["R430000001"] == "voided" and states[winners[0]] == "issued"
    used = [c.form.serial for c in BirthCertificate.select()]
    assert sorted(used) == sorted(s for s, state in states.items() if state != "on_hand")
    report = certificates.stock_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert report.balanced and report.received_total == RECEIVED
    assert certificates.current_certificate(episode_id).serial == winners[0]


@pytest.mark.slow
def test_the_race_catches_a_replacement_that_names_nothing(sqlite_url):
    """Self-test: replacing "whatever is current" (the code before) lets all eight desks succeed."""
    episode_id = prepare()
    outcomes = race(sqlite_url, episode_id, broken=True)
    assert len([o for o in outcomes if o["serial"]]) > 1
    assert CertificateForm.select().where(CertificateForm.state == "on_hand").count() < RECEIVED - 2
