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
