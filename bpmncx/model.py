"""The one model of a BPMN process that every later stage reads.

Plain dataclasses, filled once by :mod:`bpmncx.bpmn.read`; nothing downstream
parses XML again. Element kinds are the BPMN local tag names (``userTask``,
``boundaryEvent``, ``exclusiveGateway`` ...) so that they read like the spec.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from typing import Dict, List, Optional, Set

# -- element kinds ----------------------------------------------------------

TASK_KINDS = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "scriptTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
    }
)
SUBPROCESS_KINDS = frozenset({"subProcess", "adHocSubProcess", "transaction"})
ACTIVITY_KINDS = TASK_KINDS | SUBPROCESS_KINDS | {"callActivity"}
EVENT_KINDS = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
    }
)
GATEWAY_KINDS = frozenset(
    {
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
    }
)
FLOW_NODE_KINDS = ACTIVITY_KINDS | EVENT_KINDS | GATEWAY_KINDS
EVENT_DEFINITION_KINDS = (
    "message",
    "timer",
    "signal",
    "error",
    "escalation",
    "conditional",
    "link",
    "terminate",
    "compensate",
    "cancel",
)
DATA_KINDS = frozenset(
    {"dataObject", "dataObjectReference", "dataStoreReference", "dataInput", "dataOutput"}
)
ARTIFACT_KINDS = frozenset({"textAnnotation", "group"}) | DATA_KINDS
CONNECTION_KINDS = frozenset(
    {
        "sequenceFlow",
        "messageFlow",
        "association",
        "dataInputAssociation",
        "dataOutputAssociation",
    }
)


# -- diagram interchange ----------------------------------------------------

# bpmncx/bpmn/read.py builds Colours, Shape, Edge, FlowNode and Connection with
# positional arguments (much cheaper than keywords): keep the field order, or
# update the reader with it.


# Bounds and Point behave like frozen dataclasses (attributes, keyword or
# positional construction, equal only to their own kind, hashable, immutable)
# but are tuples underneath: the reader builds tens of thousands of them and a
# frozen dataclass costs several times more to construct. Reading code may
# build them with ``tuple.__new__(Bounds, (x, y, width, height))``.

_new_tuple = tuple.__new__


class _Frozen(tuple):
    __slots__ = ()
    _fields: tuple = ()

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return tuple.__eq__(self, other)
        # Not equal to a plain tuple (whose own == would say yes to the same numbers).
        return False if isinstance(other, tuple) else NotImplemented

    def __ne__(self, other):
        if other.__class__ is self.__class__:
            return tuple.__ne__(self, other)
        return True if isinstance(other, tuple) else NotImplemented

    __hash__ = tuple.__hash__

    def __lt__(self, other):  # unordered, like a dataclass without order=True
        return NotImplemented

    __le__ = __gt__ = __ge__ = __lt__

    def __add__(self, other):  # not a sequence to concatenate
        return NotImplemented

    __mul__ = __rmul__ = __add__

    def __getnewargs__(self):  # copy and pickle call __new__(cls, *fields)
        return tuple(self)

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{self.__class__.__qualname__}({values})"


class Bounds(_Frozen):
    """A rectangle in diagram units (1 unit = 1 pt), y pointing down."""

    __slots__ = ()
    _fields = __match_args__ = ("x", "y", "width", "height")

    def __new__(cls, x: float, y: float, width: float, height: float) -> "Bounds":
        return _new_tuple(cls, (x, y, width, height))

    x = property(itemgetter(0))
    y = property(itemgetter(1))
    width = property(itemgetter(2))
    height = property(itemgetter(3))

    @property
    def cx(self) -> float:
        return self[0] + self[2] / 2

    @property
    def cy(self) -> float:
        return self[1] + self[3] / 2

    @property
    def right(self) -> float:
        return self[0] + self[2]

    @property
    def bottom(self) -> float:
        return self[1] + self[3]


class Point(_Frozen):
    __slots__ = ()
    _fields = __match_args__ = ("x", "y")

    def __new__(cls, x: float, y: float) -> "Point":
        return _new_tuple(cls, (x, y))

    x = property(itemgetter(0))
    y = property(itemgetter(1))


@dataclass
class Colours:
    """Colours a modeller already stored for an element (``#RRGGBB`` or CSS names)."""

    fill: Optional[str] = None
    stroke: Optional[str] = None
    label: Optional[str] = None


@dataclass
class Shape:
    """A BPMNShape: where an element is drawn on one plane."""

    id: str
    element_id: str
    bounds: Bounds
    is_expanded: Optional[bool] = None
    is_horizontal: Optional[bool] = None
    is_marker_visible: Optional[bool] = None
    label: Optional[Bounds] = None
    colours: Colours = field(default_factory=Colours)


@dataclass
class Edge:
    """A BPMNEdge: the route of a connection on one plane."""

    id: str
    element_id: str
    waypoints: List[Point]
    label: Optional[Bounds] = None
    colours: Colours = field(default_factory=Colours)
    message_visible_kind: Optional[str] = None  # message flows: "initiating" or "non_initiating"


@dataclass
class Plane:
    """One BPMNDiagram with its BPMNPlane."""

    diagram_id: str
    diagram_name: str
    id: str
    element_id: str  # the collaboration, process or sub-process shown
    shapes: List[Shape] = field(default_factory=list)
    edges: List[Edge] = field(default_factory=list)

    @property
    def label(self) -> str:
        """What the diagram is called: its name, else its id (the plane's when it has none)."""
        return self.diagram_name.strip() or self.diagram_id or self.id or self.element_id

    @cached_property
    def shape_of(self) -> Dict[str, Shape]:
        """Element id -> its shape on this plane (first one wins)."""
        found: Dict[str, Shape] = {}
        for shape in self.shapes:
            found.setdefault(shape.element_id, shape)
        return found

    @cached_property
    def edge_of(self) -> Dict[str, Edge]:
        found: Dict[str, Edge] = {}
        for edge in self.edges:
            found.setdefault(edge.element_id, edge)
        return found


# -- semantics --------------------------------------------------------------


@dataclass
class Participant:
    """A pool. A black-box pool has no process behind it."""

    id: str
    name: str
    process_id: Optional[str] = None
    collaboration_id: Optional[str] = None
    documentation: str = ""
    multiple: bool = False  # a participantMultiplicity: several instances of this pool

    @property
    def is_black_box(self) -> bool:
        return self.process_id is None


@dataclass
class Lane:
    id: str
    name: str
    process_id: str
    parent_id: Optional[str] = None  # the enclosing lane for nested lanes
    flow_node_ids: List[str] = field(default_factory=list)
    documentation: str = ""


@dataclass
class Process:
    id: str
    name: str
    is_executable: Optional[bool] = None
    documentation: str = ""


@dataclass
class FlowNode:
    """An activity, event or gateway, wherever it is nested."""

    id: str
    kind: str
    name: str
    process_id: str
    parent_id: Optional[str] = None  # enclosing sub-process, if any
    lane_id: Optional[str] = None  # innermost lane listing it
    documentation: str = ""
    # events
    event_definitions: List[str] = field(default_factory=list)
    parallel_multiple: bool = False
    attached_to: Optional[str] = None
    cancel_activity: bool = True
    is_interrupting: bool = True  # start events of event sub-processes
    # activities
    loop: Optional[str] = None  # "standard", "parallel" or "sequential"
    is_for_compensation: bool = False
    triggered_by_event: bool = False
    called_element: Optional[str] = None
    # sub-processes: drawn expanded on the main plane (None: not drawn there)
    is_expanded: Optional[bool] = None
    # gateways and activities
    default_flow: Optional[str] = None
    gateway_direction: Optional[str] = None
    event_gateway_type: Optional[str] = None
    instantiate: bool = False

    @property
    def category(self) -> str:
        if self.kind in ACTIVITY_KINDS:
            return "activity"
        if self.kind in EVENT_KINDS:
            return "event"
        return "gateway"

    @property
    def is_activity(self) -> bool:
        return self.kind in ACTIVITY_KINDS

    @property
    def is_event(self) -> bool:
        return self.kind in EVENT_KINDS

    @property
    def is_gateway(self) -> bool:
        return self.kind in GATEWAY_KINDS

    @property
    def event_type(self) -> Optional[str]:
        """The event's trigger: one definition kind, "multiple", "parallelMultiple" or None."""
        if len(self.event_definitions) > 1:
            return "parallelMultiple" if self.parallel_multiple else "multiple"
        return self.event_definitions[0] if self.event_definitions else None

    @property
    def is_throwing(self) -> bool:
        return self.kind in ("endEvent", "intermediateThrowEvent")


@dataclass
class Connection:
    """A sequence flow, message flow, association or data association."""

    id: str
    kind: str
    source_id: Optional[str]
    target_id: Optional[str]
    name: str = ""
    process_id: Optional[str] = None  # None for message flows
    condition: Optional[str] = None
    is_default: bool = False
    direction: Optional[str] = None  # associations: None, One, Both
    documentation: str = ""
    message_ref: Optional[str] = None  # message flows: the message sent


@dataclass
class Artifact:
    """Data objects and stores, text annotations and groups."""

    id: str
    kind: str
    name: str  # text for annotations, category value for groups
    process_id: Optional[str] = None
    parent_id: Optional[str] = None
    ref_id: Optional[str] = None  # dataObjectRef / dataStoreRef / categoryValueRef
    is_collection: bool = False
    documentation: str = ""


@dataclass
class Model:
    """Everything bpmncx knows about one BPMN file."""

    path: str
    name: str  # file stem, used to tell models apart
    sha256: str
    definitions_id: str = ""
    target_namespace: str = ""
    exporter: str = ""
    exporter_version: str = ""
    collaboration_ids: List[str] = field(default_factory=list)
    participants: List[Participant] = field(default_factory=list)
    processes: List[Process] = field(default_factory=list)
    lanes: List[Lane] = field(default_factory=list)
    nodes: List[FlowNode] = field(default_factory=list)
    connections: List[Connection] = field(default_factory=list)
    artifacts: List[Artifact] = field(default_factory=list)
    planes: List[Plane] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    layout_generated: bool = False
    # bpmnElement values of diagram elements that match no element of the file ("" for
    # none given): nothing to draw for them (the reader warns about each)
    missing_elements: Set[str] = field(default_factory=set)

    # -- lookups (computed once; the model is not mutated after loading) --

    @cached_property
    def node(self) -> Dict[str, FlowNode]:
        return {n.id: n for n in self.nodes}

    @cached_property
    def lane(self) -> Dict[str, Lane]:
        return {lane.id: lane for lane in self.lanes}

    @cached_property
    def participant(self) -> Dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def process(self) -> Dict[str, Process]:
        return {p.id: p for p in self.processes}

    @cached_property
    def connection(self) -> Dict[str, Connection]:
        return {c.id: c for c in self.connections}

    @cached_property
    def message_flows_at(self) -> Dict[str, List[Connection]]:
        """Element id -> the message flows from or to it, in file order (each once)."""
        found: Dict[str, List[Connection]] = {}
        for flow in self.connections:
            if flow.kind != "messageFlow":
                continue
            for end in {flow.source_id, flow.target_id} - {None}:
                found.setdefault(end, []).append(flow)
        return found

    @cached_property
    def flows_from(self) -> Dict[str, List[Connection]]:
        """Element id -> the connections (of any kind) leaving it, in file order."""
        found: Dict[str, List[Connection]] = {}
        for flow in self.connections:
            if flow.source_id and flow.target_id:
                found.setdefault(flow.source_id, []).append(flow)
        return found

    @cached_property
    def pool_of_process(self) -> Dict[str, Participant]:
        return {p.process_id: p for p in self.participants if p.process_id}

    @property
    def has_di(self) -> bool:
        return any(plane.shapes for plane in self.planes) and not self.layout_generated

    @property
    def main_plane(self) -> Optional[Plane]:
        """The diagram Camunda Modeler opens: the first one that draws something."""
        drawn = self.drawn_planes
        if drawn:
            return drawn[0]
        return self.planes[0] if self.planes else None

    @property
    def drawn_planes(self) -> List[Plane]:
        """Every diagram with at least one shape, in file order (the main one first).
        Empty ones (Camunda writes one per collapsed sub-process without content) draw nothing."""
        return [plane for plane in self.planes if plane.shapes]

    def pool_of(self, node: FlowNode) -> Optional[Participant]:
        return self.pool_of_process.get(node.process_id)

    def lane_path(self, node: FlowNode) -> List[Lane]:
        """Lanes from the outermost down to the one listing the node."""
        return self._lanes_down_to(self.lane.get(node.lane_id) if node.lane_id else None)

    def effective_lane(self, node: FlowNode) -> Optional[Lane]:
        """The innermost lane a node sits in: its own, else the one of the activity
        a boundary event is attached to, else the one of its enclosing sub-process
        (tools rarely list those in a lane)."""
        seen = set()
        current: Optional[FlowNode] = node
        while current is not None and current.lane_id is None and current.id not in seen:
            seen.add(current.id)
            host = current.attached_to or current.parent_id
            current = self.node.get(host) if host else None
        if current is None or current.lane_id is None:
            return None
        return self.lane.get(current.lane_id)

    def effective_lane_path(self, node: FlowNode) -> List[Lane]:
        """Lanes from the outermost down to the node's effective lane."""
        return self._lanes_down_to(self.effective_lane(node))

    def _lanes_down_to(self, lane: Optional[Lane]) -> List[Lane]:
        path: List[Lane] = []
        seen = set()  # the reader breaks nesting cycles; a model built by hand may have one
        while lane is not None and lane.id not in seen:
            seen.add(lane.id)
            path.append(lane)
            lane = self.lane.get(lane.parent_id) if lane.parent_id else None
        return list(reversed(path))

    def pool_label(self, node: FlowNode) -> str:
        """The name of the node's pool, else of its process, else that id."""
        pool = self.pool_of(node)
        if pool is not None:
            return pool.name.strip() or pool.id
        process = self.process.get(node.process_id)
        return (process.name.strip() if process is not None else "") or node.process_id

    def lookup_name(self, element_id: str) -> str:
        """Name of any element by id, for messages; the id if unnamed or unknown."""
        for table in (self.node, self.participant, self.lane, self.process):
            if element_id in table:
                return table[element_id].name or element_id
        return element_id

    def activities(self) -> List[FlowNode]:
        return [n for n in self.nodes if n.kind in ACTIVITY_KINDS]

    def events(self) -> List[FlowNode]:
        return [n for n in self.nodes if n.kind in EVENT_KINDS]

    def gateways(self) -> List[FlowNode]:
        return [n for n in self.nodes if n.kind in GATEWAY_KINDS]

    def connections_of_kind(self, kind: str) -> List[Connection]:
        return [c for c in self.connections if c.kind == kind]


# -- finding elements the way people type them -------------------------------


def name_key(text: str) -> str:
    """How names typed by people are compared: runs of white space (line breaks in
    modeller labels included) are one space, case is ignored."""
    return " ".join(text.split()).casefold()


class ElementIndex:
    """The flow nodes of several models, found by id or by name the way the
    workbook's "Supported by" finds them: the exact id, else the id in any case,
    else the name compared with :func:`name_key`. Never a guess: a name several
    elements share finds all of them, and the caller decides.

    ``find`` returns (model name, node) pairs.
    """

    def __init__(self, models: List["Model"]):
        self.by_id: Dict[str, List[tuple]] = {}
        self.by_id_folded: Dict[str, List[tuple]] = {}
        self.by_name: Dict[str, List[tuple]] = {}
        for model in models:
            for node in model.nodes:
                found = (model.name, node)
                self.by_id.setdefault(node.id, []).append(found)
                self.by_id_folded.setdefault(node.id.casefold(), []).append(found)
                key = name_key(node.name)
                if key:
                    self.by_name.setdefault(key, []).append(found)

    def find(self, text: str) -> List[tuple]:
        for table, key in ((self.by_id, text), (self.by_id_folded, text.casefold()),
                           (self.by_name, name_key(text))):
            if key in table:
                return list(table[key])
        return []
