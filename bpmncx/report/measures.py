"""An event log's measures in the reports: the HTML section (the two clocks, the funnel,
the waits per step, inline SVG charts, no script) and the Excel report's Measures sheet.

Every figure a reader sees is written by the event log's own formatters
(``duration_text``, ``share_text``, ``number_text``), so the reports say what the
picture and ``bpmncx measure`` say.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from lxml import etree
from lxml.html import builder as E

from .. import palette
from ..eventlog.findings import Measured, duration_text, number_text, share_text
from ..eventlog.formats import clocks_line
from ..eventlog.result import Stat, StepMeasure

INK = palette.REPORT_INK
MUTED = palette.REPORT_MUTED
GRID = palette.REPORT_LINE
PROCESS = palette.PERSONA_COLOURS[0]  # blue: the process clock, the median wait
CUSTOMER = palette.PERSONA_COLOURS[1]  # vermilion: the customer clock, the p90 wait
LABEL_W = 230  # room for a step's name left of its bars
BAR_W = 420


def _svg(width: float, height: float, label: str):
    svg = etree.Element("svg", {"class": "chart", "viewBox": f"0 0 {width:g} {height:g}",
                                "width": f"{width:g}", "height": f"{height:g}", "role": "img",
                                "aria-label": label})
    etree.SubElement(svg, "title").text = label
    return svg


def _text(parent, x: float, y: float, text: str, anchor: str = "start", colour: str = INK,
          size: int = 12) -> None:
    etree.SubElement(parent, "text", {"x": f"{x:g}", "y": f"{y:g}", "text-anchor": anchor,
                                      "font-size": str(size), "fill": colour}).text = text


def _step_label(step: StepMeasure) -> str:
    label = f"{step.number}. {step.label}" if step.label else f"step {step.number}"
    label += " \u2605" if step.moment_of_truth else ""
    return label if len(label) <= 34 else label[:33] + "\u2026"


def funnel_chart(steps: Sequence[StepMeasure]):
    """The share of cases reaching each step the log shows, one bar per step."""
    shown = [s for s in steps if s.reach is not None]
    row = 22
    height = 30 + row * len(shown) + 10
    svg = _svg(LABEL_W + BAR_W + 70, height, "Funnel: share of cases reaching each step")
    for index, step in enumerate(shown):
        y = 20 + index * row
        _text(svg, LABEL_W - 8, y + 14, _step_label(step), "end")
        bar = etree.SubElement(svg, "rect", {
            "x": str(LABEL_W), "y": f"{y + 3:g}", "width": f"{BAR_W * step.reach:g}",
            "height": str(row - 6), "fill": PROCESS, "data-journey-step": str(step.number),
            "data-reach": f"{step.reach:g}"})
        etree.SubElement(bar, "title").text = (f"{share_text(step.reach)} of the cases "
                                               f"({step.cases}) reach step {step.number}")
        _text(svg, LABEL_W + BAR_W * step.reach + 6, y + 14, share_text(step.reach))
    return svg


def waits_chart(steps: Sequence[StepMeasure]):
    """The wait before each step: median and p90 bars on one scale."""
    shown = [s for s in steps if s.wait.count]
    longest = max([s.wait.p90 or 0.0 for s in shown] + [1.0])
    row = 30
    height = 40 + row * len(shown) + 10
    svg = _svg(LABEL_W + BAR_W + 110, height, "Wait before each step: median and p90")
    _legend(svg, LABEL_W, 14, [("median", PROCESS), ("one in ten waits longer (p90)",
                                                     CUSTOMER)])
    for index, step in enumerate(shown):
        y = 28 + index * row
        _text(svg, LABEL_W - 8, y + 17, _step_label(step), "end")
        for offset, value, colour, what in ((2, step.wait.median, PROCESS, "median"),
                                            (14, step.wait.p90, CUSTOMER, "p90")):
            width = BAR_W * (value or 0.0) / longest
            bar = etree.SubElement(svg, "rect", {
                "x": str(LABEL_W), "y": f"{y + offset:g}", "width": f"{width:g}",
                "height": "10", "fill": colour, "data-journey-step": str(step.number),
                f"data-wait-{what}-seconds": f"{value:g}" if value is not None else ""})
            etree.SubElement(bar, "title").text = (f"step {step.number}: {what} wait "
                                                   f"{duration_text(value)}")
            _text(svg, LABEL_W + width + 6, y + offset + 9, duration_text(value), size=10)
    return svg


def clocks_chart(process: Stat, customer: Stat):
    """The two clocks' distributions over cases as box plots on one scale: whiskers from
    the shortest to the longest case, the box from p25 to p75, the line at the median."""
    longest = max(process.maximum or 0.0, customer.maximum or 0.0, 1.0)
    width = LABEL_W + BAR_W + 40
    svg = _svg(width, 150, "The two clocks over cases: process against customer")

    def x_of(value: Optional[float]) -> float:
        return LABEL_W + BAR_W * (value or 0.0) / longest

    for index, (name, stat, colour) in enumerate((("process clock", process, PROCESS),
                                                  ("customer clock", customer, CUSTOMER))):
        y = 20 + index * 50
        _text(svg, LABEL_W - 8, y + 16, f"{name} ({stat.count} cases)", "end")
        if not stat.count:
            continue
        group = etree.SubElement(svg, "g", {"data-clock": name.split()[0],
                                            "data-median-seconds": f"{stat.median:g}"})
        etree.SubElement(group, "title").text = (
            f"{name}: median {duration_text(stat.median)}, p25 {duration_text(stat.p25)}, "
            f"p75 {duration_text(stat.p75)}, p90 {duration_text(stat.p90)}, shortest "
            f"{duration_text(stat.minimum)}, longest {duration_text(stat.maximum)}")
        etree.SubElement(group, "line", {"x1": f"{x_of(stat.minimum):g}",
                                         "x2": f"{x_of(stat.maximum):g}", "y1": f"{y + 12:g}",
                                         "y2": f"{y + 12:g}", "stroke": colour,
                                         "stroke-width": "1.5"})
        etree.SubElement(group, "rect", {"x": f"{x_of(stat.p25):g}", "y": f"{y:g}",
                                         "width": f"{max(x_of(stat.p75) - x_of(stat.p25), 1):g}",
                                         "height": "24", "fill": colour, "fill-opacity": "0.3",
                                         "stroke": colour, "stroke-width": "1.5"})
        etree.SubElement(group, "line", {"x1": f"{x_of(stat.median):g}",
                                         "x2": f"{x_of(stat.median):g}", "y1": f"{y - 2:g}",
                                         "y2": f"{y + 26:g}", "stroke": INK, "stroke-width": "2.5"})
        _text(svg, x_of(stat.median), y + 40, f"median {duration_text(stat.median)}", "middle",
              size=11)
    etree.SubElement(svg, "line", {"x1": str(LABEL_W), "x2": str(LABEL_W + BAR_W), "y1": "128",
                                   "y2": "128", "stroke": GRID})
    for share in (0, 0.5, 1):
        _text(svg, LABEL_W + BAR_W * share, 144, duration_text(longest * share), "middle",
              MUTED, 10)
    return svg


def _legend(svg, x: float, y: float, entries: Sequence[Tuple[str, str]]) -> None:
    for label, colour in entries:
        etree.SubElement(svg, "rect", {"x": f"{x:g}", "y": f"{y - 9:g}", "width": "12",
                                       "height": "10", "fill": colour})
        _text(svg, x + 16, y, label, size=11)
        x += 28 + 6.5 * len(label)


def measures_section(measured: Measured) -> List:
    """The HTML report's "Measured from the event log" section, as lxml elements."""
    m = measured.measurement
    parts: List = [E.H2("Measured from the event log")]
    parts.append(E.P(
        f"{m.log.events} events in {m.log.cases} cases of "
        f"{m.log.source.replace(chr(92), '/').rsplit('/', 1)[-1]} "
        f"({m.log.first or '?'} to {m.log.last or '?'}). Clocks: {clocks_line(m)}. "
        "The process clock runs from the first to the last event of operations' elements, "
        "the customer clock from the first to the last journey step the customer took."))
    parts.append(E.H3("The two clocks"))
    parts.append(E.DIV(E.CLASS("chart-box"), clocks_chart(m.process_clock, m.customer_clock)))
    parts.append(E.H3("Funnel: where customers leave"))
    parts.append(E.DIV(E.CLASS("chart-box"), funnel_chart(m.steps)))
    parts.append(E.H3("Waits before each step"))
    parts.append(E.DIV(E.CLASS("chart-box"), waits_chart(m.steps)))
    rows = []
    for s in m.steps:
        rows.append(E.TR(E.TD(str(s.number)), E.TD(s.label), E.TD(s.observed),
                         E.TD(str(s.cases)), E.TD(share_text(s.reach)),
                         E.TD(duration_text(s.wait.median) if s.wait.count else ""),
                         E.TD(duration_text(s.wait.p90) if s.wait.count else ""),
                         E.TD(share_text(s.lost_share) if s.lost_share is not None else ""),
                         E.TD(str(s.repeated))))
    parts.append(E.TABLE(E.CLASS("sortable"), E.THEAD(E.TR(*[E.TH(h) for h in (
        "Step", "Customer step", "Seen", "Cases", "Reach", "Wait (median)", "Wait (p90)",
        "Lost before the next", "Repeated")])), E.TBODY(*rows)))
    if m.unmapped:
        parts.append(E.P(E.CLASS("note"), "Activities of the log that map to nothing (map them "
                         "on the workbook's Event log sheet): " + "; ".join(
                             f"{a.activity} ({a.events} events)" for a in m.unmapped[:20])))
    return parts


# -- Excel ---------------------------------------------------------------------------

def measures_rows(measured: Measured) -> List[List]:
    """The Measures sheet as rows of values (numbers stay numbers: days, shares 0-1)."""
    m = measured.measurement

    def days(value: Optional[float]):
        return None if value is None else round(value / 86400.0, 3)

    rows: List[List] = [
        ["Event log", m.log.source],
        ["Events", m.log.events], ["Cases", m.log.cases],
        ["Clocks", clocks_line(m)],
        [],
        ["Clock", "Cases", "Median (days)", "p90 (days)", "Shortest (days)", "Longest (days)"],
    ]
    for name, stat in (("process", m.process_clock), ("customer", m.customer_clock)):
        rows.append([name, stat.count, days(stat.median), days(stat.p90), days(stat.minimum),
                     days(stat.maximum)])
    rows += [[], ["Step", "Customer step", "Seen", "Cases", "Reach", "Wait median (days)",
                  "Wait p90 (days)", "Lost before the next", "Repeated"]]
    for s in m.steps:
        rows.append([s.number, s.label, s.observed, s.cases, s.reach, days(s.wait.median),
                     days(s.wait.p90), s.lost_share, s.repeated])
    rows += [[], ["Element", "Name", "Occurrences", "Cases", "Per case",
                  "Median duration (days)"]]
    for e in m.elements:
        rows.append([e.element.element_id, e.name, e.occurrences, e.cases,
                     float(number_text(e.occurrences / m.log.cases, 2)) if m.log.cases else None,
                     days(e.duration.median)])
    return rows
