"""A command line that explains itself in Chinese: argparse's own words, the help columns, and a
Chinese help line and placeholder for every option and argument.

* argparse looks its messages up through ``gettext`` when it needs them: :data:`ARGPARSE_ZH`
  answers in Chinese.
* :class:`ChineseHelpFormatter` measures text in terminal columns (a Chinese character takes
  two), so the help column lines up and long Chinese help wraps inside the terminal.
* :func:`explain` fills a missing help line or placeholder from :data:`ARGUMENT_TEXTS`, by
  destination (``"command dest"`` for a meaning that differs between commands).
"""

from __future__ import annotations

import argparse
import re
import unicodedata

ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须提供其中一个",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个参数值",
    "expected at most one argument": "最多需要一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "expected %s argument": "需要 %s 个参数值",
    "expected %s arguments": "需要 %s 个参数值",
    "ignored explicit argument %r": "多余的参数值 %r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选 %(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
    "can't open '%(filename)s': %(error)s": "无法打开文件 %(filename)s：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选 %(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


def _gettext(text: str) -> str:
    return ARGPARSE_ZH.get(text, text)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return _gettext(singular if count == 1 else plural)


argparse._ = _gettext  # type: ignore[attr-defined]
argparse.ngettext = _ngettext  # type: ignore[attr-defined]

DATE = "日期"
_LEAVE_MODES = "分娩方式：vaginal 顺产、caesarean 剖宫产、vacuum 吸引产、forceps 产钳产、breech 臀位产"
# dest (or "command dest") → (placeholder, help line)
ARGUMENT_TEXTS: dict[str, tuple[str, str]] = {
    "db": ("地址", "数据库地址：sqlite:///文件路径 或 postgresql://用户@主机/库名"),
    "as_user": ("用户名", "以该员工身份执行（密码取自环境变量 FFDESK_PASSWORD，否则提示输入）"),
    "full_name": ("姓名", "姓名"),
    "code": ("券码", "电子券券码（扫码或手工输入，空格和横线可有可无）"),
    "catalog show code": ("服务包代码", "服务包代码，如 LYG-CQ（见 ffdesk catalog list）"),
    "catalog load file": ("目录文件", "服务包目录文件（.toml）"),
    "restore file": ("备份文件", "要恢复的备份文件"),
    "tear": ("程度", "会阴裂伤程度 0–4"),
    "babies": ("人数", "婴儿数"),
    "months": ("月数", "流产时怀孕满几个月"),
    "insured_months": ("月数", "参加生育保险累计月数"),
    "surgery_days": ("天数", "计划生育手术证明所载休假天数"),
    "programme": ("项目", "本院运行的项目：hunan 湖南省生育友好服务包、lianyungang 连云港健康宝贝工程、both 两者（示范）"),
    "date_from": ("开始日期", "开始日期 YYYY-MM-DD（含）"),
    "date_to": ("结束日期", "结束日期 YYYY-MM-DD（含）"),
    "format": ("格式", "输出格式：pdf、csv 或 xlsx"),
    "month": ("年月", "月份，如 2026-10"),
    "from_month": ("年月", "起始月份，如 2026-01"),
    "to_month": ("年月", "终止月份（含），如 2026-12"),
    "out": ("文件", "输出文件路径"),
    "issuance": ("发券编号", "发券编号或券单号（见 ffdesk issue 的输出）"),
    "paper": ("纸张", "纸张：roll80（80 毫米热敏卷纸）、a4 或 a5"),
    "reason": ("原因", "原因（记入审计日志）"),
    "username": ("用户名", "员工用户名"),
    "role": (
        "角色",
        "角色，逗号分隔：frontdesk 发券员、nurse 核销员、finance 财务、supervisor 主管、admin 管理员",
    ),
    "limit": ("条数", "最多列出的条数"),
    "action": ("动作", "动作，如 staff.login；以 . 或 * 结尾表示前缀"),
    "entity": ("对象类型", "对象类型，如 voucher、client、staff"),
    "entity_id": ("编号", "对象编号"),
    "id_type": (
        "证件类型",
        "证件类型：resident 居民身份证（默认）、hkmo 港澳居民居住证、tw 台湾居民居住证、passport 护照、"
        "foreign_pr 外国人永久居留身份证、none 暂无证件（新生儿）",
    ),
    "id_number": ("证件号码", "证件号码（居民身份证自动校验并推算出生日期和性别）"),
    "name": ("姓名", "姓名"),
    "birth": ("出生日期", "出生日期 YYYY-MM-DD（居民身份证可省略）"),
    "episode open birth": ("出生日期", "儿童出生日期 YYYY-MM-DD"),
    "phone": ("手机号", "手机号码"),
    "address": ("地址", "住址"),
    "residency": ("户籍", "户籍：local 本地户籍（默认）、permit 本地居住证、nonlocal 非本地"),
    "query": ("查询", "证件号码、手机号、姓名或拼音首字母（如 wxh）"),
    "client": ("服务对象", "服务对象编号或证件号码"),
    "client link first": ("服务对象1", "第一位服务对象（配偶或父母）：编号或证件号码"),
    "client link second": ("服务对象2", "第二位服务对象（配偶或子女）：编号或证件号码"),
    "client link kind": (
        "关系",
        "关系：partner 配偶（默认）、mother_child 母子（女）、father_child 父子（女）",
    ),
    "episode open kind": ("类型", "服务周期：pregnancy 孕产期、prepregnancy 备孕（夫妻）、child 儿童"),
    "cert issue kind": ("类型", "签发类型：first 首次签发（默认）、reissue 补发、replace 换发"),
    "lmp": ("末次月经", "末次月经日期 YYYY-MM-DD（孕产期）"),
    "partner": ("配偶", "配偶（备孕服务周期）：服务对象编号或证件号码"),
    "note": ("备注", "备注"),
    "episode": ("服务周期", "服务周期编号（见 ffdesk episode open 或 client show 的输出）"),
    "delivery": ("分娩日期", "分娩日期 YYYY-MM-DD"),
    "mode": ("分娩方式", "分娩方式：vaginal 顺产、caesarean 剖宫产、vacuum 吸引产、forceps 产钳产、breech 臀位产"),
    "package": ("服务包代码", "服务包代码，如 LYG-CQ（见 ffdesk catalog list）"),
    "point": ("服务点代码", "核销的服务点代码，如 PND（见 ffdesk catalog show）"),
    "scale": ("规模", "规模"),
    "seed": ("种子", "随机种子"),
    "prefix": ("前缀", "编号字母前缀，如 R"),
    "first": ("起始编号", "起始编号"),
    "last": ("终止编号", "终止编号（含）"),
    "date": (DATE, "日期 YYYY-MM-DD"),
    "desk": ("服务台", "服务台名称"),
    "data": ("JSON文件", "证明内容（JSON 文件）"),
    "serial": ("证明编号", "出生医学证明编号"),
    "printer": ("打印机", "打印机名称（使用其保存的校准偏移）"),
    "cert calibrate printer": ("打印机", "要保存校准偏移的打印机名称"),
    "layout": ("版式文件", "其他版式文件（.toml）"),
    "witness": ("姓名", "监销人"),
    "year": ("年份", "年份，如 2026"),
    "sex": ("性别", "性别：F 女、M 男（居民身份证可自动推算）"),
    "leave compute kind": ("类型", "birth 分娩（默认）、miscarriage 流产或 family_planning 计划生育手术"),
    "leave issue kind": ("类型", "birth 分娩（默认）、miscarriage 流产或 family_planning 计划生育手术"),
    "leave compute mode": ("分娩方式", _LEAVE_MODES),
    "leave issue mode": ("分娩方式", _LEAVE_MODES),
    "result": ("结果", "筛查结果：negative 阴性、positive 阳性、high_risk 高风险"),
    "override_reason": ("原因", "不符合条件时由主管破例发放的原因（记入审计日志）"),
    "password_stdin": ("", "从标准输入读取密码"),
}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(text: object) -> bool:
    return isinstance(text, str) and _CJK.search(text) is not None


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (``f"{text:<width}"`` for Chinese)."""
    return text + " " * max(0, width - display_width(text))


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by terminal columns; breaks at spaces or between Chinese characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        tokens = re.findall(
            r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+ ?| ", " ".join(paragraph.split())
        )
        for token in tokens:
            if line and display_width(line + token.rstrip()) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's help, measured in terminal columns (Chinese characters are two wide)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 32, width=None):
        super().__init__(prog, indent_increment, max_help_position, width)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            invocations = [self._format_action_invocation(action)]
            invocations += [self._format_action_invocation(s) for s in self._iter_indented_subactions(action)]
            wide = max(display_width(text) for text in invocations) + self._current_indent
            self._action_max_length = max(self._action_max_length, wide)

    def _format_usage(self, usage, actions, groups, prefix) -> str:  # type: ignore[override]
        """argparse's usage, wrapped again by terminal columns when a line is too wide."""
        text = super()._format_usage(usage, actions, groups, prefix)
        lines = text.rstrip("\n").split("\n")
        if all(display_width(line) <= self._width for line in lines):
            return text
        words = _usage_words(" ".join(line.strip() for line in lines))
        head = f"{words[0]} "  # 用法：ffdesk command
        indent = " " * display_width(head)
        wrapped, line = [], head
        for word in words[1:]:
            if line.strip() and display_width(line + word) > self._width and line not in (head, indent):
                wrapped.append(line.rstrip())
                line = indent
            line += word + " "
        wrapped.append(line.rstrip())
        return "\n".join(wrapped) + "\n\n"

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _format_action(self, action: argparse.Action) -> str:
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        if not action.help:
            parts = [f"{indent}{header}\n"]
            first_indent = 0
        elif display_width(header) <= action_width:
            parts = [f"{indent}{header}{' ' * (action_width - display_width(header))}  "]
            first_indent = 0
        else:
            parts = [f"{indent}{header}\n"]
            first_indent = help_position
        if action.help and action.help.strip():
            lines = self._split_lines(self._expand_help(action), help_width)
            parts.append(f"{' ' * first_indent}{lines[0]}\n")
            parts += [f"{' ' * help_position}{line}\n" for line in lines[1:]]
        elif not parts[0].endswith("\n"):
            parts.append("\n")
        for subaction in self._iter_indented_subactions(action):
            parts.append(self._format_action(subaction))
        return self._join_parts(parts)


def _usage_words(text: str) -> list[str]:
    """A usage line cut at spaces outside brackets: ``用法：ffdesk x``, ``[--db 地址]``, ``券码``…"""
    words: list[str] = []
    depth, current = 0, ""
    for ch in text:
        depth += ch in "[("
        depth -= ch in "])"
        if ch == " " and depth == 0:
            if current:
                words.append(current)
            current = ""
        else:
            current += ch
    if current:
        words.append(current)
    # the prefix and the program's words stay together on the first line
    program = 0
    while program + 1 < len(words) and not words[program + 1].startswith(("[", "-")) and program < 3:
        program += 1
    return [" ".join(words[: program + 1]), *words[program + 1 :]]


def explain(parser: argparse.ArgumentParser, path: str = "") -> None:
    """Give every option and argument of ``parser`` and its commands a Chinese help and placeholder."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                explain(sub, f"{path} {name}".strip())
            continue
        texts = ARGUMENT_TEXTS.get(f"{path} {action.dest}".strip()) or ARGUMENT_TEXTS.get(action.dest)
        if texts is None:
            continue
        placeholder, help_text = texts
        unexplained = [c for c in action.choices or () if str(c) not in (action.help or "")]
        if (not has_chinese(action.help) or unexplained) and action.help is not argparse.SUPPRESS:
            action.help = help_text
        if action.nargs != 0 and not has_chinese(action.metavar):
            action.metavar = placeholder  # a choice's values are listed in its help line
