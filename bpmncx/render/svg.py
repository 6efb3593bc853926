"""Write a scene as an SVG document, in-process.

The scene (graph.Builder) names its parts in Graphviz's vocabulary: nodes with
a ``shape`` and ``style``, clusters, edges along a Bezier spline with arrow
heads. This module draws them the way ``neato -n2 -Tsvg`` did, element for
element (the same groups, ids, classes and geometry: rounded corners, note
folds, cylinders, arrow heads, text baselines), so the SVG looks the same and
every reader of the old SVG still finds what it looks for. Every group drawn
for a BPMN element carries ``data-element-id`` (and ``data-part``), its
``<title>`` tooltip and the overlay's data attributes; icon pictures are
inlined as nested ``<svg>``. The document is written as text in one pass: no
process, no second parse.
"""

from __future__ import annotations

import math
import re
from typing import Dict, List, Optional, Sequence, Tuple

from ..files import xml_safe
from . import styles
from .graph import ID_SEPARATOR, _PICTURE, Scene, _contains
from .icons import num

_ARROW_LENGTH = 10.0  # Graphviz's arrow length at arrowsize 1
_EPSILON = 0.0001
_ROUNDED = 12.0  # Graphviz's corner radius of rounded boxes (at most a third of a side)
_NODE_DEFAULTS = {"fontname": styles.FONT, "fontsize": styles.FONT_SIZE, "color": styles.STROKE,
                  "fontcolor": styles.TEXT}
_DASHES = {"dashed": "5,2", "dotted": "1,5"}
# arrow name -> (Graphviz arrow type, open, inverted)
_ARROWS = {"normal": ("normal", False, False), "onormal": ("normal", True, False),
           "vee": ("crow", False, True), "odiamond": ("diamond", True, False),
           "diamond": ("diamond", False, False), "odot": ("dot", True, False),
           "dot": ("dot", False, False)}
_LENGTH_FACTOR = {"normal": 1.0, "crow": 1.0, "diamond": 1.2, "dot": 0.8}


def _text(value: str) -> str:
    # xml_safe: a name made through the API may hold what XML cannot carry
    return xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace("\r", "&#13;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _colour(value: object) -> Tuple[str, Optional[str]]:
    """(SVG colour, opacity or None) for a scene colour (#RRGGBB or #RRGGBBAA)."""
    text = str(value)
    if len(text) == 9 and text.startswith("#"):
        alpha = int(text[7:9], 16)
        if alpha == 0:
            return "transparent", None
        opacity = None if alpha == 255 else f"{alpha / 255:f}"
        return text[:7].lower(), opacity
    if text.startswith("#"):
        return text.lower(), None
    return text, None


def _paint(fill: Optional[object], stroke: object, penwidth: float, dash: Optional[str]) -> str:
    """The fill, stroke, width and dash attributes of one drawn outline."""
    out = []
    if fill is None:
        out.append('fill="none"')
    else:
        colour, opacity = _colour(fill)
        out.append(f'fill="{_attr(colour)}"')
        if opacity:
            out.append(f'fill-opacity="{opacity}"')
    colour, opacity = _colour(stroke)
    out.append(f'stroke="{_attr(colour)}"')
    if penwidth != 1.0:
        out.append(f'stroke-width="{num(penwidth)}"')
    if dash:
        out.append(f'stroke-dasharray="{dash}"')
    if opacity:
        out.append(f'stroke-opacity="{opacity}"')
    return " ".join(out)


def _points(points: Sequence[Tuple[float, float]]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in points)


def _rounded(corners: Sequence[Tuple[float, float]], radius: float) -> str:
    """A path along the polygon ``corners`` with each corner rounded (as Graphviz
    draws style=rounded: straight sides as Bezier segments, a quarter curve per corner)."""
    count = len(corners)
    sides = []
    for i in range(count):
        (x0, y0), (x1, y1) = corners[i], corners[(i + 1) % count]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        dx, dy = (x1 - x0) / length, (y1 - y0) / length
        sides.append(((x0 + dx * radius, y0 + dy * radius),
                      (x1 - dx * radius, y1 - dy * radius), (dx, dy)))
    pts: List[Tuple[float, float]] = []
    for i in range(count):
        start, end, (dx, dy) = sides[i]
        pts += [start, end, end]
        corner = corners[(i + 1) % count]
        nxt_start, _, (nx, ny) = sides[(i + 1) % count]
        half = radius / 2
        pts += [(end[0] + dx * half, end[1] + dy * half),
                (corner[0] + nx * half, corner[1] + ny * half), nxt_start]
    first = sides[0][0]
    return f"M{num(first[0])},{num(first[1])}C" + _points(pts)


def _style(attrs: Dict[str, object]) -> set:
    return {part.strip() for part in str(attrs.get("style") or "").split(",") if part.strip()}


def _dash(style: set) -> Optional[str]:
    for name in ("dashed", "dotted"):
        if name in style:
            return _DASHES[name]
    return None


class _Writer:
    def __init__(self, scene: Scene):
        self.scene = scene
        self.out: List[str] = []
        self.height = scene.height
        self.ox, self.oy = scene.origin
        self.inner: Dict[str, Tuple[str, str]] = {}

    # DI -> SVG drawing coordinates (the y axis runs up from the bottom, as Graphviz's)
    def x(self, x: float) -> float:
        return x - self.ox

    def up(self, y: float) -> float:
        return self.height - (y - self.oy)

    # -- groups --------------------------------------------------------------------

    def open_group(self, svg_id: str, cls: str) -> None:
        element_id, _, part = svg_id.partition(ID_SEPARATOR)
        head = f'<g id="{_attr(svg_id)}" class="{cls}" data-element-id="{_attr(element_id)}"'
        if part:
            head += f' data-part="{_attr(part)}"'
        for name, value in sorted(self.scene.attributes.get(svg_id, {}).items()):
            head += f' {name}="{_attr(value)}"'
        self.out.append(head + ">\n")
        tooltip = self.scene.tooltips.get(element_id)
        if tooltip:
            self.out.append(f"<title>{_text(tooltip)}</title>\n")

    # -- clusters --------------------------------------------------------------------

    def clusters(self) -> None:
        clusters = self.scene.drawing.clusters
        effective: List[Dict[str, object]] = []
        for index, (box, attrs) in enumerate(clusters):
            # A cluster takes the attributes it does not set from the cluster around it
            # (Graphviz's subgraphs inherit them): a lane without a fill shows its pool's.
            parent: Dict[str, object] = {}
            for other in range(index - 1, -1, -1):
                if _contains(clusters[other][0], box):
                    parent = effective[other]
                    break
            merged = dict(parent)
            merged.update(attrs)
            effective.append(merged)
            self.cluster(box, merged)

    def cluster(self, box, attrs: Dict[str, object]) -> None:
        self.open_group(str(attrs["id"]), "cluster")
        style = _style(attrs)
        colour = attrs.get("color", "black")
        fill = (attrs.get("fillcolor") or colour) if "filled" in style else styles.BACKGROUND
        penwidth = float(attrs.get("penwidth", 1.0))
        left, right = self.x(box.x), self.x(box.right)
        bottom, top = -self.up(box.bottom), -self.up(box.y)
        paint = _paint(fill, colour, penwidth, _dash(style))
        if "rounded" in style:
            radius = min(_ROUNDED, (right - left) / 3, (bottom - top) / 3)
            d = _rounded([(left, bottom), (right, bottom), (right, top), (left, top)], radius)
            self.out.append(f'<path {paint} d="{d}"/>\n')
        else:
            pts = [(left, bottom), (left, top), (right, top), (right, bottom), (left, bottom)]
            self.out.append(f'<polygon {paint} points="{_points(pts)}"/>\n')
        self.out.append("</g>\n")

    # -- edges ------------------------------------------------------------------------

    def edge(self, spline, start, end, attrs: Dict[str, object]) -> None:
        self.open_group(str(attrs["id"]), "edge")
        colour = attrs.get("color", "black")
        penwidth = float(attrs.get("penwidth", 1.0))
        style = _style(attrs)
        pts = [(self.x(x), -self.up(y)) for x, y in spline]
        d = f"M{num(pts[0][0])},{num(pts[0][1])}C" + _points(pts[1:])
        self.out.append(f'<path {_paint(None, colour, penwidth, _dash(style))} d="{d}"/>\n')
        if start is not None:
            self.arrow(str(attrs.get("arrowtail", "normal")), start, spline[0], colour, penwidth)
        if end is not None:
            self.arrow(str(attrs.get("arrowhead", "normal")), end, spline[-1], colour, penwidth)
        self.out.append("</g>\n")

    def arrow(self, name: str, tip, toward, colour, penwidth: float) -> None:
        """An arrow head with its tip at ``tip``, pointing away from ``toward`` (DI points)."""
        found = _ARROWS.get(name)
        if found is None:
            return
        kind, hollow, inverted = found
        px, py = self.x(tip[0]), self.up(tip[1])
        ux, uy = self.x(toward[0]) - px, self.up(toward[1]) - py
        s = _ARROW_LENGTH / (math.hypot(ux, uy) + _EPSILON)
        ux += _EPSILON if ux >= 0 else -_EPSILON
        uy += _EPSILON if uy >= 0 else -_EPSILON
        factor = _LENGTH_FACTOR[kind]
        ux, uy = ux * s * factor, uy * s * factor
        fill = None if hollow else colour
        paint = _paint(fill, colour, penwidth, None)
        if kind == "dot":
            r = math.hypot(ux, uy) / 2
            self.out.append(f'<ellipse {paint} cx="{num(px + ux / 2)}" cy="{num(-(py + uy / 2))}" '
                            f'rx="{num(r)}" ry="{num(r)}"/>\n')
            return
        qx, qy = px + ux, py + uy
        if kind == "normal":
            width = 0.35 * (penwidth / 4 if penwidth > 4 else 1.0)
            vx, vy = -uy * width, ux * width
            poly = [(qx - vx, qy - vy), (px, py), (qx + vx, qy + vy)]
        elif kind == "diamond":
            vx, vy = -uy / 3, ux / 3
            rx, ry = px + ux / 2, py + uy / 2
            poly = [(qx, qy), (rx + vx, ry + vy), (px, py), (rx - vx, ry - vy)]
        else:  # vee: Graphviz's inverted crow
            width = 0.45 * (penwidth / 4 if penwidth > 4 else 1.0)
            shaft = 0.05 * (penwidth - 1) if penwidth > 1 else 0.0
            vx, vy = -uy * width, ux * width
            wx, wy = -uy * shaft, ux * shaft
            mx, my = px + ux / 2, py + uy / 2
            paint = _paint(colour, colour, penwidth, None)
            poly = [(px, py), (qx - vx, qy - vy), (mx - wx, my - wy), (qx - wx, qy - wy),
                    (qx, qy), (qx + wx, qy + wy), (mx + wx, my + wy), (qx + vx, qy + vy),
                    (px, py)]
        poly.append(poly[0])
        self.out.append(f'<polygon {paint} points="{_points([(a, -b) for a, b in poly])}"/>\n')

    # -- nodes ------------------------------------------------------------------------

    def node(self, box, attrs: Dict[str, object]) -> None:
        svg_id = str(attrs["id"])
        self.open_group(svg_id, "node")
        shape = str(attrs.get("shape", "ellipse"))
        style = _style(attrs)
        colour = attrs.get("color", _NODE_DEFAULTS["color"])
        fill = (attrs.get("fillcolor") or colour) if "filled" in style else None
        penwidth = float(attrs.get("penwidth", 1.0))
        paint = _paint(fill, colour, penwidth, _dash(style))
        cx, cy = self.x(box.cx), -self.up(box.cy)
        w, h = box.width, box.height
        left, right, top, bottom = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
        out = self.out
        if shape == "box":
            if "rounded" in style:
                radius = min(_ROUNDED, w / 3, h / 3)
                d = _rounded([(right, top), (left, top), (left, bottom), (right, bottom)], radius)
                out.append(f'<path {paint} d="{d}"/>\n')
            else:
                pts = [(right, top), (left, top), (left, bottom), (right, bottom), (right, top)]
                out.append(f'<polygon {paint} points="{_points(pts)}"/>\n')
        elif shape in ("ellipse", "circle"):
            out.append(f'<ellipse {paint} cx="{num(cx)}" cy="{num(cy)}" rx="{num(w / 2)}" '
                       f'ry="{num(h / 2)}"/>\n')
        elif shape == "diamond":
            pts = [(cx, top), (left, cy), (cx, bottom), (right, cy), (cx, top)]
            out.append(f'<polygon {paint} points="{_points(pts)}"/>\n')
        elif shape == "note":
            fold = min(_ROUNDED, w / 3, h / 3) / 2
            pts = [(right - fold, top), (left, top), (left, bottom), (right, bottom),
                   (right, top + fold), (right - fold, top)]
            line = _paint(None, colour, penwidth, _dash(style))
            out.append(f'<polygon {paint} points="{_points(pts)}"/>\n')
            out.append(f'<polyline {line} points="{_points(pts[-1:] + [(right - fold, top + fold)])} "/>\n')
            out.append(f'<polyline {line} points="{_points([(right, top + fold), (right - fold, top + fold)])} "/>\n')
        elif shape == "cylinder":
            out.append(self.cylinder(paint, _paint(None, colour, penwidth, _dash(style)),
                                     cx, left, right, top, bottom, w, h))
        label = attrs.get("label")
        lines = getattr(label, "lines", None)
        if lines:
            self.label(lines, getattr(label, "left", False), attrs, cx, cy, left)
        key = attrs.get(_PICTURE)
        if key is not None:
            self.picture(str(key), svg_id)
        out.append("</g>\n")

    @staticmethod
    def cylinder(paint, line, cx, left, right, top, bottom, w, h) -> str:
        cap = h / 11  # Graphviz's cylinder: the rim's depth is a 11th of its height
        kx, ky = w / 2 * 0.5517, cap * 0.5523
        rim, floor = top + cap, bottom - cap
        d = _points([(right, rim)])
        body = ("M" + d + "C" + _points([
            (right, rim - ky), (cx + kx, top), (cx, top), (cx - kx, top), (left, rim - ky),
            (left, rim), (left, rim), (left, floor), (left, floor), (left, floor + ky),
            (cx - kx, bottom), (cx, bottom), (cx + kx, bottom), (right, floor + ky),
            (right, floor), (right, floor), (right, rim), (right, rim)]))
        lip = ("M" + d + "C" + _points([
            (right, rim + ky), (cx + kx, rim + cap), (cx, rim + cap), (cx - kx, rim + cap),
            (left, rim + ky), (left, rim)]))
        return f'<path {paint} d="{body}"/>\n<path {line} d="{lip}"/>\n'

    def label(self, lines: Sequence[str], left_aligned: bool, attrs: Dict[str, object],
              cx: float, cy: float, left: float) -> None:
        """Text lines as Graphviz sets a node label: lines 1.1 x the font size apart
        (rounded), the block centred on the node, baselines 0.8 x the size below each
        line's top."""
        size = float(attrs.get("fontsize", _NODE_DEFAULTS["fontsize"]))
        font = str(attrs.get("fontname", _NODE_DEFAULTS["fontname"]))
        colour, _ = _colour(attrs.get("fontcolor", _NODE_DEFAULTS["fontcolor"]))
        step = int(size * 1.1 + 0.5)
        y = cy - len(lines) * step / 2 + 0.8 * size
        bold = ""
        if font.startswith(styles.FONT):
            if font.endswith("Bold"):
                bold = ' font-weight="bold"'
            font = styles.SVG_FONT_FAMILY
        anchor, x = ("start", left) if left_aligned else ("middle", cx)
        head = f'<text text-anchor="{anchor}" x="{num(x)}" y="'
        tail = f'" font-family="{_attr(font)}" font-size="{size:.2f}" fill="{_attr(colour)}"{bold}>'
        for line in lines:
            if line:
                self.out.append(f"{head}{num(y)}{tail}{_text(_spaces(line))}</text>\n")
            y += step

    def picture(self, key: str, svg_id: str) -> None:
        placed = self.scene.pictures.get(svg_id)
        if placed is None:
            return
        _, x, y, width, height = placed
        found = self.inner.get(key)
        if found is None:
            found = _picture_parts(self.scene.images.get(key, b""))
            self.inner[key] = found
        view_box, inner = found
        self.out.append(f'<svg x="{num(x)}" y="{num(y)}" width="{num(width)}" '
                        f'height="{num(height)}" viewBox="{view_box}" overflow="visible">'
                        f"{inner}</svg>")

    # -- the document ------------------------------------------------------------------

    def document(self, scale: float) -> bytes:
        scene = self.scene
        w, h = float(f"{scene.width:.2f}"), float(f"{scene.height:.2f}")
        if scale != 1.0:
            size = f'width="{num(scene.width * scale)}pt" height="{num(scene.height * scale)}pt"'
        else:
            size = f'width="{int(w + 0.5)}pt" height="{int(h + 0.5)}pt"'
        out = self.out
        out.append("<?xml version='1.0' encoding='UTF-8'?>\n"
                   '<svg xmlns="http://www.w3.org/2000/svg" '
                   'xmlns:xlink="http://www.w3.org/1999/xlink" '
                   f'{size} viewBox="0.00 0.00 {w:.2f} {h:.2f}" '
                   f'data-origin="{num(self.ox)} {num(self.oy)}" '
                   f'data-model="{_attr(scene.name)}">\n'
                   f'<g id="diagram" class="graph" transform="scale(1 1) rotate(0) '
                   f'translate(0 {h:g})">\n'
                   f"<title>{_text(scene.name)}</title>\n"
                   f'<polygon fill="{_colour(styles.BACKGROUND)[0]}" stroke="transparent" '
                   f'points="0,0 0,-{num(h)} {num(w)},-{num(h)} {num(w)},0 0,0"/>\n')
        self.clusters()
        for spline, start, end, attrs in scene.drawing.edges:
            self.edge(spline, start, end, attrs)
        for box, attrs in scene.drawing.nodes:
            self.node(box, attrs)
        out.append("</g>\n</svg>")
        return "".join(out).encode("utf-8")


_SPACES = re.compile(r"(?<= ) ")


def _spaces(line: str) -> str:
    """Keep runs of spaces visible (SVG collapses them): every space after a space
    is a no-break space, as Graphviz writes them."""
    return _SPACES.sub("\u00a0", line) if "  " in line else line


_VIEW_BOX = re.compile(rb'viewBox="([^"]*)"')


def _picture_parts(data: bytes) -> Tuple[str, str]:
    """(viewBox, the elements inside) of a picture document written by icons.document."""
    start = data.find(b"<svg")
    open_end = data.find(b">", start)
    close = data.rfind(b"</svg>")
    if start < 0 or open_end < 0 or close < open_end:
        return "", ""
    found = _VIEW_BOX.search(data, start, open_end)
    return (found.group(1).decode() if found else "",
            data[open_end + 1:close].decode("utf-8"))


# The start of every document _Writer.document writes, up to the end of the root's start
# tag (its attributes escape '>', so [^>] cannot stop early).
_OWN_START = re.compile(
    rb"<\?xml version='1\.0' encoding='UTF-8'\?>\n<svg xmlns=\"http://www\.w3\.org/2000/svg\" "
    rb"xmlns:xlink=\"http://www\.w3\.org/1999/xlink\" width=\"[^\"]*\" height=\"[^\"]*\" "
    rb"(viewBox=\"0\.00 0\.00 ([0-9.]+) ([0-9.]+)\"[^>]*)>")


class OwnSvg(bytes):
    """SVG bytes :func:`svg_document` wrote (so names in it are escaped and it holds no
    script or event handler), as opposed to SVG handed in from elsewhere that only
    looks alike."""


def own_document_parts(data: bytes) -> Optional[Tuple[bytes, float, float, int]]:
    """For a document :func:`svg_document` wrote: (the root's attributes from its viewBox
    on, width, height, where the content after the root's start tag begins); None for
    any other SVG, even one starting the same way. An HTML page can then take the
    drawing as it is, without parsing it (tens of MB for a model of 10,000 tasks) only
    to write it out again."""
    if not isinstance(data, OwnSvg):
        return None
    found = _OWN_START.match(data)
    if found is None or not data.endswith(b"</svg>"):
        return None
    try:
        return found.group(1), float(found.group(2)), float(found.group(3)), found.end()
    except ValueError:
        return None


def svg_document(scene: Scene, scale: float = 1.0) -> bytes:
    """The SVG document of ``scene``; ``scale`` only sets its width and height attributes."""
    return OwnSvg(_Writer(scene).document(scale))
