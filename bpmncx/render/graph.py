"""Build the scene of one diagram, pinned at its BPMNDI coordinates.

The scene is described in Graphviz's vocabulary (nodes with a ``shape`` and
``style``, clusters, edges along a spline) because that is what the drawing
conventions in styles.py name; :mod:`bpmncx.render.svg` writes it as SVG
directly, in-process, at exactly these positions: 1 DI unit = 1 point, the y
axis flipped (as Graphviz's y grows upwards). Pools, lanes and expanded
sub-processes are clusters drawn underneath everything; flows come next,
then shapes in diagram order, then texts and pictures (icons, markers,
brackets) on top. :meth:`Builder.dot` still writes the same scene as DOT for
``neato -n2`` (used to compare the two renderers).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from ..model import (
    EVENT_KINDS,
    Colours,
    SUBPROCESS_KINDS,
    TASK_KINDS,
    Artifact,
    Bounds,
    Connection,
    Edge,
    FlowNode,
    Model,
    Participant,
    Plane,
    Shape,
)
from .. import palette
from . import icons, styles
from .text import block_width, drawn, text_height, wrap

# Image paths in the DOT text (Builder.dot) start with this; whoever runs neato on it
# replaces it by the directory holding the pictures. \x01 cannot occur in XML text.
IMAGE_DIR_TOKEN = "\x01IMAGES\x01"
ID_SEPARATOR = "::"  # "Task_1::label": a part drawn for element Task_1


@dataclass
class Overlay:
    """What an annotation layer changes or adds; empty for the plain diagram."""

    fill: Dict[str, str] = field(default_factory=dict)  # element id -> fill
    label: Dict[str, str] = field(default_factory=dict)  # element id -> text colour
    # The overlay's colours carry meaning (emotions): the file's own fills would mislead.
    file_fills: bool = True
    outline: Dict[str, Tuple[str, float]] = field(default_factory=dict)  # id -> (colour, width)
    # element id -> colour of the icons and markers drawn on its overlay fill (readable on it)
    ink: Dict[str, str] = field(default_factory=dict)
    tooltips: Dict[str, str] = field(default_factory=dict)  # element id -> tooltip
    # Drawn after everything, in order: each layer's draw(builder) adds nodes and edges
    # (see render.overlay: TouchpointMarks, JourneyBand, TitleAndLegend).
    layers: List = field(default_factory=list)


@dataclass(frozen=True)
class Drawing:
    """What a scene draws, in DI units, in drawing order (see :class:`Builder`)."""

    clusters: List[Tuple[Bounds, Dict[str, object]]]
    edges: List[Tuple[List[Tuple[float, float]], Optional[Tuple[float, float]],
                      Optional[Tuple[float, float]], Dict[str, object]]]
    nodes: List[Tuple[Bounds, Dict[str, object]]]  # the top nodes last


@dataclass
class Scene:
    """One diagram ready to be written as SVG: its parts plus the pictures they use."""

    name: str
    source: str
    drawing: Drawing
    images: Dict[str, bytes]  # picture key -> standalone SVG document
    # SVG id -> (picture key, x, y, width, height) in the SVG's drawing coordinates
    pictures: Dict[str, Tuple[str, float, float, float, float]]
    origin: Tuple[float, float]  # the DI point drawn at the SVG's (0, 0)
    width: float
    height: float
    tooltips: Dict[str, str]  # SVG id -> text
    warnings: List[str]
    cluster_order: List[str] = field(default_factory=list)  # SVG ids, bottom first
    layout_generated: bool = False
    # SVG id -> extra attributes of its group (e.g. data-diff), set by overlay layers
    attributes: Dict[str, Dict[str, str]] = field(default_factory=dict)


_DOT_PIECE = 8000  # Graphviz refuses a quoted string longer than 16384 characters


def _q(value: str) -> str:
    """A DOT double-quoted string (escString: backslashes must be doubled).

    A long one (an edge with thousands of waypoints, a huge tooltip) is written
    as pieces joined with DOT's ``+``, each under Graphviz's limit.
    """
    return _quoted(value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n"))


def _quoted(body: str) -> str:
    """``body`` (already escaped) in double quotes, in pieces if long (see _q)."""
    if len(body) <= _DOT_PIECE:
        return '"' + body + '"'
    pieces, start = [], 0
    while start < len(body):
        end = min(start + _DOT_PIECE, len(body))
        while end < len(body) and body[start:end].endswith("\\") and \
                (len(body[start:end]) - len(body[start:end].rstrip("\\"))) % 2:
            end -= 1  # never split an escape sequence
        pieces.append('"' + body[start:end] + '"')
        start = end
    return " + ".join(pieces)


def _label(lines: Sequence[str], justify: str = "\\n") -> str:
    body = justify.join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    if justify == "\\l" and lines:
        body += "\\l"
    return _quoted(body)


def _attrs(items: Dict[str, object]) -> str:
    parts = []
    for key, value in items.items():
        if value is None:
            continue
        if isinstance(value, float):
            text = icons.num(value)
            parts.append(f"{key}={text}")
        elif isinstance(value, int):
            parts.append(f"{key}={value}")
        elif isinstance(value, _Raw):
            parts.append(f"{key}={value.text}")
        else:
            parts.append(f"{key}={_q(str(value))}")
    return " ".join(parts)


_PICTURE = "\x01picture"  # not a Graphviz attribute: written as image=... for PNG/PDF only


class _Raw:
    def __init__(self, text: str):
        self.text = text


class _Label(_Raw):
    """A node's text: its lines, centred or (``left``) flush left."""

    def __init__(self, lines: Sequence[str], left: bool = False):
        super().__init__(_label(lines, "\\l" if left else "\\n"))
        self.lines = list(lines)
        self.left = left


def _inch(points: float) -> str:
    return f"{max(points, 0.01) / 72.0:.4f}"


class Builder:
    """Collects the parts of one scene in DI units; :meth:`dot` writes them for Graphviz.

    Coordinates are converted only at the end, when the extent of everything
    drawn (labels and overlay included) is known.
    """

    def __init__(self, model: Model, plane: Plane, overlay: Optional[Overlay]):
        self.model = model
        self.plane = plane
        self.overlay = overlay or Overlay()
        self.clusters: List[Tuple[Bounds, Dict[str, object]]] = []
        self.edges: List[Tuple[List[Tuple[float, float]], Optional[Tuple[float, float]],
                               Optional[Tuple[float, float]], Dict[str, object]]] = []
        self.nodes: List[Tuple[Bounds, Dict[str, object]]] = []
        self.top_nodes: List[Tuple[Bounds, Dict[str, object]]] = []
        self.images: Dict[str, bytes] = {}
        # SVG id -> (picture key, x, y, width, height) in the SVG's drawing coordinates
        self.pictures: Dict[str, Tuple[str, float, float, float, float]] = {}
        self.svg_dot = ""
        self.tooltips: Dict[str, str] = {}
        self.attributes: Dict[str, Dict[str, str]] = {}  # SVG id -> data-* attributes
        self.warnings: List[str] = []
        self.used_ids: Dict[str, int] = {}
        self.xs: List[float] = []
        self.ys: List[float] = []
        # set by layout_extent()
        self.ox = self.oy = 0.0
        self.width = self.height = 0.0

    def _grow(self, box: Bounds) -> None:
        self.xs += [box.x, box.right]
        self.ys += [box.y, box.bottom]

    # -- ids ----------------------------------------------------------------

    def unique(self, svg_id: str) -> str:
        count = self.used_ids.get(svg_id, 0)
        self.used_ids[svg_id] = count + 1
        return svg_id if count == 0 else f"{svg_id}{ID_SEPARATOR}{count + 1}"

    # -- primitives -----------------------------------------------------------

    def node(self, svg_id: str, box: Bounds, attrs: Dict[str, object], top: bool = False) -> str:
        svg_id = self.unique(svg_id)
        base: Dict[str, object] = {"id": svg_id}
        base.update(attrs)
        (self.top_nodes if top else self.nodes).append((box, base))
        self._grow(box)
        return svg_id

    def cluster(self, svg_id: str, box: Bounds, attrs: Dict[str, object]) -> str:
        svg_id = self.unique(svg_id)
        base: Dict[str, object] = {"id": svg_id, "label": ""}
        base.update(attrs)
        self.clusters.append((box, base))
        self._grow(box)
        return svg_id

    def picture(self, svg_id: str, box: Bounds, children, top: bool = False) -> Optional[str]:
        """Lay a small SVG picture (lxml elements in box-local points) over ``box``."""
        children = list(children)
        if not children:
            return None
        data = icons.document(box.width, box.height, children)
        key = hashlib.sha1(data).hexdigest()[:16]
        self.images[key] = data
        return self.node(svg_id, box, {
            "shape": "none", "label": "", "fixedsize": "true", "imagescale": "true",
            _PICTURE: key,
        }, top=top)

    def text(self, svg_id: str, lines: List[str], cx: float, top_y: float, size: float,
             colour: str, left: Optional[float] = None, bold: bool = False,
             top: bool = True) -> Optional[str]:
        """A block of text whose top is ``top_y``, centred on ``cx`` (or starting at ``left``)."""
        if not lines:
            return None
        w = block_width(lines, size, bold) + 2
        h = text_height(len(lines), size)
        if left is not None:
            cx = left + w / 2
        box = Bounds(cx - w / 2, top_y, w, h)
        return self.node(svg_id, box, {
            "shape": "none", "fixedsize": "true", "margin": _Raw("0"),
            "label": _Label(lines, left=left is not None),
            "fontsize": float(size), "fontcolor": colour,
            "fontname": styles.FONT + (" Bold" if bold else ""),
        }, top=top)

    def edge(self, svg_id: str, points: Sequence[Tuple[float, float]], style: styles.EdgeStyle,
             stroke: str, penwidth: Optional[float] = None) -> Optional[str]:
        """An edge along the polyline ``points`` (DI units), arrows at its ends."""
        pts: List[Tuple[float, float]] = []
        for p in points:
            if not pts or (abs(p[0] - pts[-1][0]) > 0.01 or abs(p[1] - pts[-1][1]) > 0.01):
                pts.append(p)
        if len(pts) < 2:
            return None
        head = styles.ARROW_LENGTH_FACTOR.get(style.arrowhead, 1.0) * styles.ARROW_BASE_LENGTH \
            * styles.ARROW_SIZE
        tail = styles.ARROW_LENGTH_FACTOR.get(style.arrowtail, 1.0) * styles.ARROW_BASE_LENGTH \
            * styles.ARROW_SIZE
        start, end = pts[0], pts[-1]
        if tail:
            pts[0] = _towards(pts[0], pts[1], tail)
        if head:
            pts[-1] = _towards(pts[-1], pts[-2], head)
        spline = [pts[0]]
        for a, b in zip(pts, pts[1:]):
            spline.append((a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3))
            spline.append((a[0] + 2 * (b[0] - a[0]) / 3, a[1] + 2 * (b[1] - a[1]) / 3))
            spline.append(b)
        svg_id = self.unique(svg_id)
        attrs = {
            "id": svg_id, "color": stroke,
            "penwidth": float(penwidth if penwidth is not None else style.penwidth),
            "arrowhead": style.arrowhead, "arrowtail": style.arrowtail,
            "dir": "both" if tail else "forward", "style": style.style,
            "arrowsize": float(styles.ARROW_SIZE),
        }
        self.edges.append((spline, start if tail else None, end if head else None, attrs))
        self.xs += [p[0] for p in points]
        self.ys += [p[1] for p in points]
        return svg_id

    # -- whole scene ----------------------------------------------------------------

    def layout_extent(self) -> None:
        pad = styles.MARGIN
        if not self.xs:
            self.xs, self.ys = [0.0, 100.0], [0.0, 100.0]
        self.ox = min(self.xs) - pad
        self.oy = min(self.ys) - pad
        self.width = max(self.xs) - self.ox + pad
        self.height = max(self.ys) - self.oy + pad

    def gx(self, x: float) -> float:
        return x - self.ox

    def gy(self, y: float) -> float:
        return self.height - (y - self.oy)

    def pos(self, x: float, y: float) -> str:
        return f"{icons.num(self.gx(x))},{icons.num(self.gy(y))}"

    def finish(self) -> Drawing:
        """Fix the extent and the pictures' places; the parts to draw."""
        self.layout_extent()
        for box, attrs in self.nodes + self.top_nodes:
            key = attrs.get(_PICTURE)
            if key is not None:
                self.pictures[str(attrs["id"])] = (
                    key, self.gx(box.x), -self.gy(box.y), box.width, box.height)
        return Drawing(self.clusters, self.edges, self.nodes + self.top_nodes)

    def cluster_order(self) -> List[str]:
        return [str(attrs["id"]) for _, attrs in self.clusters]

    def _cluster_lines(self) -> List[str]:
        """Clusters nested by containment: Graphviz draws a parent before its children,
        but orders sibling clusters as it likes (the SVG post-processor restores ours)."""
        parents: List[Optional[int]] = []
        # The nearest earlier box containing each box. Past _EXACT_CLUSTERS boxes (a file
        # of 8,000 lanes made that 32 million comparisons) only the previous box and its
        # parents are tried: boxes come pool, lanes, sub-lanes, so that finds the parent of
        # every well-ordered file, and a miss only draws a box unnested.
        exact = len(self.clusters) <= _EXACT_CLUSTERS
        for index, (box, _) in enumerate(self.clusters):
            parent = None
            if exact:
                candidates = iter(range(index - 1, -1, -1))
            else:
                candidates = _ancestry(parents, index - 1)
            for other in candidates:
                if _contains(self.clusters[other][0], box):
                    parent = other
                    break
            parents.append(parent)
        children: Dict[Optional[int], List[int]] = {}
        for index, parent in enumerate(parents):
            children.setdefault(parent, []).append(index)
        lines: List[str] = []
        # Depth first with a stack, not recursion: a file can nest thousands of
        # boxes (pools inside pools) and Python's recursion limit is 1000.
        work: List[Optional[int]] = list(reversed(children.get(None, [])))
        while work:
            index = work.pop()
            if index is None:  # the end of a cluster whose children are done
                lines.append("}")
                continue
            box, attrs = self.clusters[index]
            x0, y1 = self.gx(box.x), self.gy(box.y)
            x1, y0 = self.gx(box.right), self.gy(box.bottom)
            bb = f"{icons.num(x0)},{icons.num(y0)},{icons.num(x1)},{icons.num(y1)}"
            lines.append(f"subgraph cluster_{index} {{ graph [{_attrs(dict(attrs, bb=bb))}];")
            work.append(None)
            work.extend(reversed(children.get(index, [])))
        return lines

    def dot(self) -> str:
        self.layout_extent()
        lines = [
            "digraph bpmn {",
            f"graph [{_attrs({'pad': _Raw('0'), 'margin': _Raw('0'), 'outputorder': 'edgesfirst', 'bgcolor': styles.BACKGROUND, 'splines': 'true', 'fontname': styles.FONT})}];",
            f"node [{_attrs({'fontname': styles.FONT, 'fontsize': styles.FONT_SIZE, 'margin': _Raw('0'), 'fixedsize': 'true', 'label': '', 'color': styles.STROKE, 'fontcolor': styles.TEXT})}];",
            f"edge [{_attrs({'fontname': styles.FONT, 'fontsize': styles.LABEL_SIZE})}];",
            'c0 [shape=point style=invis width=0 height=0 pos="0,0!"];',
            f'c1 [shape=point style=invis width=0 height=0 '
            f'pos="{icons.num(self.width)},{icons.num(self.height)}!"];',
        ]
        lines.extend(self._cluster_lines())
        for spline, start, end, attrs in self.edges:
            parts = []
            if start is not None:
                parts.append("s," + self.pos(*start))
            if end is not None:
                parts.append("e," + self.pos(*end))
            parts.extend(self.pos(x, y) for x, y in spline)
            lines.append(f"c0 -> c1 [{_attrs(dict(attrs, pos=' '.join(parts)))}];")
        svg_lines = list(lines)
        for index, (box, attrs) in enumerate(self.nodes + self.top_nodes):
            placed = dict(attrs)
            key = placed.pop(_PICTURE, None)
            placed["pos"] = self.pos(box.cx, box.cy) + "!"
            placed["width"] = _Raw(_inch(box.width))
            placed["height"] = _Raw(_inch(box.height))
            line = f"n{index} [{_attrs(placed)}"
            if key is None:
                lines.append(line + "];")
                svg_lines.append(line + "];")
            else:
                # neato's PNG/PDF draw the picture file; its SVG leaves the node empty.
                lines.append(line + f' image="{IMAGE_DIR_TOKEN}/{key}.svg"];')
                svg_lines.append(line + "];")
                self.pictures[str(placed["id"])] = (
                    key, self.gx(box.x), -self.gy(box.y), box.width, box.height)
        lines.append("}")
        svg_lines.append("}")
        self.svg_dot = "\n".join(svg_lines) + "\n"
        return "\n".join(lines) + "\n"


_EXACT_CLUSTERS = 1000


def _ancestry(parents: List[Optional[int]], index: int):
    """``index`` and its parents, innermost first (nothing for -1)."""
    current: Optional[int] = index if index >= 0 else None
    while current is not None:
        yield current
        current = parents[current]


def _contains(outer: Bounds, inner: Bounds, slack: float = 2.0) -> bool:
    return (inner.x >= outer.x - slack and inner.y >= outer.y - slack
            and inner.right <= outer.right + slack and inner.bottom <= outer.bottom + slack)


def _towards(a: Tuple[float, float], b: Tuple[float, float], distance: float) -> Tuple[float, float]:
    """``a`` moved towards ``b`` by ``distance`` (at most 90% of the way)."""
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    if length == 0:
        return a
    step = min(distance, length * 0.9)
    return (a[0] + (b[0] - a[0]) * step / length, a[1] + (b[1] - a[1]) * step / length)


def is_expanded(model: Model, shape: Shape, shapes: Sequence[Shape]) -> bool:
    """Whether a sub-process or call activity is drawn as a frame (its content visible
    inside): when its shape says so or when the plane draws flow nodes inside it, for
    whatever ``isExpanded`` says, a box drawn over them would hide them but not their labels."""
    node = model.node.get(shape.element_id)
    if node is None or not (node.kind in SUBPROCESS_KINDS or node.kind == "callActivity"):
        return False
    return bool(shape.is_expanded) or _draws_inside(model, shape, node, shapes)


def _draws_inside(model: Model, shape: Shape, node: FlowNode, shapes: Sequence[Shape]) -> bool:
    box = shape.bounds
    if box.width < 1 or box.height < 1:
        return False
    for other in shapes:
        inner = model.node.get(other.element_id)
        if inner is None or other is shape or inner.attached_to == node.id:
            continue
        # its own children, or (call activity) nodes of the called process drawn in it
        if (inner.parent_id == node.id or node.kind == "callActivity") \
                and _contains(box, other.bounds, slack=0.0):
            return True
    return False


def is_container(model: Model, shape: Shape, shapes: Sequence[Shape]) -> bool:
    """Whether a shape is drawn as a frame around others: a pool (or a process drawn as
    one), a lane, a group, an expanded sub-process or call activity."""
    element_id = shape.element_id
    if element_id in model.participant or element_id in model.process \
            or element_id in model.lane:
        return True
    if any(a.id == element_id and a.kind == "group" for a in model.artifacts):
        return True
    return is_expanded(model, shape, shapes)


# -- the plane ---------------------------------------------------------------------


def build_scene(model: Model, plane: Plane, overlay: Optional[Overlay] = None) -> Scene:
    """The Graphviz scene for one plane of ``model`` (with an optional overlay)."""
    builder = Builder(model, plane, overlay)
    _Painter(builder).paint()
    for layer in builder.overlay.layers:
        layer.draw(builder)
    drawing = builder.finish()
    tooltips = dict(builder.tooltips)
    for element_id, text in builder.overlay.tooltips.items():
        tooltips[element_id] = text
    return Scene(
        name=model.name,
        source=model.path,
        drawing=drawing,
        images=builder.images,
        pictures=builder.pictures,
        origin=(builder.ox, builder.oy),
        width=builder.width,
        height=builder.height,
        tooltips=tooltips,
        warnings=builder.warnings,
        cluster_order=builder.cluster_order(),
        layout_generated=model.layout_generated,
        attributes=builder.attributes,
    )


class _Painter:
    """Turns the shapes and edges of a plane into Builder calls."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.model = builder.model
        self.artifact = {a.id: a for a in self.model.artifacts}

    def paint(self) -> None:
        shapes = self._known(self.b.plane.shapes)
        # zero-size shapes are drawn as points (see point()), never as frames
        sized = [s for s in shapes if s.bounds.width >= 1 and s.bounds.height >= 1]
        # a shape for a process (Bonita, MID Innovator) is drawn as the pool it stands for
        bands = [s for s in sized if s.element_id in self.model.participant
                 or s.element_id in self.model.process]
        lanes = [s for s in sized if s.element_id in self.model.lane]
        expanded = [s for s in sized if self._is_expanded(s, shapes)]
        expanded.sort(key=lambda s: -(s.bounds.width * s.bounds.height))
        for shape in bands:
            self.pool(shape, shapes)
        for shape in lanes:
            self.lane(shape)
        for shape in expanded:
            self.expanded(shape, self.model.node[shape.element_id])
        for edge in self._known(self.b.plane.edges):
            self.connection(edge)
        skip = {id(s) for s in bands + lanes + expanded}
        ordinary = [s for s in shapes if id(s) not in skip]
        boundary = [s for s in ordinary if self._kind(s) == "boundaryEvent"]
        late = [s for s in ordinary if self._kind(s) in ("group", "textAnnotation")]
        first = [s for s in ordinary if s not in boundary and s not in late]
        for shape in first + boundary + late:
            self.shape(shape)

    # -- helpers --------------------------------------------------------------

    def _kind(self, shape: Shape) -> str:
        node = self.model.node.get(shape.element_id)
        if node is not None:
            return node.kind
        artifact = self.artifact.get(shape.element_id)
        return artifact.kind if artifact is not None else ""

    def _known(self, items):
        """The shapes or edges that draw an element of the file; the others (a stray
        DI element) are left out with a warning, not drawn as boxes and lines."""
        missing = self.model.missing_elements
        if not missing:
            return list(items)
        kept = []
        for item in items:
            if item.element_id in missing:
                what = "shape" if isinstance(item, Shape) else "edge"
                target = f"'{item.element_id}', which does not exist" if item.element_id \
                    else "no element"
                self.b.warnings.append(f"{self.model.path}: diagram {what} "
                                       f"'{item.id or item.element_id}' draws {target}; not drawn")
            else:
                kept.append(item)
        return kept

    def _is_expanded(self, shape: Shape, shapes: Sequence[Shape]) -> bool:
        return is_expanded(self.model, shape, shapes)

    def colours(self, shape_or_edge, style: styles.ShapeStyle, element_id: str,
                container: bool = False):
        """(fill, stroke, label colour); a container's overlay fill is a light wash
        (``#RRGGBBAA``) so its children stay visible."""
        c = shape_or_edge.colours
        if not self.b.overlay.file_fills:
            c = Colours()
        fill = self.b.overlay.fill.get(element_id)
        if fill is not None and container:
            return palette.wash(fill), styles.hex_colour(c.stroke) or style.stroke, \
                styles.hex_colour(c.label) or styles.TEXT
        fill = fill or styles.hex_colour(c.fill) or style.fill
        stroke = styles.hex_colour(c.stroke) or style.stroke
        label = styles.hex_colour(c.label) or (styles.hex_colour(c.stroke) or styles.TEXT)
        return fill, stroke, label

    def outline(self, element_id: str, stroke: str, penwidth: float) -> Tuple[str, float]:
        found = self.b.overlay.outline.get(element_id)
        if found:
            return found[0], max(found[1], penwidth)
        return stroke, penwidth

    def ink(self, element_id: str, stroke: str) -> str:
        """The colour of icons and markers drawn on an element's fill."""
        return self.b.overlay.ink.get(element_id, stroke)

    def tooltip(self, element_id: str, kind: str, name: str) -> None:
        text = (f"{drawn(name)} ({kind}, {drawn(element_id)})" if name
                else f"{kind} {drawn(element_id)}")
        self.b.tooltips.setdefault(element_id, text)

    def external_label(self, element_id: str, shape: Shape, name: str, colour: str,
                       size: float = styles.LABEL_SIZE) -> None:
        if not name.strip():
            return
        box = shape.label
        if box is not None and box.width > 1:
            lines = wrap(name, max(box.width, 20) + 2, size)
            self.b.text(f"{element_id}{ID_SEPARATOR}label", lines, box.cx, box.y, size, colour)
        else:
            lines = wrap(name, styles.EXTERNAL_LABEL_WIDTH, size)
            self.b.text(f"{element_id}{ID_SEPARATOR}label", lines, shape.bounds.cx,
                        shape.bounds.bottom + 5, size, colour)

    # -- bands --------------------------------------------------------------------

    def pool(self, shape: Shape, shapes: Sequence[Shape]) -> None:
        participant = self.model.participant.get(shape.element_id)
        if participant is None:  # a shape for a process: the pool it would be in
            process = self.model.process[shape.element_id]
            participant = Participant(process.id, process.name, process.id)
        style = styles.shape_style("participant")
        fill, stroke, label = self.colours(shape, style, participant.id, container=True)
        stroke, penwidth = self.outline(participant.id, stroke, style.penwidth)
        self.b.cluster(participant.id, shape.bounds, {
            "style": style.style, "fillcolor": fill, "color": stroke, "penwidth": penwidth})
        self.tooltip(participant.id, "pool", participant.name)
        b = shape.bounds
        expanded = not participant.is_black_box if shape.is_expanded is None else shape.is_expanded
        if not expanded and self._pool_content(participant, shape, shapes):
            expanded = True  # "collapsed" but its lanes and flow nodes are drawn in it
        vertical = shape.is_horizontal is not False
        if participant.multiple:
            size = styles.MARKER_SIZE
            box = Bounds(b.cx - size / 2, b.bottom - size - 4, size, size)
            self.b.picture(f"{participant.id}{ID_SEPARATOR}marker", box,
                           icons.marker("parallel", stroke, fill or styles.FILL))
        if not expanded:
            lines = wrap(participant.name, max(b.width - 2 * styles.TEXT_PADDING, 20),
                         styles.FONT_SIZE)
            self.b.text(f"{participant.id}{ID_SEPARATOR}label", lines, b.cx,
                        b.cy - text_height(len(lines), styles.FONT_SIZE) / 2, styles.FONT_SIZE,
                        label)
            return
        header = Bounds(b.x, b.y, styles.POOL_HEADER, b.height) if vertical else \
            Bounds(b.x, b.y, b.width, styles.POOL_HEADER)
        self.b.picture(f"{participant.id}{ID_SEPARATOR}label", header,
                       icons.band_label(participant.name, header.width, header.height, stroke,
                                        label, vertical, separator=True))

    def _pool_content(self, pool: Participant, shape: Shape, shapes: Sequence[Shape]) -> bool:
        """Whether this plane draws lanes or flow nodes of the pool's process inside it."""
        if pool.process_id is None:
            return False
        for other in shapes:
            owner = self.model.node.get(other.element_id) or self.model.lane.get(other.element_id)
            if owner is not None and owner.process_id == pool.process_id \
                    and _contains(shape.bounds, other.bounds):
                return True
        return False

    def lane(self, shape: Shape) -> None:
        lane = self.model.lane[shape.element_id]
        style = styles.shape_style("lane")
        fill, stroke, label = self.colours(shape, style, lane.id, container=True)
        attrs = {"color": stroke, "penwidth": style.penwidth}
        if fill:
            attrs.update(style="filled", fillcolor=fill)
        self.b.cluster(lane.id, shape.bounds, attrs)
        self.tooltip(lane.id, "lane", lane.name)
        b = shape.bounds
        vertical = shape.is_horizontal is not False
        header = Bounds(b.x, b.y, styles.POOL_HEADER, b.height) if vertical else \
            Bounds(b.x, b.y, b.width, styles.POOL_HEADER)
        self.b.picture(f"{lane.id}{ID_SEPARATOR}label", header,
                       icons.band_label(lane.name, header.width, header.height, stroke, label,
                                        vertical, separator=False))

    # -- activities -------------------------------------------------------------------

    def _activity_style_key(self, node: FlowNode, expanded: bool) -> str:
        key = "eventSubProcess" if node.triggered_by_event else node.kind
        return key + (":expanded" if expanded else "")

    def expanded(self, shape: Shape, node: FlowNode) -> None:
        style = styles.shape_style(self._activity_style_key(node, True))
        fill, stroke, label = self.colours(shape, style, node.id, container=True)
        stroke, penwidth = self.outline(node.id, stroke, style.penwidth)
        self.b.cluster(node.id, shape.bounds, {
            "style": style.style, "fillcolor": fill, "color": stroke, "penwidth": penwidth})
        self.tooltip(node.id, node.kind, node.name)
        b = shape.bounds
        lines = wrap(node.name, max(b.width - 2 * styles.TEXT_PADDING, 20), styles.FONT_SIZE)
        # bpmn-js: the name centred at the top; an expanded call activity cannot show the
        # called process, so it keeps the collapsed "+" marker
        self.b.text(f"{node.id}{ID_SEPARATOR}label", lines, b.cx, b.y + styles.TEXT_PADDING,
                    styles.FONT_SIZE, label)
        washed = node.id in self.b.overlay.fill
        self.activity_decoration(shape, node, stroke, styles.FILL if washed else fill or styles.FILL,
                                 collapsed=node.kind == "callActivity")

    def node_shape(self, shape: Shape, node: FlowNode, style_key: str,
                   name_inside: bool = False) -> Tuple[Bounds, Optional[str], str, str]:
        """Draw a flow node's outline (style, colours, highlight) and its tooltip.

        With ``name_inside`` the name is wrapped inside the shape, in the overlay's
        readable text colour. Returns (bounds, fill, stroke, label colour) for the
        markers and labels drawn on top.
        """
        style = styles.shape_style(style_key)
        fill, stroke, label = self.colours(shape, style, node.id)
        stroke, penwidth = self.outline(node.id, stroke, style.penwidth)
        b = shape.bounds
        attrs = {"shape": style.shape, "style": style.style, "fillcolor": fill, "color": stroke,
                 "penwidth": penwidth}
        if name_inside:
            label = self.b.overlay.label.get(node.id, label)  # readable on an overlay fill
            lines = wrap(node.name, max(b.width - 2 * styles.TEXT_PADDING, 10), styles.FONT_SIZE)
            attrs.update({"label": _Label(lines), "fontcolor": label,
                          "fontsize": styles.FONT_SIZE})
        self.b.node(node.id, b, attrs)
        self.tooltip(node.id, node.kind, node.name)
        return b, fill, stroke, label

    def activity(self, shape: Shape, node: FlowNode) -> None:
        key = self._activity_style_key(node, False)
        _, fill, stroke, _ = self.node_shape(shape, node, key, name_inside=True)
        collapsed = node.kind in SUBPROCESS_KINDS or node.kind == "callActivity"
        self.activity_decoration(shape, node, self.ink(node.id, stroke), fill or styles.FILL,
                                 collapsed=collapsed)

    def activity_decoration(self, shape: Shape, node: FlowNode, stroke: str, fill: str,
                            collapsed: bool) -> None:
        b = shape.bounds
        parts = []
        if node.kind in TASK_KINDS and node.kind != "task":
            g = icons.el("g", transform="translate(%s,%s)" % (
                icons.num(styles.TASK_ICON_BOX[0]), icons.num(styles.TASK_ICON_BOX[1])))
            for child in icons.task_icon(node.kind, stroke, fill):
                g.append(child)
            if len(g):
                parts.append(g)
        if node.kind == "transaction":
            parts.append(icons.transaction_border(b.width, b.height, stroke))
        names = []
        if node.loop:
            names.append({"standard": "loop"}.get(node.loop, node.loop))
        if node.is_for_compensation:
            names.append("compensation")
        if collapsed:
            names.append("collapsed")
        if node.kind == "adHocSubProcess":
            names.append("adhoc")
        if names:
            size, gap = styles.MARKER_SIZE, styles.MARKER_GAP
            total = len(names) * size + (len(names) - 1) * gap
            x = b.width / 2 - total / 2
            y = b.height - size - 4
            for name in names:
                g = icons.el("g", transform=f"translate({icons.num(x)},{icons.num(y)})")
                for child in icons.marker(name, stroke, fill):
                    g.append(child)
                parts.append(g)
                x += size + gap
        self.b.picture(f"{node.id}{ID_SEPARATOR}marker", b, parts)

    # -- events and gateways --------------------------------------------------------------

    def event(self, shape: Shape, node: FlowNode) -> None:
        key = node.kind
        non_interrupting = (node.kind == "boundaryEvent" and not node.cancel_activity) or \
            (node.kind == "startEvent" and not node.is_interrupting)
        if non_interrupting:
            key += ":non-interrupting"
        b, fill, stroke, label = self.node_shape(shape, node, key)
        stroke = self.ink(node.id, stroke)  # the ring and symbol inside, on the fill
        d = min(b.width, b.height)
        parts = []
        if node.kind in ("intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"):
            parts.append(icons.inner_ring(d, stroke, non_interrupting))
        trigger = node.event_type
        if trigger:
            parallel = trigger == "parallelMultiple"
            parts.extend(icons.event_icon("multiple" if parallel else trigger, d, stroke,
                                          fill or styles.FILL, filled=node.is_throwing,
                                          parallel=parallel))
        square = Bounds(b.cx - d / 2, b.cy - d / 2, d, d)
        self.b.picture(f"{node.id}{ID_SEPARATOR}marker", square, parts)
        self.external_label(node.id, shape, node.name, label)

    def gateway(self, shape: Shape, node: FlowNode) -> None:
        b, fill, stroke, label = self.node_shape(shape, node, node.kind)
        stroke = self.ink(node.id, stroke)
        parts = icons.gateway_marker(node.kind, b.width, b.height, stroke, fill or styles.FILL,
                                     shape.is_marker_visible, instantiate=node.instantiate,
                                     parallel_events=node.event_gateway_type == "Parallel")
        self.b.picture(f"{node.id}{ID_SEPARATOR}marker", b, parts)
        self.external_label(node.id, shape, node.name, label)

    # -- artifacts -------------------------------------------------------------------------

    def artifact_shape(self, shape: Shape, artifact: Artifact) -> None:
        kind = artifact.kind
        style = styles.shape_style(kind)
        fill, stroke, label = self.colours(shape, style, artifact.id, container=kind == "group")
        stroke, penwidth = self.outline(artifact.id, stroke, style.penwidth)
        b = shape.bounds
        self.tooltip(artifact.id, kind, artifact.name)
        if kind == "textAnnotation":
            self.b.picture(artifact.id, b, [icons.annotation_bracket(b.width, b.height, stroke)],
                           top=True)
            lines = wrap(artifact.name, max(b.width - 2 * styles.TEXT_PADDING, 10),
                         styles.FONT_SIZE)
            self.b.text(f"{artifact.id}{ID_SEPARATOR}label", lines, 0, b.y + styles.TEXT_PADDING,
                        styles.FONT_SIZE, label, left=b.x + styles.TEXT_PADDING)
            return
        if kind == "group":
            if artifact.id in self.b.overlay.fill:  # customer-facing: a wash under its content
                self.b.cluster(f"{artifact.id}{ID_SEPARATOR}wash", b, {
                    "style": "filled,rounded", "fillcolor": fill, "color": fill,
                    "penwidth": 0.0})
            self.b.picture(artifact.id, b, [icons.group_frame(b.width, b.height, stroke)],
                           top=True)
            name = self.model.lookup_name(artifact.ref_id) if artifact.ref_id else ""
            if artifact.name:
                name = artifact.name
            if name and name != artifact.ref_id:
                if shape.label is not None and shape.label.width > 1:
                    self.external_label(artifact.id, shape, name, label)
                else:
                    lines = wrap(name, b.width, styles.LABEL_SIZE)
                    self.b.text(f"{artifact.id}{ID_SEPARATOR}label", lines, b.cx, b.y + 4,
                                styles.LABEL_SIZE, label)
            return
        self.b.node(artifact.id, b, {"shape": style.shape, "style": style.style,
                                     "fillcolor": fill, "color": stroke, "penwidth": penwidth})
        parts = []
        if kind in ("dataInput", "dataOutput"):
            parts += icons.data_marker("input" if kind == "dataInput" else "output",
                                       b.width, b.height, stroke, fill or styles.FILL)
        target = self.artifact.get(artifact.ref_id) if artifact.ref_id else None
        if artifact.is_collection or (target is not None and target.is_collection):
            # bpmn-js: a reference is a collection when it or its data object says so
            parts += icons.data_marker("collection", b.width, b.height, stroke,
                                       fill or styles.FILL)
        self.b.picture(f"{artifact.id}{ID_SEPARATOR}marker", b, parts)
        self.external_label(artifact.id, shape, artifact.name, label)

    def shape(self, shape: Shape) -> None:
        if shape.bounds.width < 1 or shape.bounds.height < 1:
            self.point(shape)
            return
        node = self.model.node.get(shape.element_id)
        if node is not None:
            if node.is_activity:
                self.activity(shape, node)
            elif node.kind in EVENT_KINDS:
                self.event(shape, node)
            else:
                self.gateway(shape, node)
            return
        artifact = self.artifact.get(shape.element_id)
        if artifact is not None:
            self.artifact_shape(shape, artifact)
            return
        # A shape for something the model does not know: show where it is.
        style = styles.FALLBACK_SHAPE
        self.b.node(shape.element_id or shape.id, shape.bounds, {
            "shape": style.shape, "style": style.style, "fillcolor": styles.FILL,
            "color": style.stroke, "penwidth": style.penwidth})

    def point(self, shape: Shape) -> None:
        """A shape without area (Bizagi round trips write some): a dot where it is, its
        name beside it, and a warning; Graphviz's cairo cannot draw a picture that small."""
        b = shape.bounds
        name = self.model.lookup_name(shape.element_id)
        if name == shape.element_id:
            name = self.artifact[shape.element_id].name if shape.element_id in self.artifact \
                else ""
        dot = Bounds(b.cx - 2, b.cy - 2, 4, 4)
        self.b.node(shape.element_id or shape.id, dot, {
            "shape": "circle", "style": "filled", "fillcolor": styles.STROKE,
            "color": styles.STROKE, "penwidth": 1.0})
        self.tooltip(shape.element_id, self._kind(shape) or "element", name)
        self.external_label(shape.element_id, Shape(shape.id, shape.element_id, dot, label=shape.label),
                            name, styles.TEXT)
        self.b.warnings.append(f"{self.model.path}: {shape.element_id or shape.id}: its diagram shape is "
                               f"{icons.num(b.width)} x {icons.num(b.height)}; drawn as a point")

    # -- connections -------------------------------------------------------------------------

    def connection(self, edge: Edge) -> None:
        conn: Optional[Connection] = self.model.connection.get(edge.element_id)
        kind = conn.kind if conn else ""
        key = kind
        source = self.model.node.get(conn.source_id) if conn and conn.source_id else None
        if kind == "sequenceFlow" and conn.condition and source is not None \
                and source.is_activity and not conn.is_default:
            key = "sequenceFlow:conditional"
        elif kind == "association" and conn.direction in ("One", "Both"):
            key = f"association:{conn.direction}"
        style = styles.edge_style(key)
        stroke = styles.hex_colour(edge.colours.stroke) or style.stroke
        label_colour = styles.hex_colour(edge.colours.label) or stroke
        stroke, penwidth = self.outline(edge.element_id, stroke, style.penwidth)
        points = [(p.x, p.y) for p in edge.waypoints]
        svg_id = self.b.edge(edge.element_id or edge.id, points, style, stroke, penwidth)
        if svg_id is None:
            self.b.warnings.append(
                f"{edge.element_id or edge.id}: fewer than two distinct waypoints; not drawn")
            return
        if conn is not None:
            self.tooltip(conn.id, kind, conn.name)
        if conn is not None and conn.is_default and source is not None and \
                (source.is_gateway or source.is_activity):
            a, b = points[0], points[1]
            length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
            at = min(10.0, length / 2)
            cx = a[0] + (b[0] - a[0]) * at / length
            cy = a[1] + (b[1] - a[1]) * at / length
            box = 14.0
            self.b.picture(f"{edge.element_id}{ID_SEPARATOR}marker",
                           Bounds(cx - box / 2, cy - box / 2, box, box),
                           [icons.default_slash(a[0], a[1], b[0], b[1], stroke, box)])
        if conn is not None and conn.kind == "messageFlow" and conn.message_ref:
            # bpmn-js: an envelope halfway along, white when the message initiates
            mid = _midpoint(points)
            initiating = (edge.message_visible_kind or "").strip() == "initiating"
            w, h = 21.0, 14.0
            self.b.picture(f"{edge.element_id}{ID_SEPARATOR}message",
                           Bounds(mid[0] - w / 2 - 1, mid[1] - h / 2 - 1, w + 2, h + 2),
                           icons.envelope(w, h, stroke, styles.FILL, initiating), top=True)
        name = conn.name if conn else ""
        if name.strip():
            if edge.label is not None and edge.label.width > 1:
                lines = wrap(name, max(edge.label.width, 20) + 2, styles.LABEL_SIZE)
                self.b.text(f"{edge.element_id}{ID_SEPARATOR}label", lines, edge.label.cx,
                            edge.label.y, styles.LABEL_SIZE, label_colour)
            else:
                x, top = flow_label_position(points)
                lines = wrap(name, styles.EXTERNAL_LABEL_WIDTH, styles.LABEL_SIZE)
                self.b.text(f"{edge.element_id}{ID_SEPARATOR}label", lines, x, top,
                            styles.LABEL_SIZE, label_colour)


FLOW_LABEL_INDENT = 15.0  # bpmn-js: how far a flow's label sits from its middle segment


def flow_label_position(points: Sequence[Tuple[float, float]]) -> Tuple[float, float]:
    """Where bpmn-js puts a flow's name when the file gives no label bounds: centred
    over the middle of the middle segment (of the middle waypoint pair), 15 above it
    (right of it when the segment is vertical), the text's top 10 above that point.
    Returns (centre x, top y)."""
    middle = len(points) / 2 - 1
    first, second = points[math.floor(middle)], points[math.ceil(middle + 0.01)]
    x, y = (first[0] + second[0]) / 2, (first[1] + second[1]) / 2
    if abs(second[0] - first[0]) < 1e-9 and second[1] != first[1]:
        x += FLOW_LABEL_INDENT
    else:
        y -= FLOW_LABEL_INDENT
    return x, y - 10


def _midpoint(points: Sequence[Tuple[float, float]]) -> Tuple[float, float]:
    total = sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(points, points[1:]))
    walked = 0.0
    for a, b in zip(points, points[1:]):
        step = math.hypot(b[0] - a[0], b[1] - a[1])
        if walked + step >= total / 2 and step > 0:
            t = (total / 2 - walked) / step
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        walked += step
    return points[0]
