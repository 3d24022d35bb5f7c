"""The README's shell blocks, so that tests and CI run exactly what a reader copies.

``python3 -m tests.readme "Set up and start"`` prints the first ``sh`` block under that heading
(standard library only: CI calls it before any virtual environment exists).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def section(heading: str, text: str | None = None) -> str:
    """The text under the first heading that starts with ``heading``, up to the next heading of
    the same or a higher level (lines inside fenced blocks are never headings)."""
    text = README.read_text(encoding="utf-8") if text is None else text
    level = 0
    taken: list[str] = []
    fenced = False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        heading_match = None if fenced else re.match(r"(#+) (.*)", line)
        if heading_match and level and len(heading_match.group(1)) <= level:
            break
        if level:
            taken.append(line)
        elif heading_match and heading_match.group(2).startswith(heading):
            level = len(heading_match.group(1))
    if not level:
        raise LookupError(f"README has no section {heading!r}")
    return "".join(taken)


def sh_blocks(heading: str, text: str | None = None) -> list[str]:
    """Every fenced ``sh`` block of the section, in order."""
    return [m.group(1) for m in re.finditer(r"^```sh\n(.*?)^```", section(heading, text), re.M | re.S)]


def sh_block(heading: str, text: str | None = None) -> str:
    blocks = sh_blocks(heading, text)
    if not blocks:
        raise LookupError(f"README section {heading!r} has no sh block")
    return blocks[0]


if __name__ == "__main__":
    sys.stdout.write(sh_block(sys.argv[1]))
