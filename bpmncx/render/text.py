"""Label text: widths from the real font metrics, and wrapping.

Graphviz never wraps text, so every label is wrapped here before it is drawn.
Widths are the advance widths of Liberation Sans (metric-compatible with Arial,
what bpmn-js asks for), in 1/1000 em, copied once from the font's ``hmtx``
table for Latin text and the usual punctuation. A table in the source keeps the
wrapping identical on every machine, whatever fonts it has.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, List, Tuple

from .styles import LINE_HEIGHT

# (first code point, advance widths of it and the following code points)
_REGULAR_RUNS: Tuple[Tuple[int, str], ...] = (
    (0x0020, "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"),
    (0x00A0, "278 333 556 556 556 556 260 556 333 737 370 556 584 333 737 552 400 549 333 333 333 576 537 278 333 333 365 556 834 834 834 611 667 667 667 667 667 667 1000 722 667 667 667 667 278 278 278 278 722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611 556 556 556 556 556 556 889 500 556 556 556 556 278 278 278 278 556 556 556 556 556 556 556 549 611 556 556 556 556 500 556 500 667 556 667 556 667 556 722 500 722 500 722 500 722 500 722 615 722 556 667 556 667 556 667 556 667 556 667 556 778 556 778 556 778 556 778 556 722 556 722 556 278 278 278 278 278 278 278 222 278 278 735 444 500 222 667 500 500 556 222 556 222 556 292 556 334 556 222 722 556 722 556 722 556 604 723 556 778 556 778 556 778 556 1000 944 722 333 722 333 722 333 667 500 667 500 667 500 667 500 611 278 611 375 611 278 722 556 722 556 722 556 722 556 722 556 722 556 944 722 667 500 667 611 500 611 500 611 500 222"),
    (0x0192, "556"),
    (0x01FA, "667 556 1000 889 778 611"),
    (0x0218, "667 500 611 278"),
    (0x2013, "556 1000"),
    (0x2018, "222 222"),
    (0x201C, "333 333"),
    (0x2022, "350"),
    (0x2026, "1000"),
    (0x20AC, "556"),
)
_BOLD_RUNS: Tuple[Tuple[int, str], ...] = (
    (0x0020, "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584"),
    (0x00A0, "278 333 556 556 556 556 280 556 333 737 370 556 584 333 737 552 400 549 333 333 333 576 556 278 333 333 365 556 834 834 834 611 722 722 722 722 722 722 1000 722 667 667 667 667 278 278 278 278 722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611 556 556 556 556 556 556 889 556 556 556 556 556 278 278 278 278 611 611 611 611 611 611 611 549 611 611 611 611 611 556 611 556 722 556 722 556 722 556 722 556 722 556 722 556 722 556 722 719 722 611 667 556 667 556 667 556 667 556 667 556 778 611 778 611 778 611 778 611 722 611 722 611 278 278 278 278 278 278 278 278 278 278 785 556 556 278 722 556 556 611 278 611 278 611 385 611 479 611 278 722 611 722 611 722 611 708 723 611 778 611 778 611 778 611 1000 944 722 389 722 389 722 389 667 556 667 556 667 556 667 556 611 333 611 479 611 333 722 611 722 611 722 611 722 611 722 611 722 611 944 778 667 556 667 611 500 611 500 611 500 278"),
    (0x0192, "556"),
    (0x01FA, "722 556 1000 889 778 611"),
    (0x0218, "667 556 611 333"),
    (0x2013, "556 1000"),
    (0x2018, "278 278"),
    (0x201C, "500 500"),
    (0x2022, "350"),
    (0x2026, "1000"),
    (0x20AC, "556"),
)
_DEFAULT = 556  # an average lower-case letter, for code points not in the table
_WIDE = 1000  # emoji and CJK ideographs are about one em wide


def _table(runs) -> Dict[int, int]:
    table: Dict[int, int] = {}
    for first, widths in runs:
        for offset, width in enumerate(widths.split()):
            table[first + offset] = int(width)
    return table


_REGULAR = _table(_REGULAR_RUNS)
_BOLD = _table(_BOLD_RUNS)


def _char_width(char: str, table: Dict[int, int]) -> int:
    code = ord(char)
    found = table.get(code)
    if found is not None:
        return found
    if code >= 0x2E80:
        return _WIDE
    return _DEFAULT


_CACHED_LENGTH = 256  # longer texts are measured each time: the cache stays small


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of ``text`` at ``size`` points."""
    if len(text) <= _CACHED_LENGTH:
        return _cached_width(text, size, bold)
    table = _BOLD if bold else _REGULAR
    return sum(_char_width(c, table) for c in text) * size / 1000.0


@lru_cache(maxsize=8192)
def _cached_width(text: str, size: float, bold: bool) -> float:
    table = _BOLD if bold else _REGULAR
    return sum(_char_width(c, table) for c in text) * size / 1000.0


def text_height(lines: int, size: float) -> float:
    return lines * size * LINE_HEIGHT


# The most characters of one text a drawing shows (label or tooltip); longer texts end in
# "…". No box shows more, and the work stays bounded: a 200 MB model may have 2,000
# names of 100,000 letters each.
MAX_DRAWN_CHARS = 500


def drawn(text: str) -> str:
    """``text`` as a drawing shows it: at most :data:`MAX_DRAWN_CHARS` characters."""
    return text if len(text) <= MAX_DRAWN_CHARS else text[:MAX_DRAWN_CHARS] + "\u2026"


def wrap(text: str, max_width: float, size: float, bold: bool = False) -> List[str]:
    """Break ``text`` into lines no wider than ``max_width`` (words first, then characters).

    Explicit line breaks in the text are kept; runs of spaces collapse.
    Linear in the length of the text: widths are summed once per character in
    whole font units (so each comparison is the one ``text_width`` would make),
    never re-measured per candidate line or per cut. Only the first
    :data:`MAX_DRAWN_CHARS` characters are wrapped (see :func:`drawn`).
    """
    text = drawn(text)
    table = _BOLD if bold else _REGULAR
    space = _char_width(" ", table)

    def fits(units: int) -> bool:
        return units * size / 1000.0 <= max_width

    lines: List[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = paragraph.split()
        if not words:
            if paragraph and lines:
                lines.append("")
            continue
        current: List[str] = []  # the words of the line being filled
        current_units = 0
        for word in words:
            widths = [_char_width(c, table) for c in word]
            word_units = sum(widths)
            candidate_units = current_units + space + word_units if current else word_units
            if fits(candidate_units):
                current.append(word)
                current_units = candidate_units
                continue
            if current:
                lines.append(" ".join(current))
            # A word wider than the box is cut where it no longer fits.
            start = 0
            while not fits(word_units) and len(word) - start > 1:
                cut, units = start + 1, widths[start]
                while cut < len(word) and fits(units + widths[cut]):
                    units += widths[cut]
                    cut += 1
                lines.append(word[start:cut])
                word_units -= units
                start = cut
            current, current_units = [word[start:]], word_units
        if current:
            lines.append(" ".join(current))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def block_width(lines: List[str], size: float, bold: bool = False) -> float:
    return max((text_width(line, size, bold) for line in lines), default=0.0)
