"""Patterns real exports from other tools draw wrongly unless handled, each with a small
fixture written from the BPMN specification (tests/fixtures/render/): which groups the SVG
has, their fill and their order (the SVG's document order is its z-order)."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from bpmncx import load_model
from bpmncx.render import render, render_svg, scene_for
from bpmncx.render import styles
from bpmncx.render.graph import flow_label_position

from conftest import FIXTURES
from test_render import SVG, Drawn, parse

HERE = FIXTURES / "render"


def svg_of(name):
    model = load_model(HERE / name)
    return model, parse(render_svg(model))


def group(root, svg_id):
    return root.find(f".//{SVG}g[@id='{svg_id}']")


def order(root):
    """SVG ids in drawing order (bottom first)."""
    return [g.get("id") for g in root.iter(f"{SVG}g") if g.get("class") in ("node", "edge",
                                                                            "cluster")]


def outline(g):
    return next(child for child in g if etree.QName(child).localname != "title")


def texts(g):
    return " ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))


def test_a_shape_for_a_process_is_a_pool_frame_under_the_flows():
    model, root = svg_of("process-shape.bpmn")
    frame = group(root, "Orders")
    assert frame.get("class") == "cluster"  # a frame, not an opaque dashed box on top
    assert "stroke-dasharray" not in etree.tostring(frame).decode()
    ids = order(root)
    assert ids.index("Orders") < ids.index("F1") < ids.index("Pack")
    # its name in the header band, drawn as a pool's
    label = group(root, "Orders::label")
    assert label is not None and label.find(f"{SVG}svg") is not None
    assert "Order handling" in etree.tostring(label, encoding="unicode")


def test_a_collapsed_pool_with_content_gets_its_header_band():
    model, root = svg_of("collapsed-pool-with-content.bpmn")
    shop = Drawn(render_svg(model))
    # Web shop: lanes and tasks drawn in it -> header band (a picture at its left edge)
    header = group(root, "Shop::label").find(f"{SVG}svg")
    assert header is not None
    x0, _y0, x1, _y1 = shop.box("Shop::label")
    assert abs(x0 - 100) < 1 and abs(x1 - (100 + styles.POOL_HEADER)) < 1
    # Bank: a real black box, its name centred as text
    bank = group(root, "Bank::label")
    assert bank.find(f"{SVG}svg") is None and texts(bank) == "Bank"
    ids = order(root)
    assert ids.index("Shop") < ids.index("Sales") < ids.index("Take")


@pytest.mark.parametrize("frame, inside", [("Call_Expanded", "Credit_Score"),
                                           ("Call_Plain", "Stock_Count"),
                                           ("Sub_Collapsed", "Sub_Pick")])
def test_activities_with_content_drawn_inside_are_frames_under_it(frame, inside):
    model, root = svg_of("content-inside-activities.bpmn")
    assert group(root, frame).get("class") == "cluster"
    assert group(root, inside).get("class") == "node"
    ids = order(root)
    assert ids.index(frame) < ids.index(inside)  # the content is on top, never hidden
    # the name at the top of the frame, not in the middle under the content
    drawn = Drawn(render_svg(model))
    _x0, top, _x1, _bottom = drawn.box(frame)
    name = group(root, f"{frame}::label").find(f"{SVG}text")
    y = drawn.to_di(0, float(name.get("y")))[1]
    assert top < y < top + 25


def test_an_expanded_call_activity_keeps_its_bold_frame_and_marker():
    model, root = svg_of("content-inside-activities.bpmn")
    frame = outline(group(root, "Call_Expanded"))
    assert float(frame.get("stroke-width")) >= 4
    assert group(root, "Call_Expanded::marker") is not None  # the "+" of a call activity


def test_diagram_elements_matching_no_element_are_not_drawn_but_warned():
    model = load_model(HERE / "stray-di.bpmn")
    scene = scene_for(model)
    root = parse(render_svg(model))
    assert group(root, "Task") is not None
    for stray in ("Gone", "GoneFlow", "Gone_di", "Nameless_di"):
        assert group(root, stray) is None
    path = model.path
    assert scene.warnings == [
        f"{path}: diagram shape 'Gone_di' draws 'Gone', which does not exist; not drawn",
        f"{path}: diagram shape 'Nameless_di' draws no element; not drawn",
        f"{path}: diagram edge 'GoneFlow_di' draws 'GoneFlow', which does not exist; not drawn",
    ]


def _envelope(root, flow):
    g = group(root, f"{flow}::message")
    return None if g is None else g.find(f"{SVG}svg")[0]


def test_message_flows_with_a_message_carry_an_envelope_halfway():
    model, root = svg_of("markers.bpmn")
    initiating, answer = _envelope(root, "M_Order"), _envelope(root, "M_Invoice")
    assert initiating.get("fill") == styles.FILL  # initiating: white
    assert answer.get("fill") == styles.STROKE  # non-initiating: dark
    assert _envelope(root, "M_Plain") is None  # no messageRef, no envelope
    ids = order(root)
    assert ids.index("M_Order") < ids.index("M_Order::message")  # on top of its line
    drawn = Drawn(render_svg(model))
    x0, y0, x1, y1 = drawn.box("M_Order::message")
    assert abs((x0 + x1) / 2 - 300) < 1 and abs((y0 + y1) / 2 - 180) < 1  # halfway 120..240


def test_a_pool_with_multiplicity_carries_the_parallel_marker():
    model, root = svg_of("markers.bpmn")
    marker = group(root, "Customers::marker")
    assert marker is not None
    assert len(marker.findall(f".//{SVG}svg/*")) >= 1  # the three bars
    assert group(root, "Shop::marker") is None
    drawn = Drawn(render_svg(model))
    x0, _y0, x1, y1 = drawn.box("Customers::marker")
    assert abs((x0 + x1) / 2 - 550) < 1 and 100 < y1 <= 120  # bottom centre of the pool


def test_a_reference_to_a_collection_data_object_gets_the_collection_marker():
    model, root = svg_of("markers.bpmn")
    assert not model.artifacts[1].is_collection and model.artifacts[1].id == "ItemsRef"
    marker = group(root, "ItemsRef::marker")
    assert marker is not None and len(marker.findall(f".//{SVG}rect")) == 3


def test_a_catching_cancel_event_is_hollow_a_throwing_one_filled():
    model, root = svg_of("markers.bpmn")
    catching = group(root, "Cancelled::marker").find(f"{SVG}svg")[-1]
    throwing = group(root, "Pay_Cancel::marker").find(f"{SVG}svg")[-1]
    assert catching.get("fill") == styles.FILL and catching.get("stroke") == styles.STROKE
    assert throwing.get("fill") == styles.STROKE


def test_flow_names_without_label_bounds_sit_over_the_middle_segment_like_bpmn_js():
    # three points: the first segment's middle; four: the middle segment (vertical here: beside it)
    assert flow_label_position([(0, 0), (100, 0), (100, 100)]) == (50, -25)
    assert flow_label_position([(350, 280), (390, 280), (390, 290), (430, 290)]) == (405, 275)
    # vertical: beside it
    assert flow_label_position([(0, 0), (0, 100)]) == (15, 40)
    model, root = svg_of("markers.bpmn")
    drawn = Drawn(render_svg(model))
    text = group(root, "F4::label").find(f"{SVG}text")
    x, y = drawn.to_di(float(text.get("x")), float(text.get("y")))
    # F4: (550,368) (550,460) (730,460): the middle pair is the vertical first segment
    assert abs(x - 565) < 1 and 404 < y < 420


def test_zero_size_shapes_are_points_with_a_warning_and_png_pdf_work(tmp_path):
    model = load_model(HERE / "zero-size.bpmn")
    warnings = []
    for ext in ("png", "pdf"):
        warnings = render(model, str(tmp_path / f"z.{ext}"))
        assert (tmp_path / f"z.{ext}").stat().st_size > 100
    path = model.path
    assert warnings == [f"{path}: Ghost: its diagram shape is 0 x 0; drawn as a point",
                        f"{path}: Flat: its diagram shape is 0 x 0; drawn as a point",
                        f"{path}: Thin: its diagram shape is 0 x 50; drawn as a point"]
    root = parse(render_svg(model))
    for element_id in ("Ghost", "Flat", "Thin"):
        assert outline(group(root, element_id)).get("fill") == styles.STROKE.lower()
