"""The annotated diagram reads at a glance on every model (issue 13): the journey band runs
left to right in step order without overlaps, decorations hide nothing, containers are
never flooded, every mark reads on its fill, hand-offs and order mismatches are drawn,
and personas can be compared on one diagram."""

from __future__ import annotations

import re

import pytest
from lxml import etree, html

from bpmncx import load_model, palette
from bpmncx.analysis import analyse
from bpmncx.pipeline.annotate import annotate
from bpmncx.render import styles
from bpmncx.render.graph import is_container
from bpmncx.render.overlay import annotated_scene, render_annotated
from bpmncx.render.text import text_width
from bpmncx.workbook import read_annotations

import band_support as bs
from conftest import SAMPLES
from test_render import SVG, Drawn

SAMPLE_PAIRS = [(SAMPLES / name / f"{name}.bpmn", SAMPLES / name / f"{name}-cx.xlsx")
                for name in ("insurance-claim", "online-order")]


def _sample(index):
    model_path, book = SAMPLE_PAIRS[index]
    model = load_model(model_path)
    return model, read_annotations(book, [model])


def _compact():
    model = load_model(bs.BAND / "compact.bpmn")
    return model, bs.compact_annotations(model)


def _reverse():
    model = load_model(bs.BAND / "reverse.bpmn")
    return model, bs.reverse_annotations(model)


@pytest.fixture(scope="module")
def long_case(tmp_path_factory):
    path = tmp_path_factory.mktemp("long") / "long.bpmn"
    path.write_text(bs.long_spec().xml(), encoding="utf-8")
    model = load_model(path)
    annotations = bs.long_annotations(model)
    analysis = analyse([model], annotations, "Ann")
    return model, annotations, analysis, render_annotated(model, analysis)


CASES = {
    "insurance-claim": lambda: _sample(0),
    "online-order": lambda: _sample(1),
    "compact": _compact,
    "reverse": _reverse,
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    model, annotations = CASES[request.param]()
    analysis = analyse([model], annotations)
    return model, annotations, analysis, render_annotated(model, analysis)


def _rows(numbers, boxes):
    """The steps split into rows: a new row starts where x goes back."""
    rows = [[numbers[0]]]
    for before, after in zip(numbers, numbers[1:]):
        if boxes[after][0] <= boxes[before][0]:
            rows.append([])
        rows[-1].append(after)
    return rows


def check_band(analysis, svg):
    drawn = Drawn(svg)
    boxes = bs.step_boxes(drawn)
    numbers = [step.number for step in analysis.steps]
    assert sorted(boxes) == sorted(numbers)
    for a in numbers:
        for b in numbers:
            if a < b:
                assert not bs.overlaps(boxes[a], boxes[b], 0.0), (a, b)
    rows = _rows(numbers, boxes)
    for row in rows:
        xs = [boxes[n][0] for n in row]
        assert xs == sorted(xs) and len(set(xs)) == len(xs), row
    for upper, lower in zip(rows, rows[1:]):  # a wrapped row lies wholly below the one before
        assert max(boxes[n][3] for n in upper) < min(boxes[n][1] for n in lower)
    return drawn, boxes, rows


def test_step_boxes_never_overlap_and_follow_the_journey_left_to_right(case):
    model, _, analysis, svg = case
    _, _, rows = check_band(analysis, svg)
    assert len(rows) == 1  # short journeys stay on one row


def test_a_150_step_journey_on_500_tasks_wraps_into_rows_in_order(long_case):
    model, annotations, analysis, svg = long_case
    assert len(model.activities()) == 500 and len(analysis.steps) == 150
    _, boxes, rows = check_band(analysis, svg)
    assert len(rows) > 2
    assert [n for row in rows for n in row] == list(range(1, 151))
    # connectors would cross the rows below: the supporting elements name their steps
    root = etree.fromstring(svg)
    tags = {g.get("data-element-id"): "".join(g.itertext()) for g in root.iter(f"{SVG}g")
            if g.get("data-part") == "steps"}
    assert "step 1" in tags["T4"]
    assert not [g for g in root.iter(f"{SVG}g") if "::link" in (g.get("id") or "")]


def test_every_step_is_a_group_with_its_number_and_box_first(case):
    _, _, analysis, svg = case
    root = etree.fromstring(svg)
    groups = {int(g.get("data-journey-step")): g for g in root.iter(f"{SVG}g")
              if g.get("data-journey-step")}
    assert sorted(groups) == sorted(s.number for s in analysis.steps)
    missing = {s.number for s in analysis.missing_steps()}
    for number, group in groups.items():
        assert group.get("id") == f"journey-step-{number}"
        first = next(e for e in group.iter() if etree.QName(e).localname in
                     ("rect", "path", "polygon", "ellipse", "circle"))
        assert etree.QName(first).localname == "rect"
        assert (group.get("data-missing") == "true") == (number in missing)
        assert group.get("data-missing") in (None, "true")


def test_a_steps_label_never_leaves_its_box(case, long_case):
    for _, _, analysis, svg in (case, long_case):
        drawn = Drawn(svg)
        boxes = bs.step_boxes(drawn)
        for number, box in boxes.items():
            for part in ("label", "missing", "elsewhere", "channel"):
                group = drawn.groups.get(f"journey-step-{number}::{part}")
                if group is None:
                    continue
                for text in group.iter(f"{SVG}text"):
                    x = float(text.get("x")) + drawn.dx
                    y = float(text.get("y")) + drawn.dy
                    half = text_width(text.text, float(text.get("font-size"))) / 2
                    assert box[0] <= x - half and x + half <= box[2], (number, text.text)
                    assert box[1] <= y <= box[3], (number, text.text)


def _element_boxes(model):
    plane = model.main_plane
    return {s.element_id: (s.bounds.x, s.bounds.y, s.bounds.right, s.bounds.bottom)
            for s in plane.shapes if s.bounds.width >= 1
            and not is_container(model, s, plane.shapes)}


def _flow_ends(model):
    ends = []
    for edge in model.main_plane.edges:
        for p in (edge.waypoints[0], edge.waypoints[-1]):
            ends.append((p.x - 4, p.y - 4, p.x + 4, p.y + 4))
    return ends


def test_decorations_hide_no_other_element_flow_end_or_each_other(case, long_case):
    for model, _, _, svg in (case, long_case):
        drawn = Drawn(svg)
        decorations = bs.decoration_boxes(drawn)
        assert decorations
        elements = _element_boxes(model)
        ends = _flow_ends(model)
        for owner, part, box in decorations:
            for element_id, other in elements.items():
                if element_id != owner:
                    assert not bs.overlaps(box, other), (owner, part, element_id)
            for end in ends:
                assert not bs.overlaps(box, end), (owner, part, end)
        for i, (owner, part, box) in enumerate(decorations):
            for other_owner, other_part, other in decorations[i + 1:]:
                assert not bs.overlaps(box, other), (owner, part, other_owner, other_part)


def test_a_boundary_event_keeps_its_look_and_its_task_its_faces():
    model, annotations = _compact()
    svg = render_annotated(model, analyse([model], annotations))
    drawn = Drawn(svg)
    late = drawn.box("Late")
    assert late == pytest.approx((292, 222, 328, 258), abs=1.0)
    faces = drawn.box("Check::faces")
    assert not bs.overlaps(faces, late)


def _container_fill(drawn, element_id):
    group = drawn.groups[element_id]
    shape = next(e for e in group if etree.QName(e).localname in ("polygon", "path"))
    return shape.get("fill"), float(shape.get("fill-opacity", "1"))


def test_customer_facing_containers_get_a_wash_never_an_opaque_fill():
    model, annotations = _compact()
    analysis = analyse([model], annotations)
    drawn = Drawn(render_annotated(model, analysis))
    fill, opacity = _container_fill(drawn, "Fix")
    assert fill.upper() == palette.emotion_fill(-2)  # the same colour the BPMN file gets
    assert opacity < 0.3
    # the very negative task inside stays solid and visible
    assert drawn.groups["Ask"][1].get("fill").upper() == palette.emotion_fill(-2)
    assert drawn.groups["Ask"][1].get("fill-opacity") is None
    for shape in model.main_plane.shapes:
        if is_container(model, shape, model.main_plane.shapes) and \
                analysis.is_customer_facing(shape_ref(model, shape)):
            assert _container_fill(drawn, shape.element_id)[1] < 0.3


def shape_ref(model, shape):
    from bpmncx.annotations import ElementRef

    return ElementRef(model.name, shape.element_id)


def test_missing_steps_carry_a_glyph_and_a_pattern_of_their_own():
    model, annotations = _compact()
    analysis = analyse([model], annotations)
    root = etree.fromstring(render_annotated(model, analysis))
    for step in analysis.missing_steps():
        group = root.find(f".//{SVG}g[@data-journey-step='{step.number}']")
        assert group.get("data-missing") == "true"
        paths = [p for p in group.iter(f"{SVG}path")]
        assert any(p.get("d", "").count("M") > 3 for p in paths)  # the hatch
        assert group.findall(f".//{SVG}circle")  # the "not supported" disc


def test_handoffs_and_order_mismatches_are_marked_between_their_steps():
    model, annotations = _reverse()
    analysis = analyse([model], annotations, "Ann")
    drawn = Drawn(render_annotated(model, analysis))
    boxes = bs.step_boxes(drawn)
    for kind in ("handoff", "order-mismatch"):
        findings = analysis.of_kind(kind)
        assert len(findings) == 5
        marks = [g for i, g in drawn.groups.items() if i.startswith(f"journey-{kind}-")]
        assert len(marks) == len(findings)
        for finding, mark in zip(sorted(findings, key=lambda f: f.steps), sorted(
                marks, key=lambda g: drawn.box(g.get("id"))[0])):
            first, second = finding.steps
            box = drawn.box(mark.get("id"))
            centre = (box[0] + box[2]) / 2
            assert (boxes[first][0] + boxes[first][2]) / 2 < centre < \
                (boxes[second][0] + boxes[second][2]) / 2
            assert mark.findtext(f"{SVG}title") == finding.message
            text = "".join(mark.itertext())
            if kind == "handoff":
                assert "Front desk" in text and "Back office" in text


def test_a_channel_mismatch_is_marked_on_its_step():
    model, annotations = _compact()
    analysis = analyse([model], annotations)
    assert [f.step for f in analysis.of_kind("channel-mismatch")] == [2]
    root = etree.fromstring(render_annotated(model, analysis))
    mark = root.find(f".//{SVG}g[@id='journey-step-2::channel']")
    assert "Chat" in "".join(mark.itertext()) and "Email" in "".join(mark.itertext())


# -- contrast ----------------------------------------------------------------------------


def test_the_contrast_rule_holds_for_every_fill_the_palette_can_produce():
    fills = palette.emotion_fills()
    assert len(fills) == 12
    for fill in fills:
        assert palette.contrast(palette.ink(fill), fill) >= 3.0, fill
        assert palette.contrast(palette.text_ink(fill), fill) >= 4.5, fill
        border = palette.outline_ink(fill)
        assert palette.contrast(border, fill) >= 3.0 and \
            palette.contrast(border, palette.BACKGROUND) >= 3.0, fill
    for score in (-2, -1, 0, 1, 2, None):
        fill = palette.emotion_fill(score)
        assert palette.contrast(palette.emotion_text(score), fill) >= 4.5, score
    assert palette.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert palette.contrast("#D7191C", "#D7191C") == pytest.approx(1.0)


_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b")


def test_every_mark_drawn_on_an_emotion_fill_reads_on_it():
    """Over the real drawing: each customer-facing element's icons, markers, pain ring and
    label against its fill (3:1, text 4.5:1), and the faces' features against theirs."""
    model, annotations = _compact()
    for persona in ("Ann", "Bob", None):
        analysis = analyse([model], annotations, persona)
        drawn = Drawn(render_annotated(model, analysis))
        checked = 0
        for tp in analysis.customer_facing(model.name):
            fill = analysis.emotion_fill(tp.ref)
            if tp.element_id == "Fix":
                continue  # a container: its wash is checked above, its marks sit on white
            for part in ("marker", "pain"):
                group = drawn.groups.get(f"{tp.element_id}::{part}")
                if group is None:
                    continue
                for e in group.iter():
                    for attr in ("stroke", "fill"):
                        colour = e.get(attr, "")
                        if _COLOUR.fullmatch(colour) and colour.upper() != fill:
                            assert palette.contrast(colour, fill) >= 3.0, \
                                (persona, tp.element_id, part, colour, fill)
                            checked += 1
            for text in drawn.groups[tp.element_id].iter(f"{SVG}text"):
                assert palette.contrast(text.get("fill"), fill) >= 4.5, (tp.element_id, fill)
        assert checked >= 5
        faces = 0
        for group_id, group in drawn.groups.items():
            if not group_id.endswith("::faces"):
                continue
            for face in group.find(f"{SVG}svg").findall(f"{SVG}g"):
                disc, *features = list(face)
                for feature in features:
                    colour = feature.get("fill") if feature.get("fill") != "none" \
                        else feature.get("stroke")
                    assert palette.contrast(colour, disc.get("fill")) >= 3.0, group_id
                    faces += 1
        assert faces


def test_step_text_reads_on_its_fill(case):
    _, _, _, svg = case
    drawn = Drawn(svg)
    for number in bs.step_boxes(drawn):
        group = drawn.groups[f"journey-step-{number}"]
        fill = next(e for e in group.iter(f"{SVG}rect")).get("fill")
        label = drawn.groups[f"journey-step-{number}::label"]
        for text in label.iter(f"{SVG}text"):
            assert palette.contrast(text.get("fill"), fill) >= 4.5, number


# -- personas side by side ---------------------------------------------------------------


def test_compare_draws_every_personas_curve_and_face(tmp_path):
    model_path, book = SAMPLE_PAIRS[0]
    result = annotate([str(model_path)], str(book), str(tmp_path),
                      formats=("svg", "png", "pdf", "html"), persona="Compare", scale=1.0)
    names = sorted(p.rsplit("/", 1)[-1] for p in result.paths)
    assert names == ["insurance-claim.compare.html", "insurance-claim.compare.pdf",
                     "insurance-claim.compare.png", "insurance-claim.compare.svg"]
    assert (tmp_path / "insurance-claim.compare.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "insurance-claim.compare.pdf").read_bytes()[:5] == b"%PDF-"
    svg = (tmp_path / "insurance-claim.compare.svg").read_bytes()
    root = etree.fromstring(svg)
    model = load_model(model_path)
    annotations = read_annotations(book, [model])
    personas = [p.name for p in annotations.personas]
    assert len(personas) == 2
    curves = {g.get("data-persona"): g for g in root.iter(f"{SVG}g") if g.get("data-persona")}
    assert sorted(curves) == sorted(personas)
    dashes = {next(curves[p].iter(f"{SVG}path")).get("stroke-dasharray") for p in personas}
    assert len(dashes) == 2  # line styles differ, not only colours
    legend = "".join(root.find(f".//{SVG}g[@id='legend']").itertext())
    for name in personas:
        assert name in legend
    title = "".join(root.find(f".//{SVG}g[@id='title']").itertext())
    assert "personas compared" in title
    faces = root.find(f".//{SVG}g[@id='Activity_0wy1kbd::faces']")
    if faces is not None:
        assert len(faces.findall(f".//{SVG}g")) == 2
    page = html.fromstring((tmp_path / "insurance-claim.compare.html").read_bytes())
    text = page.text_content()
    assert "personas compared" in text
    assert page.xpath("//*[@data-persona]")  # the compared diagram is in the report
    check_band(analyse([model], annotations), svg)


def test_compare_is_byte_identical_run_to_run():
    model, annotations = _compact()
    analysis = analyse([model], annotations)
    from bpmncx.render.draw import svg_many

    first = svg_many([annotated_scene(model, analysis, compare=True)])[0]
    second = svg_many([annotated_scene(model, analysis, compare=True)])[0]
    assert first == second
    assert render_annotated(model, analysis) == render_annotated(model, analysis)


def test_a_workbook_without_journey_steps_still_draws_the_band():
    from bpmncx.annotations import Annotations, Persona

    model, annotations = _compact()
    empty = Annotations(source="empty.xlsx", personas=[Persona("Ann")],
                        touchpoints=annotations.touchpoints)
    for compare in (False, True):
        from bpmncx.render.draw import svg_many

        svg = svg_many([annotated_scene(model, analyse([model], empty), compare=compare)])[0]
        root = etree.fromstring(svg)
        assert root.find(f".//{SVG}g[@id='journey']") is not None
        assert not [g for g in root.iter(f"{SVG}g") if g.get("data-journey-step")]
