"""The outputs agree: the same workbook gives the same colours, personas and
customer-facing elements in the drawing, the annotated BPMN, the HTML report
and the analysis."""

from __future__ import annotations

import dataclasses
import re

import openpyxl
import pytest
from lxml import etree, html

from bpmncx import load_model
from bpmncx.analysis import analyse
from bpmncx.pipeline.annotate import annotate
from bpmncx.annotations import ElementRef, Touchpoint
from bpmncx.bpmn.write import annotate_bpmn
from bpmncx.bpmn.xml import BIOC_NS, BPMNDI_NS
from bpmncx import palette
from bpmncx.render import styles
from bpmncx.render.overlay import render_annotated
from bpmncx.report.html import report_html
from bpmncx.workbook import read_annotations

from conftest import SAMPLES
from test_render import SVG, parse

CLAIM = SAMPLES / "insurance-claim" / "insurance-claim.bpmn"
CLAIM_BOOK = SAMPLES / "insurance-claim" / "insurance-claim-cx.xlsx"
OWNER = "Small business owner"
OWNER_STEPS = [5, 6, 7, 9, 10]  # the Journey sheet's steps of the owner


def svg_fills(svg) -> dict:
    root = parse(svg)
    fills = {}
    for group in root.iter(f"{SVG}g"):
        element_id = group.get("id")
        if element_id and len(group) > 1 and group[1].get("fill"):
            fills[element_id] = group[1].get("fill").upper()
    return fills


def bpmn_fills(data: bytes) -> dict:
    root = etree.fromstring(data)
    return {shape.get("bpmnElement"): shape.get(f"{{{BIOC_NS}}}fill")
            for shape in root.iter(f"{{{BPMNDI_NS}}}BPMNShape")
            if shape.get(f"{{{BIOC_NS}}}fill")}


def facing(annotations, model) -> list:
    return [tp for tp in annotations.touchpoints
            if tp.model == model.name and tp.is_customer_facing]


@pytest.mark.parametrize("persona", [None, "small business OWNER"])
def test_svg_and_annotated_bpmn_fill_every_customer_facing_element_alike(tmp_path, persona):
    result = annotate([str(CLAIM)], str(CLAIM_BOOK), str(tmp_path), formats=("svg", "bpmn"),
                      persona=persona, scale=1.0)
    svg_path, = [p for p in result.paths if p.endswith(".svg")]
    bpmn_path, = [p for p in result.paths if p.endswith(".cx.bpmn")]
    in_svg = svg_fills(open(svg_path, "rb").read())
    in_bpmn = bpmn_fills(open(bpmn_path, "rb").read())
    model = load_model(CLAIM)
    touchpoints = facing(read_annotations(CLAIM_BOOK, [model]), model)
    assert len(touchpoints) >= 8
    for tp in touchpoints:
        assert in_svg[tp.element_id] == in_bpmn[tp.element_id], tp.element_id
    # elements that are not customer-facing keep the modeller's colours
    assert in_bpmn.items() - bpmn_fills(CLAIM.read_bytes()).items() <= \
        {(tp.element_id, in_bpmn[tp.element_id]) for tp in touchpoints}


def test_fills_agree_where_the_persona_or_every_emotion_is_missing():
    model = load_model(CLAIM)
    annotations = read_annotations(CLAIM_BOOK, [model])
    changed = []
    for tp in annotations.touchpoints:
        if tp.element_id == "Activity_0y1nsbs":  # the owner gave no score
            tp = dataclasses.replace(tp, emotions={"First-time claimant": -1})
        elif tp.element_id == "Activity_0pzvqtr":  # nobody gave a score
            tp = dataclasses.replace(tp, emotions={})
        elif tp.element_id == "Activity_0hkogda":  # Customer-facing? blank, text filled
            tp = dataclasses.replace(tp, customer_facing=None, touchpoint="I get a call")
        changed.append(tp)
    annotations.touchpoints = changed
    source = CLAIM.read_bytes()
    for persona in (None, "SMALL BUSINESS owner"):
        analysis = analyse([model], annotations, persona)
        in_svg = svg_fills(render_annotated(model, analysis))
        in_bpmn = bpmn_fills(annotate_bpmn(model, source, analysis))
        for tp in facing(annotations, model):
            assert in_svg[tp.element_id] == in_bpmn[tp.element_id], (persona, tp.element_id)
        assert in_bpmn["Activity_0pzvqtr"] == styles.NO_EMOTION_FILL
        assert "Activity_0hkogda" in in_bpmn
    # the owner's view of an element the owner did not score: no emotion, not someone else's
    assert in_bpmn["Activity_0y1nsbs"] == styles.NO_EMOTION_FILL


def test_colour_rules_live_in_the_palette():
    assert palette.emotion_fill(None) == styles.NO_EMOTION_FILL == palette.NO_EMOTION_FILL
    assert palette.emotion_fill(-2) != palette.emotion_fill(2)
    assert palette.darker("#FFFFFF") == "#8C8C8C"


# -- one persona list, one lookup ---------------------------------------------------------


@pytest.fixture(scope="module")
def lower_case_journey(tmp_path_factory):
    """The owner typed in lower case in the Journey's Persona column."""
    book = openpyxl.load_workbook(CLAIM_BOOK)
    sheet = book["Journey"]
    header = [c.value for c in sheet[1]]
    column = header.index("Persona") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, column)
        if cell.value == OWNER:
            cell.value = OWNER.lower()
    path = tmp_path_factory.mktemp("book") / "insurance-claim-cx.xlsx"
    book.save(path)
    model = load_model(CLAIM)
    annotations = read_annotations(path, [model])
    assert not annotations.errors
    # the workbook reader takes the Personas sheet's spelling ...
    assert [s.number for s in annotations.journey if s.persona == OWNER] == OWNER_STEPS
    # ... annotations from elsewhere (an annotated .cx.bpmn, a library caller) keep theirs
    annotations.journey = [dataclasses.replace(s, persona=OWNER.lower()) if s.persona == OWNER
                           else s for s in annotations.journey]
    return model, annotations


def html_steps(page: bytes, persona: str) -> list:
    root = html.fromstring(page)
    heads = [h for h in root.iter("h3") if h.text_content() == f"Persona: {persona}"]
    assert len(heads) == 1, [h.text_content() for h in root.iter("h3")]
    table = heads[0].xpath("following::table[1]")[0]
    return [int(row[0].get("data-value")) for row in table.iter("tr") if row[0].tag == "td"]


def test_a_persona_typed_in_another_case_is_the_same_persona_everywhere(lower_case_journey):
    model, annotations = lower_case_journey
    assert annotations.known_personas() == ["First-time claimant", OWNER]
    assert annotations.resolve_persona("SMALL business owner") == OWNER
    analysis = analyse([model], annotations, OWNER)
    assert analysis.persona == OWNER
    assert analysis.metrics.steps == len(OWNER_STEPS)
    svg = render_annotated(model, analysis)
    chips = sorted(int(g.get("id")[len("journey-step-"):]) for g in parse(svg).iter(f"{SVG}g")
                   if re.fullmatch(r"journey-step-\d+", g.get("id") or ""))
    assert chips == OWNER_STEPS
    assert html_steps(report_html(model, svg, annotations, analysis), OWNER) == OWNER_STEPS
    # the default view lists the owner once, with the owner's steps
    everyone = analyse([model], annotations)
    page = report_html(model, None, annotations, everyone)
    assert html_steps(page, OWNER) == OWNER_STEPS
    assert b"Persona: small business owner" not in page


# -- one customer-facing rule --------------------------------------------------------------


def test_customer_facing_rule():
    def tp(**kw):
        return Touchpoint("m", "e", **kw)

    assert tp(customer_facing=True).is_customer_facing
    assert not tp(customer_facing=False, touchpoint="x", channel="Web",
                  emotions={"A": 1}).is_customer_facing
    assert not tp().is_customer_facing
    assert not tp(moment_of_truth=True, notes="x").is_customer_facing
    assert tp(touchpoint="A letter").is_customer_facing
    assert tp(channel="Web").is_customer_facing
    assert tp(emotions={"A": -1}).is_customer_facing


# -- one "missing from operations" rule, also with stale references and a persona ----------


def missing_everywhere(tmp_path, model, annotations, persona):
    """The step numbers each output shows as missing from operations."""
    analysis = analyse([model], annotations, persona)
    svg = render_annotated(model, analysis)
    in_svg = {int(m) for m in re.findall(rb'id="journey-step-(\d+)::missing"', svg)}
    data = annotate_bpmn(model, CLAIM.read_bytes(), analysis)
    in_bpmn = {int(m) for m in re.findall(rb'id="cx_missing_step_(\d+)"', data)}
    page = html.fromstring(report_html(model, svg, annotations, analysis))
    in_html = {int(td.getparent()[0].get("data-value")) for td in page.iter("td")
               if td.get("class") == "missing"}
    in_gaps = {f.step for f in analysis.of_kind("missing-support")}
    in_analysis = {s.number for s in analysis.missing_steps()}
    return in_analysis, in_gaps, in_svg, in_bpmn, in_html


@pytest.mark.parametrize("persona", [None, "First-time claimant", "small business OWNER"])
def test_every_output_shows_the_same_missing_steps_with_stale_references(tmp_path, persona):
    """An annotated .cx.bpmn read back after the model changed names elements that are
    gone: a step supported only by them is missing everywhere, for every persona."""
    model = load_model(CLAIM)
    annotations = read_annotations(CLAIM_BOOK, [model])
    supported = [s for s in annotations.journey if s.supported_by]
    stale = [ElementRef(model.name, "Task_deleted_since"), ElementRef(model.name, "Gone_too")]
    half = [ElementRef(model.name, "Task_deleted_since"), supported[1].supported_by[0]]
    annotations.journey = [
        dataclasses.replace(s, supported_by=stale) if s is supported[0]
        else dataclasses.replace(s, supported_by=half) if s is supported[1] else s
        for s in annotations.journey]
    in_analysis, in_gaps, in_svg, in_bpmn, in_html = missing_everywhere(
        tmp_path, model, annotations, persona)
    assert in_analysis == in_gaps == in_svg == in_bpmn == in_html
    scoped = {s.number for s in analyse([model], annotations, persona).steps}
    if supported[0].number in scoped:
        assert supported[0].number in in_analysis  # only stale references: missing
    assert supported[1].number not in in_analysis  # one reference still there: supported


def test_a_stale_annotated_bpmn_gives_the_same_missing_steps_in_every_output(tmp_path):
    """The .cx.bpmn written for the model, read back against an edited model whose
    supporting task was deleted: gaps, picture, annotated BPMN and report agree."""
    model = load_model(CLAIM)
    annotations = read_annotations(CLAIM_BOOK, [model])
    cx = tmp_path / "insurance-claim.cx.bpmn"
    cx.write_bytes(annotate_bpmn(model, CLAIM.read_bytes(), analyse([model], annotations)))
    target = next(s for s in annotations.journey if len(s.supported_by) == 1)
    gone = target.supported_by[0].element_id
    tree = etree.parse(str(CLAIM))
    for el in list(tree.iter()):
        if el.get("id") == gone or el.get("bpmnElement") == gone:
            el.getparent().remove(el)
    edited = tmp_path / "insurance-claim.bpmn"
    tree.write(str(edited), xml_declaration=True, encoding="UTF-8")
    edited_model = load_model(edited)
    back = read_annotations(cx, [edited_model])
    # the reader stops the commands: the touchpoint row names an element that is gone ...
    assert [p.message for p in back.errors] == [
        f"touchpoint on {gone}, which is not an activity or event in insurance-claim.bpmn"]
    # ... and a library caller who drops that row gets outputs that agree on the journey
    back.problems = []
    back.touchpoints = [tp for tp in back.touchpoints if tp.element_id != gone]
    analysis = analyse([edited_model], back)
    assert target.number in {s.number for s in analysis.missing_steps()}
    svg = render_annotated(edited_model, analysis)
    assert f'id="journey-step-{target.number}::missing"'.encode() in svg
    data = annotate_bpmn(edited_model, edited.read_bytes(), analysis)
    assert f'id="cx_missing_step_{target.number}"'.encode() in data
    assert target.number in {f.step for f in analysis.of_kind("missing-support")}
