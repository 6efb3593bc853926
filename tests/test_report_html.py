"""The per-model HTML report, read back as a page (lxml) - the browser checks are in
test_report_html_browser.py."""

import re

import pytest
from lxml import html as lxml_html

from bpmncx import load_model
from bpmncx.analysis import analyse
from bpmncx.render import render_svg
from bpmncx.report.html import report_html
from bpmncx.workbook import read_annotations
from report_support import HOSTILE, PERSONAS, SCRIPT_NAME, make_workbook


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    workbook = make_workbook(HOSTILE, tmp_path_factory.mktemp("report") / "hostile-cx.xlsx")
    model = load_model(HOSTILE)
    annotations = read_annotations(workbook, [model])
    assert not annotations.errors, annotations.errors
    analysis = analyse([model], annotations)
    return model, render_svg(model), annotations, analysis


@pytest.fixture(scope="module")
def page(parts):
    data = report_html(*parts)
    return data, lxml_html.document_fromstring(data)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_same_input_gives_the_same_bytes(parts, page):
    assert report_html(*parts) == page[0]


def test_markup_in_names_is_shown_as_text_never_run(page):
    data, doc = page
    # Only our own script element; the hostile names arrive as escaped text.
    assert len(doc.xpath("//script")) == 1
    assert b"<script>alert" not in data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in data
    assert not doc.xpath("//b | //i[not(ancestor::svg)]"), "a name's markup became an element"
    journey_cells = [_text(td) for td in doc.xpath("//table//td")]
    assert SCRIPT_NAME in journey_cells
    # In the diagram the name is a label and a hover tooltip, as text.
    svg_text = " ".join(t.text or "" for t in doc.xpath("//svg[contains(@class,'diagram')]//title"))
    assert "alert(1)" in svg_text
    assert "Insurer <b>Ltd</b>" in _text(doc.xpath("//svg[contains(@class,'diagram')]")[0])


def _canonical(element) -> bytes:
    from lxml import etree
    copy = lxml_html.fragment_fromstring(lxml_html.tostring(element))
    for part in copy.iter():
        if part.tail is not None and not part.tail.strip():
            part.tail = None
        if part.text is not None and not part.text.strip():
            part.text = None
    return etree.tostring(copy, method="c14n")


def test_the_drawing_is_on_the_page_as_inline_svg_makes_it(parts, page):
    """The page takes bpmncx's own SVG as written (no parse of a drawing that can be tens
    of MB); what it shows must be what the general conversion makes of it."""
    from bpmncx.report.html import inline_svg
    _, doc = page
    shown = doc.xpath("//svg[contains(@class,'diagram')]")[0]
    made = inline_svg(parts[1])
    assert _canonical(shown) == _canonical(made)
    assert len(shown.xpath(".//*[@data-element-id]")) > 10


def test_an_svg_handed_in_that_only_looks_like_bpmncx_s_own_is_cleaned(parts):
    """Through the API any bytes can be the diagram: starting as bpmncx's own SVG does
    must not let a script or an event handler onto the page."""
    model, _, annotations, analysis = parts
    lookalike = (b"<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns=\"http://www.w3.org/2000/"
                 b"svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"1\" height=\"1\" "
                 b"viewBox=\"0.00 0.00 10 10\" onload=\"alert(1)\"><script>alert(2)</script>"
                 b"<text>hello</text></svg>")
    doc = lxml_html.document_fromstring(report_html(model, lookalike, annotations, analysis))
    shown = doc.xpath("//svg[contains(@class,'diagram')]")[0]
    assert shown.get("onload") is None and not shown.xpath(".//script")
    assert "hello" in shown.text_content()
    broken = lookalike.replace(b"0.00 0.00 10 10", b"0.00 0.00 1.2.3 10")
    assert report_html(model, broken, annotations, analysis).startswith(b"<!DOCTYPE html>")


def test_page_is_self_contained(page):
    data, doc = page
    assert not doc.xpath("//link | //iframe | //object | //embed")
    assert not doc.xpath("//script[@src] | //img[@src and not(starts-with(@src, 'data:'))]")
    for attr in doc.xpath("//@href | //@src"):
        assert not re.match(r"(?i)^\s*(https?:|//|ftp:)", attr), attr
    style = " ".join(s.text or "" for s in doc.xpath("//style"))
    assert "@import" not in style and "url(" not in style
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]


def test_key_figures(page, parts):
    _data, doc = page
    analysis = parts[3]
    figures = {_text(f.xpath(".//div[@class='label']")[0]): _text(f.xpath(".//div[@class='value']")[0])
               for f in doc.xpath("//div[@class='figure']")}
    m = analysis.metrics
    assert figures["journey coverage"] == f"{round(m.supported_steps / m.steps * 100)}%" == "80%"
    assert figures["gaps found"] == str(len(analysis.findings))
    assert figures["moments of truth at risk"] == str(len(m.moments_of_truth_at_risk))
    assert figures["hand-offs"] == "3"


def test_findings_table_is_worst_first_and_sortable_by_severity(page, parts):
    _data, doc = page
    table = doc.xpath("//h2[.='Findings']/following::table[1]")[0]
    headers = [_text(th) for th in table.xpath(".//thead//th")]
    assert headers[0] == "Severity"
    assert table.xpath(".//thead//th[1]/@class") == ["sortable"]
    ranks = [int(v) for v in table.xpath(".//tbody/tr/td[1]/@data-value")]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2
    assert len(ranks) == len(parts[3].findings)
    kinds = [_text(td) for td in table.xpath(".//tbody/tr/td[2]")]
    assert "missing-support" in kinds and "channel-mismatch" in kinds


def test_journey_per_persona_with_its_emotion_chart(page):
    _data, doc = page
    headings = [_text(h) for h in doc.xpath("//h3")]
    assert headings == [f"Persona: {p}" for p in PERSONAS]
    charts = doc.xpath("//svg[contains(@class,'chart')]")
    assert len(charts) == 2
    # Customer: the emotions typed on the five steps, as one unbroken line.
    points = charts[0].xpath(".//polyline/@points")
    assert len(points) == 1 and len(points[0].split()) == 5
    ys = [float(p.split(",")[1]) for p in points[0].split()]
    # +1, 0, -2, -1, +2: lower emotion is drawn lower (larger y).
    assert ys[2] > ys[3] > ys[1] > ys[0] > ys[4]
    rows = doc.xpath("//h3[1]/following::table[1]/tbody/tr")
    assert [_text(r.xpath("td[3]")[0]) for r in rows][:2] == ["Report the damage", SCRIPT_NAME]
    missing = [_text(r.xpath("td[7]")[0]) for r in rows]
    assert missing[3] == "missing from operations"


def test_touchpoints_table(page):
    _data, doc = page
    table = doc.xpath("//h2[.='Touchpoints']/following::table[1]")[0]
    names = [td.text for td in table.xpath(".//tbody/tr/td[1]")]
    assert names == ["Claim received", SCRIPT_NAME, '=HYPERLINK("http://x","click")', "Pay out"]
    headers = [_text(th) for th in table.xpath(".//thead//th")]
    assert "Emotion: Fleet <i>manager</i>" in headers


def test_model_without_workbook_shows_the_diagram_and_says_what_is_missing(parts):
    model, svg = parts[0], parts[1]
    doc = lxml_html.document_fromstring(report_html(model, svg))
    assert doc.xpath("//svg[contains(@class,'diagram')]")
    assert "No workbook for this model" in _text(doc.xpath("//main")[0])
    assert not doc.xpath("//svg[contains(@class,'chart')]")


def test_report_for_one_persona_shows_that_persona_s_journey(parts):
    model, svg, annotations, _ = parts
    analysis = analyse([model], annotations, persona=PERSONAS[1])
    doc = lxml_html.document_fromstring(report_html(model, svg, annotations, analysis))
    assert [_text(h) for h in doc.xpath("//h3")] == [f"Persona: {PERSONAS[1]}"]
    assert f"persona: {PERSONAS[1]}" in _text(doc.xpath("//p[@class='sub']")[0])


def test_workbook_with_errors_says_what_to_fix(parts):
    from bpmncx.annotations import Problem

    model, svg, annotations, _ = parts
    broken = type(annotations)(source="/x/claims-cx.xlsx", personas=annotations.personas,
                               problems=[Problem("error", "Journey!H7",
                                                 '"Send confirmaton" matches no element <b>')])
    doc = lxml_html.document_fromstring(report_html(model, svg, broken, None))
    note = _text(doc.xpath("//div[@class='note']")[0])
    assert "claims-cx.xlsx has 1 error(s)" in note
    assert 'Journey!H7: "Send confirmaton" matches no element <b>' in note
    assert doc.xpath("//svg[contains(@class,'diagram')]")


def test_the_charts_draw_in_the_page_s_own_ink_muted_and_line_colours():
    """report.css holds the page's colours; the inline charts take theirs from
    palette.REPORT_*: the two must not drift apart."""
    from importlib import resources

    from bpmncx import palette

    css = resources.files("bpmncx.report").joinpath("assets", "report.css").read_text("utf-8")
    declared = dict(re.findall(r"--(ink|muted|line):\s*(#[0-9a-fA-F]{6})", css))
    assert declared == {"ink": palette.REPORT_INK, "muted": palette.REPORT_MUTED,
                        "line": palette.REPORT_LINE}
