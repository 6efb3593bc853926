"""A small drawing board: pools, lanes, nodes placed by centre, flows routed
orthogonally between side mid-points, labels sized like bpmn-js sizes them.

Each export style supplies its own shape sizes, label metrics and id scheme;
the models in insurance_claim.py / online_order.py only say where things go.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from layout import Box, Flow, Node, Point, clip_line, route, text_width, wrap


def qname(ns: str, tag: str) -> str:
    """lxml's ``{namespace}tag`` form."""
    return f"{{{ns}}}{tag}"


@dataclass
class Style:
    sizes: Dict[str, Tuple[float, float]]
    label_font: float          # px, external labels
    line_height: float         # px per line of an external label
    label_max_width: float
    gap_below: Dict[str, float]
    new_id: Callable[[str], str]


@dataclass
class Pool:
    key: str
    id: str
    name: str
    box: Box
    process: Optional[str]           # process key, None = black box
    lanes: List[str] = field(default_factory=list)


@dataclass
class Lane:
    key: str
    id: str
    name: str
    box: Box
    pool: str


def _size_key(kind: str, event: Optional[str]) -> str:
    if kind.endswith("Gateway"):
        return "gateway"
    if kind.endswith("Event"):
        return "endEvent" if kind == "endEvent" else "event"
    if kind in ("dataObjectReference", "dataStoreReference", "textAnnotation"):
        return kind
    return "activity"


class Diagram:
    def __init__(self, style: Style):
        self.style = style
        self.pools: Dict[str, Pool] = {}
        self.lanes: Dict[str, Lane] = {}
        self.nodes: Dict[str, Node] = {}
        self.flows: List[Flow] = []
        self.order: List[Tuple[str, str]] = []   # ("node"|"flow", key) creation order

    # -- containers -------------------------------------------------------
    def pool(self, key, name, x, y, w, h, process=None):
        self.pools[key] = Pool(key, self.style.new_id("Participant"), name, Box(x, y, w, h), process)
        return self.pools[key]

    def lane(self, key, name, pool, x, y, w, h):
        self.lanes[key] = Lane(key, self.style.new_id("Lane"), name, Box(x, y, w, h), pool)
        self.pools[pool].lanes.append(key)
        return self.lanes[key]

    # -- labels -----------------------------------------------------------
    def label_box(self, text: str, anchor: Point, where: str = "below", gap: float = 7) -> Box:
        """Label for an external text, placed relative to an anchor point.

        below/above: anchor is the element's bottom/top centre;
        right/left: anchor is the point the label starts from (vertically centred);
        at: anchor is the top-left corner.
        """
        st = self.style
        lines = wrap(text, st.label_font, st.label_max_width)
        w = math.ceil(max(text_width(line, st.label_font) for line in lines)) + 2
        h = math.ceil(st.line_height * len(lines))
        ax, ay = anchor
        if where == "below":
            return Box(round(ax - w / 2), ay + gap, w, h)
        if where == "above":
            return Box(round(ax - w / 2), ay - gap - h, w, h)
        if where == "right":
            return Box(ax, round(ay - h / 2), w, h)
        if where == "left":
            return Box(ax - w, round(ay - h / 2), w, h)
        if where == "at":
            return Box(ax, ay, w, h)
        raise ValueError(where)

    # -- nodes ------------------------------------------------------------
    def node(self, key, kind, name, cx, cy, lane=None, pool=None, event=None,
             label="below", label_at=None, id_prefix=None, **attrs) -> Node:
        w, h = self.style.sizes[_size_key(kind, event)]
        box = Box(cx - w / 2, cy - h / 2, w, h)
        if lane and not pool:
            pool = self.lanes[lane].pool
        prefix = id_prefix or self._prefix(kind)
        n = Node(key, self.style.new_id(prefix), kind, name, box, lane, pool, event, attrs=dict(attrs))
        if name and kind not in _INTERNAL_LABEL:
            n.label = self._place(n, label, label_at)
        self.nodes[key] = n
        self.order.append(("node", key))
        return n

    def boundary(self, key, event, name, host, side="b", offset=0.0, cancel=True,
                 label="below", label_at=None, **attrs) -> Node:
        h = self.nodes[host]
        px, py = h.box.side(side, offset)
        n = self.node(key, "boundaryEvent", name, px, py, lane=h.lane, pool=h.pool, event=event,
                      label=label, label_at=label_at, **attrs)
        n.attached_to = host
        n.cancel = cancel
        return n

    def annotation(self, key, text, x, y, w, h, pool=None) -> Node:
        n = Node(key, self.style.new_id("TextAnnotation"), "textAnnotation", None,
                 Box(x, y, w, h), pool=pool, text=text)
        self.nodes[key] = n
        self.order.append(("node", key))
        return n

    def _place(self, n: Node, where, at) -> Box:
        gap = self.style.gap_below.get(_size_key(n.kind, n.event), 7)
        b = n.box
        if where == "below":
            return self.label_box(n.name, b.side("b"), "below", gap)
        if where == "above":
            return self.label_box(n.name, b.side("t"), "above", gap)
        if where == "right":
            return self.label_box(n.name, (b.x + b.w + 4, b.cy), "right")
        if where == "left":
            return self.label_box(n.name, (b.x - 4, b.cy), "left")
        if where == "at":
            return self.label_box(n.name, at, "at")
        raise ValueError(where)

    @staticmethod
    def _prefix(kind: str) -> str:
        if kind.endswith("Gateway"):
            return "Gateway"
        if kind.endswith("Event"):
            return "Event"
        if kind == "dataObjectReference":
            return "DataObjectReference"
        if kind == "dataStoreReference":
            return "DataStoreReference"
        return "Activity"

    # -- connections ------------------------------------------------------
    def seq(self, src, dst, out="r", into="l", name=None, label_at=None, via=None,
            mid=None, condition=None, default=False, out_offset=0.0, in_offset=0.0) -> Flow:
        s, t = self.nodes[src], self.nodes[dst]
        pts = route(s.box.side(out, out_offset), t.box.side(into, in_offset), out, into, via, mid)
        f = Flow(self.style.new_id("Flow"), "sequenceFlow", src, dst, pts, name,
                 condition=condition, is_default=default)
        if name:
            f.label = self.label_box(name, label_at, "at")
        self.flows.append(f)
        self.order.append(("flow", f.id))
        return f

    def msg(self, src, dst, name=None, x=None, label_at=None) -> Flow:
        """Vertical message flow at x (default: the node's centre) between a node and
        a pool or another node."""
        a, b = self._end(src), self._end(dst)
        if x is None:
            x = next(e.cx for e, is_node in (a, b) if is_node)
        ya, yb = self._edge_y(a[0], b[0]), self._edge_y(b[0], a[0])
        f = Flow(self.style.new_id("Flow"), "messageFlow", src, dst, [(x, ya), (x, yb)], name)
        if name:
            f.label = self.label_box(name, label_at or (x + 6, min(ya, yb) + 10), "at")
        self.flows.append(f)
        return f

    def ref(self, key) -> str:
        """The XML id of a node or pool by its key."""
        return self.nodes[key].id if key in self.nodes else self.pools[key].id

    def _end(self, key):
        if key in self.nodes:
            return self.nodes[key].box, True
        return self.pools[key].box, False

    @staticmethod
    def _edge_y(box: Box, other: Box) -> float:
        return box.y + box.h if other.cy > box.cy else box.y

    def assoc(self, src, dst, kind="association", points=None) -> Flow:
        s, t = self.nodes[src], self.nodes[dst]
        pts = points or clip_line(s.box, t.box)
        prefix = {"association": "Association", "dataIn": "DataInputAssociation",
                  "dataOut": "DataOutputAssociation"}[kind]
        f = Flow(self.style.new_id(prefix), kind, src, dst, pts)
        self.flows.append(f)
        return f


_INTERNAL_LABEL = {
    "task", "userTask", "serviceTask", "sendTask", "receiveTask", "manualTask",
    "businessRuleTask", "scriptTask", "callActivity", "subProcess", "textAnnotation",
}
