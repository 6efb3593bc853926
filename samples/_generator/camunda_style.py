"""Camunda Modeler 5 export style: bpmn:/bpmndi:/dc:/di: prefixes, ids such as
Activity_0abc123, `<id>_di` for diagram elements, bioc + color attributes."""

from __future__ import annotations

import random
import string

from lxml import etree

from diagram import Diagram, Style, qname
from layout import fmt

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
BIOC = "http://bpmn.io/schema/bpmn/biocolor/1.0"
COLOR = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"
MODELER = "http://camunda.org/schema/modeler/1.0"

NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI,
         "camunda": CAMUNDA, "bioc": BIOC, "color": COLOR, "modeler": MODELER}


NOT_IN_LANES = {"dataObjectReference", "dataStoreReference", "textAnnotation"}


def style(seed: int) -> Style:
    rng = random.Random(seed)
    alphabet = string.ascii_lowercase + string.digits
    used = set()

    def new_id(prefix: str) -> str:
        while True:
            ident = f"{prefix}_{rng.choice('01')}{''.join(rng.choice(alphabet) for _ in range(6))}"
            if ident not in used:
                used.add(ident)
                return ident

    return Style(
        sizes={"activity": (100, 80), "event": (36, 36), "endEvent": (36, 36),
               "gateway": (50, 50), "dataObjectReference": (36, 50),
               "dataStoreReference": (50, 50), "textAnnotation": (100, 30)},
        label_font=11, line_height=13.2, label_max_width=90,
        gap_below={"event": 7, "endEvent": 7, "gateway": 10,
                   "dataObjectReference": 7, "dataStoreReference": 7},
        new_id=new_id,
    )


def _b(parent, tag, **attrs):
    el = etree.SubElement(parent, qname(BPMN, tag))
    for k, v in attrs.items():
        if v is not None:
            el.set(k, v)
    return el


def serialise(d: Diagram, *, definitions_id, collaboration_id, processes, messages,
              errors, version="5.23.0") -> bytes:
    """processes: {key: (id, isExecutable)}; messages/errors: {key: (id, name[, code])}."""
    root = etree.Element(qname(BPMN, "definitions"), nsmap=NSMAP)
    root.set("id", definitions_id)
    root.set("targetNamespace", "http://bpmn.io/schema/bpmn")
    root.set("exporter", "Camunda Modeler")
    root.set("exporterVersion", version)
    root.set(qname(MODELER, "executionPlatform"), "Camunda Platform")
    root.set(qname(MODELER, "executionPlatformVersion"), "7.20.0")

    collab = _b(root, "collaboration", id=collaboration_id)
    for p in d.pools.values():
        _b(collab, "participant", id=p.id, name=p.name,
           processRef=processes[p.process][0] if p.process else None)
    for f in d.flows:
        if f.kind == "messageFlow":
            _b(collab, "messageFlow", id=f.id, name=f.name,
               sourceRef=d.ref(f.src), targetRef=d.ref(f.dst))

    for pkey, (pid, executable) in processes.items():
        proc = _b(root, "process", id=pid, isExecutable="true" if executable else "false")
        pool = next(p for p in d.pools.values() if p.process == pkey)
        if pool.lanes:
            ls = _b(proc, "laneSet", id=d.style.new_id("LaneSet"))
            for lkey in pool.lanes:
                lane = d.lanes[lkey]
                le = _b(ls, "lane", id=lane.id, name=lane.name)
                for n in d.nodes.values():
                    if n.lane == lkey and n.kind not in NOT_IN_LANES:
                        _b(le, "flowNodeRef").text = n.id
        _write_process_body(d, proc, pool.key, messages, errors)

    for mid, name in messages.values():
        _b(root, "message", id=mid, name=name)
    for eid, name, code in errors.values():
        _b(root, "error", id=eid, name=name, errorCode=code)

    _write_di(d, root, collaboration_id)
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _write_process_body(d, proc, pool_key, messages, errors):
    seq_by_id = {f.id: f for f in d.flows if f.kind == "sequenceFlow"}
    for what, key in d.order:
        if what == "node":
            n = d.nodes[key]
            if n.pool != pool_key:
                continue
            _write_node(d, proc, n, messages, errors)
        else:
            f = seq_by_id[key]
            if d.nodes[f.src].pool != pool_key:
                continue
            el = _b(proc, "sequenceFlow", id=f.id, name=f.name,
                    sourceRef=d.nodes[f.src].id, targetRef=d.nodes[f.dst].id)
            if f.condition:
                c = _b(el, "conditionExpression")
                c.set(qname(XSI, "type"), "bpmn:tFormalExpression")
                c.text = f.condition
    for f in d.flows:
        if f.kind == "association" and d.nodes[f.src].pool == pool_key:
            _b(proc, "association", id=f.id, sourceRef=d.nodes[f.src].id,
               targetRef=d.nodes[f.dst].id)


def _write_node(d, proc, n, messages, errors):
    if n.kind == "textAnnotation":
        ta = _b(proc, "textAnnotation", id=n.id)
        _b(ta, "text").text = n.text
        return
    if n.kind == "dataObjectReference":
        obj_id = d.style.new_id("DataObject")
        _b(proc, "dataObjectReference", id=n.id, name=n.name, dataObjectRef=obj_id)
        _b(proc, "dataObject", id=obj_id)
        return
    if n.kind == "dataStoreReference":
        _b(proc, "dataStoreReference", id=n.id, name=n.name)
        return
    attrs = {"id": n.id, "name": n.name}
    if n.kind == "boundaryEvent":
        if not n.cancel:
            attrs["cancelActivity"] = "false"
        attrs["attachedToRef"] = d.nodes[n.attached_to].id
    defaults = [f for f in d.flows if f.kind == "sequenceFlow" and f.src == n.key and f.is_default]
    if defaults:
        attrs["default"] = defaults[0].id
    for k, v in n.attrs.items():
        if k == "messageRef" or k == "errorRef":
            continue
        attrs[k.replace("camunda_", "{%s}" % CAMUNDA)] = v
    if n.kind == "receiveTask" and "messageRef" in n.attrs:
        attrs["messageRef"] = messages[n.attrs["messageRef"]][0]
    el = _b(proc, n.kind, **attrs)
    for f in d.flows:
        if f.kind == "sequenceFlow" and f.dst == n.key:
            _b(el, "incoming").text = f.id
    for f in d.flows:
        if f.kind == "sequenceFlow" and f.src == n.key:
            _b(el, "outgoing").text = f.id
    for f in d.flows:
        if f.kind == "dataIn" and f.dst == n.key:
            prop = d.style.new_id("Property")
            _b(el, "property", id=prop, name="__targetRef_placeholder")
            a = _b(el, "dataInputAssociation", id=f.id)
            _b(a, "sourceRef").text = d.nodes[f.src].id
            _b(a, "targetRef").text = prop
    for f in d.flows:
        if f.kind == "dataOut" and f.src == n.key:
            a = _b(el, "dataOutputAssociation", id=f.id)
            _b(a, "targetRef").text = d.nodes[f.dst].id
    if n.event == "message":
        ref = n.attrs.get("messageRef")
        _b(el, "messageEventDefinition", id=d.style.new_id("MessageEventDefinition"),
           messageRef=messages[ref][0] if ref else None)
    elif n.event == "timer":
        td = _b(el, "timerEventDefinition", id=d.style.new_id("TimerEventDefinition"))
        dur = _b(td, "timeDuration")
        dur.set(qname(XSI, "type"), "bpmn:tFormalExpression")
        dur.text = n.extra.get("duration", "P14D")
    elif n.event == "error":
        ref = n.attrs.get("errorRef")
        _b(el, "errorEventDefinition", id=d.style.new_id("ErrorEventDefinition"),
           errorRef=errors[ref][0] if ref else None)


def _di(tag, parent, **attrs):
    ns = BPMNDI if tag.startswith("BPMN") else (DC if tag == "Bounds" else DI)
    el = etree.SubElement(parent, qname(ns, tag))
    for k, v in attrs.items():
        el.set(k, v)
    return el


def _bounds(parent, box):
    _di("Bounds", parent, x=fmt(box.x), y=fmt(box.y), width=fmt(box.w), height=fmt(box.h))


def _colour(el, colour):
    if colour:
        stroke, fill = colour
        el.set(qname(BIOC, "stroke"), stroke)
        el.set(qname(BIOC, "fill"), fill)
        el.set(qname(COLOR, "background-color"), fill)
        el.set(qname(COLOR, "border-color"), stroke)


def _write_di(d, root, collaboration_id):
    diagram = _di("BPMNDiagram", root, id="BPMNDiagram_1")
    plane = _di("BPMNPlane", diagram, id="BPMNPlane_1", bpmnElement=collaboration_id)
    for p in d.pools.values():
        s = _di("BPMNShape", plane, id=f"{p.id}_di", bpmnElement=p.id, isHorizontal="true")
        _bounds(s, p.box)
        for lkey in p.lanes:
            lane = d.lanes[lkey]
            ls = _di("BPMNShape", plane, id=f"{lane.id}_di", bpmnElement=lane.id, isHorizontal="true")
            _bounds(ls, lane.box)
    seq_by_id = {f.id: f for f in d.flows}
    shapes_done = set()
    for what, key in d.order:
        if what == "node":
            n = d.nodes[key]
            attrs = {"id": f"{n.id}_di", "bpmnElement": n.id}
            if n.kind == "exclusiveGateway":
                attrs["isMarkerVisible"] = "true"
            s = _di("BPMNShape", plane, **attrs)
            _colour(s, n.colour)
            _bounds(s, n.box)
            if n.label:
                lab = _di("BPMNLabel", s)
                _bounds(lab, n.label)
            shapes_done.add(key)
        else:
            _edge(plane, seq_by_id[key], d)
    for f in d.flows:
        if f.kind != "sequenceFlow":
            _edge(plane, f, d)


def _edge(plane, f, d):
    e = _di("BPMNEdge", plane, id=f"{f.id}_di", bpmnElement=f.id)
    for x, y in f.points:
        _di("waypoint", e, x=fmt(x), y=fmt(y))
    if f.label:
        lab = _di("BPMNLabel", e)
        _bounds(lab, f.label)
