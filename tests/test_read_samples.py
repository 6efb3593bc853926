"""The two bundled samples load cleanly and meet what issue 2 asks of them."""

import pytest
from lxml import etree

from bpmncx import load_model
from bpmncx.inspect import summary
from bpmncx.model import SUBPROCESS_KINDS

from conftest import SAMPLES

MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CLAIM = SAMPLES / "insurance-claim" / "insurance-claim.bpmn"
ORDER = SAMPLES / "online-order" / "online-order.bpmn"


@pytest.fixture(scope="module")
def claim():
    return load_model(CLAIM)


@pytest.fixture(scope="module")
def order():
    return load_model(ORDER)


def fully_drawn(model):
    """Every pool, lane, node, flow and artifact has a shape or edge on the main plane."""
    plane = model.main_plane
    missing = [p.id for p in model.participants if p.id not in plane.shape_of]
    missing += [lane.id for lane in model.lanes if lane.id not in plane.shape_of]
    for node in model.nodes:
        parent = model.node.get(node.parent_id) if node.parent_id else None
        if parent is not None and parent.is_expanded is False:
            continue  # inside a collapsed sub-process: drawn on its own plane
        if not any(node.id in p.shape_of for p in model.planes):
            missing.append(node.id)
    missing += [c.id for c in model.connections
                if c.kind in ("sequenceFlow", "messageFlow")
                and not any(c.id in p.edge_of for p in model.planes)]
    return missing


@pytest.mark.parametrize("path", [CLAIM, ORDER], ids=["insurance-claim", "online-order"])
def test_sample_loads_with_zero_warnings_and_full_layout(path):
    model = load_model(path)
    assert model.warnings == []
    assert model.has_di
    assert model.main_plane.element_id in model.collaboration_ids
    assert fully_drawn(model) == []
    # Real-sounding names: every activity is named.
    assert all(n.name.strip() for n in model.activities())


def test_insurance_claim_is_camunda_modeler_style():
    root = etree.parse(str(CLAIM)).getroot()
    assert root.prefix == "bpmn" and root.nsmap["bpmn"] == MODEL_NS
    assert None not in root.nsmap
    assert root.nsmap["camunda"] == "http://camunda.org/schema/1.0/bpmn"
    assert root.nsmap["bioc"] == "http://bpmn.io/schema/bpmn/biocolor/1.0"


def test_insurance_claim_content(claim):
    pools = claim.participants
    customer = [p for p in pools if p.name == "Customer"]
    assert len(customer) == 1 and customer[0].is_black_box
    insurer = [p for p in pools if not p.is_black_box]
    assert len(insurer) == 1
    insurer_lanes = [lane for lane in claim.lanes if lane.process_id == insurer[0].process_id]
    assert len(insurer_lanes) >= 3
    assert summary(claim)["activities"] >= 15
    # Message flows both ways between the customer and the insurer.
    flows = claim.connections_of_kind("messageFlow")
    customer_id = customer[0].id
    assert any(f.source_id == customer_id for f in flows)
    assert any(f.target_id == customer_id for f in flows)
    boundary = [n for n in claim.nodes if n.kind == "boundaryEvent"]
    assert {"timer", "error"} <= {n.event_type for n in boundary}
    for event in boundary:
        assert claim.node[event.attached_to].is_activity


def test_online_order_is_signavio_style(order):
    root = etree.parse(str(ORDER)).getroot()
    assert root.prefix is None and root.nsmap[None] == MODEL_NS
    assert root.nsmap["signavio"] == "http://www.signavio.com"
    ids = [n.id for n in order.nodes] + [c.id for c in order.connections] + [
        p.id for p in order.participants] + [lane.id for lane in order.lanes]
    assert all(i.startswith("sid-") for i in ids)
    # Colours come from signavioMetaData, as in a real Signavio export.
    shapes = [order.main_plane.shape_of[n.id] for n in order.nodes
              if n.id in order.main_plane.shape_of]
    assert shapes and all(s.colours.fill for s in shapes)


def test_online_order_content(order):
    assert len(order.participants) >= 2
    assert len([p for p in order.participants if not p.is_black_box]) >= 1
    assert len(order.lanes) >= 4
    names = " ".join(n.name.lower() for n in order.nodes)
    assert "order" in names and "return" in names
    assert any(n.kind == "endEvent" for n in order.nodes)
    assert not [n for n in order.nodes if n.kind in SUBPROCESS_KINDS and n.is_expanded is None]
