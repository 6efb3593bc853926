"""Models and journeys for the journey-band tests, and the geometry read back from the SVG.

``compact_model`` and ``reverse_model`` are written once into tests/fixtures/band/
(``python tests/band_support.py`` rewrites them); ``long_model`` (500 tasks, 150
journey steps) is made on the fly. Each comes with hand-made annotations.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple
from xml.sax.saxutils import quoteattr

from lxml import etree

HERE = Path(__file__).resolve().parent
BAND = HERE / "fixtures" / "band"
SVG = "{http://www.w3.org/2000/svg}"

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
             xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
             xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
             id="Defs" targetNamespace="https://bpmncx.org/tests">
"""


class Spec:
    """A one-pool model described shape by shape (ids, kinds, names, bounds)."""

    def __init__(self, comment: str):
        self.comment = comment
        self.lanes: List[Tuple[str, str, Tuple[float, float, float, float], List[str]]] = []
        self.nodes: List[Tuple[str, str, str, Tuple[float, float, float, float], dict]] = []
        self.flows: List[Tuple[str, str, str, List[Tuple[float, float]]]] = []
        self.children: Dict[str, List[str]] = {}  # sub-process -> its nodes
        self.pool = (0.0, 0.0, 0.0, 0.0)

    def node(self, kind: str, node_id: str, name: str, x: float, y: float, w: float, h: float,
             parent: Optional[str] = None, **attrs) -> str:
        self.nodes.append((kind, node_id, name, (x, y, w, h), attrs))
        if parent:
            self.children.setdefault(parent, []).append(node_id)
        return node_id

    def flow(self, flow_id: str, source: str, target: str, points=None) -> None:
        if points is None:
            a, b = self.bounds(source), self.bounds(target)
            points = [(a[0] + a[2], a[1] + a[3] / 2), (b[0], b[1] + b[3] / 2)]
        self.flows.append((flow_id, source, target, points))

    def bounds(self, node_id: str):
        return next(b for _, i, _, b, _ in self.nodes if i == node_id)

    def xml(self) -> str:
        inner = {c for kids in self.children.values() for c in kids}
        lines = [_HEAD, f"  <!-- {self.comment} -->\n",
                 '  <collaboration id="Collab"><participant id="Pool" name="Company" '
                 'processRef="Main"/></collaboration>\n',
                 '  <process id="Main" isExecutable="false">\n']
        if self.lanes:
            lines.append('    <laneSet id="LaneSet">\n')
            for lane_id, name, _, members in self.lanes:
                lines.append(f'      <lane id="{lane_id}" name={quoteattr(name)}>')
                lines += [f"<flowNodeRef>{m}</flowNodeRef>" for m in members]
                lines.append("</lane>\n")
            lines.append("    </laneSet>\n")

        def emit(node_id: str, indent: str) -> None:
            kind, _, name, _, attrs = next(n for n in self.nodes if n[1] == node_id)
            extra = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
            kids = self.children.get(node_id)
            if kids:
                lines.append(f'{indent}<{kind} id="{node_id}" name={quoteattr(name)}{extra}>\n')
                for kid in kids:
                    emit(kid, indent + "  ")
                for flow_id, source, target, _ in self.flows:
                    if source in kids and target in kids:
                        lines.append(f'{indent}  <sequenceFlow id="{flow_id}" '
                                     f'sourceRef="{source}" targetRef="{target}"/>\n')
                lines.append(f"{indent}</{kind}>\n")
            else:
                lines.append(f'{indent}<{kind} id="{node_id}" name={quoteattr(name)}{extra}/>\n')

        for _, node_id, _, _, _ in self.nodes:
            if node_id not in inner:
                emit(node_id, "    ")
        for flow_id, source, target, _ in self.flows:
            if source not in inner or target not in inner:
                lines.append(f'    <sequenceFlow id="{flow_id}" sourceRef="{source}" '
                             f'targetRef="{target}"/>\n')
        lines.append("  </process>\n")
        lines.append('  <bpmndi:BPMNDiagram id="Diagram"><bpmndi:BPMNPlane id="Plane" '
                     'bpmnElement="Collab">\n')

        def shape(element: str, b, expanded: bool = False) -> None:
            flag = ' isExpanded="true"' if expanded else ""
            horizontal = ' isHorizontal="true"' if element == "Pool" or element.startswith("Lane") else ""
            lines.append(f'    <bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}"'
                         f'{flag}{horizontal}><dc:Bounds x="{b[0]:g}" y="{b[1]:g}" '
                         f'width="{b[2]:g}" height="{b[3]:g}"/></bpmndi:BPMNShape>\n')

        shape("Pool", self.pool)
        for lane_id, _, b, _ in self.lanes:
            shape(lane_id, b)
        for _, node_id, _, b, _ in self.nodes:
            shape(node_id, b, expanded=node_id in self.children)
        for flow_id, _, _, points in self.flows:
            lines.append(f'    <bpmndi:BPMNEdge id="{flow_id}_di" bpmnElement="{flow_id}">')
            lines += [f'<di:waypoint x="{x:g}" y="{y:g}"/>' for x, y in points]
            lines.append("</bpmndi:BPMNEdge>\n")
        lines.append("  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>\n</definitions>\n")
        return "".join(lines)


def compact_spec() -> Spec:
    """One process, no room to spare: an expanded sub-process (customer-facing, very
    negative) holding a very negative task, a boundary event on a customer-facing task,
    small events carrying star, badge and faces next to flows' arrowheads."""
    s = Spec("compact: an expanded sub-process marked customer-facing, a boundary event "
             "on a customer-facing task, small decorated events (bpmncx journey-band tests)")
    s.pool = (100, 60, 900, 300)
    s.node("startEvent", "Start", "Order placed", 160, 182, 36, 36)
    s.node("userTask", "Check", "Check the order", 230, 160, 100, 80)
    s.node("boundaryEvent", "Late", "Late", 292, 222, 36, 36, attachedToRef="Check")
    s.node("subProcess", "Fix", "Fix the order with the customer", 370, 90, 400, 240)
    s.node("startEvent", "FixStart", "", 390, 182, 36, 36, parent="Fix")
    s.node("sendTask", "Ask", "Ask the customer", 450, 160, 100, 80, parent="Fix")
    s.node("receiveTask", "Wait", "Wait for the answer", 590, 160, 100, 80, parent="Fix")
    s.node("endEvent", "FixEnd", "", 715, 182, 36, 36, parent="Fix")
    s.node("intermediateThrowEvent", "Notify", "Notify", 800, 182, 36, 36)
    s.node("endEvent", "Done", "Done", 900, 182, 36, 36)
    s.node("task", "Apologise", "Apologise", 850, 260, 100, 60)
    s.flow("F1", "Start", "Check")
    s.flow("F2", "Check", "Fix")
    s.flow("F3", "FixStart", "Ask")
    s.flow("F4", "Ask", "Wait")
    s.flow("F5", "Wait", "FixEnd")
    s.flow("F6", "Fix", "Notify")
    s.flow("F7", "Notify", "Done")
    s.flow("F8", "Late", "Apologise", [(310, 258), (310, 290), (850, 290)])
    return s


def reverse_spec() -> Spec:
    """Six tasks left to right in a sequence over two lanes: the journey visits them
    right to left, so every step runs against the process (order mismatches) and the
    customer is passed between the lanes at every step (hand-offs)."""
    s = Spec("reverse: the journey visits the tasks in the reverse of their x order "
             "(bpmncx journey-band tests)")
    s.pool = (100, 60, 1000, 300)
    front, back = [], []
    s.node("startEvent", "Start", "", 160, 122, 36, 36)
    front.append("Start")
    previous = "Start"
    for k in range(6):
        task = f"T{k + 1}"
        y = 100 if k % 2 == 0 else 250
        s.node("task", task, f"Task {k + 1}", 230 + k * 140, y, 100, 80)
        (front if k % 2 == 0 else back).append(task)
        s.flow(f"F{k + 1}", previous, task)
        previous = task
    s.lanes = [("LaneFront", "Front desk", (130, 60, 970, 150), front),
               ("LaneBack", "Back office", (130, 210, 970, 150), back)]
    return s


def long_spec(tasks: int = 500, columns: int = 25) -> Spec:
    """``tasks`` tasks in a snake of rows, one after the other."""
    s = Spec(f"long: {tasks} tasks (bpmncx journey-band tests)")
    rows = (tasks + columns - 1) // columns
    s.pool = (100, 60, 60 + columns * 150, rows * 130 + 40)
    previous = None
    for k in range(tasks):
        row, col = divmod(k, columns)
        col = col if row % 2 == 0 else columns - 1 - col
        task = f"T{k + 1}"
        s.node("task", task, f"Task number {k + 1}", 160 + col * 150, 90 + row * 130, 100, 80)
        if previous is not None:
            s.flow(f"F{k}", previous, task, _snake(s.bounds(previous), s.bounds(task)))
        previous = task
    return s


def _snake(a, b):
    if abs(a[1] - b[1]) < 1:
        if b[0] > a[0]:
            return [(a[0] + a[2], a[1] + a[3] / 2), (b[0], b[1] + b[3] / 2)]
        return [(a[0], a[1] + a[3] / 2), (b[0] + b[2], b[1] + b[3] / 2)]
    return [(a[0] + a[2] / 2, a[1] + a[3]), (b[0] + b[2] / 2, b[1])]


def write_fixtures() -> None:
    BAND.mkdir(parents=True, exist_ok=True)
    (BAND / "compact.bpmn").write_text(compact_spec().xml(), encoding="utf-8")
    (BAND / "reverse.bpmn").write_text(reverse_spec().xml(), encoding="utf-8")


# -- annotations -------------------------------------------------------------------------


def compact_annotations(model):
    from bpmncx.annotations import Annotations, ElementRef, JourneyStep, Persona, Touchpoint

    def tp(element, **kw):
        return Touchpoint(model.name, element, model.lookup_name(element), customer_facing=True,
                          **kw)

    def ref(*ids):
        return [ElementRef(model.name, i) for i in ids]

    return Annotations(
        source="compact.xlsx",
        personas=[Persona("Ann"), Persona("Bob")],
        touchpoints=[
            tp("Start", channel="Web", emotions={"Ann": 1, "Bob": 0}, moment_of_truth=True),
            tp("Check", channel="Email", emotions={"Ann": 0, "Bob": -1}, moment_of_truth=True,
               pain_point="slow"),
            tp("Late", channel="Phone", emotions={"Ann": -2, "Bob": -2}),
            tp("Fix", channel="Phone", emotions={"Ann": -2, "Bob": -1}, pain_point="again",
               moment_of_truth=True),
            tp("Ask", channel="Phone", emotions={"Ann": -2, "Bob": -2}, pain_point="rude",
               moment_of_truth=True),
            tp("Wait", channel="Email", emotions={"Ann": 2, "Bob": 1}),
            tp("Notify", channel="SMS", emotions={"Ann": 2, "Bob": 2}, moment_of_truth=True),
            tp("Done", channel="Web", emotions={"Ann": -1, "Bob": 1}, moment_of_truth=True),
        ],
        journey=[
            JourneyStep(1, "1", customer_step="Place the order", supported_by=ref("Start")),
            JourneyStep(2, "2", customer_step="Hear that something is wrong with the order "
                        "and that it will take a while to fix", channel="Chat",
                        supported_by=ref("Check")),
            JourneyStep(3, "3", customer_step="Wait", emotion=-2, moment_of_truth=True),
            JourneyStep(4, "4", customer_step="Get asked again", supported_by=ref("Ask"),
                        emotion=-2, moment_of_truth=True),
            JourneyStep(5, "5", customer_step="Answer", supported_by=ref("Wait"), persona="Ann"),
            JourneyStep(6, "6", customer_step="Be told", supported_by=ref("Fix")),
            JourneyStep(7, "7", customer_step="Get a text", supported_by=ref("Notify")),
            JourneyStep(8, "8", customer_step="Be done", supported_by=ref("Done")),
            JourneyStep(9, "9", customer_step="Complain", emotion=-2),
            JourneyStep(10, "10", customer_step="Get an apology", supported_by=ref("Late")),
        ],
    )


def reverse_annotations(model):
    from bpmncx.annotations import Annotations, ElementRef, JourneyStep, Persona, Touchpoint

    return Annotations(
        source="reverse.xlsx",
        personas=[Persona("Ann")],
        touchpoints=[Touchpoint(model.name, f"T{k}", f"Task {k}", customer_facing=True,
                                channel="Web", emotions={"Ann": (k % 5) - 2})
                     for k in range(1, 7)],
        journey=[JourneyStep(n, str(n), customer_step=f"Step at task {7 - n}",
                             supported_by=[ElementRef(model.name, f"T{7 - n}")])
                 for n in range(1, 7)],
    )


def long_annotations(model, steps: int = 150):
    from bpmncx.annotations import Annotations, ElementRef, JourneyStep, Persona, Touchpoint

    touchpoints, journey = [], []
    for n in range(1, steps + 1):
        task = f"T{(n * 3) % 500 + 1}"
        if n % 4 == 0:
            journey.append(JourneyStep(n, str(n), customer_step=f"Unsupported step {n}",
                                       emotion=-2 if n % 8 == 0 else -1))
            continue
        touchpoints.append(Touchpoint(model.name, task, model.lookup_name(task),
                                      customer_facing=True, channel="Web" if n % 2 else "Phone",
                                      emotions={"Ann": (n % 5) - 2},
                                      moment_of_truth=n % 7 == 0))
        journey.append(JourneyStep(n, str(n), customer_step=f"Customer step number {n} with "
                                   "a rather long description", supported_by=[
                                       ElementRef(model.name, task)]))
    return Annotations(source="long.xlsx", personas=[Persona("Ann")], touchpoints=touchpoints,
                       journey=journey)


# -- reading the SVG back ----------------------------------------------------------------


def overlaps(a, b, slack: float = 0.5) -> bool:
    """Boxes (x0, y0, x1, y1) sharing more than ``slack`` in both directions."""
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


def step_boxes(drawn) -> Dict[int, Tuple[float, float, float, float]]:
    """Journey step number -> its box, from the groups marked data-journey-step."""
    found = {}
    for g in drawn.root.iter(f"{SVG}g"):
        number = g.get("data-journey-step")
        if number is not None:
            found[int(number)] = drawn.box(g.get("id"))
    return found


DECORATIONS = ("channel", "faces", "star", "steps")


def decoration_boxes(drawn) -> List[Tuple[str, str, Tuple[float, float, float, float]]]:
    """(owner element id, part, box) of every decoration drawn on an element."""
    found = []
    for g in drawn.root.iter(f"{SVG}g"):
        if g.get("data-part") in DECORATIONS and not g.get("id", "").startswith("journey"):
            found.append((g.get("data-element-id"), g.get("data-part"), drawn.box(g.get("id"))))
    return found


if __name__ == "__main__":
    sys.exit(write_fixtures())
