"""Helpers for the report and batch tests: a real template, filled as an owner would."""

from pathlib import Path

import openpyxl

from bpmncx import load_model
from bpmncx.workbook import write_template

REPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "report"
HOSTILE = REPORT_FIXTURES / "hostile.bpmn"  # names that try to inject markup and formulas
SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("http://x","click")'
PERSONAS = ["Customer", "Fleet <i>manager</i>"]

TOUCHPOINTS = {
    "start": {"Customer-facing?": "Yes", "Channel": "Web", "Touchpoint": "Claim form sent"},
    "t_register": {"Customer-facing?": "Yes", "Channel": "Web", "Emotion: Customer": 1,
                   "Touchpoint": "Claim <b>registered</b>"},
    "t_inform": {"Customer-facing?": "Yes", "Channel": "Post", "Emotion: Customer": -1,
                 "Pain point": "-no date given", "Moment of truth": "Yes"},
    "t_assess": {"Customer-facing?": "No"},
    "t_pay": {"Customer-facing?": "Yes", "Channel": "Web", "Emotion: Customer": 2,
              "Emotion: Fleet <i>manager</i>": 1},
}
JOURNEY = [
    {"Step": 1, "Stage": "Get help", "Customer step": "Report the damage", "Channel": "Web",
     "Emotion": 1, "Supported by": "t_register"},
    {"Step": 2, "Stage": "Get help", "Customer step": SCRIPT_NAME, "Channel": "Phone",
     "Emotion": 0, "Supported by": "Assess damage"},
    {"Step": 3, "Stage": "Get help", "Customer step": "Hear back", "Channel": "Email",
     "Emotion": -2, "Moment of truth": "Yes", "Supported by": "t_inform"},
    {"Step": 4, "Stage": "Use", "Customer step": "Get my money", "Moment of truth": "Yes",
     "Emotion": -1},
    {"Step": 5, "Stage": "Use", "Customer step": "Payment arrives", "Emotion": 2,
     "Supported by": "t_pay"},
]


def fill(path, touchpoints=TOUCHPOINTS, journey=JOURNEY):
    """Type values into the template by header name, as a business owner would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Touchpoints"]
    header = {c.value: c.column for c in ws[1] if c.value}
    rows = {ws.cell(row=r, column=header["Element ID"]).value: r for r in range(2, ws.max_row + 1)}
    for element_id, values in touchpoints.items():
        for name, value in values.items():
            ws.cell(row=rows[element_id], column=header[name], value=value)
    ws = wb["Journey"]
    header = {c.value: c.column for c in ws[1] if c.value}
    for offset, values in enumerate(journey):
        for name, value in values.items():
            ws.cell(row=2 + offset, column=header[name], value=value)
    wb.save(path)


def make_workbook(model_path, workbook_path, personas=PERSONAS):
    """A filled workbook for ``model_path`` at ``workbook_path``."""
    write_template([load_model(model_path)], workbook_path, personas=personas)
    fill(workbook_path)
    return workbook_path
