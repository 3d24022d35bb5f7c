"""Refusals that leave nothing behind, and a desk without a display told what is missing."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import display_check
from desktop.cli import main
from models import db, demo
from models.db import data_dir

ROOT = Path(__file__).resolve().parents[2]


def _run(monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv",
    [
        ["catalog", "list"],
        ["staff", "list", "--as", "admin"],
        ["audit", "verify", "--as", "admin"],
        ["backup"],
        ["redeem", "1234", "--point", "PND", "--as", "nurse"],
    ],
)
def test_a_refused_command_on_a_missing_database_leaves_no_file(monkeypatch, capsys, tmp_path, argv):
    monkeypatch.setenv("FFDESK_PASSWORD", "Demo-Pass-2026")
    target = tmp_path / "nowhere" / "desk.db"
    code, _, err = _run(monkeypatch, capsys, "--db", f"sqlite:///{target}", *argv)
    assert code == 2
    assert f"数据库文件不存在：{target}" in err
    assert not target.parent.exists()
    # the default database: the advice is to start the program once
    code, _, err = _run(monkeypatch, capsys, *argv)
    assert code == 2
    assert "默认数据库尚未建立" in err
    assert list(data_dir().glob("ffdesk.db*")) == []


def test_init_and_demo_refused_on_a_new_file_remove_what_they_began(monkeypatch, capsys, tmp_path):
    target = tmp_path / "new.db"
    url = f"sqlite:///{target}"
    code, _, err = _run(
        monkeypatch, capsys, "--db", url, "init", "--admin", "boss", "--password-stdin", stdin="weak\n"
    )
    assert code == 2 and "密码至少需要 8 个字符" in err
    assert list(tmp_path.glob("new.db*")) == []
    code, _, err = _run(monkeypatch, capsys, "--db", url, "demo", "--scale", "99")
    assert code == 3 and "规模" in err
    assert list(tmp_path.glob("new.db*")) == []
    # an existing database is never removed by a refusal
    assert _run(monkeypatch, capsys, "--db", url, "init")[0] == 0
    code, _, _ = _run(monkeypatch, capsys, "--db", url, "demo", "--scale", "99")
    assert code == 3
    assert target.exists()
    db.close()


def test_demo_summary_names_voucher_states_in_chinese(monkeypatch, capsys, tmp_path):
    summary = demo.DemoSummary(
        staff=["admin"],
        password=demo.DEMO_PASSWORD,
        clients=1,
        episodes=1,
        issuances=1,
        vouchers=4,
        by_state={"issued": 1, "redeemed": 1, "voided": 1, "expired": 1},
        ledger_net_fen=100,
        redeemed_value_fen=100,
        closed_months=[],
        audit_events=1,
        seconds=0.1,
    )
    monkeypatch.setattr(demo, "build_demo", lambda **_kwargs: summary)
    code, out, _ = _run(monkeypatch, capsys, "--db", f"sqlite:///{tmp_path / 'd.db'}", "demo")
    assert code == 0
    assert "未使用 1，已核销 1，已作废 1，已过期 1" in out
    for word in ("issued", "redeemed", "voided", "expired"):
        assert word not in out
    db.close()


def _desk(env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from desktop.cli import main; sys.exit(main([]))"],
        env={**base, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_display_gets_a_chinese_message_and_exit_2(tmp_path):
    done = _desk({"FFDESK_HOME": str(tmp_path / "home")})
    assert done.returncode == 2
    assert "无法打开程序窗口：没有图形显示" in done.stderr
    assert "DISPLAY" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "home" / "ffdesk.db").exists()


@pytest.fixture
def x_display():
    """A display number something listens on (an abstract socket where an X server would be)."""
    number = 4000 + os.getpid() % 1000
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(f"\0/tmp/.X11-unix/X{number}")
        listener.listen(4)
        yield f":{number}"


def test_a_display_nobody_answers_on_is_named(tmp_path):
    done = _desk({"DISPLAY": ":4999", "FFDESK_HOME": str(tmp_path)})
    assert done.returncode == 2
    assert "连接不上图形显示 :4999" in done.stderr
    done = _desk({"DISPLAY": "127.0.0.1:99.0", "FFDESK_HOME": str(tmp_path)})
    assert done.returncode == 2
    assert "连接不上图形显示 127.0.0.1:99.0" in done.stderr


def test_a_missing_qt_library_is_named_with_its_package(tmp_path, x_display):
    """The linker cannot find libxcb-cursor (a stand-in ldd says so): the message names it."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "ldd").write_text(
        "#!/bin/sh\necho '\tlibxcb-cursor.so.0 => not found'\necho '\tlibc.so.6 => /lib/libc.so.6'\n"
    )
    (fake / "ldd").chmod(0o755)
    done = _desk({"DISPLAY": x_display, "PATH": f"{fake}:{os.environ['PATH']}", "FFDESK_HOME": str(tmp_path)})
    assert done.returncode == 2
    assert "缺少 Qt 图形界面需要的系统库 libxcb-cursor.so.0" in done.stderr
    assert "apt-get install libxcb-cursor0" in done.stderr


def test_this_machine_has_every_library_of_the_xcb_plugin(monkeypatch, x_display):
    monkeypatch.setenv("DISPLAY", x_display)
    monkeypatch.delenv("QT_QPA_PLATFORM")
    assert display_check.problem() is None


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libEGL.so.1", "libegl1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
    ],
)
def test_debian_package_of_a_library(soname, package):
    assert display_check.debian_package(soname) == package
