"""Small BPMN models with a layout, and filled workbooks, for the diff tests.

A model is one pool with lanes stacked top to bottom and tasks in columns, so a
test can say "the same model, with this task renamed / in another lane / with
new ids" in one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence, Tuple
from xml.sax.saxutils import quoteattr

import openpyxl

from bpmncx import load_model
from bpmncx.workbook import write_template

LANE_HEIGHT = 150
# (id, name, lane index, column, kind)
Task = Tuple[str, str, int, int, str]

CLAIM_LANES = ("Claims desk", "Payments")
CLAIM_TASKS: List[Task] = [
    ("start", "Damage reported", 0, 0, "startEvent"),
    ("t_register", "Register claim", 0, 1, "userTask"),
    ("t_assess", "Assess claim", 0, 2, "task"),
    ("t_notify", "Send decision", 0, 3, "sendTask"),
    ("t_pay", "Pay claim", 1, 3, "serviceTask"),
    ("end", "Claim closed", 1, 4, "endEvent"),
]
CLAIM_FLOWS = [("f1", "start", "t_register"), ("f2", "t_register", "t_assess"),
               ("f3", "t_assess", "t_notify"), ("f4", "t_notify", "t_pay"),
               ("f5", "t_pay", "end")]


def _size(kind: str) -> Tuple[int, int]:
    return (36, 36) if kind.endswith("Event") else (100, 80)


def bpmn_text(tasks: Sequence[Task] = CLAIM_TASKS, flows=CLAIM_FLOWS,
              lanes: Sequence[str] = CLAIM_LANES, prefix: str = "") -> str:
    """The model as BPMN XML; ``prefix`` is put before every id (an exporter that
    regenerates ids)."""
    p = prefix
    centre: Dict[str, Tuple[float, float]] = {}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"',
        '  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
        '  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"',
        '  xmlns:di="http://www.omg.org/spec/DD/20100524/DI"',
        f'  id="{p}defs" targetNamespace="http://example.com/diff">',
        f'  <collaboration id="{p}collab">',
        f'    <participant id="{p}pool" name="Insurer" processRef="{p}proc" />',
        "  </collaboration>",
        f'  <process id="{p}proc">',
        f'    <laneSet id="{p}lanes">',
    ]
    for index, lane in enumerate(lanes):
        lines.append(f'      <lane id="{p}lane{index}" name={quoteattr(lane)}>')
        lines += [f"        <flowNodeRef>{p}{t[0]}</flowNodeRef>" for t in tasks if t[2] == index]
        lines.append("      </lane>")
    lines.append("    </laneSet>")
    for task_id, name, _lane, _col, kind in tasks:
        lines.append(f"    <{kind} id=\"{p}{task_id}\" name={quoteattr(name)} />")
    for flow_id, source, target in flows:
        lines.append(f'    <sequenceFlow id="{p}{flow_id}" sourceRef="{p}{source}" '
                     f'targetRef="{p}{target}" />')
    lines += ["  </process>", f'  <bpmndi:BPMNDiagram id="{p}diagram">',
              f'    <bpmndi:BPMNPlane id="{p}plane" bpmnElement="{p}collab">']
    width = 170 * 6
    lines.append(f'      <bpmndi:BPMNShape id="{p}pool_di" bpmnElement="{p}pool" '
                 'isHorizontal="true">')
    lines.append(f'        <dc:Bounds x="0" y="0" width="{width}" '
                 f'height="{LANE_HEIGHT * len(lanes)}" /></bpmndi:BPMNShape>')
    for index, _lane in enumerate(lanes):
        lines.append(f'      <bpmndi:BPMNShape id="{p}lane{index}_di" bpmnElement="{p}lane{index}" '
                     'isHorizontal="true">')
        lines.append(f'        <dc:Bounds x="30" y="{LANE_HEIGHT * index}" width="{width - 30}" '
                     f'height="{LANE_HEIGHT}" /></bpmndi:BPMNShape>')
    for task_id, _name, lane, col, kind in tasks:
        w, h = _size(kind)
        x, y = 80 + 170 * col, LANE_HEIGHT * lane + (LANE_HEIGHT - h) // 2
        centre[task_id] = (x + w / 2, y + h / 2)
        lines.append(f'      <bpmndi:BPMNShape id="{p}{task_id}_di" bpmnElement="{p}{task_id}">')
        lines.append(f'        <dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}" />'
                     "</bpmndi:BPMNShape>")
    for flow_id, source, target in flows:
        (x1, y1), (x2, y2) = centre[source], centre[target]
        lines.append(f'      <bpmndi:BPMNEdge id="{p}{flow_id}_di" bpmnElement="{p}{flow_id}">')
        lines.append(f'        <di:waypoint x="{x1}" y="{y1}" /><di:waypoint x="{x2}" y="{y2}" />'
                     "</bpmndi:BPMNEdge>")
    lines += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>", "</definitions>", ""]
    return "\n".join(lines)


def write_bpmn(path, **kwargs) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(bpmn_text(**kwargs), encoding="utf-8")
    return path


def replace_task(tasks: Sequence[Task], task_id: str, **changes) -> List[Task]:
    """The tasks with one of them changed: name=, lane=, col=, kind=."""
    fields = ("id", "name", "lane", "col", "kind")
    out = []
    for task in tasks:
        if task[0] == task_id:
            values = dict(zip(fields, task))
            values.update(changes)
            task = tuple(values[f] for f in fields)
        out.append(task)
    return out


CLAIM_TOUCHPOINTS = {
    "t_register": {"Customer-facing?": "Yes", "Channel": "Web", "Emotion: Claimant": 0},
    "t_notify": {"Customer-facing?": "Yes", "Channel": "Email", "Emotion: Claimant": 1},
    "t_pay": {"Customer-facing?": "Yes", "Channel": "Email"},
}
CLAIM_JOURNEY = [
    {"Step": 1, "Stage": "Report", "Customer step": "Report the damage", "Channel": "Web",
     "Emotion": -1, "Supported by": "Register claim"},
    {"Step": 2, "Stage": "Decision", "Customer step": "Hear the decision", "Channel": "Email",
     "Emotion": 0, "Supported by": "Send decision"},
    {"Step": 3, "Stage": "Payout", "Customer step": "Get my money", "Channel": "Email",
     "Emotion": 1, "Moment of truth": "Yes", "Supported by": "Pay claim",
     "Evidence": "Payout on the bank statement"},  # so only a change of support puts it at risk
]


def write_workbook(path, model_path, touchpoints=None, journey=None, prefix: str = "",
                   personas=("Claimant",)) -> Path:
    """A template for the model, filled as an owner would (Touchpoints rows by
    element id without ``prefix``)."""
    path = Path(path)
    write_template([load_model(model_path)], path, personas=list(personas))
    touchpoints = CLAIM_TOUCHPOINTS if touchpoints is None else touchpoints
    journey = CLAIM_JOURNEY if journey is None else journey
    wb = openpyxl.load_workbook(path)
    ws = wb["Touchpoints"]
    header = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(row=r, column=header["Element ID"]).value: r
            for r in range(2, ws.max_row + 1)}
    for element_id, values in touchpoints.items():
        for name, value in values.items():
            ws.cell(row=rows[prefix + element_id], column=header[name], value=value)
    ws = wb["Journey"]
    header = {c.value: c.column for c in ws[1]}
    for offset, values in enumerate(journey):
        for name, value in values.items():
            ws.cell(row=2 + offset, column=header[name], value=value)
    wb.save(path)
    return path
