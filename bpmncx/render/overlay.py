"""The customer's view laid over the process diagram.

From a model and its gap analysis (which holds the annotations read from the
workbook and answers every question the picture asks: which steps are missing,
which elements are customer-facing, what each one feels),
:func:`annotated_overlay` decides what to add to the plain diagram:

* customer-facing elements filled with the colour of the persona's emotion,
  a channel badge, one face per persona, a star on moments of truth and a red
  outline on pain points;
* above the top pool, the customer journey band: one chip per journey step in
  journey order, placed over the element(s) supporting it and joined to them
  by dashed connectors, at the height of its emotion, with the emotion curve
  through the chips; a step nobody in operations supports is drawn dashed red,
  "missing from operations", between its neighbours;
* a title (model, persona) and a legend; every element gets a tooltip with
  its touchpoint, channel, emotions and findings.

Without a persona the fill is the lowest emotion across personas, and the
tooltip names who feels it. The additions are drawn by named layers
(:class:`TouchpointMarks`, :class:`JourneyBand`, :class:`TitleAndLegend`),
each with a ``draw(builder)``. Pure: no I/O, same input, same overlay.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from .. import palette
from ..analysis import Analysis, Finding
from ..annotations import ElementRef, Feeling, JourneyStep, Touchpoint, feeling
from ..model import Bounds, Model, Plane, Shape
from ..severity import SEVERITIES
from ..vocabulary import EMOTION_BY_SCORE, EMOTION_SCALE
from . import band, icons, measured, styles
from .decorations import (Obstacle, Placer, badge_places, face_places, is_big, star_places,
                          tag_places)
from .graph import ID_SEPARATOR, Builder, Overlay, Scene, is_container
from .text import block_width, text_height, text_width, wrap

JOURNEY_ID = "journey"  # SVG ids of the journey band: journey, journey-step-3 ...
_CURVE_STYLE = styles.EdgeStyle("solid", 2.0, "none", "none", styles.CURVE)
_CONNECTOR_STYLE = styles.EdgeStyle("dashed", 1.0, "none", "none", styles.CONNECTOR)


def _emoji(score: Optional[int]) -> str:
    if score is None:
        return "no emotion given"
    e = EMOTION_BY_SCORE[score]
    sign = "+" if score > 0 else ""
    return f"{sign}{score} {e.label} {e.emoji}"


def _finding_lines(findings: Sequence[Finding]) -> List[str]:
    return [f"{f.severity}: {f.message}" for f in findings]


class _Journey:
    """One step box on the band, in journey order."""

    def __init__(self, step: JourneyStep, emotion: Optional[int], who: Tuple[str, ...],
                 support: List[Tuple[str, Bounds]], elsewhere: List[ElementRef], missing: bool,
                 emotions: Dict[str, Optional[int]], channel: str = ""):
        self.step = step
        self.missing = missing  # from the analysis: no element analysed supports the step
        self.emotion = emotion
        self.who = who
        self.emotions = emotions  # persona -> emotion at this step (None: not theirs / not said)
        self.support_at = support  # (element id, bounds) of each supporter drawn here
        self.support = [b for _, b in support]
        self.elsewhere = elsewhere
        self.fill = palette.emotion_fill(emotion)
        self.ink = palette.text_ink(self.fill, prefer=palette.emotion_text(emotion))
        zone = styles.MISSING_ZONE if missing else 0.0
        self.text_width = styles.CHIP_WIDTH - 12 - zone
        self.text_x = -styles.CHIP_WIDTH / 2 + zone + 6 + self.text_width / 2  # from the centre
        self.lines = _fit(f"{step.number}. {step.customer_step or step.step}", self.text_width,
                          styles.CHIP_SIZE, styles.CHIP_LINES)
        self.status: List[Tuple[str, List[str]]] = []  # (part, lines) under the label
        if missing:
            self.status.append(("missing", wrap("missing from operations", self.text_width,
                                                styles.CHIP_SIZE - 1)))
        elif elsewhere and not support:
            models = sorted({ref.model for ref in elsewhere})
            self.status.append(("elsewhere", _fit(f"in {', '.join(models)}", self.text_width,
                                                  styles.CHIP_SIZE - 1, 2)))
        if channel:
            self.status.append(("channel", _fit(channel, self.text_width, styles.CHIP_SIZE - 1, 2)))
        status_lines = sum(len(lines) for _, lines in self.status)
        self.height = text_height(len(self.lines), styles.CHIP_SIZE) + \
            text_height(status_lines, styles.CHIP_SIZE - 1) + 10
        self.x = 0.0
        self.y = 0.0
        self.row = 0

    @property
    def box(self) -> Bounds:
        return Bounds(self.x - styles.CHIP_WIDTH / 2, self.y - self.height / 2,
                      styles.CHIP_WIDTH, self.height)


def _fit(text: str, width: float, size: float, most: int) -> List[str]:
    """``text`` wrapped to ``width``, at most ``most`` lines, the last one ending in an
    ellipsis when text was left out (the tooltip has it whole)."""
    lines = wrap(text, width, size)
    if len(lines) <= most:
        return lines
    kept = lines[:most]
    last = kept[-1]
    while last and text_width(last + "\u2026", size) > width:
        last = last[:-1].rstrip()
    kept[-1] = last + "\u2026"
    return kept


def annotated_overlay(model: Model, plane: Plane, analysis: Analysis,
                      compare: bool = False) -> Overlay:
    """What to lay over ``plane`` of ``model`` for the analysis's persona (None: the
    lowest emotion across personas); ``compare``: every persona's curve on the band."""
    persona = analysis.persona
    personas = analysis.all_personas()  # tooltips list every persona's emotion
    overlay = Overlay(file_fills=False)
    shape_of = plane.shape_of
    marked: List[Tuple[Touchpoint, Bounds, str, bool]] = []
    for tp in analysis.touchpoint_rows(model.name):
        shape = shape_of.get(tp.element_id)
        if shape is None:
            continue
        ref = tp.ref
        fill = analysis.emotion_fill(ref)
        container = is_container(model, shape, plane.shapes)
        if fill is not None:
            overlay.fill[tp.element_id] = fill  # a container gets it as a wash (graph.py)
            if not container:
                overlay.label[tp.element_id] = palette.emotion_text(analysis.feeling(ref).score)
                overlay.ink[tp.element_id] = palette.ink(fill)
                border = palette.outline_ink(fill)
                if border != styles.STROKE:
                    overlay.outline[tp.element_id] = (border, 0.0)
            marked.append((tp, shape.bounds, fill, container))
        if tp.pain_point.strip():
            overlay.outline[tp.element_id] = (styles.PAIN_STROKE, styles.PAIN_WIDTH)
        overlay.tooltips[tp.element_id] = _touchpoint_tooltip(
            model, tp, personas, persona, analysis.feeling(ref), analysis.findings_for(ref))
    for ref, element_findings in analysis.element_findings(model.name):
        if ref.element_id not in overlay.tooltips and ref.element_id in shape_of:
            name = model.lookup_name(ref.element_id)
            overlay.tooltips[ref.element_id] = "\n".join([name] + _finding_lines(element_findings))
    placer = Placer(model, plane)
    band = JourneyBand(model, plane, analysis, placer, compare)
    overlay.layers += [TouchpointMarks(model, marked, personas, persona, placer), band,
                       TitleAndLegend(model, analysis, band)]
    if analysis.measured is not None:  # an event log: its figures over the band and elements
        overlay.layers.append(measured.BandMeasures(analysis.measured, band, JOURNEY_ID))
        if analysis.measured.heat != "none":
            overlay.layers.append(measured.Heat(analysis.measured, model, plane))
    return overlay


def _touchpoint_tooltip(model: Model, tp: Touchpoint, personas: Sequence[str],
                        persona: Optional[str], feels: Feeling, findings: Sequence[Finding]) -> str:
    lines = [tp.element_name or model.lookup_name(tp.element_id)]
    if tp.touchpoint:
        lines.append(f"touchpoint: {tp.touchpoint}")
    if tp.channel:
        lines.append(f"channel: {tp.channel}")
    if tp.stage:
        lines.append(f"stage: {tp.stage}")
    if tp.customer_facing is not None:
        lines.append("customer-facing" if tp.customer_facing else "not customer-facing")
    for name in personas:
        score = tp.emotions.get(name)
        if score is not None:
            lines.append(f"{name}: {_emoji(score)}")
    if persona is None and feels.who and len(personas) > 1 and feels.score is not None:
        lines.append(f"lowest: {', '.join(feels.who)}")
    if tp.moment_of_truth:
        lines.append("moment of truth")
    if tp.pain_point:
        lines.append(f"pain point: {tp.pain_point}")
    if tp.opportunity:
        lines.append(f"opportunity: {tp.opportunity}")
    lines += _finding_lines(findings)
    return "\n".join(lines)


class TouchpointMarks:
    """On every customer-facing element: a star on a moment of truth, its channel badge,
    one face per persona, each where it hides nothing (see :mod:`.decorations`); inside
    a pain point's red outline a line in the ink that reads on its fill."""

    def __init__(self, model: Model, marked: Sequence[Tuple[Touchpoint, Bounds, str, bool]],
                 personas: Sequence[str], persona: Optional[str], placer: Placer):
        self.model = model
        self.marked = list(marked)
        self.personas = list(personas)
        self.persona = persona
        self.placer = placer

    def draw(self, builder: Builder) -> None:
        for tp, bounds, fill, container in self.marked:
            if tp.pain_point.strip() and not container:
                _pain_ring(builder, self.model, tp.element_id, bounds, fill)
        for tp, bounds, fill, container in self.marked:
            _decorate(builder, self.placer, tp, bounds, self.personas, self.persona,
                      styles.FILL if container else fill)


def _pain_ring(builder: Builder, model: Model, element_id: str, b: Bounds, fill: str) -> None:
    """The line just inside a pain point's red outline: the outline stays red (it reads
    on the background), the line reads on the fill, so red on red still shows."""
    node = model.node.get(element_id)
    colour = palette.ink(fill)
    inset = styles.PAIN_WIDTH / 2 + styles.PAIN_RING / 2 + 0.5
    line = dict(fill="none", stroke=colour, stroke_width=styles.PAIN_RING)
    if node is not None and node.is_event:
        d = min(b.width, b.height)
        shape = icons.el("circle", cx=b.width / 2, cy=b.height / 2, r=d / 2 - inset, **line)
    elif node is not None and node.is_gateway:
        w, h = b.width, b.height
        k = inset * 1.42
        shape = icons.el("path", d=icons.path_d([(w / 2, k), (w - k, h / 2), (w / 2, h - k),
                                                 (k, h / 2)], True), **line)
    else:
        shape = icons.el("rect", x=inset, y=inset, width=b.width - 2 * inset,
                         height=b.height - 2 * inset, rx=10 - inset / 2, ry=10 - inset / 2, **line)
    builder.picture(f"{element_id}{ID_SEPARATOR}pain", b, [shape])


def _decorate(builder: Builder, placer: Placer, tp: Touchpoint, b: Bounds,
              personas: Sequence[str], persona: Optional[str], fill: str) -> None:
    """Star, channel badge and faces on one customer-facing element, placed free."""
    element_id = tp.element_id
    big = is_big(b)
    ring = palette.outline_ink(fill)  # reads on the element's fill and on the background
    if tp.moment_of_truth:
        s = styles.STAR_SIZE
        box, _ = placer.place(element_id, b, (s, s), star_places(big))
        builder.picture(f"{element_id}{ID_SEPARATOR}star", box,
                        [icons.star(box.width, ring)], top=True)
    if tp.channel:
        w = text_width(tp.channel, styles.BADGE_SIZE) + 10
        h = styles.BADGE_SIZE + 6
        box, scale = placer.place(element_id, b, (w, h), badge_places(big))
        builder.picture(f"{element_id}{ID_SEPARATOR}channel", box, [
            icons.pill(box.width, box.height, styles.BADGE_FILL),
            icons.text_lines([tp.channel], box.width / 2, box.height / 2,
                             styles.BADGE_SIZE * scale, styles.BADGE_TEXT),
        ], top=True)
    shown = [persona] if persona is not None else list(personas)
    if shown:
        f = styles.FACE_SIZE
        width = len(shown) * (f + 2) - 2
        box, scale = placer.place(element_id, b, (width, f), face_places(big))
        size = f * scale
        faces = []
        for index, name in enumerate(shown):
            g = icons.el("g", transform=f"translate({icons.num(index * (size + 2 * scale))},0)")
            for child in icons.face(tp.emotions.get(name), size,
                                    palette.emotion_fill(tp.emotions.get(name)), ring):
                g.append(child)
            faces.append(g)
        builder.picture(f"{element_id}{ID_SEPARATOR}faces", box, faces, top=True)


# -- the journey band -------------------------------------------------------------------


def _chips(model: Model, plane: Plane, analysis: Analysis) -> List[_Journey]:
    """One step box per journey step in scope, in journey order, with the lowest
    emotion of the personas shown and each persona's own."""
    persona = analysis.persona
    curves = {name: {p.number: p.emotion for p in analysis.curve(name)}
              for name in ([persona] if persona else analysis.personas())}
    channels = _channel_mismatches(analysis)
    chips = []
    for step in analysis.steps:
        scores = {name: curve[step.number] for name, curve in curves.items()
                  if curve.get(step.number) is not None}
        lowest = feeling(scores, None)
        support: List[Tuple[str, Bounds]] = []
        elsewhere = []
        for ref in analysis.support_of(step):
            shape = _drawn_as(model, plane, ref.element_id) if ref.model == model.name else None
            if shape is not None:
                if all(b != shape.bounds for _, b in support):  # two children of one shape
                    support.append((shape.element_id, shape.bounds))
            else:
                elsewhere.append(ref)  # in another model, or not on this diagram
        emotions = {name: curve.get(step.number) for name, curve in curves.items()}
        chips.append(_Journey(step, lowest.score, lowest.who, support, elsewhere,
                              analysis.is_missing(step), emotions,
                              channels.get(step.number, "")))
    return chips


def _channel_mismatches(analysis: Analysis) -> Dict[int, str]:
    """Step number -> what its channel-mismatch finding says, short: "Phone; ops: Email"."""
    found: Dict[int, str] = {}
    for finding in analysis.of_kind("channel-mismatch"):
        step = next((s for s in analysis.steps if s.number == finding.step), None)
        if step is None:
            continue
        ops = []
        for ref in finding.elements:
            tp = analysis.touchpoint(ref)
            if tp is not None and tp.channel.strip() and tp.channel.strip() not in ops:
                ops.append(tp.channel.strip())
        # the step's channel, else (a device mismatch alone) its device
        found[step.number] = f"\u2260 {step.channel.strip() or step.device.strip()}; ops: {', '.join(ops)}"
    return found


def _drawn_as(model: Model, plane: Plane, element_id: str) -> Optional[Shape]:
    """The shape standing for an element on ``plane``: its own, else the one of the
    (collapsed) sub-process around it, whose content is drawn on its own diagram."""
    seen = set()
    while element_id and element_id not in seen:
        seen.add(element_id)
        shape = plane.shape_of.get(element_id)
        if shape is not None:
            return shape
        node = model.node.get(element_id)
        element_id = node.parent_id if node is not None else None
    return None


def _content_extent(plane: Plane) -> Bounds:
    xs, ys = [], []
    for shape in plane.shapes:
        xs += [shape.bounds.x, shape.bounds.right]
        ys += [shape.bounds.y, shape.bounds.bottom]
    for edge in plane.edges:
        xs += [p.x for p in edge.waypoints]
        ys += [p.y for p in edge.waypoints]
    if not xs:
        return Bounds(0, 0, 400, 100)
    return Bounds(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


class _Mark:
    """A hand-off or an order mismatch, drawn between two steps on the band."""

    def __init__(self, kind: str, after: int, text: str, tooltip: str, steps: Tuple[int, int]):
        self.kind = kind
        self.steps = steps
        self.after = after  # index of the chip it follows
        self.colour = palette.HANDOFF if kind == "handoff" else palette.ORDER_MISMATCH
        # never wider than the gap between two steps' connectors; two lines at most
        self.lines = _fit(text, band.SLOT - 8 - 22, styles.MARK_SIZE, 2) if text else []
        self.width = min(band.SLOT - 8, 22 + block_width(self.lines, styles.MARK_SIZE) + 6)
        self.tooltip = tooltip
        self.x = 0.0
        self.level = 0


def _department(model: Model, analysis: Analysis, ref: ElementRef) -> str:
    """Who carries out an element, for a hand-off mark: its lane, else its pool."""
    if ref.model != model.name or ref.element_id not in model.node:
        return ref.model
    node = model.node[ref.element_id]
    lane = model.effective_lane(node)
    if lane is not None and lane.name.strip():
        return " ".join(lane.name.split())
    return " ".join(model.pool_label(node).split()) or analysis.element_name(ref)


def _marks(model: Model, analysis: Analysis, chips: List[_Journey]) -> List[_Mark]:
    """The hand-offs and order mismatches the analysis found, each after its first step."""
    index = {chip.step.number: i for i, chip in enumerate(chips)}
    by_number = {chip.step.number: chip.step for chip in chips}
    marks = []
    for kind in ("handoff", "order-mismatch"):
        for finding in analysis.of_kind(kind):
            if len(finding.steps) < 2 or finding.steps[0] not in index \
                    or finding.steps[1] not in index:
                continue
            first, second = finding.steps[0], finding.steps[1]
            if kind == "handoff":
                before = set(analysis.support_of(by_number[first]))
                source = sorted({_department(model, analysis, r) for r in finding.elements
                                 if r in before})
                target = sorted({_department(model, analysis, r) for r in finding.elements
                                 if r not in before})
                text = f"{', '.join(source)} \u2192 {', '.join(target)}"
            else:
                text = f"process runs {second} before {first}"
            marks.append(_Mark(kind, index[first], text, finding.message, (first, second)))
    marks.sort(key=lambda m: (m.after, m.kind))
    return marks


class JourneyBand:
    """Above the top pool: the journey, one step box per step, left to right in step
    order (rows when it is long), each as near as that allows to the elements supporting
    it and joined to them by connectors bundled in a gutter under the band (or, on
    wrapped rows, by step numbers on the elements); the emotion as the box's height
    and a curve, or (``compare``) one curve per persona under the steps; steps missing
    from operations hatched, with a "not supported" glyph; hand-offs and order
    mismatches marked between the steps they separate."""

    def __init__(self, model: Model, plane: Plane, analysis: Analysis,
                 placer: Optional[Placer] = None, compare: bool = False):
        self.model = model
        self.plane = plane
        self.analysis = analysis
        self.persona = analysis.persona
        self.compare = compare
        self.personas = analysis.personas()
        self.placer = placer if placer is not None else Placer(model, plane)
        self.chips = _chips(model, plane, analysis)
        self.marks = _marks(model, analysis, self.chips)
        self.left = 0.0
        self.top = 0.0  # set by draw(): where the title and legend go above
        self.rows = 1
        # room above each row's steps for an event log's wait and reach (render/measured)
        self.measured_room = measured.TAG_HEIGHT if analysis.measured is not None else 0.0

    # -- geometry ---------------------------------------------------------------------

    def _place_x(self, content: Bounds) -> List[Tuple[int, int]]:
        chips = self.chips
        left0 = content.x + band.SCALE_WIDTH
        self.rows = band.rows_for(len(chips), left0, content.right) if chips else 1
        slices = band.row_slices(len(chips), self.rows)
        if self.rows == 1:
            anchors = [sum(b.cx for b in c.support) / len(c.support) if c.support else None
                       for c in chips]
            xs = band.in_order(band.desired_centres(anchors, left0), band.SLOT,
                               left0 + styles.CHIP_WIDTH / 2)
            for chip, x in zip(chips, xs):
                chip.x = x
        else:
            for row, (first, end) in enumerate(slices):
                for k in range(first, end):
                    chips[k].x = left0 + styles.CHIP_WIDTH / 2 + (k - first) * band.SLOT
                    chips[k].row = row
        return slices

    def _place_marks(self, slices: List[Tuple[int, int]]) -> Dict[int, int]:
        """x and strip level of every mark; returns the levels each row's strip needs."""
        row_of = {k: row for row, (first, end) in enumerate(slices) for k in range(first, end)}
        taken: Dict[Tuple[int, int], List[Tuple[float, float]]] = {}
        levels: Dict[int, int] = {}
        for mark in self.marks:
            chip = self.chips[mark.after]
            row = row_of.get(mark.after, 0)
            nxt = mark.after + 1
            if nxt < len(self.chips) and row_of.get(nxt) == row:
                mark.x = (chip.x + self.chips[nxt].x) / 2
            else:
                mark.x = chip.x + band.SLOT / 2
            span = (mark.x - mark.width / 2, mark.x + mark.width / 2)
            level = 0
            while any(a < span[1] + 4 and span[0] < b + 4 for a, b in taken.get((row, level), [])):
                level += 1
            taken.setdefault((row, level), []).append(span)
            mark.level = level
            levels[row] = max(levels.get(row, 0), level + 1)
        return levels

    def _routes(self, content: Bounds) -> Dict[int, List[band.Route]]:
        if self.rows != 1:
            return {}
        extra = [Obstacle("#decoration", box) for _, box in self.placer.placed]
        router = band.Router(self.model, self.plane, list(self.placer.obstacles) + extra)
        return {i: [router.route(b, element_id, content.y - 2)
                    for element_id, b in chip.support_at]
                for i, chip in enumerate(self.chips) if chip.support_at}

    # -- drawing ----------------------------------------------------------------------

    def draw(self, builder: Builder) -> None:
        chips = self.chips
        content = _content_extent(self.plane)
        slices = self._place_x(content)
        strip_levels = self._place_marks(slices)
        routes = self._routes(content)
        order = sorted(routes)
        spans = []
        for i in order:
            xs = [chips[i].x] + [r.column for r in routes[i]]
            spans.append((min(xs), max(xs)))
        track_of = dict(zip(order, band.tracks(spans)))
        gutter = 14.0 + (max(track_of.values()) + 1) * band.TRACK_GAP if track_of else 30.0
        band_bottom = content.y - gutter
        max_chip = max((c.height for c in chips), default=30.0)
        chart = (12 + 4 * styles.CHART_STEP + 8) if self.compare else 0.0
        levels_h = 0.0 if self.compare else 4 * styles.LEVEL_STEP
        row_heights = []
        for row in range(len(slices)):
            strip = strip_levels.get(row, 0) * (styles.MARK_HEIGHT + 3)
            row_heights.append(22 + self.measured_room + max_chip + levels_h + chart + strip
                               + 10)
        band_top = band_bottom - sum(row_heights)
        right = max([content.right] + [c.x + styles.CHIP_WIDTH / 2 + 12 for c in chips]
                    + [m.x + m.width / 2 + 6 for m in self.marks])
        left = min([content.x] + [c.x - styles.CHIP_WIDTH / 2 - band.SCALE_WIDTH + 10
                                  for c in chips])
        self.left, self.top = left, band_top
        builder.cluster(JOURNEY_ID, Bounds(left, band_top, right - left, band_bottom - band_top),
                        {"style": "filled,rounded", "fillcolor": styles.BAND_FILL,
                         "color": styles.BAND_STROKE, "penwidth": 1.0})
        label = "Customer journey" + (f" of {self.persona}" if self.persona else "") + \
            (": personas compared" if self.compare else "")
        builder.tooltips[JOURNEY_ID] = label
        builder.text(f"{JOURNEY_ID}{ID_SEPARATOR}label", [label], 0, band_top + 4,
                     styles.LEGEND_SIZE, styles.TEXT, left=left + 8, bold=True)
        row_top = band_top
        for row, (first, end) in enumerate(slices):
            self._draw_row(builder, chips[first:end], row, row_top, max_chip, left)
            row_top += row_heights[row]
        for mark in self.marks:
            chip = chips[mark.after]
            top = self._row_bottom(chip) + 3 + mark.level * (styles.MARK_HEIGHT + 3)
            _mark(builder, mark, top)
        for i in order:
            chip = chips[i]
            track_y = band_bottom + 8 + track_of[i] * band.TRACK_GAP
            for index, route in enumerate(routes[i]):
                builder.edge(f"{JOURNEY_ID}-step-{chip.step.number}{ID_SEPARATOR}link{index + 1}",
                             route.points((chip.x, chip.box.bottom), track_y), _CONNECTOR_STYLE,
                             styles.CONNECTOR)
        if self.rows != 1:
            self._step_tags(builder)

    def _row_bottom(self, chip: _Journey) -> float:
        return chip.row_bottom  # type: ignore[attr-defined]

    def _draw_row(self, builder: Builder, chips: List[_Journey], row: int, row_top: float,
                  max_chip: float, left: float) -> None:
        top = row_top + 22 + self.measured_room
        for chip in chips:
            chip.row_top = row_top  # type: ignore[attr-defined]
        if self.compare:
            chips_bottom = top + max_chip
            chart_top = chips_bottom + 12

            def level_y(score: Optional[int]) -> float:
                return chart_top + (2 - (score if score is not None else 0)) * styles.CHART_STEP

            for chip in chips:
                chip.y = top + max_chip / 2
            bottom = chart_top + 4 * styles.CHART_STEP + 8
        else:
            def level_y(score: Optional[int]) -> float:
                return top + max_chip / 2 + (2 - (score if score is not None else 0)) \
                    * styles.LEVEL_STEP

            for chip in chips:
                chip.y = level_y(chip.emotion)
            bottom = top + max_chip + 4 * styles.LEVEL_STEP
        for chip in chips:
            chip.row_bottom = bottom  # type: ignore[attr-defined]
        suffix = f"{row + 1}" if row else ""
        f = styles.FACE_SIZE if not self.compare else 11.0
        for e in EMOTION_SCALE:
            y = level_y(e.score)
            builder.picture(f"{JOURNEY_ID}{ID_SEPARATOR}level{e.score}{('-row' + suffix) if suffix else ''}",
                            Bounds(left + 8, y - f / 2, f, f),
                            icons.face(e.score, f, palette.emotion_fill(e.score)))
            builder.text(f"{JOURNEY_ID}{ID_SEPARATOR}level{e.score}-label"
                         f"{('-row' + suffix) if suffix else ''}",
                         [f"{e.score:+d}" if e.score else "0"], 0, y - styles.LEGEND_SIZE * 0.6,
                         styles.LEGEND_SIZE, styles.TEXT, left=left + 10 + f)
        if self.compare:
            self._persona_curves(builder, chips, level_y, suffix)
        else:
            points = [(c.x, c.y) for c in chips if c.emotion is not None]
            if len(points) >= 2:
                builder.edge(f"{JOURNEY_ID}{ID_SEPARATOR}curve", points, _CURVE_STYLE,
                             styles.CURVE)
        for chip in chips:
            _chip(builder, chip, self.persona)

    def _persona_curves(self, builder: Builder, chips: List[_Journey], level_y,
                        suffix: str) -> None:
        """Each persona's emotion under the steps: its colour, line style and point shape,
        drawn a little apart so equal curves stay distinguishable."""
        if not chips:
            return
        x0 = chips[0].x - styles.CHIP_WIDTH / 2
        x1 = chips[-1].x + styles.CHIP_WIDTH / 2
        y0 = level_y(2) - 8
        y1 = level_y(-2) + 8
        count = len(self.personas)
        for k, name in enumerate(self.personas):
            colour = palette.PERSONA_COLOURS[k % len(palette.PERSONA_COLOURS)]
            dash = styles.PERSONA_DASHES[k % len(styles.PERSONA_DASHES)]
            shift = (k - (count - 1) / 2) * 2.0
            points = [(c.x - x0, level_y(c.emotions.get(name)) - y0 + shift) for c in chips
                      if c.emotions.get(name) is not None]
            if not points:
                continue
            parts = []
            if len(points) >= 2:
                parts.append(icons.el("path", d=icons.path_d(points), fill="none", stroke=colour,
                                      stroke_width=1.8, stroke_dasharray=dash or None,
                                      stroke_linejoin="round"))
            parts += [icons.persona_point(k, x, y, 7.0, colour) for x, y in points]
            svg_id = builder.picture(f"{JOURNEY_ID}-persona-{k + 1}"
                                     f"{('-row' + suffix) if suffix else ''}",
                                     Bounds(x0, y0, x1 - x0, y1 - y0), parts)
            if svg_id:
                builder.tooltips[svg_id] = f"Emotion curve of {name}"
                builder.attributes[svg_id] = {"data-persona": name}

    def _step_tags(self, builder: Builder) -> None:
        """On wrapped rows connectors would cross the rows below: each supporting element
        carries the numbers of the steps it supports instead."""
        steps_of: Dict[str, List[int]] = {}
        bounds_of: Dict[str, Bounds] = {}
        for chip in self.chips:
            for element_id, b in chip.support_at:
                steps_of.setdefault(element_id, []).append(chip.step.number)
                bounds_of[element_id] = b
        for element_id in sorted(steps_of, key=lambda e: (bounds_of[e].y, bounds_of[e].x, e)):
            numbers = steps_of[element_id]
            text = ("step " if len(numbers) == 1 else "steps ") + band.step_ranges(numbers)
            w = text_width(text, styles.TAG_SIZE) + 8
            h = styles.TAG_SIZE + 5
            b = bounds_of[element_id]
            box, scale = self.placer.place(element_id, b, (w, h), tag_places(is_big(b)))
            svg_id = builder.picture(f"{element_id}{ID_SEPARATOR}steps", box, [
                icons.pill(box.width, box.height, "#FFFFFF", styles.CURVE, radius=3),
                icons.text_lines([text], box.width / 2, box.height / 2, styles.TAG_SIZE * scale,
                                 styles.TEXT),
            ], top=True)
            if svg_id:
                builder.tooltips[svg_id] = f"journey {text}"


def _mark(builder: Builder, mark: _Mark, top: float) -> None:
    h = styles.MARK_HEIGHT
    w = mark.width
    box = Bounds(mark.x - w / 2, top, w, h)
    glyph = icons.handoff_glyph if mark.kind == "handoff" else icons.order_glyph
    parts = [icons.pill(w, h, "#FFFFFF", mark.colour, radius=3, stroke_width=1.2),
             glyph(4, h / 2 - 6, 12, mark.colour)]
    if mark.lines:
        parts.append(icons.text_lines(mark.lines, 4 + 14 + 2, h / 2, styles.MARK_SIZE,
                                      styles.TEXT, anchor="start"))
    # its own id (not a part of "journey"): the SVG keys tooltips by id
    svg_id = builder.picture(f"{JOURNEY_ID}-{mark.kind}-{mark.steps[0]}-{mark.steps[1]}", box,
                             parts, top=True)
    if svg_id:
        builder.tooltips[svg_id] = mark.tooltip


class TitleAndLegend:
    """Above the journey band: the model and persona, the key figures, the legend."""

    def __init__(self, model: Model, analysis: Analysis, band: JourneyBand):
        self.model = model
        self.analysis = analysis
        self.band = band  # drawn first: it says where the title goes

    def draw(self, builder: Builder) -> None:
        analysis, band_ = self.analysis, self.band
        _title_and_legend(builder, self.model, analysis, analysis.persona,
                          analysis.all_personas(), band_.left, band_.top, band_.chips,
                          band_.compare)


def connector_end(target: Bounds) -> Tuple[float, float]:
    """Where a journey connector meets an element by default: its top edge, left of the
    centre (message flows usually attach at the centre)."""
    return (target.x + target.width * styles.CONNECTOR_AT, target.y)


def _chip(builder: Builder, chip: _Journey, persona: Optional[str]) -> None:
    step = chip.step
    svg_id = f"{JOURNEY_ID}-step-{step.number}"
    w, h = styles.CHIP_WIDTH, chip.height
    box = chip.box
    stroke = styles.MISSING_STROKE if chip.missing else styles.CURVE
    # the box first: tests and scripts find a step's box as its group's first shape
    parts = [icons.pill(w, h, chip.fill, stroke, dashed=chip.missing, radius=8,
                        stroke_width=2.0 if chip.missing else 1.2)]
    if chip.missing:
        zone = styles.MISSING_ZONE
        mark = palette.ink(chip.fill)
        parts.append(icons.hatch(2, 2, zone - 2, h - 4, mark))
        parts.append(icons.el("path", d=icons.path_d([(zone, 2), (zone, h - 2)]),
                              stroke=mark, stroke_width=0.8))
        if palette.contrast(styles.MISSING_STROKE, chip.fill) < palette.MARK_CONTRAST:
            # the red dashes do not read on this fill: a line inside them that does
            parts.append(icons.el("rect", x=3, y=3, width=w - 6, height=h - 6, rx=6, ry=6,
                                  fill="none", stroke=mark, stroke_width=0.8))
        parts.append(icons.not_supported(zone / 2 + 1, h / 2, 12.0))
    svg_id = builder.picture(svg_id, box, parts, top=True) or svg_id
    attributes = {"data-journey-step": str(step.number)}
    if chip.missing:
        attributes["data-missing"] = "true"
    builder.attributes[svg_id] = attributes
    cx = chip.x + chip.text_x
    y = box.y + 5
    builder.text(f"{svg_id}{ID_SEPARATOR}label", chip.lines, cx, y, styles.CHIP_SIZE, chip.ink)
    y += text_height(len(chip.lines), styles.CHIP_SIZE)
    for part, lines in chip.status:
        builder.text(f"{svg_id}{ID_SEPARATOR}{part}", lines, cx, y, styles.CHIP_SIZE - 1,
                     chip.ink)
        y += text_height(len(lines), styles.CHIP_SIZE - 1)
    if step.moment_of_truth:
        s = styles.STAR_SIZE * 0.8
        builder.picture(f"{svg_id}{ID_SEPARATOR}star",
                        Bounds(box.right - s / 2 - 2, box.y - s / 2 + 2, s, s),
                        [icons.star(s, palette.outline_ink(chip.fill, styles.BAND_FILL))],
                        top=True)
    lines = [f"Step {step.number}: {step.customer_step}"]
    if step.stage:
        lines.append(f"stage: {step.stage}")
    if step.channel:
        lines.append(f"channel: {step.channel}")
    if step.device:
        lines.append(f"device: {step.device}")
    if step.persona:
        lines.append(f"persona: {step.persona}")
    lines.append(f"emotion: {_emoji(chip.emotion)}"
                 + (f" ({', '.join(chip.who)})" if chip.who and persona is None else ""))
    if len(chip.emotions) > 1:
        lines += [f"{name}: {_emoji(score)}" for name, score in chip.emotions.items()
                  if score is not None]
    if step.moment_of_truth:
        lines.append("moment of truth")
    if step.pain_point:
        lines.append(f"pain point: {step.pain_point}")
    if chip.missing:
        lines.append("missing from operations: no process element supports this step")
    elif step.supported_by_text:
        lines.append(f"supported by: {step.supported_by_text}")
    builder.tooltips[svg_id] = "\n".join(lines)


def _title_and_legend(builder: Builder, model: Model, analysis: Optional[Analysis],
                      persona: Optional[str], personas: Sequence[str], left: float,
                      band_top: float, chips: List[_Journey], compare: bool = False) -> None:
    parts, width, legend_h = _legend(persona, personas, compare)
    legend_top = band_top - 10 - legend_h
    log = analysis.measured if analysis is not None else None
    clocks_h = measured.CLOCKS_HEIGHT if log is not None else 0.0
    title_top = legend_top - 8 - styles.TITLE_SIZE * styles.LINE_HEIGHT - 14 - clocks_h
    if compare:
        who = "personas compared" + (f" ({', '.join(personas)})" if personas else "")
    else:
        who = persona if persona else (
            "lowest emotion across personas" + (f" ({', '.join(personas)})" if personas else ""))
    builder.text("title", [f"{model.name} \u2014 {who}"], 0, title_top, styles.TITLE_SIZE,
                 styles.TITLE_COLOUR, left=left, bold=True)
    missing = sum(1 for c in chips if c.missing)
    facts = [f"{len(chips)} journey steps, {missing} missing from operations"]
    if analysis is not None:
        counts = ", ".join(f"{analysis.count(s)} {s}" for s in SEVERITIES)
        facts.append(f"findings: {counts}")
    builder.text(f"title{ID_SEPARATOR}facts", ["; ".join(facts)], 0,
                 title_top + styles.TITLE_SIZE * styles.LINE_HEIGHT + 2, styles.LEGEND_SIZE,
                 styles.TEXT, left=left)
    if log is not None:
        measured.draw_clocks(builder, log, model, left, legend_top - 6 - clocks_h)
    builder.picture("legend", Bounds(left, legend_top, width, legend_h), parts, top=True)


def _legend(persona: Optional[str], personas: Sequence[str], compare: bool = False):
    """The legend as one picture: emotion colours, symbols, the faces' order (and with
    ``compare`` each persona's line). Returns (parts, width, height)."""
    size = styles.LEGEND_SIZE
    parts = []
    x = 6.0
    row1, row2, row3 = 13.0, 31.0, 49.0

    def label(text: str, at_x: float, y: float) -> float:
        parts.append(icons.text_lines([text], at_x, y, size, styles.TEXT, anchor="start"))
        return at_x + text_width(text, size) + 14

    def face_at(score: Optional[int], at_x: float) -> None:
        g = icons.el("g", transform=f"translate({icons.num(at_x)},{icons.num(row1 - 6.5)})")
        for child in icons.face(score, 13, palette.emotion_fill(score)):
            g.append(child)
        parts.append(g)

    for e in EMOTION_SCALE:
        face_at(e.score, x)
        x = label(e.label, x + 16, row1)
    face_at(None, x)
    x = label("no emotion given", x + 16, row1)
    width = x
    x = 6.0
    g = icons.el("g", transform=f"translate({icons.num(x)},{icons.num(row2 - 7.5)})")
    g.append(icons.star(15))
    parts.append(g)
    x = label("moment of truth", x + 18, row2)
    parts.append(icons.el("rect", x=x, y=row2 - 6, width=22, height=12, rx=3, fill="#FFFFFF",
                          stroke=styles.PAIN_STROKE, stroke_width=2.5))
    x = label("pain point", x + 26, row2)
    parts.append(icons.el("rect", x=x, y=row2 - 7, width=30, height=14, rx=3, fill="#FFFFFF",
                          stroke=styles.MISSING_STROKE, stroke_width=1.5, stroke_dasharray="4,2"))
    parts.append(icons.hatch(x + 1, row2 - 6, 14, 12, styles.TEXT))
    parts.append(icons.not_supported(x + 8, row2, 10.0))
    x = label("missing from operations", x + 34, row2)
    parts.append(icons.el("path", d=f"M{icons.num(x)},{icons.num(row2)} h22",
                          stroke=styles.CONNECTOR, stroke_width=1, stroke_dasharray="4,2"))
    x = label("supports", x + 26, row2)
    parts.append(icons.pill(30, 13, styles.BADGE_FILL))
    parts[-1].set("x", icons.num(x))
    parts[-1].set("y", icons.num(row2 - 6.5))
    x = label("channel", x + 34, row2)
    width = max(width, x)
    x = 6.0
    parts.append(icons.handoff_glyph(x, row3 - 6, 12, palette.HANDOFF))
    x = label("hand-off between departments", x + 16, row3)
    parts.append(icons.order_glyph(x, row3 - 6, 12, palette.ORDER_MISMATCH))
    x = label("process order differs from the journey", x + 16, row3)
    x = label("\u2260 channel mismatch", x, row3)
    shown = [persona] if persona else list(personas)
    if compare:
        for k, name in enumerate(shown):
            colour = palette.PERSONA_COLOURS[k % len(palette.PERSONA_COLOURS)]
            dash = styles.PERSONA_DASHES[k % len(styles.PERSONA_DASHES)]
            parts.append(icons.el("path", d=f"M{icons.num(x)},{icons.num(row3)} h26",
                                  stroke=colour, stroke_width=1.8,
                                  stroke_dasharray=dash or None))
            parts.append(icons.persona_point(k, x + 13, row3, 7.0, colour))
            x = label(name, x + 30, row3)
    x = label("faces: " + ", ".join(shown) + (" (left to right)" if len(shown) > 1 else ""),
              x, row3)
    return parts, max(width, x), 58.0


def annotated_scene(model: Model, analysis: Analysis, diagram: Optional[str] = None,
                    plane: Optional[Plane] = None, layers: Sequence = (),
                    compare: bool = False) -> Scene:
    """The Graphviz scene of the annotated diagram (see :func:`annotated_overlay`):
    ``plane`` when given, else the one ``diagram`` picks; ``layers`` are drawn after the
    annotation's own (e.g. the visual diff's marks); ``compare``: every persona's curve."""
    from . import scene_for, select_plane

    if plane is None:
        plane = select_plane(model, diagram)
    if plane is None or not plane.shapes:
        from .layout import generate_plane

        plane = generate_plane(model)
    overlay = annotated_overlay(model, plane, analysis, compare)
    overlay.layers += list(layers)
    return scene_for(model, diagram, overlay, plane=plane)


def render_annotated(model: Model, analysis: Analysis, diagram: Optional[str] = None) -> bytes:
    """The annotated diagram of ``model`` for ``analysis`` (see :func:`bpmncx.analyse`) as SVG bytes."""
    from .draw import svg_many

    return svg_many([annotated_scene(model, analysis, diagram)])[0]
