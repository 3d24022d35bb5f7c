"""Pinyin search keys of names (王小红 → 'wangxiaohong', 'wxh').

pypinyin loads large dictionaries (≈ 0.5 s), so it is imported on first use only: the sign-in
window and the CLI commands that never search by name do not pay for it.
"""

from __future__ import annotations

import re

# Surnames read differently from the same character in ordinary words (曾 is zēng, not céng):
# staff type what they hear, so the first character of a name takes its surname reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "仇": "qiu", "区": "ou", "查": "zha", "解": "xie", "朴": "piao",
    "乐": "yue", "盖": "ge", "缪": "miao", "翟": "zhai", "覃": "qin", "薄": "bo", "祭": "zhai",
    "秘": "bi", "种": "chong", "召": "shao", "员": "yun", "能": "nai", "尉": "yu",
}  # fmt: skip


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name as lower-case ASCII letters: 王小红 → ('wangxiaohong', 'wxh')."""
    from pypinyin import Style, lazy_pinyin  # large dictionaries: load on first use

    readings = lazy_pinyin(name, style=Style.NORMAL)
    if name and name[0] in SURNAME_READINGS and len(readings) == len(name):
        readings[0] = SURNAME_READINGS[name[0]]
    syllables = [re.sub(r"[^a-z]", "", s.lower()) for s in readings]
    syllables = [s for s in syllables if s]
    return "".join(syllables)[:255], "".join(s[0] for s in syllables)[:64]
