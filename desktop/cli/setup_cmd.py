"""``ffdesk init``: create or upgrade the database, load the default catalog, first administrator."""

from __future__ import annotations

import argparse

from desktop.cli.common import add_command, emit, read_password


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = add_command(subparsers, common, "init", "创建或升级数据库，载入默认服务包目录", handle_init)
    parser.add_argument("--admin", metavar="用户名", help="创建第一个管理员账号")
    parser.add_argument("--full-name", default="", help="管理员姓名")
    parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    parser.add_argument(
        "--programme",
        choices=["hunan", "lianyungang", "both"],
        default=None,
        help="本院运行的项目：hunan（湖南省生育友好服务包）、lianyungang（连云港健康宝贝工程）、both（两者，示范）",
    )


def ask_programme() -> str:
    """Which programme's catalog to load: asked at a terminal; 'both' (the demo) without one."""
    import sys

    from models.catalog import PROGRAMME_LABELS

    if not sys.stdin.isatty():
        return "both"
    choices = list(PROGRAMME_LABELS)
    for number, key in enumerate(choices, start=1):
        sys.stdout.write(f"  {number}. {PROGRAMME_LABELS[key]}（{key}）\n")
    while True:
        answer = input("本院运行哪个项目？请输入序号：").strip()
        if answer in {str(n) for n in range(1, len(choices) + 1)}:
            return choices[int(answer) - 1]
        if answer in choices:
            return answer
        sys.stdout.write("请输入 1、2 或 3\n")


def initialise(url: str | None, programme: str | None = None) -> dict:
    """Create/upgrade the schema and load the programme's catalog when none is loaded."""
    from models import catalog, db, migrations

    db.connect(url)
    before = migrations.current_version()
    applied = migrations.migrate()
    loaded = None
    if catalog.active_version() is None:
        programme = programme or ask_programme()
        loaded = catalog.load_catalog(catalog.default_catalog_path(programme)).label
    return {
        "schema_version_before": before,
        "schema_version": migrations.current_version(),
        "applied": applied,
        "catalog_loaded": loaded,
    }


def handle_init(args: argparse.Namespace) -> int:
    from models import staff

    result = initialise(getattr(args, "db", None), args.programme)
    if args.admin:
        password = read_password("新管理员密码：", stdin=args.password_stdin)
        admin = staff.create_first_admin(args.admin, password, args.full_name)
        result["admin"] = admin.username

    def text() -> str:
        lines = [f"数据库结构版本：{result['schema_version']}（本次升级 {len(result['applied'])} 步）"]
        if result["catalog_loaded"]:
            lines.append(f"已载入默认服务包目录 {result['catalog_loaded']}")
        if result.get("admin"):
            lines.append(f"已创建管理员 {result['admin']}")
        return "\n".join(lines)

    emit(args, result, text)
    return 0
