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
from . import icons, styles
from .graph import ID_SEPARATOR, Builder, Overlay, Scene
from .text import text_height, text_width, wrap

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
    """One chip per journey step, in journey order."""

    def __init__(self, step: JourneyStep, emotion: Optional[int], who: Tuple[str, ...],
                 support: List[Bounds], elsewhere: List[ElementRef], missing: bool):
        self.step = step
        self.missing = missing  # from the analysis: no element analysed supports the step
        self.emotion = emotion
        self.who = who
        self.support = support
        self.elsewhere = elsewhere
        self.lines = wrap(f"{step.number}. {step.customer_step or step.step}",
                          styles.CHIP_WIDTH - 12, styles.CHIP_SIZE)[:4]
        self.height = text_height(len(self.lines), styles.CHIP_SIZE) + 10
        self.x = 0.0
        self.y = 0.0


def annotated_overlay(model: Model, plane: Plane, analysis: Analysis) -> Overlay:
    """What to lay over ``plane`` of ``model`` for the analysis's persona (None: the
    lowest emotion across personas)."""
    persona = analysis.persona
    personas = analysis.all_personas()  # tooltips list every persona's emotion
    overlay = Overlay(file_fills=False)
    shape_of = plane.shape_of
    marked: List[Tuple[Touchpoint, Bounds]] = []
    for tp in analysis.touchpoint_rows(model.name):
        if tp.element_id not in shape_of:
            continue
        ref = tp.ref
        fill = analysis.emotion_fill(ref)
        if fill is not None:
            overlay.fill[tp.element_id] = fill
            overlay.label[tp.element_id] = palette.emotion_text(analysis.feeling(ref).score)
            marked.append((tp, shape_of[tp.element_id].bounds))
        if tp.pain_point.strip():
            overlay.outline[tp.element_id] = (styles.PAIN_STROKE, styles.PAIN_WIDTH)
        overlay.tooltips[tp.element_id] = _touchpoint_tooltip(
            model, tp, personas, persona, analysis.feeling(ref), analysis.findings_for(ref))
    for ref, element_findings in analysis.element_findings(model.name):
        if ref.element_id not in overlay.tooltips and ref.element_id in shape_of:
            name = model.lookup_name(ref.element_id)
            overlay.tooltips[ref.element_id] = "\n".join([name] + _finding_lines(element_findings))
    band = JourneyBand(model, plane, analysis)
    overlay.layers += [TouchpointMarks(marked, personas, persona), band,
                       TitleAndLegend(model, analysis, band)]
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
    """On every customer-facing element: its channel badge, one face per persona,
    a star on a moment of truth."""

    def __init__(self, marked: Sequence[Tuple[Touchpoint, Bounds]], personas: Sequence[str],
                 persona: Optional[str]):
        self.marked = list(marked)
        self.personas = list(personas)
        self.persona = persona

    def draw(self, builder: Builder) -> None:
        for tp, bounds in self.marked:
            _decorate(builder, tp, bounds, self.personas, self.persona)


def _decorate(builder: Builder, tp: Touchpoint, b: Bounds, personas: Sequence[str],
              persona: Optional[str]) -> None:
    """Channel badge, faces, star on one customer-facing element."""
    element_id = tp.element_id
    if tp.channel:
        w = text_width(tp.channel, styles.BADGE_SIZE) + 10
        h = styles.BADGE_SIZE + 6
        box = Bounds(b.right - w + 6, b.y - h / 2, w, h)
        builder.picture(f"{element_id}{ID_SEPARATOR}channel", box, [
            icons.pill(w, h, styles.BADGE_FILL),
            icons.text_lines([tp.channel], w / 2, h / 2, styles.BADGE_SIZE, styles.BADGE_TEXT),
        ], top=True)
    shown = [persona] if persona is not None else list(personas)
    f = styles.FACE_SIZE
    faces = []
    for index, name in enumerate(shown):
        score = tp.emotions.get(name)
        fill = palette.emotion_fill(score)
        g = icons.el("g", transform=f"translate({icons.num(index * (f + 2))},0)")
        for child in icons.face(score, f, fill):
            g.append(child)
        faces.append(g)
    if faces:
        width = len(faces) * (f + 2) - 2
        if b.width >= 60:
            box = Bounds(b.right - width - 4, b.bottom - f / 2, width, f)
        else:
            box = Bounds(b.right + 2, b.cy - f - 1, width, f)
        builder.picture(f"{element_id}{ID_SEPARATOR}faces", box, faces, top=True)
    if tp.moment_of_truth:
        s = styles.STAR_SIZE
        builder.picture(f"{element_id}{ID_SEPARATOR}star",
                        Bounds(b.x - s / 2 + 2, b.y - s / 2 + 2, s, s), [icons.star(s)], top=True)


# -- the journey band -------------------------------------------------------------------


def _chips(model: Model, plane: Plane, analysis: Analysis) -> List[_Journey]:
    """One chip per journey step in scope, in journey order, with the lowest emotion
    of the personas shown."""
    persona = analysis.persona
    curves = {name: {p.number: p.emotion for p in analysis.curve(name)}
              for name in ([persona] if persona else analysis.personas())}
    chips = []
    for step in analysis.steps:
        scores = {name: curve[step.number] for name, curve in curves.items()
                  if curve.get(step.number) is not None}
        lowest = feeling(scores, None)
        support, elsewhere = [], []
        for ref in analysis.support_of(step):
            shape = _drawn_as(model, plane, ref.element_id) if ref.model == model.name else None
            if shape is not None:
                if shape.bounds not in support:  # two children of one collapsed shape
                    support.append(shape.bounds)
            else:
                elsewhere.append(ref)  # in another model, or not on this diagram
        chips.append(_Journey(step, lowest.score, lowest.who, support, elsewhere,
                              analysis.is_missing(step)))
    return chips


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


def _place(chips: List[_Journey], left: float, right: float) -> None:
    """x of every chip: over its support, else between its neighbours; no overlaps."""
    width = styles.CHIP_WIDTH
    anchored = [i for i, c in enumerate(chips) if c.support]
    for i in anchored:
        chips[i].x = sum(b.cx for b in chips[i].support) / len(chips[i].support)
    i = 0
    while i < len(chips):
        if chips[i].support:
            i += 1
            continue
        j = i
        while j < len(chips) and not chips[j].support:
            j += 1
        run = j - i
        before = chips[i - 1].x if i > 0 else None
        after = chips[j].x if j < len(chips) else None
        step = width + styles.CHIP_GAP
        if before is None and after is None:
            xs = [left + width / 2 + k * step for k in range(run)]
        elif before is None:
            xs = [after - (run - k) * step for k in range(run)]
        elif after is None:
            xs = [before + (k + 1) * step for k in range(run)]
        else:
            xs = [before + (after - before) * (k + 1) / (run + 1) for k in range(run)]
        for k in range(run):
            chips[i + k].x = xs[k]
        i = j
    placed: List[_Journey] = []
    for chip in chips:
        for _ in range(len(placed) + 1):
            clash = [p for p in placed if abs(p.x - chip.x) < width + styles.CHIP_GAP - 0.01
                     and abs(p.y - chip.y) < (p.height + chip.height) / 2 + 4]
            if not clash:
                break
            chip.x = max(p.x for p in clash) + width + styles.CHIP_GAP
        placed.append(chip)


class JourneyBand:
    """Above the top pool: the emotion scale, one chip per journey step over the
    elements supporting it (joined by connectors), steps missing from operations
    dashed red, and the emotion curve through the chips."""

    def __init__(self, model: Model, plane: Plane, analysis: Analysis):
        self.model = model
        self.plane = plane
        self.persona = analysis.persona
        self.chips = _chips(model, plane, analysis)
        self.left = 0.0
        self.top = 0.0  # set by draw(): where the title and legend go above

    def draw(self, builder: Builder) -> None:
        chips, persona = self.chips, self.persona
        content = _content_extent(self.plane)
        level = styles.LEVEL_STEP
        band_bottom = content.y - 45
        max_chip = max((c.height for c in chips), default=30.0)
        lowest_y = band_bottom - max_chip / 2 - 22  # centre of a -2 chip (room for "missing")

        def level_y(score: Optional[int]) -> float:
            return lowest_y - ((score if score is not None else 0) + 2) * level

        for chip in chips:
            chip.y = level_y(chip.emotion)
        band_top = level_y(2) - max_chip / 2 - 12
        _place(chips, content.x + 70, content.right)
        right = max([content.right] + [c.x + styles.CHIP_WIDTH / 2 + 10 for c in chips])
        left = min([content.x] + [c.x - styles.CHIP_WIDTH / 2 - 60 for c in chips])
        self.left, self.top = left, band_top
        band = Bounds(left, band_top, right - left, band_bottom - band_top)
        builder.cluster(JOURNEY_ID, band, {"style": "filled,rounded", "fillcolor": styles.BAND_FILL,
                                          "color": styles.BAND_STROKE, "penwidth": 1.0})
        label = "Customer journey" + (f" of {persona}" if persona else "")
        builder.tooltips[JOURNEY_ID] = label
        # the emotion scale at the left of the band
        for e in EMOTION_SCALE:
            y = level_y(e.score)
            f = styles.FACE_SIZE
            builder.picture(f"{JOURNEY_ID}{ID_SEPARATOR}level{e.score}",
                            Bounds(left + 8, y - f / 2, f, f),
                            icons.face(e.score, f, palette.emotion_fill(e.score)))
            builder.text(f"{JOURNEY_ID}{ID_SEPARATOR}level{e.score}-label",
                         [f"{e.score:+d}" if e.score else "0"], 0, y - styles.LEGEND_SIZE * 0.6,
                         styles.LEGEND_SIZE, styles.TEXT, left=left + 10 + f)
        builder.text(f"{JOURNEY_ID}{ID_SEPARATOR}label", [label], 0, band_top + 4,
                     styles.LEGEND_SIZE, styles.TEXT, left=left + 8, bold=True)
        # the curve, under the chips
        points = [(c.x, c.y) for c in chips if c.emotion is not None]
        if len(points) >= 2:
            builder.edge(f"{JOURNEY_ID}{ID_SEPARATOR}curve", points, _CURVE_STYLE, styles.CURVE)
        for chip in chips:
            _chip(builder, chip, persona)


class TitleAndLegend:
    """Above the journey band: the model and persona, the key figures, the legend."""

    def __init__(self, model: Model, analysis: Analysis, band: JourneyBand):
        self.model = model
        self.analysis = analysis
        self.band = band  # drawn first: it says where the title goes

    def draw(self, builder: Builder) -> None:
        analysis, band = self.analysis, self.band
        _title_and_legend(builder, self.model, analysis, analysis.persona,
                          analysis.all_personas(), band.left, band.top, band.chips)


def connector_end(target: Bounds) -> Tuple[float, float]:
    """Where a journey connector meets an element: its top edge, left of the centre
    (message flows usually attach at the centre)."""
    return (target.x + target.width * styles.CONNECTOR_AT, target.y)


def _chip(builder: Builder, chip: _Journey, persona: Optional[str]) -> None:
    step = chip.step
    svg_id = f"{JOURNEY_ID}-step-{step.number}"
    w, h = styles.CHIP_WIDTH, chip.height
    box = Bounds(chip.x - w / 2, chip.y - h / 2, w, h)
    fill = palette.emotion_fill(chip.emotion)
    text = palette.emotion_text(chip.emotion)
    stroke = styles.MISSING_STROKE if chip.missing else styles.CURVE
    parts = [icons.pill(w, h, fill, stroke, dashed=chip.missing, radius=8,
                        stroke_width=2.0 if chip.missing else 1.2)]
    builder.picture(svg_id, box, parts, top=True)
    builder.text(f"{svg_id}{ID_SEPARATOR}label", chip.lines, chip.x, box.y + 5,
                 styles.CHIP_SIZE, text)
    if step.moment_of_truth:
        s = styles.STAR_SIZE * 0.8
        builder.picture(f"{svg_id}{ID_SEPARATOR}star", Bounds(box.x - s / 2 + 2, box.y - s / 2 + 2,
                                                               s, s), [icons.star(s)], top=True)
    if chip.missing:
        builder.text(f"{svg_id}{ID_SEPARATOR}missing", ["missing from operations"], chip.x,
                     box.bottom + 2, styles.CHIP_SIZE - 1, styles.MISSING_STROKE)
    elif chip.elsewhere and not chip.support:
        models = sorted({ref.model for ref in chip.elsewhere})
        builder.text(f"{svg_id}{ID_SEPARATOR}elsewhere", [f"in {', '.join(models)}"], chip.x,
                     box.bottom + 2, styles.CHIP_SIZE - 1, styles.CONNECTOR)
    for index, target in enumerate(chip.support):
        builder.edge(f"{svg_id}{ID_SEPARATOR}link{index + 1}",
                     [(chip.x, box.bottom), connector_end(target)], _CONNECTOR_STYLE,
                     styles.CONNECTOR)
    lines = [f"Step {step.number}: {step.customer_step}"]
    if step.stage:
        lines.append(f"stage: {step.stage}")
    if step.channel:
        lines.append(f"channel: {step.channel}")
    if step.persona:
        lines.append(f"persona: {step.persona}")
    lines.append(f"emotion: {_emoji(chip.emotion)}"
                 + (f" ({', '.join(chip.who)})" if chip.who and persona is None else ""))
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
                      band_top: float, chips: List[_Journey]) -> None:
    legend_h = 40.0
    legend_top = band_top - 10 - legend_h
    title_top = legend_top - 8 - styles.TITLE_SIZE * styles.LINE_HEIGHT - 14
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
    parts, width = _legend(persona, personas, legend_h)
    builder.picture("legend", Bounds(left, legend_top, width, legend_h), parts, top=True)


def _legend(persona: Optional[str], personas: Sequence[str], height: float):
    """The legend as one picture: emotion colours, symbols, the faces' order."""
    size = styles.LEGEND_SIZE
    parts = []
    x = 6.0
    row1, row2 = 13.0, 31.0

    def label(text: str, at_x: float, y: float) -> float:
        parts.append(icons.text_lines([text], at_x, y, size, styles.TEXT, anchor="start"))
        return at_x + text_width(text, size) + 14

    for e in EMOTION_SCALE:
        g = icons.el("g", transform=f"translate({icons.num(x)},{icons.num(row1 - 6.5)})")
        for child in icons.face(e.score, 13, palette.emotion_fill(e.score)):
            g.append(child)
        parts.append(g)
        x = label(e.label, x + 16, row1)
    g = icons.el("g", transform=f"translate({icons.num(x)},{icons.num(row1 - 6.5)})")
    for child in icons.face(None, 13, palette.emotion_fill(None)):
        g.append(child)
    parts.append(g)
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
    parts.append(icons.el("rect", x=x, y=row2 - 6, width=22, height=12, rx=3, fill="#FFFFFF",
                          stroke=styles.MISSING_STROKE, stroke_width=1.5, stroke_dasharray="4,2"))
    x = label("missing from operations", x + 26, row2)
    parts.append(icons.el("path", d=f"M{icons.num(x)},{icons.num(row2)} h22",
                          stroke=styles.CONNECTOR, stroke_width=1, stroke_dasharray="4,2"))
    x = label("supports", x + 26, row2)
    parts.append(icons.pill(30, 13, styles.BADGE_FILL))
    parts[-1].set("x", icons.num(x))
    parts[-1].set("y", icons.num(row2 - 6.5))
    x = label("channel", x + 34, row2)
    shown = [persona] if persona else list(personas)
    x = label("faces: " + ", ".join(shown) + (" (left to right)" if len(shown) > 1 else ""),
              x, row2)
    return parts, max(width, x)


def annotated_scene(model: Model, analysis: Analysis, diagram: Optional[str] = None,
                    plane: Optional[Plane] = None, layers: Sequence = ()) -> Scene:
    """The Graphviz scene of the annotated diagram (see :func:`annotated_overlay`):
    ``plane`` when given, else the one ``diagram`` picks; ``layers`` are drawn after the
    annotation's own (e.g. the visual diff's marks)."""
    from . import scene_for, select_plane

    if plane is None:
        plane = select_plane(model, diagram)
    if plane is None or not plane.shapes:
        from .layout import generate_plane

        plane = generate_plane(model)
    overlay = annotated_overlay(model, plane, analysis)
    overlay.layers += list(layers)
    return scene_for(model, diagram, overlay, plane=plane)


def render_annotated(model: Model, analysis: Analysis, diagram: Optional[str] = None) -> bytes:
    """The annotated diagram of ``model`` for ``analysis`` (see :func:`bpmncx.analyse`) as SVG bytes."""
    from .draw import svg_many

    return svg_many([annotated_scene(model, analysis, diagram)])[0]
