"""Negative personas (who the product is not for): marked on the Personas sheet, their
emotions shown apart, never a pain point, never a moment of truth at risk, never the colour."""

from __future__ import annotations

import openpyxl

from bpmncx import analyse, load_model
from bpmncx.bpmn.extension import annotations_from_bpmn
from bpmncx.bpmn.write import annotate_bpmn
from bpmncx.report.html import report_html
from bpmncx.workbook import read_annotations
from conftest import SAMPLES

ORDER = SAMPLES / "online-order" / "online-order.bpmn"
BOOK = SAMPLES / "online-order" / "online-order-cx.xlsx"
NEGATIVE = "First-time buyer"


def marked(tmp_path):
    wb = openpyxl.load_workbook(BOOK)
    ws = wb["Personas"]
    column = ws.max_column + 1
    ws.cell(1, column, "Negative persona?")
    row = next(c.row for c in ws["A"] if c.value == NEGATIVE)
    ws.cell(row, column, "yes")
    path = tmp_path / "online-order-cx.xlsx"
    wb.save(path)
    return path, openpyxl.utils.get_column_letter(column)


def test_a_negative_persona_raises_no_pain_point_and_no_risk(tmp_path):
    model = load_model(ORDER)
    plain = analyse([model], read_annotations(BOOK, [model]))
    path, _letter = marked(tmp_path)
    annotations = read_annotations(path, [model])
    assert annotations.problems == []
    assert annotations.negative_personas() == [NEGATIVE]
    analysis = analyse([model], annotations)
    before = [f for f in plain.of_kind("pain-point") if f.persona == NEGATIVE]
    assert before, "the sample has pain points of the first-time buyer"
    assert [f for f in analysis.of_kind("pain-point") if f.persona == NEGATIVE] == []
    assert len(analysis.of_kind("pain-point")) == len(plain.of_kind("pain-point")) - len(before)
    at_risk = {m.label for m in analysis.metrics.moments_of_truth_at_risk}
    assert at_risk <= {m.label for m in plain.metrics.moments_of_truth_at_risk}


def test_the_fill_is_the_lowest_of_the_personas_the_product_is_for(tmp_path):
    model = load_model(ORDER)
    path, _letter = marked(tmp_path)
    analysis = analyse([model], read_annotations(path, [model]))
    for tp in analysis.customer_facing(model.name):
        others = {n: s for n, s in tp.emotions.items() if n != NEGATIVE}
        if others:
            assert analysis.touchpoint_feeling(tp).score == min(others.values()), tp.element_id
    # the negative persona's own view still shows their emotions
    theirs = analyse([model], read_annotations(path, [model]), NEGATIVE)
    tp = next(t for t in theirs.customer_facing(model.name) if NEGATIVE in t.emotions)
    assert theirs.touchpoint_feeling(tp).score == tp.emotions[NEGATIVE]


def test_shown_apart_in_the_report_and_kept_in_the_annotated_bpmn(tmp_path):
    model = load_model(ORDER)
    path, _letter = marked(tmp_path)
    analysis = analyse([model], read_annotations(path, [model]))
    page = report_html(model, None, analysis.annotations, analysis).decode()
    assert "A negative persona: someone the product is not meant for." in page
    data = annotate_bpmn(model, ORDER.read_bytes(), analysis)
    back = annotations_from_bpmn(data, [model])
    assert back.negative_personas() == [NEGATIVE]
