"""`bpmncx inspect`: the human tree, the JSON Lines keys, exit codes."""

import json

import pytest
from click.testing import CliRunner

from bpmncx import load_model
from bpmncx.cli import cli
from bpmncx.inspect import summary, tree

from conftest import CORPUS, FIXTURES

EVERY = FIXTURES / "read" / "every-element.bpmn"
NO_DI = FIXTURES / "messy" / "no-diagram.bpmn"
BROKEN = FIXTURES / "messy" / "broken-references.bpmn"
NOT_XML = FIXTURES / "hostile" / "not-xml.bpmn"

KEYS = ["file", "processes", "participants", "lanes", "activities", "events", "gateways",
        "sequence_flows", "message_flows", "data_objects", "data_stores", "annotations",
        "diagrams", "diagram_names", "has_di", "warnings"]


def invoke(*args):
    # Click 8.2+ keeps stderr apart from stdout in the result.
    return CliRunner().invoke(cli, ["inspect", *map(str, args)])


def test_human_output_is_a_tree_of_pools_and_lanes_with_counts():
    result = invoke(EVERY)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        str(EVERY),
        "  pool Customer (black box)",
        "  pool Insurer: 17 activities, 19 events, 5 gateways, 8 sequence flows",
        "    lane Claims intake: 3 activities, 1 event, 1 gateway",
        "    lane Back office: 0 activities, 0 events, 0 gateways",
        "      lane Assessment: 4 activities, 9 events, 4 gateways",
        "      lane Payments: 10 activities, 9 events, 0 gateways",
        "  total: 17 activities, 19 events, 5 gateways, 8 sequence flows, "
        "2 message flows, 4 lanes",
        "  layout: yes (2 diagrams: Claims, Archive (inside))",
        "  warnings: 0",
    ]
    assert result.stderr == ""


def test_lane_counts_add_up_to_the_pool():
    # Nested nodes count in the lane of their sub-process, boundary events in
    # the lane of their activity, so lane counts add up to the pool's.
    model = load_model(EVERY)
    assert all(model.effective_lane(n) is not None for n in model.nodes)
    assert model.effective_lane(model.node["Sub_Check"]).id == "Lane_Assess"
    assert model.effective_lane(model.node["Tx_Cancel"]).id == "Lane_Pay"


def test_human_output_without_layout_and_with_warnings():
    result = invoke(NO_DI, BROKEN)
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert out[:5] == [
        str(NO_DI),
        "  process Proc: 1 activity, 2 events, 0 gateways, 2 sequence flows",
        "  total: 1 activity, 2 events, 0 gateways, 2 sequence flows, 0 message flows, 0 lanes",
        "  layout: no (one will be generated) (0 diagrams)",
        "  warnings: 0",
    ]
    # Both tasks with the duplicate id "Pack" are counted: nothing is dropped.
    assert "  pool Shop: 2 activities, 3 events, 1 gateway, 4 sequence flows" in out
    assert "    lane Packing: 0 activities, 1 event, 0 gateways" in out
    assert "    (no lane): 2 activities, 2 events, 1 gateway" in out
    assert "  pool Warehouse: 0 activities, 0 events, 0 gateways, 0 sequence flows" in out
    assert "  warnings: 10" in out
    assert "  warning: sequenceFlow 'F3' has no source" in out


def test_multi_line_names_are_one_line_in_the_tree(tmp_path):
    text = EVERY.read_text().replace('name="Claims intake"', 'name="Claims&#10;intake"')
    path = tmp_path / "multi.bpmn"
    path.write_text(text)
    assert load_model(path).lane["Lane_Intake"].name == "Claims\nintake"
    assert "    lane Claims intake: 3 activities, 1 event, 1 gateway" in tree_lines(path)


def tree_lines(path):
    return ["  " + line for line in tree(load_model(path))]


def test_json_lines_have_the_documented_keys_in_order():
    result = invoke("--json", EVERY, NO_DI)
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(line) for line in lines] == [KEYS, KEYS]
    first = lines[0]
    assert first == {
        "file": str(EVERY), "processes": 1, "participants": 2, "lanes": 4,
        "activities": 17, "events": 19, "gateways": 5, "sequence_flows": 8,
        "message_flows": 2, "data_objects": 2, "data_stores": 1, "annotations": 2,
        "diagrams": 2, "diagram_names": ["Claims", "Archive (inside)"], "has_di": True,
        "warnings": [],
    }
    assert lines[1]["has_di"] is False and lines[1]["diagrams"] == 0
    assert lines[1]["diagram_names"] == []


def test_every_diagram_is_named_by_its_name_else_its_id():
    result = invoke("--json", CORPUS / "reference" / "C.4.0.bpmn",
                    CORPUS / "camunda-modeler-18.6.1" / "B.1.0-export.bpmn")
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["diagrams"] == 4
    assert first["diagram_names"] == ["Onboarding employee", "IT", "Payroll", "Facilities"]
    # Camunda Modeler: the main diagram has an id but no name; the empty drill-down plane of
    # a collapsed sub-process has neither, so the element it shows names it
    assert second["diagram_names"] == ["BPMNDiagram_1", "Activity_0puge1w"]
    human = invoke(CORPUS / "reference" / "C.4.0.bpmn").stdout
    assert "  layout: yes (4 diagrams: Onboarding employee, IT, Payroll, Facilities)" in human


def test_json_is_deterministic_and_keeps_non_ascii():
    first = invoke("--json", FIXTURES / "messy" / "latin1-in-utf8.bpmn").stdout
    second = invoke("--json", FIXTURES / "messy" / "latin1-in-utf8.bpmn").stdout
    assert first == second
    assert "cp1252" in first


def test_json_error_object_and_exit_code_1():
    result = invoke("--json", NOT_XML, EVERY)
    assert result.exit_code == 1
    error, ok = [json.loads(line) for line in result.stdout.splitlines()]
    assert error == {
        "file": str(NOT_XML),
        "error": f"{NOT_XML}: not well-formed XML: Start tag expected, '<' not found (line 1)",
    }
    assert ok["activities"] == 17
    assert result.stderr == ""


def test_human_error_goes_to_stderr_and_others_still_shown():
    result = invoke(NOT_XML, EVERY)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {NOT_XML}: not well-formed XML: Start tag expected, '<' not found (line 1)\n")
    assert result.stdout.startswith(f"{EVERY}\n")


@pytest.mark.parametrize("args, message", [
    (["--bogus", str(EVERY)], "No such option '--bogus'"),
    ([], "Missing argument 'FILES...'"),
])
def test_usage_errors_exit_2(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_summary_counts_match_the_readme_rules():
    info = summary(load_model(EVERY))
    # activities: every task type + subProcess, adHocSubProcess, transaction,
    # callActivity, nested ones included (Sub_Check, Tx_Book, AdHoc_Call, Collapsed_Task).
    assert info["activities"] == 17
    # events: start, end, intermediate catch/throw and boundary, nested included.
    assert info["events"] == 19
    assert info["lanes"] == 4  # nested lanes included


def test_human_output_shows_bidi_controls_escaped(tmp_path):
    text = EVERY.read_text().replace('name="Claims intake"', 'name="Claims &#x202E;ekatni&#x202C; &#x2067;x&#x2069;&#x200F;"')
    path = tmp_path / "bidi.bpmn"
    path.write_text(text)
    result = invoke(path)
    assert result.exit_code == 0
    assert not any(ch in result.stdout for ch in "\u202e\u202c\u2067\u2069\u200f")
    assert "lane Claims \\u202eekatni\\u202c \\u2067x\\u2069\\u200f: 3 activities" in result.stdout
    # JSON Lines and the library keep the name as it is.
    assert load_model(path).lane["Lane_Intake"].name == "Claims \u202eekatni\u202c \u2067x\u2069\u200f"
