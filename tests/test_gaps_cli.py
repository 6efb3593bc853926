"""``bpmncx gaps`` end to end: a real template, filled with openpyxl as an owner would."""

import json

import openpyxl
import pytest
from click.testing import CliRunner

from bpmncx import load_model
from bpmncx.cli import cli
from bpmncx.workbook import write_template
from conftest import FIXTURES

MODEL_PATH = str(FIXTURES / "analysis" / "claim.bpmn")


def _fill(path, touchpoints, journey):
    """Type values into the template by header name, as a business owner would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Touchpoints"]
    header = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(row=r, column=header["Element ID"]).value: r for r in range(2, ws.max_row + 1)}
    for element_id, values in touchpoints.items():
        for name, value in values.items():
            ws.cell(row=rows[element_id], column=header[name], value=value)
    ws = wb["Journey"]
    header = {c.value: c.column for c in ws[1]}
    for offset, values in enumerate(journey):
        for name, value in values.items():
            ws.cell(row=2 + offset, column=header[name], value=value)
    wb.save(path)


TOUCHPOINTS = {
    "i_register": {"Customer-facing?": "Yes", "Channel": "Web"},
    "i_update": {"Customer-facing?": "yes", "Channel": "Email", "Emotion: Customer": -1,
                 "Pain point": "Generic text, no date"},
    "i_reject": {"Customer-facing?": "Y", "Channel": "Post"},
    "i_pay": {"Customer-facing?": "No"},
}
JOURNEY = [
    {"Step": 1, "Customer step": "Report the damage", "Channel": "Web", "Supported by": "i_register"},
    {"Step": 2, "Customer step": "Hear back", "Channel": "Email",
     "Supported by": "Send status update"},
    {"Step": 3, "Customer step": "Get my money", "Moment of truth": "Yes"},
    {"Step": 4, "Customer step": "Payment arrives", "Supported by": "i_pay"},
]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("gaps") / "claim-cx.xlsx"
    write_template([load_model(MODEL_PATH)], path, personas=["Customer", "Fleet manager"])
    _fill(path, TOUCHPOINTS, JOURNEY)
    return str(path)


@pytest.fixture(scope="module")
def mild_workbook(tmp_path_factory):
    """Only warnings and infos: no moment of truth, nothing very negative."""
    path = tmp_path_factory.mktemp("gaps") / "mild-cx.xlsx"
    write_template([load_model(MODEL_PATH)], path)
    _fill(path, TOUCHPOINTS, JOURNEY[:2])
    return str(path)


def run(*args):
    return CliRunner().invoke(cli, ["gaps", *args], catch_exceptions=False)


def test_table_lists_the_findings_worst_first(workbook):
    result = run(MODEL_PATH, workbook)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    found = [line.split()[:3] for line in lines[1:] if line[:1].isalpha() and "  " in line]
    assert found[:5] == [
        ["critical", "missing-support", "3"],
        ["warning", "pain-point", "2"],
        ["warning", "evidence-missing", "3"],
        ["warning", "not-customer-facing", "4"],
        ["info", "handoff", "2,4"],
    ]
    assert "6 findings: 1 critical, 3 warning, 2 info" in lines
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert result.stderr == ""


def test_json_output_is_the_documented_schema_and_byte_identical(workbook):
    first = run(MODEL_PATH, workbook, "--format", "json")
    second = run(MODEL_PATH, workbook, "--format", "json")
    assert first.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    doc = json.loads(first.stdout)
    assert doc["schema"] == "bpmncx-gaps/1"
    assert doc["workbook"] == workbook
    assert [(f["kind"], f["steps"], [e["id"] for e in f["elements"]], f["cell"])
            for f in doc["findings"]] == [
        ("missing-support", [3], [], "Journey!H4"),
        ("pain-point", [2], ["i_update"], f"Touchpoints!M{_row(workbook, 'i_update')}"),
        ("evidence-missing", [3], [], "Journey!K4"),  # a moment of truth the customer gets nothing at
        ("not-customer-facing", [4], ["i_pay"], "Journey!H5"),
        ("handoff", [2, 4], ["i_update", "i_pay"], "Journey!H5"),
        ("unmapped-touchpoint", [], ["i_reject"], f"Touchpoints!H{_row(workbook, 'i_reject')}"),
    ]
    assert doc["metrics"]["coverage"] == 0.75
    assert doc["metrics"]["handoffs"] == 1


def _row(workbook, element_id):
    """The Touchpoints row the template gave an element (looked up in the file)."""
    ws = openpyxl.load_workbook(workbook)["Touchpoints"]
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row[3] == element_id:
            return number
    raise AssertionError(element_id)


def test_csv_and_markdown(workbook):
    csv_result = run(MODEL_PATH, workbook, "--format", "csv")
    assert csv_result.exit_code == 0
    assert csv_result.stdout.splitlines()[0] == (
        "severity,kind,steps,persona,elements,element_names,cell,message")
    assert len(csv_result.stdout.splitlines()) == 7
    md = run(MODEL_PATH, workbook, "--format", "md")
    assert md.exit_code == 0
    assert md.stdout.startswith("## Gaps between the customer journey and the process\n")
    assert "| critical | missing\\-support |" not in md.stdout
    assert "| critical | missing-support | 3 |" in md.stdout


def test_fail_on_gates_by_severity(workbook, mild_workbook):
    assert run(MODEL_PATH, workbook, "--fail-on", "critical").exit_code == 3
    assert run(MODEL_PATH, workbook, "--fail-on", "warning").exit_code == 3
    mild_critical = run(MODEL_PATH, mild_workbook, "--fail-on", "critical")
    assert mild_critical.exit_code == 0, mild_critical.output
    mild_warning = run(MODEL_PATH, mild_workbook, "--fail-on", "warning", "--format", "json")
    assert mild_warning.exit_code == 3
    json.loads(mild_warning.stdout)  # the report is still printed, complete
    assert "failing (--fail-on warning)" in mild_warning.stderr


def test_persona_option(workbook):
    result = run(MODEL_PATH, workbook, "--persona", "fleet manager", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["persona"] == "Fleet manager"
    # the Customer's emotion on the touchpoint is not the fleet manager's pain
    assert "pain-point" not in [f["kind"] for f in doc["findings"]]
    unknown = run(MODEL_PATH, workbook, "--persona", "Nobody")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith("error: ")
    assert "persona 'Nobody' is not in the workbook (personas: Customer, Fleet manager)" in unknown.stderr


def test_workbook_errors_are_listed_with_their_cells_and_exit_1(tmp_path):
    path = tmp_path / "broken-cx.xlsx"
    write_template([load_model(MODEL_PATH)], path)
    _fill(path, {}, [{"Step": 1, "Customer step": "Hear back",
                      "Supported by": "Send status updte"}])
    result = run(MODEL_PATH, str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error: Journey!H2: " in result.stderr
    assert "Send status update" in result.stderr  # did-you-mean
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: {path}: 1 error in the workbook")


def test_unreadable_inputs_exit_1_with_one_line(tmp_path, workbook):
    missing = run(str(tmp_path / "nope.bpmn"), workbook)
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: ") and len(missing.stderr.splitlines()) == 1
    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_text("hello")
    bad = run(MODEL_PATH, str(not_a_workbook))
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: ") and len(bad.stderr.splitlines()) == 1
    assert "Traceback" not in bad.output


def test_usage_errors_exit_2(workbook):
    assert run(workbook).exit_code == 2  # no model
    assert run(MODEL_PATH, workbook, "--format", "pdf").exit_code == 2
    assert run(MODEL_PATH, workbook, "--fail-on", "info").exit_code == 2


def test_an_empty_journey_is_said_not_passed_as_clean(tmp_path):
    path = tmp_path / "empty-cx.xlsx"
    write_template([load_model(MODEL_PATH)], path)
    result = run(MODEL_PATH, str(path))
    assert result.exit_code == 0
    assert result.stderr == (f"warning: {path}: the Journey sheet has no steps; "
                             "only the touchpoints were checked\n")


class _Terminal:
    def isatty(self):
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    from bpmncx.cli import gaps as gaps_command

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr("sys.stdout", _Terminal())
    assert gaps_command._colour() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert gaps_command._colour() is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert gaps_command._colour() is False
