"""Helpers for the workbook tests: small models and cell addressing by header name."""

from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

import bpmncx

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "workbook"
SHOP = FIXTURE_DIR / "shop.bpmn"

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D_{name}"
  targetNamespace="http://example.com/{name}">
  <collaboration id="C_{name}">
    <participant id="P_cust_{name}" name="Customer" />
    <participant id="P_org_{name}" name="Back office" processRef="Proc_{name}" />
  </collaboration>
  <process id="Proc_{name}">
"""


def write_model(directory: Path, name: str, tasks) -> Path:
    """A one-pool model with tasks [(id, name)] in a row; returns its path."""
    from xml.sax.saxutils import quoteattr

    body = [_HEAD.format(name=name)]
    for task_id, task_name in tasks:
        body.append(f"    <task id={quoteattr(task_id)} name={quoteattr(task_name)} />\n")
    body.append("  </process>\n</definitions>\n")
    path = Path(directory) / f"{name}.bpmn"
    path.write_text("".join(body), encoding="utf-8")
    return path


def shop_model():
    return bpmncx.load_model(SHOP)


def headers(ws, row=1):
    return {cell.value: cell.column for cell in ws[row] if cell.value is not None}


def column(ws, header) -> str:
    return get_column_letter(headers(ws)[header])


def row_of(ws, element_id) -> int:
    id_col = headers(ws)["Element ID"]
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=id_col).value == element_id:
            return row
    raise KeyError(element_id)


def tp_cell(ws, element_id, header) -> str:
    return f"{column(ws, header)}{row_of(ws, element_id)}"


def set_tp(ws, element_id, header, value) -> str:
    """Type into the Touchpoints row of ``element_id``; returns 'Touchpoints!X9'."""
    ref = tp_cell(ws, element_id, header)
    ws[ref] = value
    return f"{ws.title}!{ref}"


def set_row(ws, row, values: dict) -> None:
    """Type a row by header name (as an owner would, cell by cell)."""
    cols = headers(ws)
    for header, value in values.items():
        ws.cell(row=row, column=cols[header], value=value)


def load(path):
    return openpyxl.load_workbook(path)
