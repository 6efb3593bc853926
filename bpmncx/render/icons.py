"""Marker and icon geometry: small SVG pictures drawn over a Graphviz node.

Graphviz has no shapes for an envelope, a gear or a loop arrow, so each of
these is a little SVG document laid over the element as a picture node, which
the SVG writer copies inline (:mod:`bpmncx.render.svg`). Coordinates are local to the element's box,
y down, in points. Every picture is built with lxml.
"""

from __future__ import annotations

import math
from typing import Iterable, List, Optional, Sequence, Tuple

from lxml import etree

from .. import palette
from . import styles
from .text import wrap

SVG_NS = "http://www.w3.org/2000/svg"
_SVG = "{%s}" % SVG_NS


def num(value: float) -> str:
    """A coordinate written the same way every time: at most 2 decimals, no trailing
    zeros, never "-0" (written for every point of every picture: kept cheap)."""
    text = "%.2f" % value
    if text[-1] != "0":
        return text
    if text[-2] != "0":
        return text[:-1]
    text = text[:-3]
    return "0" if text == "-0" else text


def el(tag: str, **attrs) -> etree._Element:
    element = etree.Element(_SVG + tag, nsmap={None: SVG_NS})
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float) or isinstance(value, int):
            value = num(value)
        element.set(key.rstrip("_").replace("_", "-"), value)
    return element


def path_d(points: Sequence[Tuple[float, float]], closed: bool = False) -> str:
    parts = [f"{'M' if i == 0 else 'L'}{num(x)},{num(y)}" for i, (x, y) in enumerate(points)]
    return " ".join(parts) + (" Z" if closed else "")


def document(width: float, height: float, children: Iterable[etree._Element]) -> bytes:
    """A standalone SVG file of ``width`` x ``height`` points holding ``children``."""
    root = el("svg", width=f"{num(width)}pt", height=f"{num(height)}pt",
              viewBox=f"0 0 {num(width)} {num(height)}")
    for child in children:
        root.append(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _stroke(colour: str, width: float = styles.ICON_STROKE_WIDTH, fill: str = "none", **more):
    return dict(stroke=colour, stroke_width=width, fill=fill, stroke_linejoin="round", **more)


# -- events -------------------------------------------------------------------


def inner_ring(d: float, stroke: str, dashed: bool) -> etree._Element:
    r = d / 2 - styles.INNER_RING_GAP
    return el("circle", cx=d / 2, cy=d / 2, r=r,
              **_stroke(stroke, 1.5, stroke_dasharray="4,2.5" if dashed else None))


def event_icon(kind: str, d: float, stroke: str, fill: str, filled: bool,
               parallel: bool = False) -> List[etree._Element]:
    """The event-definition icon for a circle of diameter ``d`` (hollow or filled)."""
    s = d / 36.0
    c = d / 2

    def pt(x, y):  # from the 36x36 design box
        return (c + (x - 18) * s, c + (y - 18) * s)

    ink = stroke if filled else fill
    line = fill if filled else stroke
    out: List[etree._Element] = []
    if kind == "message":
        box = [pt(10, 12.5), pt(26, 12.5), pt(26, 23.5), pt(10, 23.5)]
        out.append(el("path", d=path_d(box, True), **_stroke(stroke, 1.2, ink)))
        out.append(el("path", d=path_d([pt(10, 12.5), pt(18, 18.5), pt(26, 12.5)]),
                      **_stroke(line, 1.2)))
    elif kind == "timer":
        out.append(el("circle", cx=c, cy=c, r=10.5 * s, **_stroke(stroke, 1.5, fill)))
        for hour in range(12):
            a = hour * math.pi / 6
            x1, y1 = c + math.sin(a) * 8.3 * s, c - math.cos(a) * 8.3 * s
            x2, y2 = c + math.sin(a) * 10.3 * s, c - math.cos(a) * 10.3 * s
            out.append(el("path", d=path_d([(x1, y1), (x2, y2)]), **_stroke(stroke, 1)))
        out.append(el("path", d=path_d([pt(18, 11), pt(18, 18), pt(23, 18)]),
                      **_stroke(stroke, 1.3)))
    elif kind == "signal":
        tri = [pt(18, 9.5), pt(26, 24), pt(10, 24)]
        out.append(el("path", d=path_d(tri, True), **_stroke(stroke, 1.3, ink)))
    elif kind == "error":
        bolt = [pt(10, 27), pt(14, 11), pt(20, 20), pt(26, 9), pt(22, 25), pt(16, 17)]
        out.append(el("path", d=path_d(bolt, True), **_stroke(stroke, 1.3, ink)))
    elif kind == "escalation":
        arrow = [pt(18, 9), pt(25, 27), pt(18, 20), pt(11, 27)]
        out.append(el("path", d=path_d(arrow, True), **_stroke(stroke, 1.3, ink)))
    elif kind == "conditional":
        out.append(el("path", d=path_d([pt(11, 10), pt(25, 10), pt(25, 26), pt(11, 26)], True),
                      **_stroke(stroke, 1.3, fill)))
        for y in (13.5, 17, 20.5, 24):
            out.append(el("path", d=path_d([pt(13, y), pt(23, y)]), **_stroke(stroke, 1)))
    elif kind == "link":
        arrow = [pt(9, 15), pt(19, 15), pt(19, 10.5), pt(27, 18), pt(19, 25.5), pt(19, 21),
                 pt(9, 21)]
        out.append(el("path", d=path_d(arrow, True), **_stroke(stroke, 1.3, ink)))
    elif kind == "terminate":
        out.append(el("circle", cx=c, cy=c, r=10.5 * s, **_stroke(stroke, 1, stroke)))
    elif kind == "compensate":
        for x0 in (8.5, 17.5):
            tri = [pt(x0, 18), pt(x0 + 9, 12), pt(x0 + 9, 24)]
            out.append(el("path", d=path_d(tri, True), **_stroke(stroke, 1.3, ink)))
    elif kind == "cancel":
        # bpmn-js: an X drawn as an outline, filled only when thrown (end event)
        arm, half = 9.5, 2.2
        cross = [(-half, -arm), (half, -arm), (half, -half), (arm, -half), (arm, half),
                 (half, half), (half, arm), (-half, arm), (-half, half), (-arm, half),
                 (-arm, -half), (-half, -half)]
        r = math.sqrt(0.5)
        turned = [pt(18 + (x - y) * r, 18 + (x + y) * r) for x, y in cross]
        out.append(el("path", d=path_d(turned, True), **_stroke(stroke, 1, ink)))
    elif kind == "multiple":
        if parallel:
            plus = [pt(16, 9), pt(20, 9), pt(20, 16), pt(27, 16), pt(27, 20), pt(20, 20),
                    pt(20, 27), pt(16, 27), pt(16, 20), pt(9, 20), pt(9, 16), pt(16, 16)]
            out.append(el("path", d=path_d(plus, True), **_stroke(stroke, 1.3, ink)))
        else:
            pent = [pt(18 + 9 * math.sin(k * 2 * math.pi / 5), 19 - 9 * math.cos(k * 2 * math.pi / 5))
                    for k in range(5)]
            out.append(el("path", d=path_d(pent, True), **_stroke(stroke, 1.3, ink)))
    return out


# -- gateways -------------------------------------------------------------------


def gateway_marker(kind: str, w: float, h: float, stroke: str, fill: str,
                   marker_visible: Optional[bool], instantiate: bool = False,
                   parallel_events: bool = False) -> List[etree._Element]:
    cx, cy = w / 2, h / 2
    s = min(w, h) / 50.0
    out: List[etree._Element] = []
    thick = dict(stroke=stroke, stroke_width=3.5 * s, fill="none", stroke_linecap="square")
    if kind == "exclusiveGateway":
        if marker_visible:
            k = 7.5 * s
            out.append(el("path", d=path_d([(cx - k, cy - k), (cx + k, cy + k)]), **thick))
            out.append(el("path", d=path_d([(cx + k, cy - k), (cx - k, cy + k)]), **thick))
    elif kind == "parallelGateway":
        k = 11 * s
        out.append(el("path", d=path_d([(cx, cy - k), (cx, cy + k)]), **thick))
        out.append(el("path", d=path_d([(cx - k, cy), (cx + k, cy)]), **thick))
    elif kind == "inclusiveGateway":
        out.append(el("circle", cx=cx, cy=cy, r=9.5 * s,
                      **_stroke(stroke, 2.5 * s)))
    elif kind == "complexGateway":
        k = 11 * s
        d = k * 0.72
        for a, b in (((cx, cy - k), (cx, cy + k)), ((cx - k, cy), (cx + k, cy)),
                     ((cx - d, cy - d), (cx + d, cy + d)), ((cx + d, cy - d), (cx - d, cy + d))):
            out.append(el("path", d=path_d([a, b]), **dict(thick, stroke_width=3 * s)))
    elif kind == "eventBasedGateway":
        out.append(el("circle", cx=cx, cy=cy, r=11 * s, **_stroke(stroke, 1)))
        if not instantiate:
            out.append(el("circle", cx=cx, cy=cy, r=9 * s, **_stroke(stroke, 1)))
        if parallel_events:
            k = 6 * s
            out.append(el("path", d=path_d([(cx, cy - k), (cx, cy + k)]), **_stroke(stroke, 2)))
            out.append(el("path", d=path_d([(cx - k, cy), (cx + k, cy)]), **_stroke(stroke, 2)))
        else:
            r = 5.5 * s
            pent = [(cx + r * math.sin(k * 2 * math.pi / 5), cy + 0.5 * s - r * math.cos(k * 2 * math.pi / 5))
                    for k in range(5)]
            out.append(el("path", d=path_d(pent, True), **_stroke(stroke, 1.2)))
    return out


# -- activities -------------------------------------------------------------------


def task_icon(kind: str, stroke: str, fill: str) -> List[etree._Element]:
    """The task-type icon, in a 17x17 box whose top-left is (0, 0)."""
    out: List[etree._Element] = []
    if kind == "userTask":
        out.append(el("path", d="M1.5,16.5 C1.5,11 4.5,9.5 8.5,9.5 C12.5,9.5 15.5,11 15.5,16.5 Z",
                      **_stroke(stroke, 1.1, fill)))
        out.append(el("circle", cx=8.5, cy=5.5, r=3.6, **_stroke(stroke, 1.1, fill)))
        out.append(el("path", d="M5.5,12.5 L5.5,16.5 M11.5,12.5 L11.5,16.5", **_stroke(stroke, 0.8)))
    elif kind == "manualTask":
        out.append(el("path", d="M1,7 L1,14.5 L12.5,14.5 C13.5,14.5 13.5,12.8 12.5,12.8 L8.5,12.8 "
                                "L14,12.8 C15,12.8 15,11 14,11 L8.5,11 L15,11 C16,11 16,9.2 15,9.2 "
                                "L8.5,9.2 L13.5,9.2 C14.5,9.2 14.5,7.4 13.5,7.4 L5.5,7.4 L8,5.5 "
                                "C9,4.7 8,3.5 7,4.2 L2.5,6.8 Z", **_stroke(stroke, 0.9, fill)))
    elif kind == "serviceTask":
        for (gx, gy, r) in ((6.5, 6.5, 4.6), (11, 11, 4.6)):
            teeth = []
            for k in range(16):
                a = k * math.pi / 8
                rr = r if k % 2 == 0 else r * 0.7
                teeth.append((gx + rr * math.cos(a), gy + rr * math.sin(a)))
            out.append(el("path", d=path_d(teeth, True), **_stroke(stroke, 1, fill)))
            out.append(el("circle", cx=gx, cy=gy, r=r * 0.32, **_stroke(stroke, 1, fill)))
    elif kind == "scriptTask":
        out.append(el("path", d="M4,1.5 L15,1.5 C12,5 12,8 14.5,11 C17,14 15,16 13,16.5 L2,16.5 "
                                "C4.5,14 4.5,11.5 2.5,9 C0.5,6 1.5,3 4,1.5 Z",
                      **_stroke(stroke, 1, fill)))
        out.append(el("path", d="M5,5 L11.5,5 M5.5,8.5 L12,8.5 M6,12 L12.5,12",
                      **_stroke(stroke, 0.9)))
    elif kind == "businessRuleTask":
        out.append(el("rect", x=0.5, y=2.5, width=16, height=12, **_stroke(stroke, 1, fill)))
        out.append(el("rect", x=0.5, y=2.5, width=16, height=3.5, **_stroke(stroke, 1, stroke)))
        out.append(el("path", d="M0.5,10.25 L16.5,10.25 M5,6 L5,14.5", **_stroke(stroke, 1)))
    elif kind in ("sendTask", "receiveTask"):
        filled = kind == "sendTask"
        out.append(el("rect", x=0.5, y=3.5, width=16, height=11,
                      **_stroke(stroke, 1.1, stroke if filled else fill)))
        out.append(el("path", d="M0.5,3.5 L8.5,9.5 L16.5,3.5",
                      **_stroke(fill if filled else stroke, 1.1)))
    return out


def marker(name: str, stroke: str, fill: str) -> List[etree._Element]:
    """An activity marker in a 14x14 box whose top-left is (0, 0)."""
    out: List[etree._Element] = []
    if name == "loop":
        out.append(el("path", d="M9.8,3.2 A5.2,5.2 0 1 1 4.2,3.2", **_stroke(stroke, 1.3)))
        out.append(el("path", d=path_d([(4.6, 0.4), (4.2, 3.2), (1.4, 3.6)]), **_stroke(stroke, 1.3)))
    elif name == "parallel":
        for x in (2.5, 6.2, 9.9):
            out.append(el("rect", x=x, y=1, width=1.8, height=12, stroke="none", fill=stroke))
    elif name == "sequential":
        for y in (2.5, 6.2, 9.9):
            out.append(el("rect", x=1, y=y, width=12, height=1.8, stroke="none", fill=stroke))
    elif name == "compensation":
        for x0 in (0.5, 7):
            out.append(el("path", d=path_d([(x0, 7), (x0 + 6.5, 2.5), (x0 + 6.5, 11.5)], True),
                          **_stroke(stroke, 1.1, fill)))
    elif name == "collapsed":
        out.append(el("rect", x=0.5, y=0.5, width=13, height=13, **_stroke(stroke, 1.2, fill)))
        out.append(el("path", d="M7,3 L7,11 M3,7 L11,7", **_stroke(stroke, 1.5)))
    elif name == "adhoc":
        out.append(el("path", d="M1,8.5 C3,4 5.5,4.5 7,7 C8.5,9.5 11,10 13,5.5",
                      **_stroke(stroke, 1.5)))
    return out


def data_marker(name: str, w: float, h: float, stroke: str, fill: str) -> List[etree._Element]:
    out: List[etree._Element] = []
    if name in ("input", "output"):
        arrow = [(4, 6), (10, 6), (10, 3), (16, 9), (10, 15), (10, 12), (4, 12)]
        out.append(el("path", d=path_d(arrow, True),
                      **_stroke(stroke, 1, stroke if name == "output" else fill)))
    elif name == "collection":
        x0 = w / 2 - 6
        for x in (x0, x0 + 4.5, x0 + 9):
            out.append(el("rect", x=x, y=h - 13, width=2, height=10, stroke="none", fill=stroke))
    return out


def envelope(w: float, h: float, stroke: str, fill: str, initiating: bool) -> List[etree._Element]:
    """The message on a message flow (bpmn-js): white when it initiates the exchange,
    dark with light lines otherwise; drawn 1 unit in from its box."""
    ink, line = (fill, stroke) if initiating else (stroke, fill)
    box = [(1, 1), (1 + w, 1), (1 + w, 1 + h), (1, 1 + h)]
    return [el("path", d=path_d(box, True), **_stroke(line, 1, ink)),
            el("path", d=path_d([(1, 1), (1 + w / 2, 1 + h * 0.43), (1 + w, 1)]),
               **_stroke(line, 1))]


def transaction_border(w: float, h: float, stroke: str) -> etree._Element:
    g = styles.INNER_RING_GAP
    return el("rect", x=g, y=g, width=w - 2 * g, height=h - 2 * g, rx=7, ry=7,
              **_stroke(stroke, 1.5))


# -- artifacts and bands ---------------------------------------------------------------


def annotation_bracket(w: float, h: float, stroke: str) -> etree._Element:
    arm = min(15.0, w)
    return el("path", d=path_d([(arm, 0.5), (0.5, 0.5), (0.5, h - 0.5), (arm, h - 0.5)]),
              **_stroke(stroke, 1.2))


def group_frame(w: float, h: float, stroke: str) -> etree._Element:
    return el("rect", x=0.75, y=0.75, width=max(w - 1.5, 0), height=max(h - 1.5, 0), rx=10, ry=10,
              **_stroke(stroke, 1.5, stroke_dasharray="10,4,1.5,4"))


def text_lines(lines: Sequence[str], x: float, y: float, size: float, colour: str,
               anchor: str = "middle", bold: bool = False,
               transform: Optional[str] = None) -> etree._Element:
    """Lines of text centred on (x, y) (before ``transform``)."""
    text = el("text", x=x, y=y, font_family=styles.SVG_FONT_FAMILY, font_size=size,
              text_anchor=anchor, fill=colour, transform=transform,
              font_weight="bold" if bold else None)
    step = size * styles.LINE_HEIGHT
    first = y - step * (len(lines) - 1) / 2 + size * 0.35
    for index, line in enumerate(lines):
        span = el("tspan", x=x, y=first + index * step)
        span.text = line
        text.append(span)
    return text


def band_label(name: str, w: float, h: float, stroke: str, colour: str, vertical: bool,
               separator: bool, size: float = styles.FONT_SIZE) -> List[etree._Element]:
    """A pool's or lane's name in its header band of ``w`` x ``h`` points."""
    out: List[etree._Element] = []
    if vertical:
        lines = wrap(name, max(h - 2 * styles.TEXT_PADDING, 20), size)
        cx, cy = w / 2, h / 2
        if lines:
            out.append(text_lines(lines, 0, 0, size, colour,
                                  transform=f"translate({num(cx)},{num(cy)}) rotate(-90)"))
        if separator:
            out.append(el("path", d=path_d([(w - 0.75, 0), (w - 0.75, h)]), **_stroke(stroke, 1.5)))
    else:
        lines = wrap(name, max(w - 2 * styles.TEXT_PADDING, 20), size)
        if lines:
            out.append(text_lines(lines, w / 2, h / 2, size, colour))
        if separator:
            out.append(el("path", d=path_d([(0, h - 0.75), (w, h - 0.75)]), **_stroke(stroke, 1.5)))
    return out


def default_slash(x0: float, y0: float, x1: float, y1: float, stroke: str,
                  box: float) -> etree._Element:
    """The default-flow slash across the first segment, near its start, in a box."""
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    mx, my = box / 2, box / 2
    # across the line, tilted 45 degrees
    ax, ay = (-uy + ux) * 0.7, (ux + uy) * 0.7
    k = 5.0
    return el("path", d=path_d([(mx - ax * k, my - ay * k), (mx + ax * k, my + ay * k)]),
              **_stroke(stroke, 1.5))



# -- overlay pictures ---------------------------------------------------------------------


def face(score: Optional[int], size: float, fill: str,
         ring: str = "#22242A") -> List[etree._Element]:
    """A small face for an emotion score (-2..+2) in a ``size`` box: no emoji font needed.
    ``ring``: its outline, readable on what it is drawn on; eyes and mouth take the
    ink that reads on its own ``fill`` (:func:`bpmncx.palette.ink`)."""
    ink = palette.ink(fill)
    c = size / 2
    out = [el("circle", cx=c, cy=c, r=c - 0.6, fill=fill, stroke=ring, stroke_width=0.9)]
    for ex in (c - size * 0.17, c + size * 0.17):
        out.append(el("circle", cx=ex, cy=c - size * 0.1, r=size * 0.06, fill=ink))
    if score is None:
        out.append(el("path", d=path_d([(c - size * 0.2, c + size * 0.2), (c + size * 0.2, c + size * 0.2)]),
                      **_stroke(ink, 0.9, stroke_dasharray="1.5,1.5")))
        return out
    y = c + size * 0.2
    bend = score * size * 0.1
    out.append(el("path", d=f"M{num(c - size * 0.22)},{num(y - bend / 2)} "
                            f"Q{num(c)},{num(y + bend * 1.2)} {num(c + size * 0.22)},{num(y - bend / 2)}",
                  **_stroke(ink, 1.0, stroke_linecap="round")))
    return out


def star(size: float, outline: str = styles.STAR_STROKE) -> etree._Element:
    c = size / 2
    points = []
    for k in range(10):
        r = c - 0.8 if k % 2 == 0 else (c - 0.8) * 0.45
        a = k * math.pi / 5
        points.append((c + r * math.sin(a), c + 0.6 - r * math.cos(a)))
    return el("path", d=path_d(points, True), fill=styles.STAR_FILL, stroke=outline,
              stroke_width=1, stroke_linejoin="round")


def not_supported(cx: float, cy: float, size: float) -> etree._Element:
    """The "missing from operations" glyph: a white disc with a black ring and a slash
    (no entry), readable on every fill and in greyscale."""
    g = el("g")
    r = size / 2
    g.append(el("circle", cx=cx, cy=cy, r=r - 0.6, fill="#FFFFFF", stroke="#000000",
                stroke_width=1.4))
    d = (r - 0.6) * 0.7071
    g.append(el("path", d=path_d([(cx - d, cy + d), (cx + d, cy - d)]),
                **_stroke("#000000", 1.6, stroke_linecap="round")))
    return g


def hatch(x: float, y: float, w: float, h: float, colour: str,
          spacing: float = 4.0) -> etree._Element:
    """Diagonal stripes filling the box (x, y, w, h): a pattern that survives greyscale."""
    lines = []
    k = -h
    while k < w:
        x0, y0 = x + k, y + h
        x1, y1 = x + k + h, y
        # clip the segment to the box
        if x0 < x:
            y0 -= x - x0
            x0 = x
        if x1 > x + w:
            y1 += x1 - (x + w)
            x1 = x + w
        if x1 > x0:
            lines.append(f"M{num(x0)},{num(y0)} L{num(x1)},{num(y1)}")
        k += spacing
    return el("path", d=" ".join(lines), **_stroke(colour, 0.9))


def handoff_glyph(x: float, y: float, size: float, colour: str) -> etree._Element:
    """Two boxes with an arrow from one to the other: the customer passed on."""
    g = el("g")
    box = size * 0.34
    g.append(el("rect", x=x, y=y + (size - box) / 2, width=box, height=box, fill=colour))
    g.append(el("rect", x=x + size - box, y=y + (size - box) / 2, width=box, height=box,
                fill="none", stroke=colour, stroke_width=1.2))
    mid = y + size / 2
    g.append(el("path", d=path_d([(x + box + 1, mid), (x + size - box - 2, mid)]),
                **_stroke(colour, 1.2)))
    g.append(el("path", d=path_d([(x + size - box - 4, mid - 2.5), (x + size - box - 1.2, mid),
                                  (x + size - box - 4, mid + 2.5)]), **_stroke(colour, 1.2)))
    return g


def order_glyph(x: float, y: float, size: float, colour: str) -> etree._Element:
    """Two arrows crossing: the process runs these steps the other way round."""
    g = el("g")
    a, b = y + size * 0.25, y + size * 0.75
    g.append(el("path", d=path_d([(x + 1, a), (x + size - 1, b)]), **_stroke(colour, 1.3)))
    g.append(el("path", d=path_d([(x + size - 4, b - 0.5), (x + size - 1, b), (x + size - 2.5, b - 3)]),
                **_stroke(colour, 1.3)))
    g.append(el("path", d=path_d([(x + size - 1, a), (x + 1, b)]), **_stroke(colour, 1.3)))
    g.append(el("path", d=path_d([(x + 4, b - 0.5), (x + 1, b), (x + 2.5, b - 3)]),
                **_stroke(colour, 1.3)))
    return g


def persona_point(shape: int, cx: float, cy: float, size: float, colour: str) -> etree._Element:
    """The point marker of the ``shape``-th persona's curve: circle, square, triangle,
    diamond, then the same hollow."""
    r = size / 2
    hollow = (shape // 4) % 2 == 1
    fill = "#FFFFFF" if hollow else colour
    kind = shape % 4
    common = dict(fill=fill, stroke=colour, stroke_width=1.2)
    if kind == 0:
        return el("circle", cx=cx, cy=cy, r=r * 0.85, **common)
    if kind == 1:
        return el("rect", x=cx - r * 0.8, y=cy - r * 0.8, width=r * 1.6, height=r * 1.6, **common)
    if kind == 2:
        return el("path", d=path_d([(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)],
                                   True), **common)
    return el("path", d=path_d([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], True),
              **common)


def pill(width: float, height: float, fill: str, stroke: Optional[str] = None,
         dashed: bool = False, radius: Optional[float] = None,
         stroke_width: float = 1.0) -> etree._Element:
    r = height / 2 if radius is None else radius
    return el("rect", x=stroke_width / 2, y=stroke_width / 2, width=width - stroke_width,
              height=height - stroke_width, rx=r, ry=r, fill=fill, stroke=stroke or "none",
              stroke_width=stroke_width if stroke else None,
              stroke_dasharray="5,3" if dashed else None)
