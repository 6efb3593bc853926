"""The per-model HTML report: one self-contained page a manager can open from an email.

Key figures, the annotated diagram (zoom, pan, hover details), the journey per
persona with its emotion curve, the findings and the touchpoints. Everything
is inline (SVG, CSS, a little plain JavaScript); nothing is fetched. The page
is built as an lxml tree, so every name from the model or the workbook is
escaped by the serializer, never pasted into markup. Same input, same bytes.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from lxml import etree
from lxml import html as lxml_html
from lxml.html import builder as E

from .. import palette
from ..analysis import Analysis, CurvePoint
from ..annotations import Annotations, ElementRef
from ..model import Model
from ..render.svg import own_document_parts
from ..severity import SEVERITIES, SEVERITY_RANK
from ..version import __version__
from ..vocabulary import EMOTION_SCALE, emotion
# Line colours of the personas: the diagram's (--persona compare) and the charts' are one list.
PERSONA_COLOURS = palette.PERSONA_COLOURS

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"


def asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets").joinpath(name).read_text(encoding="utf-8")


def page_head(title: str, scripts: bool = True, policy: bool = True):
    """The ``<head>`` of every page bpmncx writes: charset, viewport, a Content-Security-
    Policy that lets nothing come from the network (``policy``; the portfolio, which shows
    the SVG files beside it, has none), the title and the report's CSS."""
    parts = [E.META(charset="utf-8"),
             E.META(name="viewport", content="width=device-width, initial-scale=1")]
    if policy:
        content = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        if scripts:
            content += "; script-src 'unsafe-inline'"
        parts.append(E.META(**{"http-equiv": "Content-Security-Policy", "content": content}))
    return E.HEAD(*parts, E.TITLE(title), E.STYLE(asset("report.css")))


def version() -> str:
    return __version__


# -- small builders ---------------------------------------------------------


def _cls(name: str) -> Dict[str, str]:
    return {"class": name}


def _text(value) -> str:
    return "" if value is None else str(value)


def percent(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{round(value * 100)}%"


def _emotion_text(score: Optional[int]) -> str:
    if score is None:
        return ""
    e = emotion(score)
    sign = "+" if score > 0 else ""
    return f"{e.emoji} {sign}{score} {e.label}"


def _emotion_cell(score: Optional[int]):
    if score is None:
        return E.TD(_cls("emotion"), **{"data-value": "9"})
    return E.TD(
        _cls("emotion"),
        _emotion_text(score),
        style=f"background:{palette.emotion_fill(score)};color:{palette.emotion_text(score)}",
        **{"data-value": str(score)},
    )


def _severity_badge(severity: str):
    return E.SPAN(_cls(f"sev sev-{severity}"), severity)


def table(headers: Sequence[Tuple[str, str]], rows: Iterable, css: str = "sortable"):
    """``headers``: (label, type) with type "text", "number" or "" (not sortable)."""
    head = E.TR(
        *[
            E.TH(label, **({"class": "sortable", "data-type": kind} if kind else {}))
            for label, kind in headers
        ]
    )
    return E.DIV(_cls("table-wrap"), E.TABLE(_cls(css), E.THEAD(head), E.TBODY(*rows)))


_table = table


# -- the diagram ------------------------------------------------------------


@dataclass(frozen=True)
class DiagramPart:
    """A diagram shown after the main one: a drill-down (its ``element_id`` is the
    collapsed sub-process it opens from) or another diagram of the model."""

    label: str
    element_id: str
    svg: bytes


def inline_svg(svg, css_class: str = "diagram", id_prefix: str = ""):
    """An SVG document as an element ready to sit inside an HTML page.

    Namespaces are dropped (the HTML parser puts ``<svg>`` content in the SVG
    namespace by itself), ``xlink:href`` becomes ``href``, comments and the
    fixed size go (the page sizes the picture), scripts and event-handler
    attributes are removed should a drawing ever contain any.
    """
    if isinstance(svg, str):
        svg = svg.encode("utf-8")
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             remove_comments=True, remove_pis=True, huge_tree=True)
    root = etree.fromstring(svg, parser)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in ("script", "foreignObject"):
            el.getparent().remove(el)
            continue
        el.tag = local
        for name in list(el.attrib):
            value = el.attrib.pop(name)
            qname = etree.QName(name)
            if qname.namespace == _XLINK_NS and qname.localname == "href":
                if not value.lstrip().lower().startswith("javascript:"):
                    el.set("href", value)
            elif qname.namespace is None and not name.lower().startswith("on"):
                # several diagrams on one page: ids stay unique (nothing refers to them)
                el.set(name, id_prefix + value if id_prefix and name == "id" else value)
    etree.cleanup_namespaces(root)
    width, height = root.attrib.pop("width", None), root.attrib.pop("height", None)
    if root.get("viewBox") is None and width and height:
        w, h = (float(v.rstrip("ptx")) for v in (width, height))
        root.set("viewBox", f"0 0 {w:g} {h:g}")
    root.set("class", css_class)
    root.set("role", "img")
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            w, h = float(box[2]), float(box[3])
        except ValueError:
            w = h = 0
        if w > 0 and h > 0:
            # As tall as its width asks for, at most most of the window (CSS max-height).
            root.set("style", f"aspect-ratio: {w:g} / {h:g}")
    return root


def _diagram_sections(svg, model: Model, more: Sequence[DiagramPart]):
    """The main diagram, then every other one under its name; a list of them all links
    to each, and clicking a collapsed shape opens its drill-down (report.js)."""
    if svg is None:
        return [E.DIV(_cls("note"), "No diagram could be drawn for this model.")]
    if not more:
        return [diagram_box(svg)]
    anchors = [f"diagram-{index + 2}" for index in range(len(more))]
    listing = E.P(_cls("diagrams"), f"{len(more) + 1} diagrams: ",
                  E.A("main diagram", href="#diagram-1"))
    for part, anchor in zip(more, anchors):
        listing.append(E.SPAN(" · "))
        listing.append(E.A(part.label, href=f"#{anchor}"))
    sections = [listing, E.DIV(diagram_box(svg), id="diagram-1", **{"class": "diagram-view"})]
    for index, (part, anchor) in enumerate(zip(more, anchors)):
        name = model.lookup_name(part.element_id)
        heading = part.label if name in (part.element_id, part.label) else f"{part.label} ({name})"
        sections.append(E.DIV(
            E.H3(heading, " ", E.A("↑ main diagram", href="#diagram-1", **{"class": "up"})),
            diagram_box(part.svg, f"d{index + 2}-"),
            id=anchor, **{"class": "diagram-view", "data-opens-from": part.element_id}))
    return sections


# While report_html builds a page, each picture is serialised as soon as it is made and a
# marker stands in the tree: the page never holds the diagram's and the blueprint's parsed
# trees at once (at 10,000 tasks each is hundreds of MB). None: a plain tree (report_tree).
_PARTS: ContextVar[Optional[List[bytes]]] = ContextVar("bpmncx_html_parts", default=None)
_MARK = "bpmncx-part"


def _picture(svg, css_class: str = "diagram", id_prefix: str = ""):
    """:func:`inline_svg`, or its marker while :func:`report_html` collects the pictures."""
    parts = _PARTS.get()
    own = own_document_parts(svg) if parts is not None else None
    if own is not None and not id_prefix:
        # what inline_svg would make of it: no declaration, namespaces or size
        attributes, width, height, start = own
        parts.append(b"<svg " + attributes + f' class="{css_class}" role="img" style="aspect-'
                     f'ratio: {width:g} / {height:g}">'.encode() + svg[start:])
        return etree.Element(_MARK, n=str(len(parts) - 1))
    element = inline_svg(svg, css_class, id_prefix)
    if parts is None:
        return element
    parts.append(lxml_html.tostring(element, encoding="utf-8", method="html", with_tail=False))
    return etree.Element(_MARK, n=str(len(parts) - 1))


def diagram_box(svg, id_prefix: str = ""):
    """The diagram with its zoom buttons and hover line (report.js makes them work)."""
    box = E.DIV(
        _cls("diagram-box"),
        _picture(svg, id_prefix=id_prefix),
        E.DIV(
            _cls("tools"),
            E.BUTTON("+", type="button", title="Zoom in", **{"data-zoom": "in"}),
            E.BUTTON("\u2212", type="button", title="Zoom out", **{"data-zoom": "out"}),
            E.BUTTON("Fit", type="button", title="Show the whole diagram", **{"data-zoom": "fit"}),
        ),
        E.DIV(_cls("hover"), **{"aria-live": "polite"}),
    )
    return E.DIV(
        box,
        E.P(_cls("legend"), "Scroll to zoom, drag to move, hover an element for its details."),
    )


# -- the emotion chart ------------------------------------------------------


def emotion_chart(points: Sequence[CurvePoint], persona: str, colour: str = PERSONA_COLOURS[0]):
    """The persona's emotion per journey step as an inline SVG line chart."""
    left, right, top, bottom = 110, 20, 30, 44
    step_w = 56 if len(points) <= 14 else max(24, 780 // max(len(points), 1))
    width = max(420, left + right + step_w * max(len(points), 1))
    row_h = 34
    height = top + bottom + row_h * 4

    def y_of(score: int) -> float:
        return top + (2 - score) * row_h

    def x_of(index: int) -> float:
        return left + step_w * index + step_w / 2

    svg = etree.Element(
        "svg",
        {
            "class": "chart",
            "viewBox": f"0 0 {width} {height}",
            "width": str(width),
            "height": str(height),
            "role": "img",
            "aria-label": f"Emotion curve of {persona}",
        },
    )
    etree.SubElement(svg, "title").text = f"Emotion curve of {persona}"
    grid = etree.SubElement(svg, "g", {"class": "grid"})
    for e in EMOTION_SCALE:
        y = y_of(e.score)
        etree.SubElement(grid, "rect", {
            "x": str(left), "y": f"{y - row_h / 2:g}", "width": str(width - left - right),
            "height": str(row_h), "fill": palette.emotion_fill(e.score), "fill-opacity": "0.18",
        })
        etree.SubElement(grid, "line", {
            "x1": str(left), "x2": str(width - right), "y1": f"{y:g}", "y2": f"{y:g}",
            "stroke": "#8c959f" if e.score == 0 else palette.REPORT_LINE, "stroke-width": "1",
        })
        label = etree.SubElement(grid, "text", {
            "x": str(left - 8), "y": f"{y + 4:g}", "text-anchor": "end", "font-size": "12",
            "fill": palette.REPORT_INK,
        })
        sign = "+" if e.score > 0 else ""
        label.text = f"{sign}{e.score} {e.label}"
    axis = etree.SubElement(svg, "g", {"class": "steps"})
    for index, point in enumerate(points):
        text = etree.SubElement(axis, "text", {
            "x": f"{x_of(index):g}", "y": str(height - bottom + 20), "text-anchor": "middle",
            "font-size": "12", "fill": palette.REPORT_MUTED,
        })
        text.text = str(point.step.step or point.number)
    caption = etree.SubElement(svg, "text", {
        "x": f"{left + (width - left - right) / 2:g}", "y": str(height - 6),
        "text-anchor": "middle", "font-size": "12", "fill": palette.REPORT_MUTED,
    })
    caption.text = "journey step"

    # The line: one polyline per run of steps that have an emotion.
    runs: List[List[Tuple[float, float]]] = [[]]
    for index, point in enumerate(points):
        if point.emotion is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x_of(index), y_of(point.emotion)))
    line = etree.SubElement(svg, "g", {"class": "curve"})
    for run in runs:
        if len(run) >= 2:
            etree.SubElement(line, "polyline", {
                "points": " ".join(f"{x:g},{y:g}" for x, y in run),
                "fill": "none", "stroke": colour, "stroke-width": "3", "stroke-linejoin": "round",
            })
    for index, point in enumerate(points):
        if point.emotion is None:
            continue
        dot = etree.SubElement(line, "g", {"class": "point"})
        etree.SubElement(dot, "title").text = _point_title(point, persona)
        etree.SubElement(dot, "circle", {
            "cx": f"{x_of(index):g}", "cy": f"{y_of(point.emotion):g}",
            "r": "9" if point.step.moment_of_truth else "6",
            "fill": palette.emotion_fill(point.emotion), "stroke": colour, "stroke-width": "2.5",
        })
        if point.step.moment_of_truth:
            star = etree.SubElement(dot, "text", {
                "x": f"{x_of(index):g}", "y": f"{y_of(point.emotion) - 13:g}",
                "text-anchor": "middle", "font-size": "13", "fill": "#9a6700",
            })
            star.text = "\u2605"
    return svg


def _point_title(point: CurvePoint, persona: str) -> str:
    step = point.step
    parts = [f"Step {step.step or point.number}: {step.customer_step}".rstrip(": ")]
    if step.stage:
        parts.append(f"stage: {step.stage}")
    parts.append(f"{persona}: {_emotion_text(point.emotion)}")
    if point.source == "touchpoint":
        parts.append("(emotion from the supporting touchpoint)")
    if step.moment_of_truth:
        parts.append("moment of truth")
    if step.pain_point:
        parts.append(f"pain point: {step.pain_point}")
    return "\n".join(parts)


# -- sections ---------------------------------------------------------------


def _figure(value: str, label: str, *detail):
    return E.DIV(_cls("figure"), E.DIV(_cls("value"), value), E.DIV(_cls("label"), label),
                 E.DIV(_cls("detail"), *detail))


def _figures(analysis):
    m = analysis.metrics
    counts = dict(m.findings_per_severity)
    gaps = sum(counts.get(s, 0) for s in SEVERITIES)
    severity_detail = []
    for severity in SEVERITIES:
        severity_detail += [_severity_badge(severity), f" {counts.get(severity, 0)}  "]
    at_risk = len(m.moments_of_truth_at_risk)
    return E.DIV(
        _cls("figures"),
        _figure(percent(m.coverage), "journey coverage",
                f"{m.supported_steps} of {m.steps} journey steps supported by the process"),
        _figure(str(gaps), "gaps found", *severity_detail),
        _figure(str(at_risk), "moments of truth at risk", f"of {m.moments_of_truth} moments of truth"),
        _figure(str(m.handoffs), "hand-offs", "times the customer is passed to another lane or pool"),
    )


def _element_names(refs: Sequence[ElementRef], analysis, model: Model) -> str:
    names = []
    for ref in refs:
        if analysis is not None:
            name = analysis.element_name(ref)
        elif ref.model == model.name:
            name = model.lookup_name(ref.element_id)
        else:
            name = ref.element_id
        names.append(name if ref.model == model.name else f"{name} ({ref.model})")
    return ", ".join(names)


def _findings_table(analysis, model: Model):
    if not analysis.findings:
        return E.P("No findings: the journey and the process meet everywhere we can check.")
    rows = []
    for finding in analysis.findings:
        rows.append(E.TR(
            E.TD(_severity_badge(finding.severity), **{"data-value": str(SEVERITY_RANK.get(finding.severity, 9))}),
            E.TD(finding.kind),
            E.TD(finding.message),
            E.TD(finding.persona or ""),
            E.TD(", ".join(str(s) for s in finding.steps), **{"data-value": str(finding.step or 0)}),
            E.TD(_element_names(finding.elements, analysis, model)),
            E.TD(finding.cell),
        ))
    headers = [("Severity", "number"), ("Kind", "text"), ("Finding", "text"), ("Persona", "text"),
               ("Step", "number"), ("Elements", "text"), ("Workbook cell", "text")]
    return E.DIV(
        E.P(_cls("legend"), "Click a column header to sort (Severity: worst first, click again to reverse)."),
        _table(headers, rows),
    )


def _step_findings(analysis) -> Dict[int, List[str]]:
    found: Dict[int, List[str]] = {}
    if analysis is None:
        return found
    for finding in analysis.findings:
        for step in finding.steps:
            kinds = found.setdefault(step, [])
            if finding.kind not in kinds:
                kinds.append(finding.kind)
    return found


def _journey_section(analysis: Analysis, model: Model):
    # An analysis for one persona has findings for that persona's journey only.
    personas = analysis.personas()
    if not analysis.annotations.journey:
        return [E.P("The workbook has no journey steps yet (Journey sheet).")]
    by_step = _step_findings(analysis)
    # the Device column only when the owners filled one: older workbooks have none
    with_device = any(step.device.strip() for step in analysis.annotations.journey)
    parts = []
    for index, persona in enumerate(personas):
        colour = PERSONA_COLOURS[index % len(PERSONA_COLOURS)]
        points = analysis.curve(persona)
        parts.append(E.H3(f"Persona: {persona}"))
        if analysis.is_negative(persona):
            parts.append(E.P(_cls("note"), "A negative persona: someone the product is not "
                             "meant for. Their emotions are shown here but raise no pain point "
                             "and put no moment of truth at risk."))
        if not points:
            parts.append(E.P("No journey steps for this persona."))
            continue
        parts.append(E.DIV(_cls("chart-box"), emotion_chart(points, persona, colour)))
        rows = []
        for point in points:
            step = point.step
            support = _element_names(analysis.support_of(step), analysis, model)
            rows.append(E.TR(
                E.TD(_text(step.step or point.number), **{"data-value": str(point.number)}),
                E.TD(step.stage),
                E.TD(step.customer_step),
                E.TD(step.channel),
                *([E.TD(step.device)] if with_device else []),
                _emotion_cell(point.emotion),
                E.TD("\u2605 yes" if step.moment_of_truth else ""),
                (E.TD(_cls("missing"), "missing from operations") if analysis.is_missing(step)
                 else E.TD(support)),
                E.TD(step.pain_point),
                E.TD(", ".join(by_step.get(point.number, []))),
            ))
        headers = [("Step", "number"), ("Stage", "text"), ("Customer step", "text"), ("Channel", "text"),
                   *([("Device", "text")] if with_device else []), ("Emotion", "number"), ("Moment of truth", "text"), ("Supported by", "text"),
                   ("Pain point", "text"), ("Findings", "text")]
        parts.append(_table(headers, rows))
    return parts


def _touchpoints_section(analysis: Analysis, model: Model):
    touchpoints = analysis.customer_facing(model.name)
    if not touchpoints:
        return [E.P("No customer-facing touchpoints marked for this model (Touchpoints sheet).")]
    personas = analysis.all_personas()
    rows = []
    for tp in touchpoints:
        name = tp.element_name or model.lookup_name(tp.element_id)
        rows.append(E.TR(
            E.TD(name, E.BR(), E.SMALL(tp.element_id)),
            E.TD(tp.element_type),
            E.TD(" / ".join(x for x in (tp.pool, tp.lane) if x)),
            E.TD(tp.touchpoint),
            E.TD(tp.channel),
            E.TD(tp.stage),
            E.TD("\u2605 yes" if tp.moment_of_truth else ""),
            *[_emotion_cell(tp.emotions.get(p)) for p in personas],
            E.TD(tp.pain_point),
            E.TD(tp.opportunity),
        ))
    headers = [("Element", "text"), ("Type", "text"), ("Pool / lane", "text"), ("Touchpoint", "text"),
               ("Channel", "text"), ("Stage", "text"), ("Moment of truth", "text")]
    headers += [(f"Emotion: {p}", "number") for p in personas]
    headers += [("Pain point", "text"), ("Opportunity", "text")]
    return [_table(headers, rows)]


# -- the page ---------------------------------------------------------------


def _blueprint_section(blueprint):
    return [E.H2("Service blueprint"),
            E.DIV(_cls("blueprint-box"), _picture(blueprint, "blueprint")),
            E.P(_cls("legend"), "Journey steps as columns; what the customer does, what they see "
                "(frontstage), what happens out of sight (backstage) and the support behind it, "
                "separated by the lines of interaction, visibility and internal interaction.")]


def report_tree(model: Model, svg=None, annotations: Optional[Annotations] = None, analysis=None,
                workbook_name: str = "", more: Sequence[DiagramPart] = (), blueprint=None,
                compare: bool = False):
    """The report page as an lxml element tree (see :func:`report_html`)."""
    title = f"{model.name}: customer journey and process"
    subtitle = [f"Model: {model.path.rsplit('/', 1)[-1]}"]
    if workbook_name or (analysis is not None and analysis.workbook):
        subtitle.append(f"workbook: {workbook_name or analysis.workbook.rsplit('/', 1)[-1]}")
    if analysis is not None and analysis.persona:
        subtitle.append(f"persona: {analysis.persona}")
    elif analysis is not None and compare:
        subtitle.append(f"personas compared: {', '.join(analysis.personas())}")
    body = [E.HEADER(E.H1(title), E.P(_cls("sub"), " \u00b7 ".join(subtitle)))]
    main = []
    if annotations is None:
        main.append(E.P(_cls("note"),
                        f"No workbook for this model: write one with `bpmncx template` and save it as "
                        f"{model.name}-cx.xlsx beside the model to see the customer journey here."))
    elif analysis is None or annotations.errors:
        errors = annotations.errors
        main.append(E.DIV(
            _cls("note"),
            E.P(f"The workbook {annotations.source.rsplit('/', 1)[-1]} has {len(errors)} error(s) to fix "
                "before the journey can be compared with the process (`bpmncx validate` lists them):"),
            E.UL(*[E.LI(str(p)) for p in errors[:20]]),
        ))
    if analysis is not None:
        main.append(_figures(analysis))
    main += [E.H2("Process diagram"), *_diagram_sections(svg, model, more)]
    if annotations is not None and analysis is not None:
        main.append(E.H2("Customer journey"))
        if compare:
            main.append(E.P(_cls("note"), "The diagram shows every persona side by side: one "
                            "emotion curve each under the journey steps (colour, line style and "
                            "point shape as in its legend) and each persona's face on every "
                            "customer-facing element, left to right in this order: "
                            f"{', '.join(analysis.personas())}."))
        main += _journey_section(analysis, model)
        if blueprint is not None:
            main += _blueprint_section(blueprint)
        if analysis.measured is not None:  # --log: the two clocks, funnel and waits
            from .measures import measures_section

            main += measures_section(analysis.measured)
        main += [E.H2("Findings"), _findings_table(analysis, model)]
        main += [E.H2("Touchpoints"), *_touchpoints_section(analysis, model)]
    if model.warnings:
        main += [E.H2("Reading the model"), E.UL(*[E.LI(w) for w in model.warnings])]
    body.append(E.MAIN(*main))
    body.append(E.FOOTER(f"Made by bpmncx {version()} from {model.path.rsplit('/', 1)[-1]} "
                         f"(sha256 {model.sha256[:12]}). Self-contained page: nothing is loaded from the network."))
    script = E.SCRIPT(asset("report.js"))
    return E.HTML(
        page_head(title),
        E.BODY(*body, script),
        lang="en",
    )


def serialize(tree) -> bytes:
    return lxml_html.tostring(tree, doctype="<!DOCTYPE html>", encoding="utf-8", method="html") + b"\n"


def report_html(model: Model, svg=None, annotations: Optional[Annotations] = None, analysis=None,
                workbook_name: str = "", more: Sequence[DiagramPart] = (), blueprint=None,
                compare: bool = False) -> bytes:
    """The self-contained HTML report for one model, as UTF-8 bytes.

    ``svg``: the (annotated) main diagram as SVG text or bytes, or None; ``more``:
    the model's other diagrams (drill-downs), shown after it; ``annotations``
    and ``analysis``: the workbook read back and its gap analysis, or None when
    the model has no workbook (the page then shows the diagram only); ``blueprint``:
    the service blueprint as SVG (:mod:`bpmncx.render.blueprint`), shown after the journey;
    ``compare``: the diagram compares every persona (``annotate --persona compare``).
    """
    parts: List[bytes] = []
    token = _PARTS.set(parts)
    try:
        tree = report_tree(model, svg, annotations, analysis, workbook_name, more, blueprint,
                           compare)
    finally:
        _PARTS.reset(token)
    page = serialize(tree)
    del tree
    if not parts:
        return page
    pieces, at = [], 0
    for index, part in enumerate(parts):
        mark = f'<{_MARK} n="{index}"></{_MARK}>'.encode()
        found = page.index(mark, at)
        pieces += [page[at:found], part]
        at = found + len(mark)
    pieces.append(page[at:])
    return b"".join(pieces)


def blueprint_page(blueprint, title: str, subtitle: str = "") -> bytes:
    """A self-contained page holding one service blueprint (``bpmncx blueprint -o X.html``)."""
    tree = E.HTML(
        page_head(title, scripts=False),
        E.BODY(
            E.HEADER(E.H1(title), E.P(_cls("sub"), subtitle)),
            E.MAIN(E.DIV(_cls("blueprint-box"), inline_svg(blueprint, "blueprint"))),
            E.FOOTER(f"Made by bpmncx {version()}. Self-contained page: nothing is loaded "
                     "from the network."),
        ),
        lang="en",
    )
    return serialize(tree)
