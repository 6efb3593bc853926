"""The reader on a hand-written file with one of every element kind.

tests/fixtures/read/every-element.bpmn uses the unusual prefix "semantic:" for
the BPMN namespace, so passing here also shows the reader is namespace-aware.
"""

import shutil

import pytest

from bpmncx import load_model
from bpmncx.bpmn import model_from_bytes
from bpmncx.inspect import summary

from conftest import FIXTURES

EVERY = FIXTURES / "read" / "every-element.bpmn"


@pytest.fixture(scope="module")
def model():
    return load_model(EVERY)


def test_loads_without_warnings(model):
    assert model.warnings == []
    assert model.definitions_id == "Defs_1"
    assert model.target_namespace == "http://example.com/claims"
    assert (model.exporter, model.exporter_version) == ("hand", "1.0")
    assert len(model.sha256) == 64


def test_pools_including_black_box(model):
    pools = {p.id: p for p in model.participants}
    assert pools["Pool_Customer"].is_black_box
    assert pools["Pool_Insurer"].process_id == "Proc_Claims"
    assert pools["Pool_Insurer"].documentation == "The insurance company."
    assert model.collaboration_ids == ["Collab_1"]
    assert model.pool_of(model.node["Task_Pay"]).name == "Insurer"


def test_nested_lanes_and_innermost_lane(model):
    lanes = model.lane
    assert lanes["Lane_Assess"].parent_id == "Lane_Back"
    assert lanes["Lane_Pay"].parent_id == "Lane_Back"
    assert lanes["Lane_Back"].parent_id is None
    assert [lane.name for lane in model.lane_path(model.node["Task_Pay"])] == [
        "Back office", "Payments"]
    assert model.node["Start_Claim"].lane_id == "Lane_Intake"
    # Nested nodes are not listed by lanes: the lane stays unset.
    assert model.node["Sub_Check"].lane_id is None


def test_every_task_type_and_sub_process_kind(model):
    kinds = {n.id: n.kind for n in model.nodes}
    assert kinds["Task_Register"] == "userTask"
    assert kinds["Task_Manual"] == "manualTask"
    assert kinds["Task_Script"] == "scriptTask"
    assert kinds["Sub_Check"] == "serviceTask"
    assert kinds["Task_Rules"] == "businessRuleTask"
    assert kinds["Task_Send"] == "sendTask"
    assert kinds["Task_Receive"] == "receiveTask"
    assert kinds["Task_Pay"] == "task"
    assert kinds["Tx_Payout"] == "transaction"
    assert kinds["AdHoc_Extras"] == "adHocSubProcess"
    assert kinds["Call_Fraud"] == "callActivity"
    assert model.node["Call_Fraud"].called_element == "Proc_Fraud"
    # Nested elements know their enclosing sub-process.
    assert model.node["Sub_Check"].parent_id == "Sub_Assess"
    assert model.node["Tx_Book"].parent_id == "Tx_Payout"
    assert model.node["Collapsed_Task"].parent_id == "Sub_Collapsed"
    assert summary(model)["activities"] == 17


def test_expanded_and_collapsed_sub_processes(model):
    assert model.node["Sub_Assess"].is_expanded is True  # isExpanded="true"
    assert model.node["Sub_Collapsed"].is_expanded is False  # isExpanded="false"
    assert model.node["Tx_Payout"].is_expanded is True  # no attribute, child drawn inside
    assert model.node["AdHoc_Extras"].is_expanded is False  # no attribute, nothing inside
    assert model.node["Event_Sub"].is_expanded is None  # not drawn at all
    assert model.node["Task_Pay"].is_expanded is None


def test_event_sub_process(model):
    assert model.node["Event_Sub"].triggered_by_event
    assert not model.node["Sub_Assess"].triggered_by_event
    start = model.node["Event_Sub_Start"]
    assert start.parent_id == "Event_Sub" and not start.is_interrupting


@pytest.mark.parametrize("node_id, definition", [
    ("Start_Claim", "message"), ("Boundary_Timer", "timer"), ("Throw_Signal", "signal"),
    ("Boundary_Error", "error"), ("Throw_Escalation", "escalation"),
    ("Catch_Cond", "conditional"), ("Catch_Link", "link"), ("Throw_Link", "link"),
    ("End_Terminate", "terminate"), ("Throw_Compensate", "compensate"),
    ("Tx_Cancel", "cancel"), ("End_Paid", None),
])
def test_event_definitions(model, node_id, definition):
    node = model.node[node_id]
    assert node.event_type == definition
    assert node.event_definitions == ([definition] if definition else [])


def test_multiple_events_have_several_definitions(model):
    # One inline, one by eventDefinitionRef to a definition later in the file.
    assert model.node["End_Multiple"].event_definitions == ["message", "signal"]
    assert model.node["End_Multiple"].event_type == "multiple"
    assert model.node["Catch_Both"].event_definitions == ["message", "timer"]
    assert model.node["Catch_Both"].event_type == "parallelMultiple"


def test_boundary_events(model):
    timer, error = model.node["Boundary_Timer"], model.node["Boundary_Error"]
    assert timer.attached_to == error.attached_to == "Sub_Assess"
    assert timer.cancel_activity is False
    assert error.cancel_activity is True


def test_gateways_and_default_flows(model):
    kinds = {n.kind for n in model.gateways()}
    assert kinds == {"exclusiveGateway", "inclusiveGateway", "parallelGateway",
                     "eventBasedGateway", "complexGateway"}
    assert model.node["Gw_Complete"].default_flow == "Flow_Incomplete"
    assert model.node["Gw_Event"].event_gateway_type == "Exclusive"
    defaults = {c.id for c in model.connections if c.is_default}
    assert defaults == {"Flow_Incomplete", "Flow_Pay", "Flow_Complex_Default"}


def test_loops(model):
    assert model.node["Sub_Assess"].loop == "sequential"
    assert model.node["Sub_Check"].loop == "standard"
    assert model.node["Task_Pay"].loop is None


def test_sequence_flow_conditions_and_names(model):
    flow = model.connection["Flow_Complete"]
    assert flow.condition == "${complete}"
    assert flow.name == "yes"
    assert flow.process_id == "Proc_Claims"
    assert model.connection["Sub_F1"].source_id == "Sub_Start"


def test_message_flows_between_pools_and_nodes(model):
    claim, decision = model.connection["MF_Claim"], model.connection["MF_Decision"]
    assert (claim.kind, claim.source_id, claim.target_id) == (
        "messageFlow", "Pool_Customer", "Start_Claim")
    assert (decision.source_id, decision.target_id) == ("Task_Send", "Pool_Customer")
    assert claim.process_id is None
    assert claim.name == "claim form"


def test_data_objects_stores_and_associations(model):
    artifacts = {a.id: a for a in model.artifacts}
    assert artifacts["DOR_Claim"].ref_id == "DO_Claim"
    assert artifacts["DO_Photos"].is_collection
    assert artifacts["Store_Policies"].kind == "dataStore"
    assert artifacts["DSR_Policies"].ref_id == "Store_Policies"
    into, out_of = model.connection["DIA_1"], model.connection["DOA_1"]
    assert (into.source_id, into.target_id) == ("DOR_Claim", "Task_Rules")
    assert (out_of.source_id, out_of.target_id) == ("Task_Rules", "DSR_Policies")
    info = summary(model)
    # One reference + one data object nobody references; the store and its
    # reference are one store on the diagram.
    assert (info["data_objects"], info["data_stores"]) == (2, 1)


def test_annotations_associations_and_groups(model):
    artifacts = {a.id: a for a in model.artifacts}
    assert artifacts["Note_1"].name == "Usually within\ntwo days."
    assert artifacts["Note_Pool"].process_id is None  # on the collaboration
    assert model.connection["Assoc_1"].direction == "None"
    assert model.connection["Assoc_Pool"].target_id == "Note_Pool"
    assert artifacts["Group_1"].kind == "group"
    assert artifacts["Group_1"].name == "Fraud checks"  # from its category value


def test_multi_line_names_and_documentation(model):
    assert model.node["Start_Claim"].name == "Claim\nreceived"
    assert model.node["Task_Register"].name == "Register\nclaim"
    assert model.node["Task_Register"].documentation == (
        "Type the claim into the system.\nCheck the policy number.")
    assert model.process["Proc_Claims"].documentation == "From claim to payment."
    assert model.process["Proc_Claims"].is_executable is False


def test_every_plane_kept_and_main_plane_is_the_collaboration(model):
    assert [(p.diagram_id, p.element_id) for p in model.planes] == [
        ("Diagram_1", "Collab_1"), ("Diagram_2", "Sub_Collapsed")]
    assert model.main_plane.id == "Plane_1"
    assert model.planes[1].diagram_name == "Archive (inside)"
    assert [s.element_id for s in model.planes[1].shapes] == ["Collapsed_Task"]
    assert model.has_di


def test_shape_and_edge_geometry(model):
    plane = model.main_plane
    pool = plane.shape_of["Pool_Insurer"]
    assert pool.is_horizontal is True
    assert (pool.bounds.x, pool.bounds.y, pool.bounds.width, pool.bounds.height) == (
        100, 120, 900, 400)
    assert plane.shape_of["Gw_Complete"].is_marker_visible is True
    start = plane.shape_of["Start_Claim"]
    assert (start.label.x, start.label.y, start.label.width, start.label.height) == (
        150, 200, 56, 27)
    edge = plane.edge_of["Flow_Complete"]
    assert [(p.x, p.y) for p in edge.waypoints] == [(405, 203), (405, 325), (460, 325)]
    assert (edge.label.x, edge.label.y) == (410, 260)
    assert plane.edge_of["Flow_1"].label is None


def test_colours_from_all_three_conventions(model):
    plane = model.main_plane
    bioc = plane.shape_of["Start_Claim"].colours
    assert (bioc.fill, bioc.stroke, bioc.label) == ("#e3f2fd", "#1e88e5", "#1e88e5")
    omg = plane.shape_of["Task_Register"].colours
    assert (omg.fill, omg.stroke) == ("#fff3e0", "#fb8c00")
    signavio = plane.shape_of["Task_Manual"].colours
    assert (signavio.fill, signavio.stroke) == ("#ffcc00", "#000000")
    assert plane.edge_of["Flow_Complete"].colours.stroke == "#43a047"
    plain = plane.shape_of["Gw_Complete"].colours
    assert (plain.fill, plain.stroke) == (None, None)


def test_default_namespace_reads_the_same(tmp_path):
    # The same content with the BPMN namespace as default namespace (Signavio style).
    text = EVERY.read_text(encoding="utf-8")
    text = text.replace('xmlns:semantic="', 'xmlns="').replace("<semantic:", "<").replace(
        "</semantic:", "</").replace('xsi:type="semantic:', 'xsi:type="')
    copy = tmp_path / "default-ns.bpmn"
    copy.write_text(text, encoding="utf-8")
    assert "<semantic:" not in text and "xmlns:semantic" not in text
    first, second = load_model(EVERY), load_model(copy)
    assert summary(first) | {"file": ""} == summary(second) | {"file": ""}
    assert [(n.id, n.kind, n.name, n.event_definitions) for n in first.nodes] == [
        (n.id, n.kind, n.name, n.event_definitions) for n in second.nodes]


def test_model_from_bytes_and_path_like(tmp_path):
    copy = tmp_path / "copy.bpmn"
    shutil.copy(EVERY, copy)
    from_path = load_model(copy)  # a pathlib.Path works
    from_bytes = model_from_bytes(EVERY.read_bytes(), "claims.bpmn")
    assert from_bytes.name == "claims" and from_path.name == "copy"
    assert from_bytes.sha256 == from_path.sha256
    assert len(from_bytes.nodes) == len(from_path.nodes)
