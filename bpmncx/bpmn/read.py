"""Read a BPMN 2.0 file into a :class:`bpmncx.model.Model`.

One pass over the tree: each element is visited once, by the handler of its
parent; references are checked after the walk, so forward references (a
sequence flow listed before its target) are fine.
"""

from __future__ import annotations

import gc
import hashlib
import os
from math import nan as _NAN
from operator import attrgetter
from typing import Dict, List, Optional

from ..errors import BpmnReadError
from ..limits import limit
from ..model import (
    ACTIVITY_KINDS,
    ARTIFACT_KINDS,
    EVENT_DEFINITION_KINDS,
    FLOW_NODE_KINDS,
    SUBPROCESS_KINDS,
    Artifact,
    Bounds,
    Colours,
    Connection,
    Edge,
    FlowNode,
    Lane,
    Model,
    Participant,
    Plane,
    Point,
    Process,
    Shape,
)
from .xml import (
    BIOC_NS,
    BPMNDI_NS,
    COLOR_NS,
    DC_NS,
    DI_NS,
    MODEL_NS,
    SIGNAVIO_NS,
    parse_bytes,
    read_bytes,
    split_tag,
)

# A coordinate or size past this is no diagram (sums of two such overflow to infinity, and
# drawing 1e308 points wide cannot be done): such bounds and waypoints are skipped.
_FARTHEST = 1e9

_M = "{%s}" % MODEL_NS
_LM = len(_M)
_DEFINITIONS = _M + "definitions"
_DOCUMENTATION = _M + "documentation"
_DIAGRAM = "{%s}BPMNDiagram" % BPMNDI_NS
_PLANE = "{%s}BPMNPlane" % BPMNDI_NS
_SHAPE = "{%s}BPMNShape" % BPMNDI_NS
_EDGE = "{%s}BPMNEdge" % BPMNDI_NS
_LABEL = "{%s}BPMNLabel" % BPMNDI_NS
_BOUNDS = "{%s}Bounds" % DC_NS
_WAYPOINT = "{%s}waypoint" % DI_NS
_EXTENSIONS = _M + "extensionElements"
_SIGNAVIO_META = "{%s}signavioMetaData" % SIGNAVIO_NS
_BIOC_FILL = "{%s}fill" % BIOC_NS
_BIOC_STROKE = "{%s}stroke" % BIOC_NS
_COLOR_BG = "{%s}background-color" % COLOR_NS
_COLOR_BORDER = "{%s}border-color" % COLOR_NS
_COLOR_TEXT = "{%s}color" % COLOR_NS

_EVENT_DEFINITION_SUFFIX = "EventDefinition"
_LOOPS = {"standardLoopCharacteristics", "multiInstanceLoopCharacteristics"}
_DATA_ASSOCIATIONS = {"dataInputAssociation", "dataOutputAssociation"}
# Top-level elements that other elements refer to by id; read for reference checks.
_REFERABLE_ROOT_ELEMENTS = frozenset({
    "message", "signal", "error", "escalation", "itemDefinition", "interface",
    "resource", "correlationProperty", "partnerRole", "partnerEntity", "eventDefinition",
    "timerEventDefinition", "messageEventDefinition", "signalEventDefinition",
    "errorEventDefinition", "escalationEventDefinition", "conditionalEventDefinition",
    "compensateEventDefinition", "terminateEventDefinition", "linkEventDefinition",
    "cancelEventDefinition", "operation", "globalTask", "globalUserTask",
    "globalManualTask", "globalScriptTask", "globalBusinessRuleTask", "import",
})
# Children of a process or sub-process that carry nothing bpmncx shows, or that
# the flow-node reader already took (for sub-processes). Anything else in the
# BPMN namespace that is not understood is reported, never dropped silently.
_CONTAINER_QUIET = frozenset({
    "documentation", "extensionElements", "property", "auditing", "monitoring",
    "categoryValueRef", "incoming", "outgoing", "supportedInterfaceRef", "ioBinding",
    "resourceRole", "performer", "humanPerformer", "potentialOwner",
    "correlationSubscription", "completionCondition", "ioSpecification",
    "standardLoopCharacteristics", "multiInstanceLoopCharacteristics",
    "dataInputAssociation", "dataOutputAssociation", "laneSet",
})
_ARTIFACT_OR_ASSOCIATION = ARTIFACT_KINDS | {"association", "dataStore"}
_EVENT_DATA = frozenset({"dataInput", "dataOutput"})
# Full tags for the hot loops: dictionary and set lookups on the tag lxml
# hands out, no slicing or prefix tests per element.
_FLOW_NODE_TAGS = {_M + kind: kind for kind in FLOW_NODE_KINDS}
_SEQUENCE_FLOW = _M + "sequenceFlow"
_NODE_CHILDREN = {
    _M + local: local
    for local in (
        "eventDefinitionRef", "property", "standardLoopCharacteristics",
        "multiInstanceLoopCharacteristics", "documentation", "dataInputAssociation",
        "dataOutputAssociation", "extensionElements", "ioSpecification", "dataInput",
        "dataOutput",
    )
}
_EVENT_DEFINITION_TAGS = {
    _M + kind + _EVENT_DEFINITION_SUFFIX: kind for kind in EVENT_DEFINITION_KINDS
}
_CONDITION = _M + "conditionExpression"
_FLOW_NODE_REF = _M + "flowNodeRef"
_CHILD_LANE_SET = _M + "childLaneSet"
_LANE = _M + "lane"
_BOUNDS_KEYS = ["x", "y", "width", "height"]
_BOUNDS_KEYS_SORTED = ["height", "width", "x", "y"]  # Signavio writes them so
_POINT_KEYS = ["x", "y"]
_new_tuple = tuple.__new__
_element_id_of = attrgetter("element_id")
_COLLABORATION_QUIET = frozenset({
    "documentation", "extensionElements", "participantAssociation",
    "messageFlowAssociation", "correlationKey", "choreographyRef",
    "conversationAssociation",
})


def load_model(path) -> Model:
    """Read the BPMN file at ``path``; raise :class:`BpmnReadError` if it cannot be."""
    path = os.fspath(path)
    return model_from_bytes(read_bytes(path), path)


def model_from_bytes(data: bytes, path: str = "<bytes>") -> Model:
    root, warnings = parse_bytes(data, path)
    if root.tag != _DEFINITIONS:
        namespace, local = split_tag(root.tag)
        raise BpmnReadError(
            path,
            f"not a BPMN 2.0 file: root element is <{local}> in namespace '{namespace}', "
            f"expected <definitions> in '{MODEL_NS}'",
        )
    stem = os.path.splitext(os.path.basename(path))[0]
    model = Model(
        path=path,
        name=stem,
        sha256=hashlib.sha256(data).hexdigest(),
        definitions_id=root.get("id", ""),
        target_namespace=root.get("targetNamespace", ""),
        exporter=root.get("exporter", ""),
        exporter_version=root.get("exporterVersion", ""),
        warnings=warnings,
    )
    # Reading allocates tens of thousands of small objects that form no
    # reference cycles; the cyclic garbage collector would only rescan them
    # again and again (a quarter of the load time when a corpus is loaded).
    # Paused while this model is built, restored afterwards, also on error.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _Reader(model).read(root)
    finally:
        if collecting:
            gc.enable()
    most = limit("BPMNCX_MAX_FLOW_NODES")
    if len(model.nodes) > most:
        # The analysis relates every node to every other (reachability): its memory
        # grows with the square of the count, past a gigabyte beyond this many.
        raise BpmnReadError(path, f"the model has {len(model.nodes):,} activities, events and "
                                  f"gateways, more than {most:,} (BPMNCX_MAX_FLOW_NODES); "
                                  "split it into several models")
    return model


def _text(el) -> str:
    return (el.text or "").strip()


def _bool(value: Optional[str]) -> Optional[bool]:
    if value is None:
        return None
    return value.strip().lower() == "true"


def _kind_ref(kind: str, element_id: str) -> str:
    return f"{kind} '{element_id}'"


class _Reader:
    """Fills one Model from one <definitions> element."""

    def __init__(self, model: Model):
        self.model = model
        self.warn = model.warnings.append
        self.add_node = model.nodes.append
        self.kinds: Dict[str, str] = {}  # id -> kind, for every semantic element
        self.signavio_colours: Dict[str, Colours] = {}
        self.category_values: Dict[str, str] = {}
        self.lane_of: Dict[str, str] = {}
        self.definition_refs: List[tuple] = []  # (node, referenced event definition id)

    # -- walk -----------------------------------------------------------

    def read(self, root) -> None:
        diagrams = []
        for child in root:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag.startswith(_M):
                local = tag[_LM:]
                if local == "process":
                    self.process(child)
                elif local == "collaboration" or local == "choreography":
                    self.collaboration(child)
                elif local == "category":
                    for value in child:
                        if value.tag == _M + "categoryValue":
                            self.category_values[value.get("id", "")] = value.get("value", "")
                            self.register(value, "categoryValue")
                elif local == "dataStore":
                    self.artifact(child, local, None, None)
                elif local in _REFERABLE_ROOT_ELEMENTS:
                    self.register(child, local)
                    if local == "interface":
                        for op in child:
                            if op.tag == _M + "operation":
                                self.register(op, "operation")
            elif tag == _DIAGRAM:
                diagrams.append(child)
        # Diagrams last: the Signavio colours live on the semantic elements.
        for diagram in diagrams:
            self.diagram(diagram)
        self.resolve()
        self.break_cycles()
        self.check_references()

    def register(self, el, kind: str) -> Optional[str]:
        return self.register_id(el.get("id"), kind)

    def register_id(self, element_id: Optional[str], kind: str) -> Optional[str]:
        if element_id is None:
            return None
        element_id = element_id.strip()
        if element_id in self.kinds:
            self.warn(
                f"duplicate id '{element_id}' on a {kind} (already used by a "
                f"{self.kinds[element_id]}); both kept, references go to the later one"
            )
        self.kinds[element_id] = kind
        return element_id

    def collaboration(self, el) -> None:
        collaboration_id = self.register(el, "collaboration") or ""
        self.model.collaboration_ids.append(collaboration_id)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or not tag.startswith(_M):
                continue
            local = tag[_LM:]
            if local == "participant":
                self.register(child, "participant")
                self.model.participants.append(
                    Participant(
                        id=child.get("id", ""),
                        name=child.get("name", ""),
                        process_id=child.get("processRef"),
                        collaboration_id=collaboration_id,
                        documentation=self.documentation(child),
                        multiple=_multiple(child),
                    )
                )
            elif local == "messageFlow":
                self.connection(child, local, None)
            elif local in _ARTIFACT_OR_ASSOCIATION:
                self.artifact_or_association(child, local, None, None)
            elif local not in _COLLABORATION_QUIET:
                self.not_read(child, local, f"collaboration '{collaboration_id}'")

    def process(self, el) -> None:
        process_id = self.register(el, "process") or ""
        self.model.processes.append(
            Process(
                id=process_id,
                name=el.get("name", ""),
                is_executable=_bool(el.get("isExecutable")),
                documentation=self.documentation(el),
            )
        )
        self.container(el, process_id, None)

    def container(self, el, process_id: str, parent_id: Optional[str]) -> None:
        """Read the children of a process or sub-process."""
        flow_node_tags, flow_node = _FLOW_NODE_TAGS, self.flow_node
        for child in el:
            tag = child.tag
            kind = flow_node_tags.get(tag)
            if kind is not None:
                flow_node(child, kind, process_id, parent_id)
                continue
            if tag == _SEQUENCE_FLOW:
                self.connection(child, "sequenceFlow", process_id)
                continue
            if not isinstance(tag, str) or not tag.startswith(_M):
                if isinstance(tag, str) and tag[:1] != "{":
                    # No namespace: an undeclared prefix the parser recovered from.
                    self.not_read(child, tag, _kind_ref(
                        "sub-process" if parent_id else "process", parent_id or process_id))
                continue
            local = tag[_LM:]
            if local == "laneSet":
                self.lane_set(child, process_id, None)
            elif local == "ioSpecification" and parent_id is None:
                # A sub-process's own ioSpecification was read with the node.
                for data in child:
                    if data.tag in (_M + "dataInput", _M + "dataOutput"):
                        self.artifact(data, data.tag[_LM:], process_id, parent_id)
            elif local == "property":
                self.register(child, local)
            elif local in _ARTIFACT_OR_ASSOCIATION:
                self.artifact_or_association(child, local, process_id, parent_id)
            elif local not in _CONTAINER_QUIET:
                self.not_read(child, local, _kind_ref(
                    "sub-process" if parent_id else "process", parent_id or process_id))

    def not_read(self, el, local: str, where: str) -> None:
        element_id = el.get("id")
        what = f"<{local}> '{element_id}'" if element_id else f"<{local}>"
        self.warn(f"{where} contains {what}, which bpmncx does not read; ignored")

    def artifact_or_association(self, el, local, process_id, parent_id) -> None:
        if local == "association":
            self.connection(el, local, process_id)
        elif local in ARTIFACT_KINDS or local == "dataStore":
            self.artifact(el, local, process_id, parent_id)

    def lane_set(self, el, process_id: str, parent_lane: Optional[str]) -> None:
        for lane_el in el:
            if lane_el.tag != _LANE:
                continue
            lane_id = self.register(lane_el, "lane") or ""
            lane = Lane(
                id=lane_id,
                name=lane_el.get("name", ""),
                process_id=process_id,
                parent_id=parent_lane,
            )
            self.model.lanes.append(lane)
            refs, lane_of = lane.flow_node_ids, self.lane_of
            documentation = ""
            for child in lane_el:
                tag = child.tag
                if tag == _FLOW_NODE_REF:
                    ref = _text(child)
                    if ref:
                        refs.append(ref)
                        # Parents are read first, so the innermost lane wins.
                        lane_of[ref] = lane_id
                elif tag == _CHILD_LANE_SET:
                    self.lane_set(child, process_id, lane_id)
                elif tag == _DOCUMENTATION:
                    documentation = _join(documentation, _text(child))
                elif tag == _EXTENSIONS:
                    self.signavio_meta(child, lane_el.get("id", ""))
            lane.documentation = documentation

    def flow_node(self, el, kind: str, process_id: str, parent_id: Optional[str]) -> None:
        attrib = dict(el.items())  # one call into lxml instead of one per attribute
        node_id = attrib.pop("id", None)
        name = attrib.pop("name", "")
        if node_id is not None:  # register_id, inline: this runs for every node
            node_id = node_id.strip()
            if node_id in self.kinds:
                self.register_id(node_id, kind)  # warns about the duplicate
            self.kinds[node_id] = kind
        if not node_id:
            node_id = ""
            self.warn(f"a {kind} named '{name}' has no id (line {el.sourceline}); "
                      "kept, but nothing can refer to it")
        if attrib:  # anything beyond id and name
            get = attrib.get
            cancel, interrupting = get("cancelActivity"), get("isInterrupting")
            compensation, triggered = get("isForCompensation"), get("triggeredByEvent")
            instantiate, parallel = get("instantiate"), get("parallelMultiple")
            node = FlowNode(  # positional, in field order: much cheaper than keywords
                node_id, kind, name, process_id, parent_id,
                None,  # lane_id
                "",  # documentation
                [],  # event_definitions
                parallel is not None and parallel.strip().lower() == "true",
                get("attachedToRef"),
                cancel is None or cancel.strip().lower() != "false",
                interrupting is None or interrupting.strip().lower() != "false",
                None,  # loop
                compensation is not None and compensation.strip().lower() == "true",
                triggered is not None and triggered.strip().lower() == "true",
                get("calledElement"),
                None,  # is_expanded
                get("default"),
                get("gatewayDirection"),
                get("eventGatewayType"),
                instantiate is not None and instantiate.strip().lower() == "true",
            )
        else:
            node = FlowNode(node_id, kind, name, process_id, parent_id)
        self.add_node(node)
        for child in el:
            tag = child.tag
            local = _NODE_CHILDREN.get(tag)
            if local is None:
                definition = _EVENT_DEFINITION_TAGS.get(tag)
                if definition is None:
                    # incoming/outgoing, the content of a sub-process, comments;
                    # or an event definition of a kind the spec does not name.
                    if (tag.__class__ is not str or not tag.endswith(_EVENT_DEFINITION_SUFFIX)
                            or not tag.startswith(_M)):
                        continue
                    definition = tag[_LM : -len(_EVENT_DEFINITION_SUFFIX)]
                node.event_definitions.append(definition)
                self.register(child, definition + _EVENT_DEFINITION_SUFFIX)
            elif local == "eventDefinitionRef":
                # Resolved after the walk: the definition may come later in the file.
                node.event_definitions.append("")
                self.definition_refs.append((node, len(node.event_definitions) - 1,
                                             _text(child)))
            elif local == "property":
                self.register(child, local)
            elif local in _LOOPS:
                if local == "standardLoopCharacteristics":
                    node.loop = "standard"
                elif (child.get("isSequential") or "").strip().lower() == "true":
                    node.loop = "sequential"
                else:
                    node.loop = "parallel"
            elif local == "documentation":
                node.documentation = _join(node.documentation, _text(child))
            elif local in _DATA_ASSOCIATIONS:
                self.data_association(child, local, node)
            elif local == "extensionElements":
                self.signavio_meta(child, node_id)
            elif local == "ioSpecification":
                if kind in ACTIVITY_KINDS:
                    for data in child:
                        if data.tag in (_M + "dataInput", _M + "dataOutput"):
                            self.register(data, data.tag[_LM:])
            elif local in _EVENT_DATA:
                self.register(child, local)
        if kind in SUBPROCESS_KINDS:
            self.container(el, process_id, node_id)

    def data_association(self, el, kind: str, node: FlowNode) -> None:
        sources = [_text(c) for c in el if c.tag == _M + "sourceRef"]
        targets = [_text(c) for c in el if c.tag == _M + "targetRef"]
        if kind == "dataInputAssociation":
            source, target = (sources[0] if sources else None), node.id
        else:
            source, target = node.id, (targets[0] if targets else None)
        association_id = self.register(el, kind)
        self.model.connections.append(
            Connection(
                id=association_id or "",
                kind=kind,
                source_id=source,
                target_id=target,
                process_id=node.process_id,
            )
        )

    def connection(self, el, kind: str, process_id: Optional[str]) -> None:
        attrib = dict(el.items())
        get = attrib.get
        connection_id = get("id")
        if connection_id is not None:  # register_id, inline: this runs for every flow
            connection_id = connection_id.strip()
            if connection_id in self.kinds:
                self.register_id(connection_id, kind)  # warns about the duplicate
            self.kinds[connection_id] = kind
        if not connection_id:
            connection_id = ""
            self.warn(f"a {kind} from '{get('sourceRef', '')}' to "
                      f"'{get('targetRef', '')}' has no id (line {el.sourceline}); "
                      "kept, but nothing can refer to it")
        condition = None
        documentation = ""
        for child in el:
            tag = child.tag
            if tag == _CONDITION:
                condition = "".join(child.itertext()).strip() or None
            elif tag == _DOCUMENTATION:
                documentation = _join(documentation, _text(child))
            elif tag == _EXTENSIONS:
                self.signavio_meta(child, connection_id)
        self.model.connections.append(
            Connection(
                connection_id,
                kind,
                get("sourceRef"),
                get("targetRef"),
                get("name", ""),
                process_id,
                condition,
                False,
                get("associationDirection") if kind == "association" else None,
                documentation,
                get("messageRef") if kind == "messageFlow" else None,
            )
        )

    def artifact(self, el, kind: str, process_id, parent_id) -> None:
        artifact_id = self.register(el, kind) or ""
        name = el.get("name", "")
        if kind == "textAnnotation":
            name = "\n".join(_text(c) for c in el if c.tag == _M + "text" and _text(c))
        ref = el.get("dataObjectRef") or el.get("dataStoreRef") or el.get("categoryValueRef")
        self.model.artifacts.append(
            Artifact(
                id=artifact_id,
                kind=kind,
                name=name,
                process_id=process_id,
                parent_id=parent_id,
                ref_id=ref,
                is_collection=_bool(el.get("isCollection")) or False,
                documentation=self.documentation(el),
            )
        )

    # -- small readers --------------------------------------------------

    def documentation(self, el) -> str:
        text = ""
        for child in el.iterchildren(_DOCUMENTATION, _EXTENSIONS):
            if child.tag == _DOCUMENTATION:
                text = _join(text, _text(child))
            elif child.tag == _EXTENSIONS:
                self.signavio_meta(child, el.get("id", ""))
        return text

    def signavio_meta(self, extensions, element_id: str) -> None:
        for meta in extensions:
            if meta.tag != _SIGNAVIO_META:
                continue
            key = meta.get("metaKey")
            if key not in ("bgcolor", "bordercolor"):
                continue
            colours = self.signavio_colours.setdefault(element_id, Colours())
            value = meta.get("metaValue") or None
            if key == "bgcolor":
                colours.fill = value
            else:
                colours.stroke = value

    # -- diagram interchange ---------------------------------------------

    # The DI readers are the hot path (thousands of shapes, bounds and
    # waypoints per file): one function, no calls per element beyond lxml's
    # own, attributes fetched in one call, Bounds and Points built straight
    # from tuples, and warning text only built when there is something to warn.

    def diagram(self, el) -> None:
        for plane_el in el:
            if plane_el.tag != _PLANE:
                continue
            plane = Plane(
                diagram_id=el.get("id", ""),
                diagram_name=el.get("name", ""),
                id=plane_el.get("id", ""),
                element_id=plane_el.get("bpmnElement", ""),
            )
            self.model.planes.append(plane)
            self.shapes(plane_el, plane.shapes.append)
            self.edges(plane_el, plane.edges.append)

    def shapes(self, plane_el, add) -> None:
        bounds_of, colours, signavio = self.bounds, self.colours, self.signavio_colours
        for el in plane_el.iterchildren(_SHAPE):
            attrib = dict(el.items())
            shape_id = attrib.pop("id", "")
            element_id = attrib.pop("bpmnElement", "")
            bounds = label = label_colour = None
            found = False
            for child in el:
                tag = child.tag
                if tag == _BOUNDS:
                    if not found:
                        found = True
                        bounds = bounds_of(child, "BPMNShape", shape_id or element_id, "")
                elif tag == _LABEL:
                    label_colour = child.get(_COLOR_TEXT)
                    label = None
                    for box in child:
                        if box.tag == _BOUNDS:
                            label = bounds_of(box, "BPMNShape", shape_id or element_id,
                                              "label of ")
                            break
            if bounds is None:
                self.warn(f"{_kind_ref('BPMNShape', shape_id or element_id)} has no usable "
                          "bounds; not drawn")
                continue
            if attrib:  # more than the usual id and bpmnElement
                get = attrib.get
                expanded, horizontal, marker = (get("isExpanded"), get("isHorizontal"),
                                                get("isMarkerVisible"))
                add(Shape(
                    shape_id,
                    element_id,
                    bounds,
                    None if expanded is None else expanded.strip().lower() == "true",
                    None if horizontal is None else horizontal.strip().lower() == "true",
                    None if marker is None else marker.strip().lower() == "true",
                    label,
                    colours(attrib, element_id, label_colour),
                ))
            elif signavio and element_id in signavio:
                add(Shape(shape_id, element_id, bounds, None, None, None, label,
                          colours(None, element_id, label_colour)))
            else:  # the usual shape: no colours but maybe the label's
                add(Shape(shape_id, element_id, bounds, None, None, None, label,
                          Colours(None, None, label_colour)))

    def edges(self, plane_el, add) -> None:
        bounds_of, colours, signavio = self.bounds, self.colours, self.signavio_colours
        point_keys = _POINT_KEYS
        for el in plane_el.iterchildren(_EDGE):
            attrib = dict(el.items())
            edge_id = attrib.pop("id", "")
            element_id = attrib.pop("bpmnElement", "")
            points: List[Point] = []
            add_point = points.append
            label = label_colour = None
            for child in el:
                tag = child.tag
                if tag == _WAYPOINT:
                    try:
                        if child.keys() == point_keys:
                            x, y = map(float, child.values())
                        else:
                            get = child.get
                            x, y = float(get("x", "0")), float(get("y", "0"))
                    except ValueError:
                        x = y = _NAN
                    if abs(x) + abs(y) <= _FARTHEST:  # False for NaN and infinities
                        add_point(_new_tuple(Point, (x, y)))
                    else:
                        self.warn(f"{_kind_ref('BPMNEdge', edge_id or element_id)} has a "
                                  "waypoint that is not a number (or is past "
                                  f"{_FARTHEST:,.0f}); skipped")
                elif tag == _LABEL:
                    label_colour = child.get(_COLOR_TEXT)
                    label = None
                    for box in child:
                        if box.tag == _BOUNDS:
                            label = bounds_of(box, "BPMNEdge", edge_id or element_id,
                                              "label of ")
                            break
            if attrib or (signavio and element_id in signavio):
                add(Edge(edge_id, element_id, points, label,
                         colours(attrib, element_id, label_colour),
                         attrib.get("messageVisibleKind")))
            else:  # the usual edge: no colours but maybe the label's
                add(Edge(edge_id, element_id, points, label, Colours(None, None, label_colour)))

    def bounds(self, el, owner_kind: str, owner_id: str, part: str) -> Optional[Bounds]:
        """The dc:Bounds of a shape or label; None (with a warning) if unusable."""
        keys = el.keys()
        try:
            if keys == _BOUNDS_KEYS:
                x, y, width, height = map(float, el.values())
            elif keys == _BOUNDS_KEYS_SORTED:
                height, width, x, y = map(float, el.values())
            else:
                get = el.get
                x, y = float(get("x", "0")), float(get("y", "0"))
                width, height = float(get("width", "0")), float(get("height", "0"))
        except ValueError:
            x = y = width = height = _NAN
        if abs(x) + abs(y) + abs(width) + abs(height) <= _FARTHEST:  # False for NaN, INF
            return _new_tuple(Bounds, (x, y, width, height))
        self.warn(f"{part}{_kind_ref(owner_kind, owner_id)} has bounds that are not numbers "
                  f"(or are past {_FARTHEST:,.0f}); ignored")
        return None

    def colours(self, attrib: Optional[dict], element_id: str,
                label_colour: Optional[str]) -> Colours:
        """Colours from the DI attributes (``attrib``: None or empty when it has none)."""
        if not attrib:
            fill = stroke = None
        else:
            fill = attrib.get(_COLOR_BG) or attrib.get(_BIOC_FILL)
            stroke = attrib.get(_COLOR_BORDER) or attrib.get(_BIOC_STROKE)
        if fill is None or stroke is None:
            fallback = self.signavio_colours.get(element_id)
            if fallback is not None:
                fill = fill or fallback.fill
                stroke = stroke or fallback.stroke
        return Colours(fill, stroke, label_colour)

    # -- after the walk ----------------------------------------------------

    def resolve(self) -> None:
        """Fill in what needed the whole file: referenced definitions, group names, expansion."""
        for node, index, ref in self.definition_refs:
            kind = self.kinds.get(ref)
            if kind and kind.endswith(_EVENT_DEFINITION_SUFFIX) and kind != "eventDefinition":
                node.event_definitions[index] = kind[: -len(_EVENT_DEFINITION_SUFFIX)]
            else:
                node.event_definitions[index] = "unknown"
                self.warn(f"{node.kind} '{node.id}' refers to event definition '{ref}', "
                          "which does not exist")
        for artifact in self.model.artifacts:
            if artifact.kind == "group" and not artifact.name and artifact.ref_id:
                artifact.name = self.category_values.get(artifact.ref_id, "")
        self.expansion()

    def expansion(self) -> None:
        """Whether each sub-process is drawn expanded, from the first plane drawing it.

        ``isExpanded`` decides when present; without it, a sub-process whose
        children are drawn on the same plane counts as expanded.
        """
        sub_processes = [n for n in self.model.nodes if n.kind in SUBPROCESS_KINDS]
        if not sub_processes or not self.model.planes:
            return
        main = self.model.main_plane
        planes = [main] + [p for p in self.model.planes if p is not main]
        parent_of = {n.id: n.parent_id for n in self.model.nodes if n.parent_id}
        for node in sub_processes:
            for plane in planes:
                shape = plane.shape_of.get(node.id)
                if shape is None:
                    continue
                if shape.is_expanded is not None:
                    node.is_expanded = shape.is_expanded
                else:
                    node.is_expanded = any(
                        parent_of.get(element_id) == node.id for element_id in plane.shape_of
                    )
                break

    def break_cycles(self) -> None:
        """Cut nesting that loops back on itself, with a warning naming the ids.

        The XML is a tree, but nesting is followed by id afterwards (a lane's
        parent, a node's sub-process, a boundary event's host), and ids can be
        used twice: a lane inside a lane with its own id is a cycle every walk
        up or down the nesting would follow forever. Each such link is dropped
        so that every later walk of the model ends.
        """
        model, warn = self.model, self.warn
        lanes = [lane for lane in model.lanes if lane.parent_id is not None]
        for index, cycle in _closing_links([(l.id, l.parent_id) for l in lanes]):
            lane = lanes[index]
            warn(f"lane '{lane.id}' is nested in itself ({' in '.join(map(repr, cycle))}: an id "
                 f"used twice); read as not nested in lane '{lane.parent_id}'")
            lane.parent_id = None
        nested = [node for node in model.nodes if node.parent_id is not None]
        for index, cycle in _closing_links([(n.id, n.parent_id) for n in nested]):
            node = nested[index]
            warn(f"{node.kind} '{node.id}' is nested in itself "
                 f"({' in '.join(map(repr, cycle))}: an id used twice); read as not inside "
                 f"sub-process '{node.parent_id}'")
            node.parent_id = None
        attached = [node for node in model.nodes if node.attached_to]
        for index, cycle in _closing_links([(n.id, n.attached_to) for n in attached]):
            node = attached[index]
            warn(f"{node.kind} '{node.id}' is attached to itself "
                 f"({' on '.join(map(repr, cycle))}); read as attached to nothing")
            node.attached_to = None

    def check_references(self) -> None:
        model, kinds, warn = self.model, self.kinds, self.warn
        nodes = model.node
        for node in model.nodes:
            node.lane_id = self.lane_of.get(node.id)
            if node.attached_to and node.attached_to not in nodes:
                warn(f"boundary event '{node.id}' is attached to '{node.attached_to}', "
                     "which does not exist")
            if node.default_flow and node.default_flow not in kinds:
                warn(f"{node.kind} '{node.id}' names default flow '{node.default_flow}', "
                     "which does not exist")
        for lane in model.lanes:
            for ref in lane.flow_node_ids:
                if ref not in nodes:
                    warn(f"lane '{lane.id}' lists flow node '{ref}', which does not exist")
        defaults = {n.default_flow for n in model.nodes if n.default_flow}
        for flow in model.connections:
            flow.is_default = flow.id in defaults
            for end, ref in (("source", flow.source_id), ("target", flow.target_id)):
                if not ref:
                    warn(f"{flow.kind} '{flow.id}' has no {end}")
                elif ref not in kinds:
                    warn(f"{flow.kind} '{flow.id}' has {end} '{ref}', which does not exist")
        for participant in model.participants:
            if participant.process_id and participant.process_id not in model.process:
                warn(f"pool '{participant.id}' refers to process '{participant.process_id}', "
                     "which does not exist")
        for plane in model.planes:
            if plane.element_id and plane.element_id not in kinds:
                warn(f"diagram '{plane.diagram_id}' shows '{plane.element_id}', "
                     "which does not exist")
            drawn = list(map(_element_id_of, plane.shapes))
            drawn += map(_element_id_of, plane.edges)
            if "" not in kinds and all(map(kinds.__contains__, drawn)):
                continue  # the usual plane: every diagram element draws something known
            for item in (*plane.shapes, *plane.edges):
                if item.element_id not in kinds:
                    model.missing_elements.add(item.element_id)
                if not item.element_id:
                    warn(f"diagram element '{item.id}' does not say which element it draws "
                         "(no bpmnElement)")
                elif item.element_id not in kinds:
                    warn(f"diagram element '{item.id}' draws '{item.element_id}', "
                         "which does not exist")


def _multiple(participant) -> bool:
    """A participantMultiplicity whose maximum (default 2) allows more than one instance."""
    for child in participant:
        if child.tag == _M + "participantMultiplicity":
            try:
                return int((child.get("maximum") or "2").strip()) > 1
            except ValueError:
                return True
    return False


def _closing_links(links: List[tuple]) -> List[tuple]:
    """The (child, parent) links that close a cycle, as (index, ids around the cycle).

    One depth-first walk down from each id in reading order (parents are read
    before their children, so the link found closing a cycle is the innermost
    one, the one to drop); linear in the number of links, no recursion.
    """
    children: Dict[str, List[int]] = {}
    order: Dict[str, None] = {}
    for index, (child, parent) in enumerate(links):
        children.setdefault(parent, []).append(index)
        order.setdefault(parent)
        order.setdefault(child)
    state: Dict[str, int] = {}  # 1 on the current path, 2 done
    closing: List[tuple] = []
    for root in order:
        if root in state:
            continue
        state[root] = 1
        path = [root]
        work = [iter(children.get(root, ()))]
        while work:
            for index in work[-1]:
                child = links[index][0]
                seen = state.get(child)
                if seen == 1:
                    cycle = path[path.index(child):] + [child]
                    closing.append((index, list(reversed(cycle))))
                elif seen is None:
                    state[child] = 1
                    path.append(child)
                    work.append(iter(children.get(child, ())))
                    break
            else:
                state[path.pop()] = 2
                work.pop()
    closing.sort(key=lambda found: found[0])
    return closing


def _join(first: str, second: str) -> str:
    if not first:
        return second
    if not second:
        return first
    return first + "\n" + second
