"""Issue 15 point 2 on the desktop: an account changed at another desk sends this desk back to
the sign-in on its next action, with the reason in Chinese and no screen left showing data."""

from __future__ import annotations

import pytest

from desktop import app as desk_app
from desktop.settings import DeskSettings
from forms import messages
from models import clients, staff
from models.errors import SessionExpired
from tests.helpers import PASSWORD, make_actor
from tests.models.test_sessions import at_other_desk


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda admin: staff.set_roles(admin, "sup", {"nurse"}), "角色已被管理员修改"),
        (lambda admin: staff.reset_password(admin, "sup"), "密码已修改或被管理员重置"),
    ],
)
def test_the_desk_goes_back_to_the_sign_in(qtbot, zh_app, db_url, monkeypatch, change, reason):
    admin = make_actor("admin", username="root")
    make_actor("supervisor", username="sup")
    desk = desk_app.DeskApp(db_url, DeskSettings(idle_minutes=0))
    qtbot.addWidget(desk.window)
    desk.set_actor(staff.authenticate("sup", PASSWORD))
    desk.window.show()
    desk.window.show_page("browse")
    told: list[str] = []
    asked: list[bool] = []
    monkeypatch.setattr(messages, "inform", lambda parent, title, text: told.append(text))

    def sign_in() -> bool:
        asked.append(desk.window.stack.count() == 0 or desk.session.actor is None)
        desk.set_actor(staff.authenticate("root", PASSWORD))
        return True

    monkeypatch.setattr(desk, "sign_in", sign_in)
    at_other_desk(lambda: change(admin))
    with pytest.raises(SessionExpired):  # the next action of the open session
        clients.find_clients(desk.session.actor, "wxh")
    qtbot.waitUntil(lambda: asked == [True], timeout=3000)
    assert len(told) == 1 and reason in told[0] and "sup" in told[0]
    assert desk.session.actor.username == "root"
    desk.idle_lock.stop()
