"""The service blueprint as SVG: journey steps as columns, blueprint rows as rows.

A grid, so it is laid out here directly (no Graphviz): a column per journey step in
order (stage headers above), the rows physical evidence, customer, frontstage,
backstage and support, separated by the lines of interaction, visibility and internal
interaction. Each cell holds the elements supporting that step in that row, drawn with
their BPMN symbol and emotion fill, and (dashed) the work behind the step; arrows follow
the sequence and message flows between them. Every answer (rows, fills, missing steps, hand-offs, crossings) comes from the
:class:`~bpmncx.analysis.Analysis`. Same input, same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from lxml import etree

from .. import palette
from ..analysis import Analysis
from ..analysis.blueprint import links
from ..annotations import ElementRef, JourneyStep
from ..model import FlowNode, Model
from ..vocabulary import BLUEPRINT_ROWS
from . import icons, styles
from .icons import el, num, path_d, text_lines
from .text import wrap

EVIDENCE = "evidence"
ROWS: Tuple[str, ...] = (EVIDENCE,) + BLUEPRINT_ROWS
ROW_LABELS = {
    EVIDENCE: "Physical evidence",
    "customer": "Customer actions",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Support processes",
}
ROW_FILLS = {
    EVIDENCE: "#F7F7F7",
    "customer": "#FFFFFF",
    "frontstage": "#F3F8FC",
    "backstage": "#FAFAF5",
    "support": "#F5F5F5",
}
# (line name, label, the row it sits above, dash pattern)
LINES = (
    ("interaction", "line of interaction", "frontstage", None),
    ("visibility", "line of visibility", "backstage", "8,4"),
    ("internal", "line of internal interaction", "support", "2,3"),
)

MARGIN = 12.0
LABEL_WIDTH = 120.0
COLUMN = 150.0
PAD = 8.0
TITLE = 34.0
STAGE = 22.0
STEP_HEADER = 62.0
FOOTER = 30.0
BOX_WIDTH = COLUMN - 2 * PAD
SIZE = 10.0  # element names
SMALL = 9.0
GAP = 10.0
EVENT = 22.0
GATEWAY = 26.0
INK = styles.STROKE
MUTED = "#6B6F76"
MOST_BEHIND = 6  # elements of the work behind one step drawn per cell; the rest counted
MORE_LINE = 14.0
BEHIND_STROKE = "#8A8F96"  # the work behind a step: drawn lighter than its support


@dataclass
class _Box:
    """Where one element sits: its column, its row and its rectangle."""

    ref: ElementRef
    node: FlowNode
    column: int
    row: str
    x: float = 0.0
    y: float = 0.0
    width: float = BOX_WIDTH
    height: float = 0.0
    lines: List[str] = field(default_factory=list)
    behind: bool = False  # work the step sets going, not an element supporting it
    step_label: str = ""  # the step's number as the owners wrote it

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


def _node_box(ref: ElementRef, node: FlowNode, column: int, row: str) -> _Box:
    box = _Box(ref, node, column, row)
    name = " ".join((node.name or node.id).split())
    if node.is_activity:
        box.lines = wrap(name, BOX_WIDTH - 2 * 6 - 14, SIZE)[:4]
        box.height = max(40.0, len(box.lines) * SIZE * styles.LINE_HEIGHT + 16)
    else:
        symbol = EVENT if node.is_event else GATEWAY
        box.lines = wrap(name, BOX_WIDTH - symbol - 6, SIZE)[:4]
        box.height = max(symbol, len(box.lines) * SIZE * styles.LINE_HEIGHT)
    return box


class _Layout:
    """The grid: which element goes in which cell, and every size."""

    def __init__(self, models: Sequence[Model], analysis: Analysis):
        self.analysis = analysis
        self.models = {m.name: m for m in models}
        self.steps: List[JourneyStep] = list(analysis.steps)
        self.cells: Dict[Tuple[int, str], List[_Box]] = {}
        self.more: Dict[Tuple[int, str], int] = {}  # work behind a step past MOST_BEHIND
        for column, step in enumerate(self.steps):
            for ref in analysis.support_of(step):
                model = self.models.get(ref.model)
                node = model.node.get(ref.element_id) if model is not None else None
                if node is None:
                    continue  # another model's element (a report for one model)
                row = analysis.blueprint_row(ref)
                self.cells.setdefault((column, row), []).append(_node_box(ref, node, column, row))
            shown: Dict[str, int] = {}
            for ref in analysis.work_behind(step):
                if ref.model not in self.models:
                    continue  # another model's work (a report for one model)
                node = self.models[ref.model].node[ref.element_id]
                row = analysis.blueprint_row(ref)
                shown[row] = shown.get(row, 0) + 1
                if shown[row] > MOST_BEHIND:
                    self.more[(column, row)] = shown[row] - MOST_BEHIND
                    continue
                box = _node_box(ref, node, column, row)
                box.behind, box.step_label = True, str(step.step or step.number)
                self.cells.setdefault((column, row), []).append(box)
        self.evidence: Dict[int, List[str]] = {
            c: wrap(" ".join(s.evidence.split()), BOX_WIDTH - 16, SIZE)[:5]
            for c, s in enumerate(self.steps)}
        self.step_lines: Dict[int, List[str]] = {
            c: wrap(" ".join(s.customer_step.split()) or "(no description)",
                    COLUMN - 2 * PAD, SIZE, bold=True)[:3]
            for c, s in enumerate(self.steps)}
        self.row_height: Dict[str, float] = {}
        for row in ROWS:
            if row == EVIDENCE:
                tallest = max((len(v) for v in self.evidence.values()), default=1)
                self.row_height[row] = max(44.0, max(tallest, 1) * SIZE * styles.LINE_HEIGHT + 22)
                continue
            tallest = 0.0
            for column in range(len(self.steps)):
                boxes = self.cells.get((column, row), [])
                tallest = max(tallest, sum(b.height for b in boxes) + GAP * max(len(boxes) - 1, 0)
                              + (MORE_LINE if (column, row) in self.more else 0.0))
            self.row_height[row] = max(56.0, tallest + 2 * PAD + 6)
        self.left = MARGIN + LABEL_WIDTH
        self.top_rows = MARGIN + TITLE + STAGE + STEP_HEADER
        self.row_top: Dict[str, float] = {}
        y = self.top_rows
        for row in ROWS:
            self.row_top[row] = y
            y += self.row_height[row]
        self.bottom_rows = y
        self.width = self.left + max(len(self.steps), 1) * COLUMN + MARGIN
        self.height = y + FOOTER + MARGIN
        for (column, row), boxes in self.cells.items():
            y = self.row_top[row] + PAD + 3
            for box in boxes:
                box.x = self.column_x(column) + PAD
                box.y = y
                y += box.height + GAP

    def column_x(self, column: int) -> float:
        return self.left + column * COLUMN

    def boxes(self) -> List[_Box]:
        return [b for key in sorted(self.cells, key=lambda k: (k[0], ROWS.index(k[1])))
                for b in self.cells[key]]


def _label(lines: Sequence[str], x: float, y: float, size: float, colour: str,
           anchor: str = "start", bold: bool = False) -> etree._Element:
    """Lines of text whose first baseline is at ``y``."""
    text = el("text", x=x, y=y, font_family=styles.SVG_FONT_FAMILY, font_size=size,
              text_anchor=anchor, fill=colour, font_weight="bold" if bold else None)
    for index, line in enumerate(lines):
        span = el("tspan", x=x, y=y + index * size * styles.LINE_HEIGHT)
        span.text = line
        text.append(span)
    return text


def _title(text: str) -> etree._Element:
    title = el("title")
    title.text = text
    return title


def _element(box: _Box, analysis: Analysis) -> etree._Element:
    """One element: its BPMN symbol filled with the emotion colour, its name beside or in it."""
    ref, node = box.ref, box.node
    fill = analysis.emotion_fill(ref)
    colour = palette.emotion_text(analysis.feeling(ref).score) if fill else INK
    fill = fill or styles.FILL
    group = el("g", transform=f"translate({num(box.x)},{num(box.y)})",
               **{"class": "element", "data-element": f"{ref.model}:{ref.element_id}"})
    role = f", work behind step {box.step_label}" if box.behind else ""
    group.append(_title(f"{analysis.element_name(ref)} ({ref.element_id}, {box.row}{role})"))
    if box.behind:
        group.set("data-behind", "true")
    if node.is_activity:
        width = 3.0 if node.kind == "callActivity" else 1.5
        group.append(el("rect", x=0.75, y=0.75, width=box.width - 1.5, height=box.height - 1.5,
                        rx=8, ry=8, fill=fill, stroke=BEHIND_STROKE if box.behind else INK,
                        stroke_width=width, stroke_dasharray="4,2" if box.behind else None))
        icon = icons.task_icon(node.kind, INK, fill)
        if icon:
            holder = el("g", transform="translate(4,4) scale(0.7)")
            for part in icon:
                holder.append(part)
            group.append(holder)
        group.append(text_lines(box.lines, box.width / 2 + 5, box.height / 2, SIZE, colour))
        return group
    if node.is_event:
        d = EVENT
        top = (box.height - d) / 2
        ring = 3.0 if node.kind == "endEvent" else 1.5
        symbol = el("g", transform=f"translate(0,{num(top)})")
        symbol.append(el("circle", cx=d / 2, cy=d / 2, r=d / 2 - ring / 2, fill=fill, stroke=INK,
                         stroke_width=ring))
        if node.kind in ("intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"):
            symbol.append(icons.inner_ring(d, INK, not node.cancel_activity))
        if node.event_type:
            for part in icons.event_icon(node.event_type, d, INK, fill, node.is_throwing,
                                         node.parallel_multiple):
                symbol.append(part)
        group.append(symbol)
    else:
        d = GATEWAY
        top = (box.height - d) / 2
        symbol = el("g", transform=f"translate(0,{num(top)})")
        symbol.append(el("path", d=path_d([(d / 2, 0.5), (d - 0.5, d / 2), (d / 2, d - 0.5),
                                           (0.5, d / 2)], True), fill=fill, stroke=INK,
                         stroke_width=1.5))
        for part in icons.gateway_marker(node.kind, d, d, INK, fill, True, node.instantiate):
            symbol.append(part)
        group.append(symbol)
    first = box.height / 2 - (len(box.lines) - 1) * SIZE * styles.LINE_HEIGHT / 2 + SIZE * 0.35
    group.append(_label(box.lines, d + 5, first, SIZE, INK))
    return group


def _defs() -> etree._Element:
    defs = el("defs")
    for name, filled in (("bp-sequence", True), ("bp-message", False)):
        marker = el("marker", id=name, viewBox="0 0 10 10", refX=9, refY=5, markerWidth=7,
                    markerHeight=7, orient="auto")
        marker.append(el("path", d="M0,0 L10,5 L0,10 Z", fill=INK if filled else styles.FILL,
                         stroke=INK, stroke_width=1))
        defs.append(marker)
    return defs


def _arrow(a: _Box, b: _Box, kind: str) -> etree._Element:
    """A flow from ``a`` to ``b``: a curve from side to side (around the right edge when
    both sit in one column)."""
    if a.column == b.column:
        # down the right edge, back up the left one; further out the further it goes,
        # so that flows of one cell do not lie on top of each other
        down = b.y > a.y
        side = 1 if down else -1
        x0 = a.x + a.width if down else a.x
        x1 = b.x + b.width if down else b.x
        y0, y1 = a.cy + 5 * side, b.cy - 5 * side
        bend = side * min(4 + abs(y1 - y0) / 18, PAD + 4)
        d = (f"M{num(x0)},{num(y0)} C{num(x0 + 3 * bend)},{num(y0)} {num(x1 + 3 * bend)},{num(y1)} "
             f"{num(x1 + side)},{num(y1)}")
    else:
        forward = b.column > a.column
        x0 = a.x + a.width if forward else a.x
        x1 = b.x if forward else b.x + b.width
        y0, y1 = a.cy, b.cy
        pull = max(20.0, abs(x1 - x0) / 3) * (1 if forward else -1)
        d = (f"M{num(x0)},{num(y0)} C{num(x0 + pull)},{num(y0)} {num(x1 - pull)},{num(y1)} "
             f"{num(x1)},{num(y1)}")
    message = kind == "messageFlow"
    return el("path", d=d, fill="none", stroke=INK, stroke_width=1.2,
              stroke_dasharray="5,3" if message else None,
              marker_end=f"url(#{'bp-message' if message else 'bp-sequence'})",
              **{"class": "flow", "data-flow": kind,
                 "data-from": f"{a.ref.model}:{a.ref.element_id}",
                 "data-to": f"{b.ref.model}:{b.ref.element_id}"})


def _pick(first: List[_Box], second: List[_Box]) -> Tuple[_Box, _Box]:
    """The two drawings of a flow's ends to join: the nearest pair, forwards first."""
    def cost(pair):
        a, b = pair
        gap = b.column - a.column
        return (0 if gap >= 0 else 1, abs(gap), a.column, ROWS.index(a.row), a.y, b.y)

    return min(((a, b) for a in first for b in second), key=cost)


def blueprint_svg(models: Sequence[Model], analysis: Analysis, title: str = "") -> bytes:
    """The service blueprint of ``analysis``'s journey over ``models``, as SVG bytes.

    Groups: one ``data-blueprint-row`` per row (evidence, customer, frontstage,
    backstage, support) holding its cells, one ``data-journey-step`` per column holding
    its header, its counts and, for a step missing from operations, its mark.
    """
    layout = _Layout(models, analysis)
    root = el("svg", width=f"{num(layout.width)}pt", height=f"{num(layout.height)}pt",
              viewBox=f"0 0 {num(layout.width)} {num(layout.height)}")
    root.set("data-bpmncx", "blueprint")
    root.append(_defs())
    root.append(el("rect", x=0, y=0, width=layout.width, height=layout.height, fill=styles.BACKGROUND))
    heading = title or "Service blueprint"
    if analysis.persona:
        heading += f" \u00b7 {analysis.persona}"
    root.append(_label([heading], MARGIN, MARGIN + styles.TITLE_SIZE, styles.TITLE_SIZE, INK,
                       bold=True))
    right = layout.left + len(layout.steps) * COLUMN
    missing = {id(s) for s in analysis.missing_steps()}
    if any(box.behind for box in layout.boxes()):
        root.append(_label(["dashed outline: work behind a step (its flows lead there; "
                            "no journey step names it)"], right, MARGIN + styles.TITLE_SIZE,
                           SMALL, MUTED, anchor="end"))

    rows = el("g", **{"class": "rows"})
    for row in ROWS:
        top, height = layout.row_top[row], layout.row_height[row]
        group = el("g", **{"class": "row", "data-blueprint-row": row})
        group.append(el("rect", x=MARGIN, y=top, width=right - MARGIN, height=height,
                        fill=ROW_FILLS[row], stroke="#D0D0D0", stroke_width=0.5))
        label = wrap(ROW_LABELS[row], LABEL_WIDTH - 16, 11.0, bold=True)
        group.append(_label(label, MARGIN + 8, top + height / 2 - (len(label) - 1) * 6.6 + 4,
                            11.0, INK, bold=True))
        for column, step in enumerate(layout.steps):
            cell = el("g", **{"class": "cell", "data-step": str(step.number)})
            if row == EVIDENCE:
                _evidence_cell(cell, layout, column, step, top, height)
            boxes = layout.cells.get((column, row), [])
            for box in boxes:
                cell.append(_element(box, analysis))
            more = layout.more.get((column, row))
            if more:
                y = boxes[-1].y + boxes[-1].height + GAP + SMALL * 0.35
                cell.append(_label([f"+{more} more behind this step"], layout.column_x(column) + PAD,
                                   y, SMALL, MUTED))
            if len(cell):
                group.append(cell)
        rows.append(group)
    root.append(rows)

    columns = el("g", **{"class": "columns"})
    stage_runs: List[Tuple[int, int, str]] = []
    for column, step in enumerate(layout.steps):
        stage = " ".join(step.stage.split())
        if stage_runs and stage_runs[-1][2] == stage:
            stage_runs[-1] = (stage_runs[-1][0], column, stage)
        else:
            stage_runs.append((column, column, stage))
    stages = el("g", **{"class": "stages"})
    for first, last, stage in stage_runs:
        x0, x1 = layout.column_x(first), layout.column_x(last) + COLUMN
        y = MARGIN + TITLE
        stages.append(el("rect", x=x0 + 1, y=y, width=x1 - x0 - 2, height=STAGE - 3, rx=4, ry=4,
                         fill="#1F4E79" if stage else "#BFBFBF"))
        name = wrap(stage or "(no stage)", x1 - x0 - 10, SIZE, bold=True)[:1]
        stages.append(_label(name, (x0 + x1) / 2, y + 13, SIZE, "#FFFFFF", anchor="middle",
                             bold=True))
    columns.append(stages)
    for column, step in enumerate(layout.steps):
        columns.append(_column(layout, analysis, column, step, id(step) in missing))
    root.append(columns)

    lines = el("g", **{"class": "lines"})
    for name, text, below, dash in LINES:
        y = layout.row_top[below]
        lines.append(el("path", d=path_d([(MARGIN, y), (right, y)]), stroke=INK,
                        stroke_width=1.6 if name == "visibility" else 1.1,
                        stroke_dasharray=dash, **{"data-line": name}))
        lines.append(_label([text], MARGIN + 4, y - 3, SMALL, MUTED))
    root.append(lines)

    arrows = el("g", **{"class": "flows"})
    drawn: Dict[ElementRef, List[_Box]] = {}
    for box in layout.boxes():
        drawn.setdefault(box.ref, []).append(box)
    for model_name in sorted({r.model for r in drawn}):
        ids = [r.element_id for r in drawn if r.model == model_name]
        for source, target, kind in links(layout.models[model_name], ids):
            a, b = _pick(drawn[ElementRef(model_name, source)], drawn[ElementRef(model_name, target)])
            arrows.append(_arrow(a, b, kind))
    root.append(arrows)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def _evidence_cell(cell, layout: _Layout, column: int, step: JourneyStep, top: float,
                   height: float) -> None:
    lines = layout.evidence[column]
    x = layout.column_x(column) + PAD
    w, h = BOX_WIDTH, height - 2 * PAD
    if lines:
        fold = 8.0
        cell.append(el("path", d=path_d([(x, top + PAD), (x + w - fold, top + PAD),
                                         (x + w, top + PAD + fold), (x + w, top + PAD + h),
                                         (x, top + PAD + h)], True),
                       fill="#FFFFFF", stroke=INK, stroke_width=1))
        first = top + height / 2 - (len(lines) - 1) * SIZE * styles.LINE_HEIGHT / 2 + SIZE * 0.35
        cell.append(_label(lines, x + w / 2, first, SIZE, INK, anchor="middle"))
    elif step.moment_of_truth:
        cell.append(el("rect", x=x, y=top + PAD, width=w, height=h, fill="none",
                       stroke=palette.MISSING_STROKE, stroke_width=1.2, stroke_dasharray="4,3"))
        cell.append(_label(["no evidence at a", "moment of truth"], x + w / 2,
                           top + height / 2 - 2, SMALL, palette.MISSING_STROKE, anchor="middle"))


def _column(layout: _Layout, analysis: Analysis, column: int, step: JourneyStep,
            missing: bool) -> etree._Element:
    x = layout.column_x(column)
    group = el("g", **{"class": "column", "data-journey-step": str(step.number)})
    if missing:
        group.set("data-missing", "true")
    top = MARGIN + TITLE + STAGE
    group.append(el("path", d=path_d([(x + COLUMN, top), (x + COLUMN, layout.bottom_rows)]),
                    stroke="#D0D0D0", stroke_width=0.75))
    header = el("g", **{"class": "step"})
    header.append(el("circle", cx=x + PAD + 9, cy=top + 13, r=9, fill="#1F4E79"))
    header.append(_label([str(step.step or step.number)], x + PAD + 9, top + 16.5, SMALL,
                         "#FFFFFF", anchor="middle", bold=True))
    badge_x = x + COLUMN - PAD - 14
    if step.emotion is not None:
        face = el("g", transform=f"translate({num(badge_x)},{num(top + 6)})")
        for part in icons.face(step.emotion, 14, palette.emotion_fill(step.emotion)):
            face.append(part)
        header.append(face)
    if step.moment_of_truth:
        star = el("g", transform=f"translate({num(badge_x - 17)},{num(top + 6)})")
        star.append(icons.star(14))
        star.append(_title("moment of truth"))
        header.append(star)
    header.append(_label(layout.step_lines[column], x + PAD, top + 36, SIZE, INK, bold=True))
    group.append(header)
    if missing:
        body_top = layout.row_top["customer"]
        group.append(el("rect", x=x + 3, y=body_top + 3, width=COLUMN - 6,
                        height=layout.bottom_rows - body_top - 6, fill="#FDECEA",
                        fill_opacity=0.6, stroke=palette.MISSING_STROKE, stroke_width=1.5,
                        stroke_dasharray="6,4"))
        middle = layout.row_top["frontstage"] + layout.row_height["frontstage"] / 2
        group.append(_label(["missing from", "operations"], x + COLUMN / 2, middle - 2, SIZE,
                            palette.MISSING_STROKE, anchor="middle", bold=True))
    handoffs = analysis.handoffs_into(step)
    crossings = len(analysis.visibility_crossings(step))
    too_many = any(f.kind == "visibility-crossings" and step.number in f.steps
                   for f in analysis.findings)
    footer = el("g", **{"class": "counts", "data-handoffs": str(handoffs),
                        "data-crossings": str(crossings)})
    footer.append(_label([f"hand-offs: {handoffs}", f"visibility crossings: {crossings}"],
                         x + PAD, layout.bottom_rows + 12, SMALL,
                         palette.MISSING_STROKE if too_many else MUTED))
    group.append(footer)
    return group


def blueprint_size(svg: bytes) -> Tuple[float, float]:
    """(width, height) in points of a blueprint made by :func:`blueprint_svg`."""
    root = etree.fromstring(svg)
    box = root.get("viewBox", "0 0 0 0").split()
    return float(box[2]), float(box[3])


__all__ = ["blueprint_svg", "blueprint_size", "ROWS"]
