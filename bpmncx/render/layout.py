"""A layout for models without BPMNDI: Graphviz ``dot`` for positions, then BPMN bands.

``dot`` (left to right, one cluster per lane) decides the order of the
elements along the flow and their relative height. The result is then
re-stacked the way modellers draw: pools and lanes as full-width horizontal
bands in model order, boundary events on their host's lower edge, flows routed
orthogonally. The plane this returns is drawn by the same pinned renderer as
any file with a layout.
"""

from __future__ import annotations

import shutil
from typing import Dict, List, Optional, Tuple

from ..errors import RenderError
from ..limits import limit
from ..model import Bounds, Connection, Edge, Model, Plane, Point, Shape
from . import styles
from .process import run_bounded

# Default sizes, as Camunda Modeler creates them.
SIZES = {
    "activity": (100.0, 80.0),
    "event": (36.0, 36.0),
    "gateway": (50.0, 50.0),
    "dataObjectReference": (36.0, 50.0),
    "dataObject": (36.0, 50.0),
    "dataInput": (36.0, 50.0),
    "dataOutput": (36.0, 50.0),
    "dataStoreReference": (50.0, 50.0),
    "textAnnotation": (100.0, 40.0),
}
BAND_PAD = 30.0  # above and below the content of a lane
LEFT_PAD = 40.0  # between a band's header and its first element
BLACK_BOX_HEIGHT = 60.0
POOL_GAP = 40.0
GENERATED_PLANE_ID = "bpmncx-generated-plane"
_DRAWN_ARTIFACTS = ("dataObjectReference", "dataObject", "dataInput", "dataOutput",
                    "dataStoreReference", "textAnnotation")


def _size(model: Model, element_id: str) -> Tuple[float, float]:
    node = model.node.get(element_id)
    if node is not None:
        return SIZES[node.category]
    for artifact in model.artifacts:
        if artifact.id == element_id:
            return SIZES.get(artifact.kind, (36.0, 50.0))
    return SIZES["activity"]


def _dot_positions(model: Model, members: Dict[str, List[str]],
                   edges: List[Tuple[str, str, bool]]) -> Dict[str, Tuple[float, float]]:
    """Centre of each element as ``dot`` places it (points, y up), by element id."""
    found = shutil.which("dot")
    if not found:
        raise RenderError("Graphviz is not installed (no 'dot' on PATH); "
                          "install the Debian package graphviz")
    names: Dict[str, str] = {}
    lines: List[str] = []
    # One graph per group of bands that flows connect: dot's time and memory grow much
    # faster than the number of clusters in one graph (1,000 one-task pools: 9 s and
    # 235 MB together, milliseconds apart), and unconnected groups are stacked as
    # bands afterwards anyway. One dot process reads them all.
    groups = [group for group in _connected_bands(members, edges)
              if any(members[band] for band in group)]
    group_of = {element_id: number for number, group in enumerate(groups)
                for band in group for element_id in members[band]}
    edges_of: Dict[int, List[Tuple[str, str, bool]]] = {}
    for edge in edges:
        if edge[0] in group_of and edge[1] in group_of:
            edges_of.setdefault(group_of[edge[0]], []).append(edge)
    for number, group in enumerate(groups):
        lines += [f"digraph layout{number} {{",
                  "graph [rankdir=LR nodesep=0.5 ranksep=0.6 newrank=true splines=false];",
                  "node [shape=box fixedsize=true label=\"\"];"]
        for index, band in enumerate(group):
            lines.append(f"subgraph cluster_{index} {{")
            for element_id in members[band]:
                name = f"n{len(names)}"
                names[element_id] = name
                w, h = _size(model, element_id)
                lines.append(f"{name} [width={w / 72:.4f} height={h / 72:.4f}];")
            lines.append("}")
        for source, target, constraint in edges_of.get(number, []):
            extra = "" if constraint else " [constraint=false]"
            lines.append(f"{names[source]} -> {names[target]}{extra};")
        lines.append("}")
    done = run_bounded([found, "-Tplain"], "\n".join(lines).encode(), model.path)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"{model.path}: Graphviz dot could not lay out the model: "
                          f"{detail[-1] if detail else done.returncode}")
    by_name = {name: element_id for element_id, name in names.items()}
    positions: Dict[str, Tuple[float, float]] = {}
    for line in done.stdout.decode().splitlines():
        parts = line.split()
        if parts and parts[0] == "node" and parts[1] in by_name:
            positions[by_name[parts[1]]] = (float(parts[2]) * 72, float(parts[3]) * 72)
    # each graph has its own origin: start every group's leftmost edge at 0, so all
    # pools begin the same distance after their header
    left: Dict[int, float] = {}
    for element_id, (x, _) in positions.items():
        edge = x - _size(model, element_id)[0] / 2
        number = group_of[element_id]
        left[number] = min(left.get(number, edge), edge)
    return {element_id: (x - left[group_of[element_id]], y)
            for element_id, (x, y) in positions.items()}


def _connected_bands(members: Dict[str, List[str]],
                     edges: List[Tuple[str, str, bool]]) -> List[List[str]]:
    """The bands in groups that some edge joins, each group in band order, groups in
    the order of their first band."""
    band_of = {element_id: band for band, ids in members.items() for element_id in ids}
    root = {band: band for band in members}

    def find(band: str) -> str:
        while root[band] != band:
            root[band] = root[root[band]]
            band = root[band]
        return band

    for source, target, _ in edges:
        if source in band_of and target in band_of:
            first, second = find(band_of[source]), find(band_of[target])
            if first != second:
                root[second] = first
    groups: Dict[str, List[str]] = {}
    for band in members:
        groups.setdefault(find(band), []).append(band)
    return list(groups.values())


def _bands(model: Model) -> List[Tuple[Optional[str], Optional[str], str]]:
    """(participant id, lane id, band key) from top to bottom, in model order."""
    bands: List[Tuple[Optional[str], Optional[str], str]] = []
    containers: List[Tuple[Optional[str], Optional[str]]] = []  # (participant, process)
    seen_processes = set()
    for participant in model.participants:
        containers.append((participant.id, participant.process_id))
        if participant.process_id:
            seen_processes.add(participant.process_id)
    for process in model.processes:
        if process.id not in seen_processes:
            containers.append((None, process.id))
    # once, not per lane: a file of 8,000 lanes made this 64 million comparisons
    parent_ids = {other.parent_id for other in model.lanes}
    for participant_id, process_id in containers:
        leaves = [lane for lane in model.lanes if lane.process_id == process_id
                  and lane.id not in parent_ids]
        if process_id is None or not leaves:
            bands.append((participant_id, None, f"{participant_id or process_id}"))
        else:
            for lane in leaves:
                bands.append((participant_id, lane.id, lane.id))
            bands.append((participant_id, None, f"{participant_id or process_id}:rest"))
    return bands


def generate_plane(model: Model) -> Plane:
    """A diagram for a model whose file has none."""
    drawn_nodes = [n for n in model.nodes if n.parent_id is None and n.kind != "boundaryEvent"]
    most = limit("BPMNCX_MAX_LAYOUT_ELEMENTS")
    if len(drawn_nodes) > most:  # dot's time grows much faster than the graph
        raise RenderError(f"{model.path}: the file has no diagram layout and {len(drawn_nodes):,} "
                          f"elements to lay out, more than {most:,} (BPMNCX_MAX_LAYOUT_ELEMENTS); "
                          "export the model with its diagram")
    band_of: Dict[str, str] = {}
    bands = _bands(model)
    band_keys = {key for _, _, key in bands}
    container_of_process = {p.process_id: p.id for p in model.participants if p.process_id}
    for node in drawn_nodes:
        lane_path = model.lane_path(node)
        leaf = lane_path[-1].id if lane_path else None
        container = container_of_process.get(node.process_id) or node.process_id
        key = leaf if leaf in band_keys else (
            f"{container}:rest" if f"{container}:rest" in band_keys else str(container))
        band_of[node.id] = key
    artifacts = [a for a in model.artifacts if a.kind in _DRAWN_ARTIFACTS and a.parent_id is None]
    links: Dict[str, str] = {}
    for conn in model.connections:
        if conn.kind in ("association", "dataInputAssociation", "dataOutputAssociation"):
            if conn.source_id and conn.target_id:
                links.setdefault(conn.source_id, conn.target_id)
                links.setdefault(conn.target_id, conn.source_id)
    for artifact in artifacts:
        partner = links.get(artifact.id)
        if partner in band_of:
            band_of[artifact.id] = band_of[partner]
        elif bands:
            band_of[artifact.id] = next((k for _, _, k in bands if k in band_of.values()),
                                        bands[0][2])
    members: Dict[str, List[str]] = {key: [] for _, _, key in bands}
    for element_id, key in band_of.items():
        members.setdefault(key, []).append(element_id)
    edges = []
    for conn in model.connections:
        if conn.kind == "sequenceFlow":
            edges.append((_host_or_self(model, conn.source_id), conn.target_id, True))
        elif conn.kind in ("association", "dataInputAssociation", "dataOutputAssociation"):
            edges.append((conn.source_id, conn.target_id, True))
    positions = _dot_positions(model, members, edges)

    # -- re-stack: bands top to bottom, full width --------------------------------
    header = styles.POOL_HEADER
    content_left = 2 * header + LEFT_PAD
    boxes: Dict[str, Bounds] = {}
    band_boxes: List[Tuple[Optional[str], Optional[str], Bounds]] = []
    y = 0.0
    right = 0.0
    for element_id, (px, _) in positions.items():
        w, _ = _size(model, element_id)
        right = max(right, content_left + px + w / 2)
    right += LEFT_PAD
    previous_participant: Optional[str] = "\x00"
    for participant_id, lane_id, key in bands:
        ids = [i for i in members.get(key, []) if i in positions]
        if lane_id is None and not ids and key.endswith(":rest"):
            continue
        if participant_id != previous_participant and band_boxes:
            y += POOL_GAP
        previous_participant = participant_id
        if not ids:
            height = BLACK_BOX_HEIGHT if lane_id is None else 2 * BAND_PAD + 80
        else:
            tops = [positions[i][1] + _size(model, i)[1] / 2 for i in ids]
            bottoms = [positions[i][1] - _size(model, i)[1] / 2 for i in ids]
            top = max(tops)
            height = top - min(bottoms) + 2 * BAND_PAD
            for i in ids:
                px, py = positions[i]
                w, h = _size(model, i)
                cx = content_left + px
                cy = y + BAND_PAD + (top - py)
                boxes[i] = Bounds(cx - w / 2, cy - h / 2, w, h)
        band_boxes.append((participant_id, lane_id, Bounds(0, y, right, height)))
        y += height

    plane = Plane(diagram_id="generated", diagram_name="generated layout", id=GENERATED_PLANE_ID,
                  element_id=model.collaboration_ids[0] if model.collaboration_ids else "")
    # pools: the union of their bands; lanes: their band right of the pool header
    pools: Dict[str, Bounds] = {}
    for participant_id, _, box in band_boxes:
        if participant_id is None:
            continue
        found = pools.get(participant_id)
        pools[participant_id] = box if found is None else Bounds(
            0, found.y, right, box.bottom - found.y)
    for participant_id, box in pools.items():
        plane.shapes.append(Shape(id=f"{participant_id}_di", element_id=participant_id,
                                  bounds=box, is_horizontal=True))
    lane_boxes: Dict[str, Bounds] = {}
    for participant_id, lane_id, box in band_boxes:
        if lane_id is None:
            continue
        left = header if participant_id else 0.0
        lane_boxes[lane_id] = Bounds(left, box.y, right - left, box.height)
    # parent lanes span their children
    for lane in reversed(model.lanes):
        if lane.id in lane_boxes:
            continue
        children = [lane_boxes[c.id] for c in model.lanes if c.parent_id == lane.id
                    and c.id in lane_boxes]
        if children:
            top = min(c.y for c in children)
            bottom = max(c.bottom for c in children)
            left = min(c.x for c in children)
            lane_boxes[lane.id] = Bounds(left, top, right - left, bottom - top)
            for c in model.lanes:
                if c.parent_id == lane.id and c.id in lane_boxes:
                    b = lane_boxes[c.id]
                    lane_boxes[c.id] = Bounds(left + header, b.y, right - left - header,
                                              b.height)
    for lane in model.lanes:
        if lane.id in lane_boxes:
            plane.shapes.append(Shape(id=f"{lane.id}_di", element_id=lane.id,
                                      bounds=lane_boxes[lane.id], is_horizontal=True))
    for element_id, box in boxes.items():
        plane.shapes.append(Shape(id=f"{element_id}_di", element_id=element_id, bounds=box,
                                  is_expanded=False, is_marker_visible=True))
    # boundary events on the lower edge of their host
    attached: Dict[str, List[str]] = {}
    for node in model.nodes:
        if node.kind == "boundaryEvent" and node.attached_to in boxes:
            attached.setdefault(node.attached_to, []).append(node.id)
    for host, events in attached.items():
        hb = boxes[host]
        for k, event_id in enumerate(events):
            cx = hb.x + hb.width * (k + 1) / (len(events) + 1)
            box = Bounds(cx - 18, hb.bottom - 18, 36, 36)
            boxes[event_id] = box
            plane.shapes.append(Shape(id=f"{event_id}_di", element_id=event_id, bounds=box))
    for participant_id, box in pools.items():
        boxes.setdefault(participant_id, box)
    for conn in model.connections:
        points = _route(conn, boxes, pools)
        if points:
            plane.edges.append(Edge(id=f"{conn.id}_di", element_id=conn.id,
                                    waypoints=[Point(x, y) for x, y in points]))
    return plane


def _host_or_self(model: Model, element_id: Optional[str]) -> Optional[str]:
    node = model.node.get(element_id) if element_id else None
    if node is not None and node.kind == "boundaryEvent" and node.attached_to:
        return node.attached_to
    return element_id


def _route(conn: Connection, boxes: Dict[str, Bounds],
           pools: Dict[str, Bounds]) -> List[Tuple[float, float]]:
    a = boxes.get(conn.source_id or "")
    b = boxes.get(conn.target_id or "")
    if a is None or b is None:
        return []
    if conn.kind == "sequenceFlow":
        return _orthogonal(a, b)
    if conn.kind == "messageFlow":
        # A pool end meets the flow straight above or below the element at the other end.
        if conn.source_id in pools and conn.target_id not in pools:
            a = Bounds(min(max(b.cx, a.x + 40), a.right - 10), a.y, 0, a.height)
        elif conn.target_id in pools and conn.source_id not in pools:
            b = Bounds(min(max(a.cx, b.x + 40), b.right - 10), b.y, 0, b.height)
        if a.bottom <= b.y:
            start, end = (a.cx, a.bottom), (b.cx, b.y)
        elif b.bottom <= a.y:
            start, end = (a.cx, a.y), (b.cx, b.bottom)
        else:
            return _orthogonal(a, b)
        mid = (start[1] + end[1]) / 2
        if abs(start[0] - end[0]) < 1:
            return [start, end]
        return [start, (start[0], mid), (end[0], mid), end]
    # associations: straight, from border to border
    return [_border(a, b.cx, b.cy), _border(b, a.cx, a.cy)]


def _orthogonal(a: Bounds, b: Bounds) -> List[Tuple[float, float]]:
    if b.x >= a.right - 1:  # forwards
        start, end = (a.right, a.cy), (b.x, b.cy)
        if abs(a.cy - b.cy) < 1:
            return [start, (b.x, a.cy)]
        if a.height <= 50 and a.width <= 50:  # events and gateways leave from top/bottom
            start = (a.cx, a.bottom if b.cy > a.cy else a.y)
            return [start, (a.cx, b.cy), end]
        mid = (a.right + b.x) / 2
        return [start, (mid, a.cy), (mid, b.cy), end]
    # backwards: below both
    below = max(a.bottom, b.bottom) + 25
    return [(a.cx, a.bottom), (a.cx, below), (b.cx, below), (b.cx, b.bottom)]


def _border(box: Bounds, tx: float, ty: float) -> Tuple[float, float]:
    """Where the line from the box's centre towards (tx, ty) leaves the box."""
    dx, dy = tx - box.cx, ty - box.cy
    if dx == 0 and dy == 0:
        return (box.cx, box.cy)
    sx = (box.width / 2) / abs(dx) if dx else float("inf")
    sy = (box.height / 2) / abs(dy) if dy else float("inf")
    s = min(sx, sy)
    return (box.cx + dx * s, box.cy + dy * s)
