"""The colours that carry meaning, in one place: emotions, pain points, missing steps, severities.

Every output (SVG/PNG/PDF drawings, the annotated BPMN file, the HTML and Excel
reports, the owners' workbook) asks these functions, so one emotion has one
colour everywhere. Values are ``#RRGGBB``. The emotion colours themselves are
part of the emotion scale (:data:`bpmncx.vocabulary.EMOTION_SCALE`).
"""

from __future__ import annotations

from typing import Optional

from .vocabulary import EMOTION_BY_SCORE

NO_EMOTION_FILL = "#EEEEEE"  # customer-facing, but nobody gave an emotion
NO_EMOTION_TEXT = "#22242A"
PAIN_STROKE = "#B2182B"  # the red outline of a pain point
MISSING_STROKE = "#D7191C"  # a journey step nobody in operations supports

# The visual diff (bpmncx diff --format svg): what the change added, changed, removed.
# Never the only cue: every mark also carries a glyph (+, ~, −) and the legend names it.
DIFF_ADDED = "#1A7F37"  # green
DIFF_CHANGED = "#D98E04"  # amber
DIFF_REMOVED = "#CF222E"  # red: the ghost of a removed element, at its old place

# The HTML report's own ink, muted text and lines (report.css --ink, --muted, --line): the
# inline SVG charts (emotion curve, measures) draw with these so they match the page.
REPORT_INK = "#1f2328"
REPORT_MUTED = "#59636e"
REPORT_LINE = "#d1d9e0"

# Light backgrounds for severity labels and rows (reports).
SEVERITY_FILL = {"critical": "#F4C7C3", "warning": "#FCE8B2", "info": "#D2E3FC"}


def emotion_fill(score: Optional[int]) -> str:
    """The fill for an emotion score -2..+2; None (nobody said) is light grey."""
    emotion = EMOTION_BY_SCORE.get(score) if score is not None else None
    return emotion.colour if emotion is not None else NO_EMOTION_FILL


def emotion_text(score: Optional[int]) -> str:
    """The text colour that reads on :func:`emotion_fill` ``(score)``."""
    emotion = EMOTION_BY_SCORE.get(score) if score is not None else None
    return emotion.text_colour if emotion is not None else NO_EMOTION_TEXT


def darker(colour: str, factor: float = 0.55) -> str:
    """``#RRGGBB`` darkened: the border drawn around a fill."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#%02X%02X%02X" % (int(r * factor), int(g * factor), int(b * factor))


# -- contrast: the one rule choosing what is drawn on a fill -------------------------------
#
# WCAG 2.1: text needs a contrast ratio of 4.5:1 against what it is drawn on, every other
# mark that carries meaning (icons, markers, outlines: "non-text contrast") 3:1. Everything
# the annotated diagram draws on an emotion fill takes its colour from ink() or text_ink().

TEXT_CONTRAST = 4.5
MARK_CONTRAST = 3.0
STROKE_INK = "#22242A"  # the diagram's own stroke, kept wherever it reads
BLACK, WHITE = "#000000", "#FFFFFF"
BACKGROUND = "#FFFFFF"  # what the diagram is drawn on
# Customer-facing containers (pools, lanes, expanded sub-processes, groups) get a wash of
# their emotion colour under their children, never an opaque fill that would hide them.
WASH_OPACITY = 0.2

# The marks the journey band adds between two steps (colour plus a glyph of its own).
HANDOFF = "#5E3C99"  # purple: the customer is passed to another department
ORDER_MISMATCH = "#8C510A"  # brown: the process runs these steps the other way round
CHANNEL_MISMATCH = "#8C510A"

# Up to eight personas side by side (--persona compare, the HTML report's charts):
# Okabe-Ito colours, colour-blind safe; each also has a line style and a point shape of
# its own, so colour is never the only cue.
# The event log's heat on elements, low to high (an orange sequence): each shade also
# fills a longer part of its bar (1/3, 2/3, all), so the heat never rests on colour alone.
HEAT_SHADES = ("#FEE6CE", "#FDAE6B", "#D94801")
HEAT_TRACK = "#FFFFFF"  # the bar's empty part

PERSONA_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                   "#000000", "#F0E442")


def _channel(value: int) -> float:
    c = value / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    r, g, b = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours, 1..21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink(fill: str, minimum: float = MARK_CONTRAST, prefer: str = STROKE_INK) -> str:
    """The colour to draw marks (icons, markers, outlines, glyphs; text with
    ``minimum=TEXT_CONTRAST``) on ``fill``: ``prefer`` when it reaches ``minimum``,
    else black or white, whichever contrasts more."""
    if contrast(prefer, fill) >= minimum:
        return prefer
    return max((BLACK, WHITE), key=lambda c: (contrast(c, fill), c))


def text_ink(fill: str, prefer: str = STROKE_INK) -> str:
    """The colour of text on ``fill`` (4.5:1)."""
    return ink(fill, TEXT_CONTRAST, prefer)


def outline_ink(fill: str, background: str = BACKGROUND) -> str:
    """The border of a shape filled with ``fill``: it separates the fill from the
    background, so it must read against both; the diagram's stroke where it does."""
    for candidate in (STROKE_INK, BLACK):
        if contrast(candidate, fill) >= MARK_CONTRAST and \
                contrast(candidate, background) >= MARK_CONTRAST:
            return candidate
    return BLACK


def blend(colour: str, opacity: float, under: str = BACKGROUND) -> str:
    """``colour`` at ``opacity`` over ``under``, as it looks."""
    top = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    low = [int(under[i : i + 2], 16) for i in (1, 3, 5)]
    return "#%02X%02X%02X" % tuple(round(t * opacity + u * (1 - opacity))
                                   for t, u in zip(top, low))


def wash(fill: str) -> str:
    """A container's fill: ``fill`` at :data:`WASH_OPACITY` (``#RRGGBBAA``)."""
    return "%s%02X" % (fill.upper(), round(WASH_OPACITY * 255))


def emotion_fills() -> tuple:
    """Every fill the palette gives an element or a journey step: each emotion's
    colour and the no-emotion grey, then the same as a container's wash looks."""
    solid = tuple(e.colour for e in EMOTION_BY_SCORE.values()) + (NO_EMOTION_FILL,)
    return solid + tuple(blend(c, WASH_OPACITY) for c in solid)
