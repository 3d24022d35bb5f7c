"""The command line explains itself in Chinese: help lines, placeholders, argparse's own words,
aligned columns, usage errors and ``--version``."""

from __future__ import annotations

import argparse
import re

import pytest

from desktop import __version__
from desktop.cli import build_parser, main
from desktop.cli.help import display_width, has_chinese, wrap

ENGLISH_ARGPARSE = ("usage:", "options:", "positional arguments", "show this help", "error:", "required")


def _all_parsers(parser: argparse.ArgumentParser, path: str = "ffdesk"):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_parsers(sub, f"{path} {name}")


def _arguments():
    for path, parser in _all_parsers(build_parser()):
        for action in parser._actions:
            if isinstance(
                action, argparse._SubParsersAction | argparse._HelpAction | argparse._VersionAction
            ):
                continue
            yield path, action


def test_every_option_and_argument_has_a_chinese_help_line_and_placeholder():
    problems = []
    for path, action in _arguments():
        name = "/".join(action.option_strings) or action.dest
        if not has_chinese(action.help):
            problems.append(f"{path} {name}: help {action.help!r}")
        if action.nargs != 0 and not has_chinese(action.metavar):
            problems.append(f"{path} {name}: placeholder {action.metavar!r}")
        missing = [str(c) for c in action.choices or () if str(c) not in (action.help or "")]
        if missing:
            problems.append(f"{path} {name}: help does not explain {missing}")
    assert problems == [], "add the texts to desktop/cli/help.py ARGUMENT_TEXTS:\n" + "\n".join(problems)


def _help_of(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_help_has_no_english_words_of_argparse(capsys):
    for path, _parser in _all_parsers(build_parser()):
        text = _help_of(capsys, *path.split()[1:])
        assert text.startswith("用法：")
        for word in ENGLISH_ARGPARSE:
            assert word not in text, f"{path}: {word!r} in\n{text}"
        assert "选项:" in text


def test_help_columns_line_up_with_chinese_placeholders(capsys):
    text = _help_of(capsys, "client", "add")
    options = text.split("选项:\n", 1)[1]
    starts = set()
    for line in options.splitlines():
        match = re.match(r"^  (-\S.*?)  +(\S.*)$", line)
        if match and display_width(match.group(1)) < 30:
            starts.add(display_width(line) - display_width(match.group(2)))
    assert len(starts) == 1, f"help starts at columns {starts}:\n{options}"
    assert max(display_width(line) for line in options.splitlines()) <= 100


@pytest.mark.parametrize("columns", [80, 100])
def test_every_help_page_fits_the_terminal(monkeypatch, columns):
    """Usage lines and help lines wrap by terminal columns (a Chinese character takes two)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    too_wide = [
        f"{path}: {line}"
        for path, parser in _all_parsers(build_parser())
        for line in parser.format_help().splitlines()
        if display_width(line) > columns
    ]
    assert too_wide == []


def test_argparse_alone_would_misalign_and_overflow(monkeypatch):
    """The check above catches the fault it guards against: argparse's own formatter counts
    characters, not columns."""
    monkeypatch.setenv("COLUMNS", "80")
    parsers = [parser for _path, parser in _all_parsers(build_parser())]
    for parser in parsers:
        parser.formatter_class = argparse.HelpFormatter
    assert any(display_width(line) > 80 for parser in parsers for line in parser.format_help().splitlines())


def test_long_chinese_help_wraps_by_terminal_columns():
    lines = wrap("证件类型：resident 居民身份证（默认）、hkmo 港澳居民居住证、tw 台湾居民居住证", 30)
    assert len(lines) > 1
    assert all(display_width(line) <= 30 for line in lines)
    assert (
        "".join(lines).replace(" ", "")
        == "证件类型：resident居民身份证（默认）、hkmo港澳居民居住证、tw台湾居民居住证"
    )
    mixed = wrap("为技术支持生成诊断包（zip）：版本、设置（不含密码）、最近的日志、数据库结构版本", 20)
    assert all(display_width(line) <= 20 for line in mixed)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["redeem"], "缺少必需的参数"),
        (["slip", "1", "--paper", "a3", "--out", "x.pdf"], "无效的选项"),
        (["audit", "list", "--limit", "many"], "参数 --limit"),
        (["nonsense"], "无效的选项"),
        (["client", "find", "王", "--frobnicate"], "无法识别的参数"),
    ],
)
def test_usage_errors_are_chinese_and_exit_2(capsys, argv, expected):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert not re.search(r"\b(error|usage|required|invalid|argument|expected)\b", err), err


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"ffdesk {__version__}"
