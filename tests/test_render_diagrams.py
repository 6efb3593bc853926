"""Every diagram of a model: --diagram all for render and annotate, the main one chosen as
Camunda Modeler opens it, drill-downs in batch and in the HTML report, the overlay on each."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lxml import html as lxml_html

from bpmncx import load_model
from bpmncx.analysis import analyse
from bpmncx.model import Plane
from bpmncx.pipeline.outputs import diagram_slugs, output_name
from bpmncx.render import ALL_DIAGRAMS, planes_to_draw, scene_for
from bpmncx.render.draw import svg_many
from bpmncx.render.overlay import annotated_scene
from bpmncx.workbook import read_annotations, write_template

from conftest import CORPUS, FIXTURES, corpus_files, needs_corpus
from test_render import SVG, Drawn, parse
from workbook_support import load, set_row, set_tp

DRILL = FIXTURES / "render" / "drilldown.bpmn"
C40 = CORPUS / "reference" / "C.4.0.bpmn"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


# -- naming -----------------------------------------------------------------------------------


def test_diagram_slugs_use_the_name_else_the_id_and_stay_unique():
    planes = [Plane("D1", "Claims", "P1", "C"), Plane("D2", "Claims", "P2", "S"),
              Plane("D3", "", "P3", "S2"), Plane("", " / ", "", "S3"),
              Plane("D5", "Prüfung & Zahlung", "P5", "S4")]
    assert diagram_slugs(planes) == {0: "claims", 1: "claims-2", 2: "d3", 3: "diagram-4",
                                     4: "prüfung-zahlung"}
    assert output_name("claim", None, "svg", "claims-2") == "claim.claims-2.svg"
    assert output_name("claim", "First buyer", "png", "it") == "claim.first-buyer.it.png"
    assert output_name("claim", None, "svg") == "claim.svg"


def test_the_main_diagram_is_the_first_that_draws_something():
    model = load_model(DRILL)
    assert model.main_plane.diagram_id == "Diagram_Main"
    assert [p.label for p in model.drawn_planes] == ["Claims", "Assess the claim"]
    # Camunda writes an empty plane per collapsed sub-process without content: not drawn
    export = load_model(CORPUS / "camunda-modeler-18.6.1" / "B.1.0-export.bpmn")
    assert len(export.planes) == 2 and len(export.drawn_planes) == 1


# -- render --------------------------------------------------------------------------------------


def test_render_default_draws_the_first_diagram_and_names_the_others(tmp_path):
    result = run("render", C40, "-o", tmp_path / "c4.svg")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"note: {C40}: drew the first of 4 diagrams, 'Onboarding employee'; also has 'IT', "
        "'Payroll', 'Facilities' (--diagram all draws every one)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c4.svg"]
    single = run("render", DRILL.parent / "markers.bpmn", "-o", tmp_path / "m.svg")
    assert single.stderr == ""


def test_render_all_writes_one_file_per_diagram_with_every_shape(tmp_path):
    result = run("render", C40, DRILL, "-o", tmp_path, "--diagram", "all")
    assert result.returncode == 0, result.stderr
    names = ["C.4.0.onboarding-employee.svg", "C.4.0.it.svg", "C.4.0.payroll.svg",
             "C.4.0.facilities.svg", "drilldown.claims.svg", "drilldown.assess-the-claim.svg"]
    assert result.stdout.splitlines() == [str(tmp_path / n) for n in names]
    for path, plane in zip(names, load_model(C40).planes + load_model(DRILL).planes):
        drawn = Drawn((tmp_path / path).read_bytes())
        assert {s.element_id for s in plane.shapes} <= set(drawn.groups), path
    # one file named on the command line: its name takes the diagram's
    one = run("render", DRILL, "-o", tmp_path / "one" / "pic.png", "--diagram", "all")
    assert one.returncode == 0, one.stderr
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [
        "pic.assess-the-claim.png", "pic.claims.png"]


def test_render_diagram_by_id_still_works(tmp_path):
    result = run("render", DRILL, "-o", tmp_path / "a.svg", "--diagram", "Diagram_Assess")
    assert result.returncode == 0, result.stderr
    groups = Drawn((tmp_path / "a.svg").read_bytes()).groups
    assert "Call" in groups and "Register" not in groups


# -- the overlay on every diagram ----------------------------------------------------------------


@pytest.fixture(scope="module")
def drill_book(tmp_path_factory):
    """A workbook: "Call the customer" (only on the drill-down) is customer-facing at -2 and
    supports journey step 1; "Register the claim" supports step 2."""
    folder = tmp_path_factory.mktemp("drill")
    model = load_model(DRILL)
    book = folder / "drilldown-cx.xlsx"
    write_template([model], book, personas=["Claimant"])
    wb = load(book)
    tp = wb["Touchpoints"]
    set_tp(tp, "Call", "Customer-facing?", "Yes")
    set_tp(tp, "Call", "Channel", "Phone")
    set_tp(tp, "Call", "Emotion: Claimant", -2)
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "Gets a call",
                               "Supported by": "Call"})
    set_row(wb["Journey"], 3, {"Step": 2, "Customer step": "Sends the form",
                               "Supported by": "Register"})
    wb.save(book)
    return model, book


def _connector_ends(svg, step):
    """The DI point where each connector of a journey step ends."""
    drawn = Drawn(svg)
    ends = []
    for element_id, group in drawn.groups.items():
        if element_id.startswith(f"journey-step-{step}::link"):
            points, _ = drawn.edge_points(element_id)
            ends.append(points[-1])
    return ends


def test_a_touchpoint_on_a_drill_down_is_coloured_there_and_its_step_points_to_it(drill_book):
    model, book = drill_book
    annotations = read_annotations(book, [model])
    assert not annotations.errors, annotations.errors
    analysis = analyse([model], annotations)
    main, inner = model.drawn_planes
    main_svg, inner_svg = svg_many([annotated_scene(model, analysis, plane=main),
                                    annotated_scene(model, analysis, plane=inner)])
    outline = parse(inner_svg).find(f".//{SVG}g[@id='Call']")[1]
    assert outline.get("fill").upper() == analysis.emotion_fill(
        next(tp.ref for tp in annotations.touchpoints if tp.element_id == "Call")).upper()
    assert parse(inner_svg).find(f".//{SVG}g[@id='Call::channel']") is not None
    # on the drill-down, step 1 points at the task itself ...
    (x, y), = _connector_ends(inner_svg, 1)
    assert 270 <= x <= 370 and abs(y - 80) < 1
    # ... on the main diagram at the collapsed sub-process that contains it
    (x, y), = _connector_ends(main_svg, 1)
    assert 420 <= x <= 520 and abs(y - 140) < 1
    # step 2's supporter is only on the main diagram: no connector on the drill-down
    assert _connector_ends(inner_svg, 2) == []
    assert len(_connector_ends(main_svg, 2)) == 1


def test_annotate_all_writes_each_diagram_and_one_report_showing_them(drill_book, tmp_path):
    model, book = drill_book
    out = tmp_path / "out"
    result = run("annotate", DRILL, book, "-o", out, "--format", "svg,png,html",
                 "--diagram", "all")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "drilldown.assess-the-claim.png", "drilldown.assess-the-claim.svg",
        "drilldown.claims.png", "drilldown.claims.svg", "drilldown.html"]
    page = lxml_html.parse(str(out / "drilldown.html")).getroot()
    views = page.xpath("//div[contains(@class, 'diagram-view')]")
    assert [v.get("id") for v in views] == ["diagram-1", "diagram-2"]
    assert views[1].get("data-opens-from") == "Assess"
    assert [a.text for a in page.xpath("//p[@class='diagrams']/a")] == [
        "main diagram", "Assess the claim"]
    # the main diagram first (with the collapsed shape to click), then the drill-down
    assert views[0].xpath(".//svg//g[@data-element-id='Assess']")
    assert views[1].xpath(".//svg//g[@data-element-id='Call']")
    ids = page.xpath("//svg//@id")
    assert len(ids) == len(set(ids))  # prefixed: one page, unique ids
    # the default draws the first diagram only, and says so
    default = run("annotate", DRILL, book, "-o", tmp_path / "default", "--format", "svg")
    assert default.returncode == 0
    assert f"note: {DRILL}: drew the first of 2 diagrams, 'Claims'; also has 'Assess the claim'" \
        in default.stderr
    assert sorted(p.name for p in (tmp_path / "default").iterdir()) == ["drilldown.svg"]


def test_batch_draws_every_diagram_and_reports_them(drill_book, tmp_path):
    model, book = drill_book
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "drilldown.bpmn").write_bytes(DRILL.read_bytes())
    (folder / "drilldown-cx.xlsx").write_bytes(book.read_bytes())
    (folder / "c4.bpmn").write_bytes(C40.read_bytes())
    out = tmp_path / "out"
    result = run("batch", folder, "-o", out, "-j", "1", "-q", "--format", "svg,png,html")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".svg", ".png")) == [
        "c4.facilities.png", "c4.facilities.svg", "c4.it.png", "c4.it.svg", "c4.payroll.png",
        "c4.payroll.svg", "c4.png", "c4.svg", "drilldown.assess-the-claim.png",
        "drilldown.assess-the-claim.svg", "drilldown.png", "drilldown.svg"]
    page = lxml_html.parse(str(out / "c4.html")).getroot()
    assert [a.text for a in page.xpath("//p[@class='diagrams']/a")] == [
        "main diagram", "IT", "Payroll", "Facilities"]
    report = lxml_html.parse(str(out / "drilldown.html")).getroot()
    inner = report.xpath("//div[@id='diagram-2']//svg")[0]
    # the touchpoint is coloured on the drill-down inside the report too
    assert inner.xpath(".//g[@data-element-id='Call' and @data-part='channel']")


# -- the whole corpus ----------------------------------------------------------------------------


@needs_corpus
def test_every_diagram_of_every_corpus_file_draws_every_shape():
    """render --diagram all: one SVG per diagram, together holding every BPMNShape's element
    (a shape of no element is left out with a warning, see test_render_patterns)."""
    models = [load_model(path) for path in corpus_files()]
    jobs = [(model, plane) for model in models for plane in planes_to_draw(model, ALL_DIAGRAMS)]
    svgs = svg_many([scene_for(model, plane=plane) for model, plane in jobs])
    drawn = {}
    for (model, _plane), svg in zip(jobs, svgs):
        drawn.setdefault(model.path, set()).update(Drawn(svg).groups)
    missing = []
    for model in models:
        for plane in model.planes:
            for shape in plane.shapes:
                if shape.element_id not in model.missing_elements \
                        and shape.element_id not in drawn[model.path]:
                    missing.append(f"{model.path}: {shape.element_id}")
    assert missing == []
    assert sum(len(m.drawn_planes) for m in models) == len(jobs) > len(models)
