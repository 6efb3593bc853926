"""Every file of the shared MIWG corpus loads, and what bpmncx counts matches
an independent count made here with plain lxml XPath over the same file.

The XPath side knows nothing of bpmncx: it is what a careful person would
type to count elements by hand. Skipped (saying why) when the corpus is absent.
"""

import json
import subprocess
import sys
from functools import lru_cache

import pytest
from lxml import etree

from bpmncx import load_model
from bpmncx.inspect import summary

from conftest import CORPUS, ROOT, corpus_files, needs_corpus

pytestmark = needs_corpus

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}

ACTIVITIES = (
    "//bpmn:task|//bpmn:userTask|//bpmn:manualTask|//bpmn:serviceTask|//bpmn:scriptTask"
    "|//bpmn:businessRuleTask|//bpmn:sendTask|//bpmn:receiveTask|//bpmn:subProcess"
    "|//bpmn:adHocSubProcess|//bpmn:transaction|//bpmn:callActivity"
)
EVENTS = (
    "//bpmn:startEvent|//bpmn:endEvent|//bpmn:intermediateCatchEvent"
    "|//bpmn:intermediateThrowEvent|//bpmn:boundaryEvent"
)
GATEWAYS = (
    "//bpmn:exclusiveGateway|//bpmn:inclusiveGateway|//bpmn:parallelGateway"
    "|//bpmn:eventBasedGateway|//bpmn:complexGateway"
)

# Files whose warnings are real defects of the export, checked by hand:
# flows pointing at ids that are not in the file, a BPMNEdge without
# bpmnElement, a process reusing the id of a globalTask.
EXPECTED_WARNINGS = {
    "reference/C.7.0.bpmn": 1,
    "signavio-19.9.0/B.1.0-export.bpmn": 4,
    "signavio-19.9.0/B.2.0-export.bpmn": 12,
    "signavio-19.9.0/B.1.0-roundtrip.bpmn": 1,
    "signavio-19.9.0/B.2.0-roundtrip.bpmn": 1,
    "signavio-19.9.0/C.8.1-roundtrip.bpmn": 10,
    "signavio-19.9.0/C.9.0-export.bpmn": 2,
}

FILES = corpus_files()
IDS = [str(path.relative_to(CORPUS)) for path in FILES]


@lru_cache(maxsize=None)
def model_of(path):
    return load_model(path)


@lru_cache(maxsize=None)
def tree_of(path):
    return etree.parse(str(path))


def xcount(path, expression) -> int:
    return int(tree_of(path).xpath(f"count({expression})", namespaces=NS))


def xpath(path, expression):
    return tree_of(path).xpath(expression, namespaces=NS)


def drawn_count(path, kind, reference_kind) -> int:
    """References, plus definitions that no reference points to."""
    referenced = set(xpath(path, f"//bpmn:{reference_kind}/@{kind}Ref"))
    definitions = xpath(path, f"//bpmn:{kind}/@id")
    return xcount(path, f"//bpmn:{reference_kind}") + sum(
        1 for i in definitions if i not in referenced
    )


def independent_counts(path) -> dict:
    return {
        "processes": xcount(path, "//bpmn:process"),
        "participants": xcount(path, "//bpmn:participant"),
        "lanes": xcount(path, "//bpmn:lane"),
        "activities": xcount(path, ACTIVITIES),
        "events": xcount(path, EVENTS),
        "gateways": xcount(path, GATEWAYS),
        "sequence_flows": xcount(path, "//bpmn:sequenceFlow"),
        "message_flows": xcount(path, "//bpmn:messageFlow"),
        "data_objects": drawn_count(path, "dataObject", "dataObjectReference"),
        "data_stores": drawn_count(path, "dataStore", "dataStoreReference"),
        "annotations": xcount(path, "//bpmn:textAnnotation"),
        "diagrams": xcount(path, "//bpmndi:BPMNPlane"),
        "has_di": xcount(path, "//bpmndi:BPMNShape[dc:Bounds]") > 0,
    }


def test_corpus_is_there_and_complete():
    # The issue names 114 real exports; a silently shrunken (or misplaced)
    # corpus would make every test below pass vacuously.
    assert len(FILES) >= 114
    assert {path.parent.name for path in FILES} >= {
        "reference", "camunda-modeler-18.6.1", "signavio-19.9.0"}


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_inspect_counts_match_xpath(path):
    info = summary(model_of(path))
    expected = independent_counts(path)
    assert {key: info[key] for key in expected} == expected


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_warnings_only_where_the_export_is_broken(path):
    rel = str(path.relative_to(CORPUS))
    assert len(model_of(path).warnings) == EXPECTED_WARNINGS.get(rel, 0), model_of(path).warnings


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_flow_nodes_and_connections_match_xpath(path):
    model = model_of(path)
    nodes = xpath(path, f"{ACTIVITIES}|{EVENTS}|{GATEWAYS}")
    assert sorted((n.id, n.kind) for n in model.nodes) == sorted(
        (el.get("id"), etree.QName(el).localname) for el in nodes
    )
    # Names exactly as written (multi-line ones included), per id.
    assert {n.id: n.name for n in model.nodes} == {el.get("id"): el.get("name", "") for el in nodes}
    flows = xpath(path, "//bpmn:sequenceFlow|//bpmn:messageFlow")
    assert sorted((c.id, c.source_id, c.target_id) for c in model.connections
                  if c.kind in ("sequenceFlow", "messageFlow")) == sorted(
        (el.get("id"), el.get("sourceRef"), el.get("targetRef")) for el in flows
    )
    conditions = {el.getparent().get("id") for el in xpath(path, "//bpmn:conditionExpression")
                  if "".join(el.itertext()).strip()}
    assert {c.id for c in model.connections if c.condition} == conditions
    defaults = set(xpath(path, "//bpmn:*/@default"))
    assert {c.id for c in model.connections if c.is_default} == defaults & {
        c.id for c in model.connections
    }


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_events_match_xpath(path):
    model = model_of(path)
    for el in xpath(path, EVENTS):
        node = model.node[el.get("id")]
        inline = [etree.QName(d).localname[: -len("EventDefinition")]
                  for d in el if etree.QName(d).localname.endswith("EventDefinition")]
        assert node.event_definitions[: len(inline)] == inline, node.id
        if len(inline) > 1:
            assert node.event_type in ("multiple", "parallelMultiple")
        if etree.QName(el).localname == "boundaryEvent":
            assert node.attached_to == el.get("attachedToRef")
            assert node.cancel_activity == (el.get("cancelActivity", "true") != "false")
    for el in xpath(path, "//bpmn:subProcess[@triggeredByEvent='true']"):
        assert model.node[el.get("id")].triggered_by_event
    loops = {el.getparent().get("id"): etree.QName(el).localname for el in xpath(
        path, "//bpmn:standardLoopCharacteristics|//bpmn:multiInstanceLoopCharacteristics")}
    assert {n.id for n in model.nodes if n.loop} == set(loops)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_lanes_and_pools_match_xpath(path):
    model = model_of(path)
    assert sorted((lane.id, lane.name, tuple(lane.flow_node_ids)) for lane in model.lanes) == sorted(
        (el.get("id"), el.get("name", ""),
         tuple(r.text.strip() for r in el.findall("bpmn:flowNodeRef", NS)))
        for el in xpath(path, "//bpmn:lane")
    )
    nested = {el.get("id") for el in xpath(path, "//bpmn:childLaneSet/bpmn:lane")}
    assert {lane.id for lane in model.lanes if lane.parent_id} == nested
    black_boxes = {el.get("id") for el in xpath(path, "//bpmn:participant[not(@processRef)]")}
    assert {p.id for p in model.participants if p.is_black_box} == black_boxes


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_diagram_planes_match_xpath(path):
    model = model_of(path)
    planes = xpath(path, "//bpmndi:BPMNPlane")
    assert [p.id for p in model.planes] == [el.get("id", "") for el in planes]
    for plane, el in zip(model.planes, planes):
        assert len(plane.shapes) == len(el.xpath("bpmndi:BPMNShape[dc:Bounds]", namespaces=NS))
        assert len(plane.edges) == len(el.xpath("bpmndi:BPMNEdge", namespaces=NS))
        assert sum(len(e.waypoints) for e in plane.edges) == len(
            el.xpath("bpmndi:BPMNEdge/di:waypoint", namespaces=NS))
        labelled = el.xpath("bpmndi:BPMNShape[bpmndi:BPMNLabel/dc:Bounds]/@id"
                            "|bpmndi:BPMNEdge[bpmndi:BPMNLabel/dc:Bounds]/@id", namespaces=NS)
        assert sorted(s.id for s in (*plane.shapes, *plane.edges) if s.label) == sorted(labelled)
        expanded = el.xpath("bpmndi:BPMNShape[@isExpanded='true']/@bpmnElement", namespaces=NS)
        assert sorted(s.element_id for s in plane.shapes if s.is_expanded) == sorted(expanded)
        for shape, shape_el in zip(plane.shapes, el.xpath("bpmndi:BPMNShape[dc:Bounds]",
                                                          namespaces=NS)):
            bounds = shape_el.find("dc:Bounds", NS)
            assert (shape.bounds.x, shape.bounds.width) == (
                float(bounds.get("x")), float(bounds.get("width")))
    main = model.main_plane
    if main is not None and any(p.element_id in model.collaboration_ids and p.shapes
                                for p in model.planes):
        assert main.element_id in model.collaboration_ids


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_data_and_artifacts_match_xpath(path):
    model = model_of(path)
    for kind in ("dataObject", "dataObjectReference", "dataStore", "dataStoreReference",
                 "textAnnotation", "group"):
        assert sorted(a.id for a in model.artifacts if a.kind == kind) == sorted(
            xpath(path, f"//bpmn:{kind}/@id")), kind
    for kind in ("association", "dataInputAssociation", "dataOutputAssociation"):
        assert len(model.connections_of_kind(kind)) == xcount(path, f"//bpmn:{kind}"), kind
    values = {el.get("id"): el.get("value", "") for el in xpath(path, "//bpmn:categoryValue")}
    for el in xpath(path, "//bpmn:group[@categoryValueRef]"):
        group = next(a for a in model.artifacts if a.id == el.get("id"))
        assert group.name == (el.get("name") or values.get(el.get("categoryValueRef"), ""))


def test_cli_json_lines_over_the_whole_corpus_in_one_run():
    result = subprocess.run(
        [sys.executable, "-m", "bpmncx", "inspect", "--json", *map(str, FILES)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == len(FILES)
    for path, line in zip(FILES, lines):
        info = json.loads(line)
        assert info["file"] == str(path)
        expected = independent_counts(path)
        assert {key: info[key] for key in expected} == expected, path
        assert info["warnings"] == model_of(path).warnings
