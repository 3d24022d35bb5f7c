"""Chinese line breaking (禁则): no line starts with ，。、）】 and no line ends with （【.

reportlab's CJK wrapping breaks between any two characters. It hangs one character of its
"cannot start a line" list in the margin, but that list lacks the full-width comma, and it has no
"cannot end a line" rule at all, so a slip could print a line beginning with "，" or ending with
"（". :func:`install` replaces reportlab's ``cjkFragSplit`` and ``wordSplit``: lines are filled
greedily and, where the break would leave a forbidden character at a line's start or end, the
break moves back so the character travels with its neighbour (when a whole line is one
unbreakable run, closing punctuation hangs in the margin instead). Runs of Latin letters and
digits (slip numbers, codes) are not split either, unless one is longer than the line.
"""

from __future__ import annotations

from reportlab.lib import textsplit
from reportlab.platypus import paragraph

ORIGINAL_FRAG_SPLIT = paragraph.cjkFragSplit  # reportlab's own, before install()
NO_LINE_START = "，。、）】：；！？》」』〉〕”’…％,.;:!?)]}%"
NO_LINE_END = "（【《「『〈〔“‘([{"
_FUZZ = 1e-6


def _is_word_char(u: str) -> bool:
    return len(u) == 1 and u.isascii() and (u.isalnum() or u in "-_/.@")


def _bad_break(chars: list[str], at: int, words: bool = True) -> bool:
    """True when a line break before ``chars[at]`` breaks a rule (``words``: or splits a word)."""
    before, after = chars[at - 1], chars[at]
    if after and after in NO_LINE_START:
        return True
    if before and before in NO_LINE_END:
        return True
    return words and _is_word_char(before) and _is_word_char(after)


def _good_break(chars: list[str], start: int, end: int) -> int:
    """Where to break a line that is full before ``chars[end]``: move back over the characters that
    must stay together; failing that, hang closing punctuation in the margin."""
    for words in (True, False):
        at = end
        while at > start + 1 and _bad_break(chars, at, words):
            at -= 1
        if not _bad_break(chars, at, words):
            return at
    while end < len(chars) and chars[end] and chars[end] in NO_LINE_START:
        end += 1
    return end


def line_spans(
    chars: list[str], widths: list[float], max_widths: list[float], hard: set[int] = frozenset()
) -> list[tuple[int, int, float, float, bool]]:
    """(start, end, width used, line width, ends with an explicit break) of each line.

    ``hard`` holds the indices of explicit line breaks (``<br/>``), kept on their line.
    """
    spans = []
    start, count = 0, len(chars)
    while start < count:
        max_width = max_widths[min(len(spans), len(max_widths) - 1)]
        used, i, end, explicit = 0.0, start, None, False
        while i < count:
            if i in hard:
                used, end, explicit = used + widths[i], i + 1, True
                break
            if used + widths[i] > max_width + _FUZZ and i > start:
                end = i
                break
            used += widths[i]
            i += 1
        if end is None:  # the rest fits on this line
            spans.append((start, count, used, max_width, False))
            break
        if not explicit:
            end = _good_break(chars, start, end)
            used = sum(widths[start:end])
        spans.append((start, end, used, max_width, explicit))
        start = end
    return spans


def kinsoku_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """reportlab's ``cjkFragSplit`` (paragraphs of several fragments) with the rules."""
    units = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            units.extend(paragraph.cjkU(t, f, encoding) for t in text)
        else:
            units.append(paragraph.cjkU(text, f, encoding))
    max_width = maxWidths[0]
    widths = []
    for u in units:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        widths.append(w)
    hard = {i for i, u in enumerate(units) if hasattr(u.frag, "lineBreak")}
    lines = [
        paragraph.makeCJKParaLine(units[a:b], width, used, width - used, explicit, calcBounds)
        for a, b, used, width, explicit in line_spans([str(u) for u in units], widths, list(maxWidths), hard)
    ]
    return paragraph.ParaLines(kind=1, lines=lines)


def kinsoku_word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):
    """reportlab's ``wordSplit`` (paragraphs of one fragment) with the rules."""
    text = word.decode(encoding) if isinstance(word, bytes) else word
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    widths = textsplit.getCharWidths(text, fontName, fontSize)
    return [
        [width - used, text[a:b]]
        for a, b, used, width, _explicit in line_spans(list(text), widths, list(maxWidths))
    ]


def install() -> None:
    """Make every CJK paragraph (``wordWrap="CJK"``) break lines by these rules."""
    paragraph.cjkFragSplit = kinsoku_frag_split
    paragraph.wordSplit = kinsoku_word_split
