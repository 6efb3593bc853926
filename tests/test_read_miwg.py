"""The reader on real exports copied from the MIWG corpus into tests/fixtures/miwg/
(CC-BY 3.0, NOTICE.md beside them), so these run in any clone.

Expected values were read off the files by hand.
"""

import pytest

from bpmncx import load_model
from bpmncx.inspect import summary

from conftest import FIXTURES

MIWG = FIXTURES / "miwg"


@pytest.fixture(scope="module")
def camunda():
    return load_model(MIWG / "camunda-modeler-18.6.1--C.1.0-export.bpmn")


@pytest.fixture(scope="module")
def signavio():
    return load_model(MIWG / "signavio-19.9.0--A.4.1-export.bpmn")


@pytest.fixture(scope="module")
def trisotech():
    return load_model(MIWG / "reference--C.7.0.bpmn")


def test_notice_is_beside_the_copies():
    notice = (MIWG / "NOTICE.md").read_text()
    assert "Creative Commons Attribution 3.0" in notice
    assert len(list(MIWG.glob("*.bpmn"))) == 4


def test_camunda_modeler_export(camunda):
    assert (camunda.exporter, camunda.exporter_version) == ("Camunda Modeler", "5.23.0")
    assert [p.name for p in camunda.participants] == [
        "Team-Assistant", "Process Engine - Invoice Receipt"]
    info = summary(camunda)
    assert {k: info[k] for k in ("activities", "events", "gateways", "sequence_flows",
                                 "message_flows", "lanes", "warnings")} == {
        "activities": 9, "events": 9, "gateways": 3, "sequence_flows": 20,
        "message_flows": 5, "lanes": 3, "warnings": []}
    node = camunda.node
    assert node["StartEvent_1"].event_definitions == ["message"]
    assert node["Event_1m6mn1s"].event_type == "timer"
    assert node["Gateway_073nxen"].kind == "eventBasedGateway"
    assert camunda.lane[node["Activity_1qn6jnm"].lane_id].name == "Approver"
    # Written that way by the tool that made the file (double-encoded); kept as is.
    assert node["Activity_06pc697"].name == "Rechnung kl\u00c3\u0192\u00c2\u00a4ren"


def test_camunda_colours_and_labels(camunda):
    plane = camunda.main_plane
    assert plane.element_id == "Collaboration_13qi5dz"
    assert (len(plane.shapes), len(plane.edges)) == (26, 25)
    start = plane.shape_of["StartEvent_1"]
    assert (start.colours.fill, start.colours.stroke) == ("#c8e6c9", "#43a047")
    assert (start.label.x, start.label.y, start.label.width, start.label.height) == (
        205, 202, 84, 14)


def test_signavio_export_default_namespace_and_meta_colours(signavio):
    assert signavio.exporter == "Signavio Process Editor, http://www.signavio.com"
    assert [p.name for p in signavio.participants] == ["Pool 1", "Pool 2"]
    info = summary(signavio)
    assert (info["activities"], info["events"], info["lanes"], info["message_flows"]) == (
        8, 9, 3, 2)
    task = signavio.main_plane.shape_of["sid-CA17DE51-6558-460E-B688-CD7A71CBE9A4"]
    assert signavio.node[task.element_id].name == "Task 1"
    # No colours on the shape: they come from signavioMetaData bgcolor/bordercolor.
    assert (task.colours.fill, task.colours.stroke) == ("#ffffcc", "#000000")
    sub = signavio.node["sid-B479F381-184C-4AA9-ACD0-E15245BD474F"]
    assert sub.kind == "subProcess" and sub.is_expanded is True
    assert signavio.node["sid-4139908E-EB18-4F57-8264-6385C850FB2A"].parent_id == sub.id


def test_trisotech_reference_multiline_names_colours_and_a_real_warning(trisotech):
    assert trisotech.node["_5ba97787-8a90-4002-8277-b0895e45cf1f"].name == "Job \nvacancy"
    shape = trisotech.main_plane.shape_of["_5ba97787-8a90-4002-8277-b0895e45cf1f"]
    assert (shape.colours.fill, shape.colours.stroke, shape.colours.label) == (
        "#ffffff", "#000000", "#000000")
    assert trisotech.warnings == [
        "diagram element '_985753e3-a4ce-486b-908a-509d382259ed' does not say which "
        "element it draws (no bpmnElement)"
    ]


def test_names_keep_trailing_spaces_as_written():
    model = load_model(MIWG / "camunda-modeler-18.6.1--A.4.1-roundtrip.bpmn")
    assert model.node["sid-3D477D07-D669-4A26-9454-12AD775FDE70"].name == "Task 1 "
    # An empty signavio bgcolor is no colour, not "".
    colours = model.main_plane.shape_of["sid-3D477D07-D669-4A26-9454-12AD775FDE70"].colours
    assert colours.fill == "#ffffcc"
