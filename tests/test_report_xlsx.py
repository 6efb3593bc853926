"""``<model>-report.xlsx``: findings, metrics and a native line chart, read back with openpyxl."""

import io
import zipfile

import openpyxl
import pytest
from lxml import etree

from bpmncx import load_model
from bpmncx.analysis import analyse
from bpmncx.report.xlsx import report_xlsx
from bpmncx.workbook import read_annotations
from report_support import FORMULA_NAME, HOSTILE, PERSONAS, SCRIPT_NAME, make_workbook

SHEET_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    workbook = make_workbook(HOSTILE, tmp_path_factory.mktemp("xlsx") / "hostile-cx.xlsx")
    model = load_model(HOSTILE)
    annotations = read_annotations(workbook, [model])
    return model, annotations, analyse([model], annotations)


@pytest.fixture(scope="module")
def data(parts):
    model, _annotations, analysis = parts
    return report_xlsx(model, analysis)


@pytest.fixture(scope="module")
def book(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_same_input_gives_the_same_bytes(parts, data):
    assert report_xlsx(parts[0], parts[2]) == data


def test_findings_sheet_has_every_finding_worst_first(book, parts):
    ws = book["Findings"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Severity", "Kind", "Finding"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    analysis = parts[2]
    assert [(r[0], r[1], r[2]) for r in rows] == [(f.severity, f.kind, f.message) for f in analysis.findings]
    assert rows[0][0] == "critical" and rows[-1][0] == "info"
    assert ws.auto_filter.ref == f"A1:H{len(rows) + 1}"


def test_text_that_looks_like_a_formula_stays_text(book, data):
    cells = [c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formula_like = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert any(c.value == FORMULA_NAME for c in formula_like)  # the element name in Findings
    assert all(c.data_type == "s" for c in formula_like)
    # And in the file itself: no cell carries a formula at all.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                root = etree.fromstring(archive.read(name))
                assert root.findall(".//m:f", SHEET_NS) == [], name


def test_summary_holds_the_key_figures(book, parts):
    ws = book["Summary"]
    values = {row[0]: row[1] for row in ws.iter_rows(min_row=2, max_col=2, values_only=True) if row[0]}
    m = parts[2].metrics
    assert values["Journey steps"] == 5
    assert values["Steps supported by the process"] == 4
    assert values["Journey coverage"] == pytest.approx(0.8)
    assert values["Findings: critical"] == 4
    assert values["Moments of truth at risk"] == len(m.moments_of_truth_at_risk)
    assert values["Hand-offs"] == 3


def test_emotion_curve_has_a_native_line_chart_with_one_line_per_persona(book):
    ws = book["Emotion curve"]
    assert [c.value for c in ws[1]][:3 + len(PERSONAS)] == ["Step", "Stage", "Customer step", *PERSONAS]
    steps = [r for r in ws.iter_rows(min_row=2, max_row=6, values_only=True)]
    assert [r[2] for r in steps] == ["Report the damage", SCRIPT_NAME, "Hear back", "Get my money",
                                     "Payment arrives"]
    assert [r[3] for r in steps] == [1, 0, -2, -1, 2]
    charts = ws._charts
    assert len(charts) == 1
    chart = charts[0]
    assert chart.tagname == "lineChart"
    assert len(chart.series) == len(PERSONAS)
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == ["'Emotion curve'!$D$2:$D$6", "'Emotion curve'!$E$2:$E$6"]
    assert chart.y_axis.scaling.min == -2 and chart.y_axis.scaling.max == 2


def test_every_sheet_prints_one_page_wide_in_landscape(book):
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
