"""The annotated diagram: the customer's journey and emotions over the modeller's layout."""

from __future__ import annotations

import math
import re
import subprocess
import sys

import pytest

from bpmncx import load_model
from bpmncx.analysis import analyse
from bpmncx.pipeline.annotate import annotate
from bpmncx.pipeline.outputs import FORMATS
from bpmncx.render import styles
from bpmncx.render.overlay import render_annotated
from bpmncx.analysis import steps_for
from bpmncx.vocabulary import EMOTION_BY_SCORE
from bpmncx.workbook import read_annotations

from conftest import ROOT, SAMPLES
from test_render import SVG, Drawn, check_plane, parse

CLAIM = SAMPLES / "insurance-claim" / "insurance-claim.bpmn"
CLAIM_BOOK = SAMPLES / "insurance-claim" / "insurance-claim-cx.xlsx"
ORDER = SAMPLES / "online-order" / "online-order.bpmn"
ORDER_BOOK = SAMPLES / "online-order" / "online-order-cx.xlsx"
OWNER = "Small business owner"


@pytest.fixture(scope="module")
def claim():
    model = load_model(CLAIM)
    annotations = read_annotations(CLAIM_BOOK, [model])
    assert not annotations.errors
    return model, annotations


@pytest.fixture(scope="module")
def owner_svg(claim):
    model, annotations = claim
    return render_annotated(model, analyse([model], annotations, OWNER))


def outline(root, element_id):
    group = root.find(f".//{SVG}g[@id='{element_id}']")
    assert group is not None, element_id
    return group[1]  # after <title>


def texts(group):
    return " ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))


def test_customer_facing_elements_are_filled_with_the_personas_emotion(claim, owner_svg):
    model, annotations = claim
    root = parse(owner_svg)
    checked = 0
    for tp in annotations.touchpoints:
        if tp.customer_facing and OWNER in tp.emotions:
            shape = outline(root, tp.element_id)
            assert shape.get("fill").upper() == EMOTION_BY_SCORE[tp.emotions[OWNER]].colour
            checked += 1
    assert checked >= 8
    # not customer-facing: plain white, even where the modeller coloured it
    approve = outline(root, "Activity_09hqb9z")
    assert approve.get("fill").upper() == styles.FILL


def test_pain_points_get_a_red_outline_and_moments_of_truth_a_star(claim, owner_svg):
    model, annotations = claim
    root = parse(owner_svg)
    for tp in annotations.touchpoints:
        shape = outline(root, tp.element_id)
        if tp.pain_point:
            assert shape.get("stroke").upper() == styles.PAIN_STROKE
            assert float(shape.get("stroke-width")) >= styles.PAIN_WIDTH
        star = root.find(f".//{SVG}g[@id='{tp.element_id}::star']")
        assert (star is not None) == (tp.moment_of_truth and bool(tp.customer_facing))
        if tp.customer_facing and tp.channel:
            badge = root.find(f".//{SVG}g[@id='{tp.element_id}::channel']")
            assert texts(badge) == tp.channel


def test_journey_band_has_a_chip_per_step_joined_to_its_support(claim, owner_svg):
    model, annotations = claim
    root = parse(owner_svg)
    drawn = Drawn(owner_svg)
    steps = steps_for(annotations, OWNER)
    assert len(steps) >= 5
    band = drawn.box("journey")
    top_pool = min(s.bounds.y for s in model.main_plane.shapes)
    assert band[3] < top_pool  # above the top pool
    for step in steps:
        chip = drawn.box(f"journey-step-{step.number}")
        assert chip is not None, step.number
        assert band[1] <= chip[1] and chip[3] <= band[3]
        label = root.find(f".//{SVG}g[@id='journey-step-{step.number}::label']")
        assert texts(label).replace(" ", "").startswith(f"{step.number}.")
        missing = root.find(f".//{SVG}g[@id='journey-step-{step.number}::missing']")
        if step.supported_by:
            assert missing is None
            for index, ref in enumerate(step.supported_by, 1):
                points, _ = drawn.edge_points(f"journey-step-{step.number}::link{index}")
                target = model.main_plane.shape_of[ref.element_id].bounds
                assert target.x < points[-1][0] < target.right
                assert abs(points[-1][1] - target.y) <= 1.0
                chip_centre = (chip[0] + chip[2]) / 2
                assert abs(points[0][0] - chip_centre) <= 1.0
        else:
            assert texts(missing) == "missing from operations"
            frame = root.find(f".//{SVG}g[@id='journey-step-{step.number}']//{SVG}rect")
            assert frame.get("stroke").upper() == styles.MISSING_STROKE
            assert frame.get("stroke-dasharray")


def test_missing_steps_sit_between_their_neighbours(claim):
    model, annotations = claim
    svg = render_annotated(model, analyse([model], annotations))
    drawn = Drawn(svg)
    steps = sorted(annotations.journey, key=lambda s: s.number)
    centre = {}
    for step in steps:
        box = drawn.box(f"journey-step-{step.number}")
        centre[step.number] = (box[0] + box[2]) / 2
    checked = 0
    for index, step in enumerate(steps):
        if step.supported_by:
            continue
        before = next((s for s in reversed(steps[:index]) if s.supported_by), None)
        after = next((s for s in steps[index + 1:] if s.supported_by), None)
        if before and after:
            low, high = sorted((centre[before.number], centre[after.number]))
            assert low < centre[step.number] < high + styles.CHIP_WIDTH, step.number
            checked += 1
    assert checked >= 3  # steps 6, 7 and 9 of the sample


def test_emotion_curve_runs_through_the_chips_higher_for_happier(claim, owner_svg):
    _, annotations = claim
    drawn = Drawn(owner_svg)
    points, _ = drawn.edge_points("journey::curve")
    corners = points[0::3]
    heights = {}
    for step in steps_for(annotations, OWNER):
        box = drawn.box(f"journey-step-{step.number}")
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        if step.emotion is not None:
            assert min(math.dist(centre, c) for c in corners) <= 1.0, step.number
            heights.setdefault(step.emotion, []).append(centre[1])
    scores = sorted(heights)
    assert len(scores) >= 2
    for low, high in zip(scores, scores[1:]):
        assert max(heights[high]) < min(heights[low])  # y grows downwards


def test_title_legend_and_tooltips(claim, owner_svg):
    model, annotations = claim
    root = parse(owner_svg)
    title = root.find(f".//{SVG}g[@id='title']")
    assert texts(title) == f"insurance-claim \u2014 {OWNER}"
    legend = texts(root.find(f".//{SVG}g[@id='legend']"))
    for word in ("very negative", "moment of truth", "pain point", "missing from operations"):
        assert word in legend
    tp = next(t for t in annotations.touchpoints if t.element_id == "Activity_008ba83")
    tooltip = root.find(f".//{SVG}g[@id='Activity_008ba83']").findtext(f"{SVG}title")
    assert tp.element_name in tooltip and f"channel: {tp.channel}" in tooltip
    assert f"{OWNER}: -2 very negative" in tooltip and "moment of truth" in tooltip
    assert tp.pain_point in tooltip
    findings = analyse([model], annotations, OWNER).findings
    about = [f for f in findings if "Activity_008ba83" in f.element_ids]
    assert about and all(f.message in tooltip for f in about)
    chip = root.find(f".//{SVG}g[@id='journey-step-6']").findtext(f"{SVG}title")
    assert "missing from operations" in chip


def test_annotated_svg_keeps_the_layout_and_is_deterministic(claim, owner_svg):
    model, annotations = claim
    assert check_plane(model, owner_svg) == []
    again = render_annotated(model, analyse([model], annotations, OWNER))
    assert again == owner_svg
    assert b"\x01" not in owner_svg and b"bpmncx-render" not in owner_svg


def test_without_a_persona_the_lowest_emotion_is_shown(claim):
    model, annotations = claim
    svg = render_annotated(model, analyse([model], annotations))
    root = parse(svg)
    assert "lowest emotion across personas" in texts(root.find(f".//{SVG}g[@id='title']"))
    for tp in annotations.touchpoints:
        if tp.customer_facing and tp.emotions:
            low = min(tp.emotions.values())
            assert outline(root, tp.element_id).get("fill").upper() == \
                EMOTION_BY_SCORE[low].colour
    faces = root.find(f".//{SVG}g[@id='Activity_008ba83::faces']")
    assert len(faces.find(f"{SVG}svg")) == len(annotations.personas)


# -- annotate(): files -------------------------------------------------------------------------------


def test_annotate_writes_one_file_per_model_persona_and_format(tmp_path):
    # each sample has its own workbook
    for model, book in ((CLAIM, CLAIM_BOOK), (ORDER, ORDER_BOOK)):
        result = annotate([str(model)], str(book), str(tmp_path), formats=("svg", "png", "pdf"),
                          persona="all", scale=1.0)
        personas = read_annotations(book, [load_model(model)]).persona_names()
        assert len(result.paths) == 3 * len(personas)
        for path in result.paths:
            data = open(path, "rb").read()
            assert data[:5] in (b"<?xml", b"\x89PNG\r", b"%PDF-")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "insurance-claim.small-business-owner.png" in names
    assert "online-order.regular-customer.svg" in names
    assert not [n for n in names if n.startswith(".")]


def test_every_output_format_is_one_annotate_accepts():
    assert FORMATS == ("svg", "png", "pdf", "bpmn", "html", "xlsx", "blueprint")


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_cli_annotate(tmp_path):
    result = run_cli("annotate", CLAIM, CLAIM_BOOK, "-o", tmp_path, "--format", "svg,png",
                     "--persona", "small business OWNER", "--scale", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path / "insurance-claim.small-business-owner.svg"),
                                     str(tmp_path / "insurance-claim.small-business-owner.png")]
    result = run_cli("annotate", CLAIM, CLAIM_BOOK, "-o", tmp_path / "x", "--persona", "Nobody")
    assert result.returncode == 1
    assert re.fullmatch(r"error: .*persona 'Nobody' is not in the workbook.*\n", result.stderr)
    assert not (tmp_path / "x").exists() or not list((tmp_path / "x").iterdir())
    result = run_cli("annotate", CLAIM, CLAIM_BOOK, "-o", tmp_path, "--format", "svg,gif")
    assert result.returncode == 2 and "gif" in result.stderr


# -- hand-made annotations over two real models ---------------------------------------------------


def test_a_step_supported_in_another_model_is_not_missing():
    from bpmncx.annotations import Annotations, ElementRef, JourneyStep, Persona, Touchpoint

    first, second = load_model(CLAIM), load_model(ORDER)
    task = next(n for n in first.activities() if n.id in first.main_plane.shape_of)
    other = next(n for n in second.activities() if n.id in second.main_plane.shape_of)
    annotations = Annotations(
        source="hand-made.xlsx",
        personas=[Persona("Ann")],
        touchpoints=[Touchpoint(first.name, task.id, task.name, customer_facing=True,
                                channel="Chat", emotions={"Ann": 2}, moment_of_truth=True)],
        journey=[
            JourneyStep(1, "1", customer_step="Ask", emotion=1,
                        supported_by=[ElementRef(first.name, task.id)]),
            JourneyStep(2, "2", customer_step="Order", emotion=-1,
                        supported_by=[ElementRef(second.name, other.id)]),
            JourneyStep(3, "3", customer_step="Complain <loudly> & \"often\"", emotion=-2),
        ],
    )
    svg = render_annotated(first, analyse([first, second], annotations, "ann"))
    root = parse(svg)
    assert outline(root, task.id).get("fill").upper() == EMOTION_BY_SCORE[2].colour
    assert root.find(f".//{SVG}g[@id='journey-step-2::missing']") is None
    assert texts(root.find(f".//{SVG}g[@id='journey-step-2::elsewhere']")) == "in online-order"
    assert texts(root.find(f".//{SVG}g[@id='journey-step-3::missing']")) == \
        "missing from operations"
    label = texts(root.find(f".//{SVG}g[@id='journey-step-3::label']"))
    assert "<loudly>" in label
    assert "Ann" in texts(root.find(f".//{SVG}g[@id='title']"))
