"""The gap analysis as JSON, CSV, Markdown and a terminal table."""

import csv
import io
import json

from bpmncx import analyse, load_model
from bpmncx.annotations import Annotations, ElementRef, JourneyStep, Persona, Touchpoint
from bpmncx.report.findings import (
    CSV_COLUMNS, SCHEMA, analysis_document, to_csv, to_json, to_markdown,
)
from bpmncx.analysis import KINDS
from bpmncx.cli.table import to_table
from conftest import FIXTURES

MODEL = load_model(FIXTURES / "analysis" / "claim.bpmn")


def _ref(element_id):
    return ElementRef("claim", element_id)


def _notes(persona_name="Customer"):
    return Annotations(
        source="claim-cx.xlsx",
        personas=[Persona(persona_name)],
        journey=[
            JourneyStep(1, "1", customer_step="Report", supported_by=[_ref("i_register")],
                        emotion=-2, cell="Journey!A2", supported_by_cell="Journey!H2"),
            JourneyStep(2, "2", customer_step="Be assessed", supported_by=[_ref("i_assess")],
                        cell="Journey!A3", supported_by_cell="Journey!H3"),
            JourneyStep(3, "3", customer_step="Get paid | fast", moment_of_truth=True,
                        cell="Journey!A4", supported_by_cell="Journey!H4"),
        ],
        touchpoints=[Touchpoint("claim", "i_reject", customer_facing=True, channel="Post",
                                cell="Touchpoints!A9")],
        channels=("Web", "Post"),
        stages=("Use",),
    )


ANALYSIS = analyse(MODEL, _notes())


def test_json_document_schema():
    doc = json.loads(to_json(ANALYSIS))
    assert sorted(doc) == ["findings", "metrics", "models", "persona", "schema", "workbook"]
    assert doc["schema"] == SCHEMA == "bpmncx-gaps/1"
    assert doc["workbook"] == "claim-cx.xlsx"
    assert doc["models"] == [{"name": "claim", "file": MODEL.path, "sha256": MODEL.sha256}]
    assert doc["persona"] is None
    assert [(f["severity"], f["kind"], f["step"]) for f in doc["findings"]] == [
        ("critical", "pain-point", 1),
        ("critical", "missing-support", 3),
        ("warning", "evidence-missing", 3),
        ("info", "handoff", 1),
        ("info", "unmapped-touchpoint", None),
    ]
    handoff = doc["findings"][3]
    assert handoff == {
        "kind": "handoff",
        "severity": "info",
        "message": 'Between step 1 "Report" and step 2 "Be assessed" the customer is passed '
                   "from Claims intake (Insurer) to Assessment (Insurer).",
        "persona": "Customer",
        "step": 1,
        "steps": [1, 2],
        "elements": [{"model": "claim", "id": "i_register", "name": "Register claim"},
                     {"model": "claim", "id": "i_assess", "name": "Assess damage"}],
        "cell": "Journey!H3",
    }
    metrics = doc["metrics"]
    assert sorted(metrics) == [
        "coverage", "emotion_per_persona", "emotion_per_stage", "findings_per_kind",
        "findings_per_severity", "handoffs", "journey_steps", "moments_of_truth",
        "moments_of_truth_at_risk", "steps_per_device", "supported_steps",
        "touchpoints_per_channel",
    ]
    assert metrics["steps_per_device"] == []  # no step says its device
    assert metrics["coverage"] == 0.6667
    assert metrics["touchpoints_per_channel"] == [{"channel": "Post", "count": 1}]
    assert metrics["emotion_per_persona"] == [{"persona": "Customer", "mean": -2.0, "count": 1}]
    assert metrics["emotion_per_stage"] == [{"stage": "(no stage)", "mean": -2.0, "count": 1}]
    assert metrics["moments_of_truth_at_risk"] == [
        {"label": 'step 3 "Get paid | fast"', "step": 3, "element": None,
         "kinds": ["evidence-missing", "missing-support"]}]
    assert metrics["findings_per_severity"] == {"critical": 2, "warning": 1, "info": 2}
    assert metrics["findings_per_kind"]["handoff"] == 1
    assert list(metrics["findings_per_kind"]) == sorted(KINDS)  # every kind, zeros too


def test_json_is_byte_identical_for_equal_input():
    again = analyse(load_model(FIXTURES / "analysis" / "claim.bpmn"), _notes())
    assert to_json(again).encode() == to_json(ANALYSIS).encode()
    assert analysis_document(again) == analysis_document(ANALYSIS)


def test_csv_has_one_row_per_finding_and_defuses_formulas():
    hostile = analyse(MODEL, _notes(persona_name="=HYPERLINK(\"http://x\",\"click\")"))
    rows = list(csv.reader(io.StringIO(to_csv(hostile))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + len(hostile.findings)
    handoff = [r for r in rows if r[1] == "handoff"][0]
    assert handoff[2] == "1 2"
    assert handoff[3] == "'=HYPERLINK(\"http://x\",\"click\")"
    assert handoff[4] == "claim:i_register; claim:i_assess"
    assert handoff[5] == "Register claim; Assess damage"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_markdown_table_escapes_pipes_and_markup():
    text = to_markdown(ANALYSIS)
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert table[0] == "| Severity | Kind | Step | Persona | Elements | Cell | Finding |"
    assert len(table) == 2 + len(ANALYSIS.findings)
    # every row has exactly 7 cells: the "|" in the step's text is escaped
    assert all(line.replace("\\|", "").count("|") == 8 for line in table)
    assert 'Step 3 "Get paid \\| fast"' in text
    assert "- journey coverage: 67% (2 of 3 steps supported)" in text


def test_terminal_table_is_worst_first_wrapped_and_uncoloured_by_default():
    text = to_table(ANALYSIS, width=120)
    lines = text.splitlines()
    assert lines[0].split() == ["SEVERITY", "KIND", "STEP", "CELL", "FINDING"]
    assert lines[1].startswith("critical  pain-point           1     Journey!A2      Customer feels")
    assert lines[2].startswith("critical  missing-support      3     Journey!H4      Step 3")
    assert lines[3] == " " * 53 + "process: no task or event carries it out for the customer."
    assert max(len(line) for line in lines) <= 120
    assert "\x1b[" not in text
    assert "5 findings: 2 critical, 1 warning, 2 info" in lines
    assert "journey coverage: 67% (2 of 3 steps supported)" in lines
    coloured = to_table(ANALYSIS, width=120, colour=True)
    assert "\x1b[31m\x1b[1mcritical" in coloured


def test_narrow_terminal_puts_the_finding_under_its_row():
    lines = to_table(ANALYSIS, width=60).splitlines()
    assert lines[0] == "SEVERITY  KIND                 STEP  CELL"
    assert lines[1] == "critical  pain-point           1     Journey!A2"
    assert lines[2] == '    Customer feels very negative (-2) at step 1 "Report".'
    findings = lines[:lines.index("")]
    assert max(len(line) for line in findings) <= 60


def test_terminal_table_neutralises_control_characters():
    notes = _notes()
    notes.journey[2].customer_step = "Get paid\x1b[2J now"
    text = to_table(analyse(MODEL, notes), width=200)
    assert "\x1b" not in text
    assert 'Step 3 "Get paid [2J now"' in text


def test_terminal_table_shows_bidi_controls_escaped():
    notes = _notes()
    notes.journey[2].customer_step = "Get paid \u202ewon\u202c \u2066x\u2069\u200e"
    analysis = analyse(MODEL, notes)
    text = to_table(analysis, width=200)
    assert not any(ch in text for ch in "\u202e\u202c\u2066\u2069\u200e")
    assert 'Get paid \\u202ewon\\u202c \\u2066x\\u2069\\u200e' in text
    # The JSON keeps the name as data.
    assert "Get paid \u202ewon\u202c" in json.dumps(json.loads(to_json(analysis)), ensure_ascii=False)
