"""The per-model Excel report ``<model>-report.xlsx``: findings, metrics, emotion curve.

Three sheets: *Summary* (the key figures and metrics), *Findings* (one row per
finding, filterable) and *Emotion curve* (the journey per persona with a
native Excel line chart). Text from the model or workbook is always stored as
text, never as a formula; the file is byte-identical for the same input.
"""

from __future__ import annotations

from typing import List, Sequence

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import palette
from ..analysis import Analysis
from ..model import Model
from ..severity import SEVERITIES
from ..workbook.files import workbook_bytes
from ..workbook.template import print_setup, put

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_TITLE_FONT = Font(bold=True, size=14)
_SEVERITY_FILL = {severity: PatternFill("solid", fgColor=colour.lstrip("#"))
                  for severity, colour in palette.SEVERITY_FILL.items()}
_WRAP = Alignment(wrap_text=True, vertical="top")


def _header(ws, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = put(ws, row, column, label)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP


def _widths(ws, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _summary_sheet(ws, model: Model, analysis, workbook_name: str) -> None:
    m = analysis.metrics
    put(ws, 1, 1, f"{model.name}: customer journey and process").font = _TITLE_FONT
    rows: List[tuple] = [
        ("Model", model.path.rsplit("/", 1)[-1]),
        ("Workbook", workbook_name or analysis.workbook.rsplit("/", 1)[-1]),
        ("Persona", analysis.persona or "all"),
        (None, None),
        ("Journey steps", m.steps),
        ("Steps supported by the process", m.supported_steps),
        ("Journey coverage", m.coverage),
    ]
    counts = dict(m.findings_per_severity)
    rows += [(f"Findings: {s}", counts.get(s, 0)) for s in SEVERITIES]
    rows += [
        ("Moments of truth", m.moments_of_truth),
        ("Moments of truth at risk", len(m.moments_of_truth_at_risk)),
        ("Hand-offs", m.handoffs),
        (None, None),
    ]
    row = 2
    for label, value in rows:
        if label is not None:
            put(ws, row, 1, label).font = _HEADER_FONT
            cell = put(ws, row, 2, value)
            if label == "Journey coverage" and value is not None:
                cell.number_format = "0%"
        row += 1

    def block(title: str, headers: Sequence[str], lines) -> None:
        nonlocal row
        put(ws, row, 1, title).font = _TITLE_FONT
        row += 1
        _header(ws, row, headers)
        row += 1
        for line in lines:
            for column, value in enumerate(line, start=1):
                cell = put(ws, row, column, value)
                if isinstance(value, float):
                    cell.number_format = "0.00"
            row += 1
        row += 1

    block("Which moments of truth are at risk", ("Moment of truth", "Step", "Element", "Why"),
          [(mt.label, mt.step, mt.element.element_id if mt.element else None, ", ".join(mt.kinds))
           for mt in m.moments_of_truth_at_risk])
    block("Touchpoints per channel", ("Channel", "Touchpoints"), list(m.touchpoints_per_channel))
    if m.steps_per_device:
        block("Journey steps per device", ("Device", "Steps"), list(m.steps_per_device))
    block("Mean emotion per persona", ("Persona", "Mean emotion", "Scores"),
          [(x.label, x.mean, x.count) for x in m.emotion_per_persona])
    block("Mean emotion per stage", ("Stage", "Mean emotion", "Scores"),
          [(x.label, x.mean, x.count) for x in m.emotion_per_stage])
    block("Findings per kind", ("Kind", "Findings"), list(m.findings_per_kind))
    _widths(ws, (34, 40, 24, 30))


def _findings_sheet(ws, model: Model, analysis) -> None:
    headers = ("Severity", "Kind", "Finding", "Persona", "Steps", "Elements", "Element ids", "Workbook cell")
    _header(ws, 1, headers)
    for row, f in enumerate(analysis.findings, start=2):
        names = [analysis.element_name(ref) for ref in f.elements]
        values = (f.severity, f.kind, f.message, f.persona or "", ", ".join(map(str, f.steps)),
                  ", ".join(names), ", ".join(ref.element_id for ref in f.elements), f.cell)
        for column, value in enumerate(values, start=1):
            cell = put(ws, row, column, value)
            cell.alignment = _WRAP
        ws.cell(row=row, column=1).fill = _SEVERITY_FILL.get(f.severity, PatternFill())
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(analysis.findings) + 1)}"
    _widths(ws, (10, 20, 70, 14, 8, 36, 28, 14))


def _curve_sheet(ws, analysis: Analysis) -> None:
    personas = analysis.personas()
    steps = analysis.steps
    curves = {p: {pt.number: pt.emotion for pt in analysis.curve(p)} for p in personas}
    _header(ws, 1, ["Step", "Stage", "Customer step", *personas])
    for row, step in enumerate(steps, start=2):
        put(ws, row, 1, str(step.step or step.number))
        put(ws, row, 2, step.stage)
        put(ws, row, 3, step.customer_step).alignment = _WRAP
        for column, persona in enumerate(personas, start=4):
            score = curves[persona].get(step.number)
            cell = put(ws, row, column, score)
            if score is not None:
                cell.fill = PatternFill("solid", fgColor=palette.emotion_fill(score).lstrip("#"))
    ws.freeze_panes = "A2"
    _widths(ws, (8, 14, 40, *[16] * len(personas)))
    put(ws, len(steps) + 3, 1, "Emotion: -2 very negative, -1 negative, 0 neutral, +1 positive, "
        "+2 very positive. Empty: not this persona's step, or nobody said.")
    if not steps:
        return
    chart = LineChart()
    chart.title = "Emotion curve per persona"
    chart.y_axis.title = "Emotion (-2 .. +2)"
    chart.x_axis.title = "Journey step"
    chart.y_axis.scaling.min = -2
    chart.y_axis.scaling.max = 2
    chart.y_axis.majorUnit = 1
    chart.x_axis.delete = False  # openpyxl hides axes unless told
    chart.x_axis.tickLblPos = "low"  # step numbers under the chart, not on the zero line
    chart.y_axis.delete = False
    chart.height = 9
    chart.width = max(16, 1.6 * len(steps))
    data = Reference(ws, min_col=4, max_col=3 + len(personas), min_row=1, max_row=1 + len(steps))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(steps)))
    for series in chart.series:
        series.marker.symbol = "circle"
        series.smooth = False
    chart.display_blanks = "span"  # a persona skips the steps that are not its own
    ws.add_chart(chart, f"{get_column_letter(5 + len(personas))}2")


def _measures_sheet(ws, analysis: Analysis) -> None:
    """The event log's clocks, funnel and waits (--log), with a funnel chart."""
    from openpyxl.chart import BarChart

    from .measures import measures_rows

    rows = measures_rows(analysis.measured)
    step_header, section = None, ""
    for r, values in enumerate(rows, start=1):
        if values and values[0] in ("Clock", "Step", "Element"):
            _header(ws, r, values)
            section = values[0]
            step_header = r if section == "Step" else step_header
            continue
        for c, value in enumerate(values, start=1):
            cell = put(ws, r, c, value)
            if section == "Step" and c in (5, 8) and value is not None:
                cell.number_format = "0%"  # reach and lost are shares
    # wide enough for every header on one line: LibreOffice prints a wrapped header over
    # the row below it
    _widths(ws, (18, 40, 14, 12, 16, 24, 16, 21, 11))
    steps = len(analysis.measured.measurement.steps)
    if step_header and steps:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Funnel: share of cases reaching each step"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.y_axis.number_format = "0%"
        chart.x_axis.scaling.orientation = "maxMin"  # step 1 on top
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend = None
        chart.height = max(6, 0.6 * steps)
        chart.add_data(Reference(ws, min_col=5, min_row=step_header,
                                 max_row=step_header + steps), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=step_header + 1,
                                       max_row=step_header + steps))
        ws.add_chart(chart, "K2")


def report_workbook(model: Model, analysis: Analysis, workbook_name: str = "") -> Workbook:
    """The Excel report as an openpyxl Workbook (see :func:`report_xlsx`)."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    _summary_sheet(summary, model, analysis, workbook_name)
    _findings_sheet(wb.create_sheet("Findings"), model, analysis)
    _curve_sheet(wb.create_sheet("Emotion curve"), analysis)
    if analysis.measured is not None:
        _measures_sheet(wb.create_sheet("Measures"), analysis)
    for ws in wb.worksheets:  # printed or saved as PDF: each sheet one page wide
        print_setup(ws)
    return wb


def report_xlsx(model: Model, analysis: Analysis, workbook_name: str = "") -> bytes:
    """``<model>-report.xlsx`` as bytes: findings, metrics and the emotion curve chart of
    ``analysis`` (see :func:`bpmncx.analyse`; a persona's analysis shows that persona)."""
    return workbook_bytes(report_workbook(model, analysis, workbook_name))
