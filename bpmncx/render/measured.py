"""An event log on the picture: the two clocks in the title block, the wait before and the
share of cases reaching each step on the journey band, and a frequency or duration heat on
the elements, with its legend.

Drawn through the Builder only (texts, pictures, data attributes), as layers the overlay
adds when its analysis carries a measured log (``analysis.measured``, an
:class:`bpmncx.eventlog.findings.Measured`). Every figure is written by the event log's
own formatters (duration_text, share_text, number_text), so the picture, the reports and
``bpmncx measure`` say the same thing the same way.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from .. import palette
from ..eventlog.findings import Measured, duration_text, number_text, share_text
from ..eventlog.formats import clocks_line
from ..eventlog.result import ElementMeasure, Measurement
from ..model import Bounds, Model, Plane
from . import icons, styles
from .graph import ID_SEPARATOR, Builder
from .text import text_height, text_width

TAG_SIZE = 8.0  # the wait/reach tags over the journey's steps
TAG_HEIGHT = text_height(2, TAG_SIZE) + 4  # the room each band row keeps above its steps
CLOCKS_SIZE = styles.LEGEND_SIZE + 1
CLOCKS_HEIGHT = text_height(1, CLOCKS_SIZE) + 4  # the title block's extra line
HEAT_BAR = 5.0  # height of an element's heat bar, just above its top edge
HEAT_WORDS = {"frequency": "events per case", "duration": "median duration"}


# -- the figures ---------------------------------------------------------------------

def clocks_text(measurement: Measurement) -> str:
    """"Event log: process 2.1 days · customer 9.4 days, median (4.5x); 200 cases"."""
    return f"Event log: {clocks_line(measurement)}; {measurement.log.cases} cases"


def heat_values(measured: Measured, model: str) -> Dict[str, Tuple[float, ElementMeasure]]:
    """Element id -> (heat value, its measure) for the elements of ``model`` the log shows:
    occurrences per case of the log (frequency) or the median duration in seconds."""
    values: Dict[str, Tuple[float, ElementMeasure]] = {}
    cases = measured.measurement.log.cases
    for element in measured.measurement.elements:
        if element.element.model != model or not element.occurrences:
            continue
        if measured.heat == "frequency" and cases:
            values[element.element.element_id] = (element.occurrences / cases, element)
        elif measured.heat == "duration" and element.duration.median is not None:
            values[element.element.element_id] = (element.duration.median, element)
    return values


def heat_limits(values: Sequence[float],
                given: Optional[Tuple[float, float]] = None) -> Optional[Tuple[float, float]]:
    """(low, high) between the three shades: ``given``, else the values' thirds."""
    if given is not None:
        return given
    ordered = sorted(values)
    if not ordered:
        return None
    low = ordered[(len(ordered) - 1) // 3]
    high = ordered[(2 * (len(ordered) - 1)) // 3]
    if high <= low:
        high = low + (abs(low) * 0.01 or 0.01)  # all alike: one shade for all
    return low, high


def heat_level(value: float, limits: Tuple[float, float]) -> int:
    """0 below ``low``, 1 up to ``high``, 2 at ``high`` or more."""
    low, high = limits
    return 0 if value < low else (1 if value < high else 2)


def heat_value_text(heat: str, value: float) -> str:
    return duration_text(value) if heat == "duration" else f"{number_text(value)} per case"


# -- the title block -----------------------------------------------------------------

def draw_clocks(builder: Builder, measured: Measured, model: Model, left: float,
                top: float) -> None:
    """The clocks line of the title block at ``top``, and right of it the heat's legend."""
    m = measured.measurement
    text = clocks_text(m)
    svg_id = builder.text(f"title{ID_SEPARATOR}clocks", [text], 0, top, CLOCKS_SIZE,
                          styles.TITLE_COLOUR, left=left, bold=True)
    if svg_id:
        attributes = {"data-cases": str(m.log.cases)}
        for name, stat in (("process", m.process_clock), ("customer", m.customer_clock)):
            if stat.median is not None:
                attributes[f"data-{name}-clock-seconds"] = f"{stat.median:g}"
        if m.clock_ratio is not None:
            attributes["data-clock-ratio"] = f"{m.clock_ratio:g}"
        builder.attributes[svg_id] = attributes
        builder.tooltips[svg_id] = (
            "The process clock runs from the first to the last event of operations' "
            "elements, the customer clock from the first to the last journey step the "
            f"customer took, per case; medians over {m.log.cases} cases of {m.log.source}.")
    x = left + text_width(text, CLOCKS_SIZE, bold=True) + 24
    _heat_legend(builder, measured, model, x, top)


def _heat_legend(builder: Builder, measured: Measured, model: Model, x: float,
                 top: float) -> None:
    if measured.heat not in HEAT_WORDS:
        return
    values = heat_values(measured, model.name)
    limits = heat_limits([v for v, _ in values.values()], measured.heat_limits)
    if limits is None:
        return
    size = styles.LEGEND_SIZE
    low, high = (heat_value_text(measured.heat, v).replace(" per case", "") for v in limits)
    labels = [f"below {low}", f"{low} to {high}", f"{high} or more"]
    parts = []
    y = CLOCKS_HEIGHT / 2
    title = f"heat ({HEAT_WORDS[measured.heat]}):"
    parts.append(icons.text_lines([title], 0, y + size * 0.35, size, styles.TEXT,
                                  anchor="start"))
    at = text_width(title, size) + 8
    for level, label in enumerate(labels):
        parts += _bar(at, y - HEAT_BAR / 2, 24.0, level)
        at += 28
        parts.append(icons.text_lines([label], at, y + size * 0.35, size, styles.TEXT,
                                      anchor="start"))
        at += text_width(label, size) + 12
    svg_id = builder.picture("legend" + ID_SEPARATOR + "heat", Bounds(x, top, at, CLOCKS_HEIGHT),
                             parts, top=True)
    if svg_id:
        builder.attributes[svg_id] = {"data-heat": measured.heat,
                                      "data-heat-limits": f"{limits[0]:g},{limits[1]:g}"}


def _bar(x: float, y: float, width: float, level: int) -> List:
    """A heat bar: an outlined track, filled a third, two thirds or whole in the level's
    shade (length and colour both say the level)."""
    shade = palette.HEAT_SHADES[level]
    border = palette.outline_ink(shade)
    filled = width * (level + 1) / 3
    return [
        icons.el("rect", x=x, y=y, width=width, height=HEAT_BAR, fill=palette.HEAT_TRACK,
                 stroke="none"),
        icons.el("rect", x=x, y=y, width=filled, height=HEAT_BAR, fill=shade, stroke="none"),
        icons.el("rect", x=x, y=y, width=width, height=HEAT_BAR, fill="none", stroke=border,
                 stroke_width=0.8),
    ]


# -- the journey band ----------------------------------------------------------------

class BandMeasures:
    """Over each step of the journey band: the median wait since the previous step and
    the share of cases reaching it (data-wait-seconds, data-reach ...). Drawn after the
    band, whose chips carry their place (x, row_top)."""

    def __init__(self, measured: Measured, band, journey_id: str):
        self.measured = measured
        self.band = band
        self.journey_id = journey_id

    def draw(self, builder: Builder) -> None:
        m = self.measured.measurement
        ink = palette.text_ink(styles.BAND_FILL)
        for chip in self.band.chips:
            step = m.step(chip.step.number)
            if step is None or step.observed == "none":
                continue
            lines = [f"waits {duration_text(step.wait.median)}" if step.wait.count else
                     "first step seen", f"{share_text(step.reach)} reach"]
            top = getattr(chip, "row_top", chip.box.y - TAG_HEIGHT) + 20
            svg_id = builder.text(f"{self.journey_id}-step-{step.number}{ID_SEPARATOR}measured",
                                  lines, chip.x, top, TAG_SIZE, ink)
            if not svg_id:
                continue
            attributes = {"data-journey-step": str(step.number), "data-cases": str(step.cases),
                          "data-reach": f"{step.reach:g}" if step.reach is not None else ""}
            if step.wait.median is not None:
                attributes["data-wait-seconds"] = f"{step.wait.median:g}"
                attributes["data-wait-p90-seconds"] = f"{step.wait.p90:g}"
            if step.lost_share is not None:
                attributes["data-lost"] = f"{step.lost_share:g}"
            builder.attributes[svg_id] = attributes
            tip = [f"Step {step.number}, from the event log ({step.cases} cases):",
                   f"reached by {share_text(step.reach)} of the cases"]
            if step.wait.count:
                tip.append(f"wait since the previous step: median "
                           f"{duration_text(step.wait.median)}, one in ten "
                           f"{duration_text(step.wait.p90)} or more")
            if step.lost_share is not None and step.next_step is not None:
                tip.append(f"{share_text(step.lost_share)} never reach step {step.next_step}")
            if step.repeated:
                tip.append(f"repeated in {step.repeated} cases")
            builder.tooltips[svg_id] = "\n".join(tip)


# -- the elements --------------------------------------------------------------------

class Heat:
    """A bar just above each element the log shows: a third, two thirds or all of it
    filled in the level's shade; data-heat-level, data-frequency, data-duration-seconds."""

    def __init__(self, measured: Measured, model: Model, plane: Plane):
        self.measured = measured
        self.model = model
        self.plane = plane

    def draw(self, builder: Builder) -> None:
        values = heat_values(self.measured, self.model.name)
        limits = heat_limits([v for v, _ in values.values()], self.measured.heat_limits)
        if limits is None:
            return
        cases = self.measured.measurement.log.cases
        shape_of = self.plane.shape_of
        for element_id in sorted(values):
            shape = shape_of.get(element_id)
            if shape is None:
                continue
            value, element = values[element_id]
            level = heat_level(value, limits)
            b = shape.bounds
            width = min(b.width, 60.0)
            box = Bounds(b.x + (b.width - width) / 2, b.y - HEAT_BAR - 2, width, HEAT_BAR)
            svg_id = builder.picture(f"{element_id}{ID_SEPARATOR}heat", box,
                                     _bar(0, 0, width, level), top=True)
            if not svg_id:
                continue
            attributes = {"data-heat-level": str(level),
                          "data-frequency": f"{element.occurrences / cases:g}" if cases else "",
                          "data-occurrences": str(element.occurrences)}
            if element.duration.median is not None:
                attributes["data-duration-seconds"] = f"{element.duration.median:g}"
            builder.attributes[svg_id] = attributes
            builder.tooltips[svg_id] = (
                f"{element.name}: {element.occurrences} times in {element.cases} cases "
                f"({number_text(element.occurrences / cases if cases else None)} per case)"
                + (f", median duration {duration_text(element.duration.median)}"
                   if element.duration.median is not None else ""))
