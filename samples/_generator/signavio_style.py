"""SAP Signavio Process Manager export style: BPMN MODEL as the default namespace,
omgdc/omgdi prefixes, `sid-` GUID ids (upper case for model elements, lower case
for definitions, lane sets, event definitions and diagram parts), `<id>_gui` for
diagram elements, colours in signavio:signavioMetaData, alphabetical attributes,
coordinates written as floats."""

from __future__ import annotations

import random

from lxml import etree

from diagram import Diagram, Style, qname
from layout import Box, text_width, wrap

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
OMGDC = "http://www.omg.org/spec/DD/20100524/DC"
OMGDI = "http://www.omg.org/spec/DD/20100524/DI"
SIGNAVIO = "http://www.signavio.com"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
I18N = "http://www.omg.org/spec/BPMN/non-normative/extensions/i18n/1.0"

NSMAP = {None: BPMN, "bpmndi": BPMNDI, "i18n": I18N, "omgdc": OMGDC, "omgdi": OMGDI,
         "signavio": SIGNAVIO, "xsi": XSI}

LOWER_CASE_IDS = {"Definitions", "Collaboration", "LaneSet", "EventDefinition", "Diagram",
                  "Plane", "LabelStyle", "DataObject", "Expression"}
NOT_IN_LANES = {"dataObjectReference", "dataStoreReference", "textAnnotation"}
ACTIVITY_WITH_IMPLEMENTATION = {"userTask", "serviceTask", "sendTask", "receiveTask"}
TASK_FILL = "#ffffcc"


def style(seed: int) -> Style:
    rng = random.Random(seed)
    used = set()

    def new_id(prefix: str) -> str:
        while True:
            h = "%032x" % rng.getrandbits(128)
            guid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            if prefix not in LOWER_CASE_IDS:
                guid = guid.upper()
            ident = f"sid-{guid}"
            if ident not in used:
                used.add(ident)
                return ident

    return Style(
        sizes={"activity": (100, 80), "event": (30, 30), "endEvent": (28, 28),
               "gateway": (40, 40), "dataObjectReference": (40, 53),
               "dataStoreReference": (60, 60), "textAnnotation": (100, 50)},
        label_font=11, line_height=12, label_max_width=90,
        gap_below={"event": 6, "endEvent": 6, "gateway": 8,
                   "dataObjectReference": 6, "dataStoreReference": 6},
        new_id=new_id,
    )


def _el(parent, tag, ns=BPMN, **attrs):
    el = etree.SubElement(parent, qname(ns, tag))
    for k in sorted(attrs, key=lambda a: a.split("}")[-1]):
        if attrs[k] is not None:
            el.set(k, attrs[k])
    return el


def _meta(parent, bg=None, border="#000000"):
    ext = _el(parent, "extensionElements")
    if bg is not None:
        _el(ext, "signavioMetaData", SIGNAVIO, metaKey="bgcolor", metaValue=bg)
    _el(ext, "signavioMetaData", SIGNAVIO, metaKey="bordercolor", metaValue=border)
    return ext


def _f(value: float) -> str:
    return repr(float(round(value, 3)))


def serialise(d: Diagram, *, processes) -> bytes:
    """processes: {key: (id, name)}."""
    st = d.style
    root = etree.Element(qname(BPMN, "definitions"), nsmap=NSMAP)
    for k, v in sorted({
        "exporter": "Signavio Process Editor, http://www.signavio.com",
        "exporterVersion": "19.9.0",
        "expressionLanguage": "http://www.w3.org/TR/XPath",
        "id": st.new_id("Definitions"),
        "targetNamespace": "http://www.signavio.com",
        "typeLanguage": "http://www.w3.org/2001/XMLSchema",
    }.items()):
        root.set(k, v)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en-US")
    root.set(qname(XSI, "schemaLocation"), "http://www.omg.org/spec/BPMN/20100524/MODEL "
             "http://www.omg.org/spec/BPMN/2.0/20100501/BPMN20.xsd")

    collaboration_id = st.new_id("Collaboration")
    collab = _el(root, "collaboration", id=collaboration_id)
    for p in d.pools.values():
        part = _el(collab, "participant", id=p.id, name=p.name,
                   processRef=processes[p.process][0] if p.process else None)
        _meta(part, bg="#ffffff")
    for f in d.flows:
        if f.kind == "messageFlow":
            mf = _el(collab, "messageFlow", id=f.id, name=f.name or "",
                     sourceRef=d.ref(f.src), targetRef=d.ref(f.dst))
            _meta(mf)

    for pkey, (pid, pname) in processes.items():
        proc = _el(root, "process", id=pid, isClosed="false", isExecutable="false",
                   name=pname, processType="None")
        _el(proc, "extensionElements")
        pool = next(p for p in d.pools.values() if p.process == pkey)
        ls = _el(proc, "laneSet", id=st.new_id("LaneSet"))
        for lkey in pool.lanes:
            lane = d.lanes[lkey]
            le = _el(ls, "lane", id=lane.id, name=lane.name)
            _meta(le, bg="")
            for n in d.nodes.values():
                if n.lane == lkey and n.kind not in NOT_IN_LANES:
                    _el(le, "flowNodeRef").text = n.id
        _write_process_body(d, proc, pool.key)

    _write_di(d, root, collaboration_id)
    etree.indent(root, space="   ")
    body = etree.tostring(root, encoding="UTF-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>' + body + b"\n"


def _write_process_body(d, proc, pool_key):
    seqs = [f for f in d.flows if f.kind == "sequenceFlow" and d.nodes[f.src].pool == pool_key]
    for n in d.nodes.values():
        if n.pool == pool_key:
            _write_node(d, proc, n)
    for f in seqs:
        el = _el(proc, "sequenceFlow", id=f.id, name=f.name or "",
                 sourceRef=d.nodes[f.src].id, targetRef=d.nodes[f.dst].id)
        _meta(el)
        if f.condition:
            c = _el(el, "conditionExpression", id=d.style.new_id("Expression"),
                    **{qname(XSI, "type"): "tFormalExpression"})
            c.text = f.condition
    for f in d.flows:
        if f.kind == "association" and d.nodes[f.src].pool == pool_key:
            a = _el(proc, "association", associationDirection="None", id=f.id,
                    sourceRef=d.nodes[f.src].id, targetRef=d.nodes[f.dst].id)
            _meta(a)


def _write_node(d, proc, n):
    st = d.style
    fill = n.colour[1] if n.colour else None
    border = n.colour[0] if n.colour else "#000000"
    if n.kind == "textAnnotation":
        ta = _el(proc, "textAnnotation", id=n.id, textFormat="text/plain",
                 **{qname(SIGNAVIO, "alignment"): "left"})
        _meta(ta)
        _el(ta, "text").text = n.text
        return
    if n.kind == "dataObjectReference":
        obj_id = st.new_id("DataObject")
        ref = _el(proc, "dataObjectReference", dataObjectRef=obj_id, id=n.id, name=n.name)
        _meta(ref, bg=fill or "#ffffff", border=border)
        _el(proc, "dataObject", id=obj_id, isCollection="false", name=n.name)
        return
    attrs = {"id": n.id, "name": n.name or ""}
    is_activity = n.kind.endswith("Task") or n.kind in ("task", "callActivity", "subProcess")
    if is_activity:
        attrs.update(completionQuantity="1", isForCompensation="false", startQuantity="1")
        if n.kind in ACTIVITY_WITH_IMPLEMENTATION:
            attrs["implementation"] = "##WebService"
        if n.kind == "receiveTask":
            attrs["instantiate"] = "false"
    if n.kind.endswith("Gateway"):
        outs = sum(1 for f in d.flows if f.kind == "sequenceFlow" and f.src == n.key)
        attrs["gatewayDirection"] = "Diverging" if outs > 1 else "Converging"
        if n.kind == "eventBasedGateway":
            attrs.update(eventGatewayType="Exclusive", instantiate="false")
    if n.kind == "boundaryEvent":
        attrs.update(attachedToRef=d.nodes[n.attached_to].id,
                     cancelActivity="true" if n.cancel else "false", parallelMultiple="false")
    if n.kind == "startEvent":
        attrs["isInterrupting"] = "true"
    defaults = [f for f in d.flows if f.kind == "sequenceFlow" and f.src == n.key and f.is_default]
    if defaults:
        attrs["default"] = defaults[0].id
    el = _el(proc, n.kind, **attrs)
    if n.kind != "boundaryEvent":
        _meta(el, bg=fill or (TASK_FILL if is_activity else "#ffffff"), border=border)
    for f in d.flows:
        if f.kind == "sequenceFlow" and f.dst == n.key:
            _el(el, "incoming").text = f.id
    for f in d.flows:
        if f.kind == "sequenceFlow" and f.src == n.key:
            _el(el, "outgoing").text = f.id
    for f in d.flows:
        if f.kind == "dataIn" and f.dst == n.key:
            a = _el(el, "dataInputAssociation", id=f.id)
            _meta(a)
            _el(a, "sourceRef").text = d.nodes[f.src].id
            _el(a, "targetRef").text = n.id
        if f.kind == "dataOut" and f.src == n.key:
            a = _el(el, "dataOutputAssociation", id=f.id)
            _meta(a)
            _el(a, "targetRef").text = d.nodes[f.dst].id
    if n.event == "message":
        _el(el, "messageEventDefinition", id=st.new_id("EventDefinition"))
    elif n.event == "timer":
        td = _el(el, "timerEventDefinition", id=st.new_id("EventDefinition"))
        dur = _el(td, "timeDuration", id=st.new_id("Expression"),
                  **{qname(XSI, "type"): "tFormalExpression"})
        dur.text = n.extra.get("duration", "P30D")
    elif n.event == "terminate":
        _el(el, "terminateEventDefinition", id=st.new_id("EventDefinition"))


def _shape(plane, element_id, box, **attrs):
    s = _el(plane, "BPMNShape", BPMNDI, bpmnElement=element_id, id=f"{element_id}_gui", **attrs)
    _bounds(s, box)
    return s


def _bounds(parent, box):
    _el(parent, "Bounds", OMGDC, height=_f(box.h), width=_f(box.w), x=_f(box.x), y=_f(box.y))


def _label(parent, style_id, box):
    lab = _el(parent, "BPMNLabel", BPMNDI, labelStyle=style_id)
    _bounds(lab, box)


def _vertical_label(text, box):
    h = text_width(text, 12)
    return Box(box.x + 5, box.y + (box.h - h) / 2, 12.0, h)


def _inner_label(text, box):
    lines = wrap(text, 12, box.w - 8)
    w = max(text_width(line, 12) for line in lines)
    h = 12.0 * len(lines)
    return Box(box.cx - w / 2, box.cy - h / 2, w, h)


def _write_di(d, root, collaboration_id):
    st = d.style
    diagram = _el(root, "BPMNDiagram", BPMNDI, id=st.new_id("Diagram"))
    plane = _el(diagram, "BPMNPlane", BPMNDI, bpmnElement=collaboration_id, id=st.new_id("Plane"))
    small, large = st.new_id("LabelStyle"), st.new_id("LabelStyle")
    for p in d.pools.values():
        s = _shape(plane, p.id, p.box, isHorizontal="true")
        _label(s, large, _vertical_label(p.name, p.box))
    for p in d.pools.values():
        for lkey in p.lanes:
            lane = d.lanes[lkey]
            s = _shape(plane, lane.id, lane.box, isHorizontal="true")
            _label(s, large, _vertical_label(lane.name, lane.box))
    for n in d.nodes.values():
        extra = {"isMarkerVisible": "true"} if n.kind == "exclusiveGateway" else {}
        s = _shape(plane, n.id, n.box, **extra)
        if n.label:
            _label(s, small, n.label)
        elif n.name and n.kind not in ("textAnnotation",):
            _label(s, large, _inner_label(n.name, n.box))
    for f in d.flows:
        e = _el(plane, "BPMNEdge", BPMNDI, bpmnElement=f.id, id=f"{f.id}_gui")
        for x, y in f.points:
            _el(e, "waypoint", OMGDI, x=_f(x), y=_f(y))
        if f.label:
            _label(e, small, f.label)
    for sid, size in ((small, "11.0"), (large, "12.0")):
        ls = _el(diagram, "BPMNLabelStyle", BPMNDI, id=sid)
        _el(ls, "Font", OMGDC, isBold="false", isItalic="false", isStrikeThrough="false",
            isUnderline="false", name="Arial", size=size)
