"""Seeded mutators of BPMN files: bytes, structure, references, coordinates, names, encodings.

Each mutator takes a ``random.Random`` and the file's bytes and returns new bytes; the
same seed gives the same file. Sizes stay bounded (the largest mutation adds about
a megabyte), so a case costs bpmncx time only through what it means, not its size.
Independent of bpmncx: it only knows BPMN as XML.
"""

from __future__ import annotations

import copy
import random
from typing import Callable, List

from lxml import etree

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
_PARSER = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)

REFERENCE_ATTRIBUTES = ("sourceRef", "targetRef", "attachedToRef", "processRef", "bpmnElement",
                        "default", "dataObjectRef", "dataStoreRef", "calledElement",
                        "categoryValueRef", "messageRef")
CONTAINERS = ("lane", "subProcess", "transaction", "adHocSubProcess", "process",
              "participant", "collaboration", "laneSet", "childLaneSet")
NUMBERS = ("0", "-0", "1", "-1", "1e7", "-1e7", "10000000", "-10000000", "1e308", "-1e308",
           "1e400", "NaN", "nan", "INF", "-inf", "", " 12 ", "abc", "0x10", "1,5", "3.4e38",
           "0.0000001", "99999", "-99999", "32768", "16384")
NAMES = (
    "A" * 100000, "A" * 40000, "word " * 5000, "x" * 300, "é" * 1000, "漢字" * 500,
    "😀" * 200, "\u202eevil\u202c", "a\u0301" * 100, "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0", "+SUM(1)", "-2", "@x", "\t\n\r  ", "", " ", "line\nbreak\r\nx",
    "&amp;&lt;", "]]>", "\u00a0\u2028\u2029", "Ω" * 3000, "Customer " * 30,
)


def parse(data: bytes):
    return etree.fromstring(data, etree.XMLParser(**_PARSER))


def serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _elements(root) -> list:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _ids(root) -> List[str]:
    return [el.get("id") for el in _elements(root) if el.get("id")]


# -- bytes ------------------------------------------------------------------------

def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def delete_span(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data) + 1)
    return data[:start] + data[start + rng.randint(1, 400):]


def duplicate_span(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data) + 1)
    span = data[start:start + rng.randint(1, 2000)]
    at = rng.randrange(len(data) + 1)
    return data[:at] + span * rng.randint(1, 3) + data[at:]


def insert_junk(rng: random.Random, data: bytes) -> bytes:
    junk = rng.choice([b"<", b"&", b"]]>", b"\x00", b"\xff\xfe", b"<!--", b"<![CDATA[",
                       b"&#0;", b"&#x110000;", b"<?pi x?>", b"\xc3", b"&nbsp;", b"<a:b>",
                       b'<!DOCTYPE x [<!ENTITY e "y">]>', b"&e;", b"\r\n" * 10])
    at = rng.randrange(len(data) + 1)
    return data[:at] + junk + data[at:]


# -- structure -------------------------------------------------------------------

def remove_element(rng, root) -> None:
    victims = [el for el in _elements(root) if el.getparent() is not None]
    if victims:
        el = rng.choice(victims)
        el.getparent().remove(el)


def duplicate_element(rng, root) -> None:
    """A copy beside the original: every id inside it used twice."""
    victims = [el for el in _elements(root) if el.getparent() is not None]
    if victims:
        el = rng.choice(victims)
        el.addnext(copy.deepcopy(el))


def nest_in_itself(rng, root) -> None:
    """A container inside a copy of itself (same ids): a lane in a lane with its id, a
    sub-process in itself; cycles once nesting is followed by id."""
    victims = [el for el in _elements(root) if _local(el) in CONTAINERS
               and el.getparent() is not None]
    if not victims:
        return
    el = rng.choice(victims)
    inner = copy.deepcopy(el)
    if _local(el) == "lane":
        holder = el.find("{%s}childLaneSet" % MODEL)
        if holder is None:
            holder = etree.SubElement(el, "{%s}childLaneSet" % MODEL, id=f"cls{rng.randrange(999)}")
        holder.append(inner)
    else:
        el.append(inner)


def move_element(rng, root) -> None:
    """An element moved under another one anywhere in the file (not its own descendant)."""
    elements = [el for el in _elements(root) if el.getparent() is not None]
    if len(elements) < 2:
        return
    el = rng.choice(elements)
    targets = [t for t in elements if t is not el and el not in t.iterancestors()]
    if targets:
        rng.choice(targets).append(el)


def deep_nesting(rng, root) -> None:
    """An element wrapped in many sub-processes (or lanes)."""
    victims = [el for el in _elements(root) if _local(el) in ("task", "userTask", "lane",
                                                                "startEvent", "exclusiveGateway")]
    if not victims:
        return
    el = rng.choice(victims)
    depth = rng.choice([10, 100, 200, 300])
    tag = "lane" if _local(el) == "lane" else "subProcess"
    node = el
    for level in range(depth):
        wrapper = etree.Element("{%s}%s" % (MODEL, tag), id=f"deep{level}")
        if tag == "lane":
            holder = etree.SubElement(wrapper, "{%s}childLaneSet" % MODEL)
            parent = node.getparent()
            parent.replace(node, wrapper)
            holder.append(node)
        else:
            parent = node.getparent()
            parent.replace(node, wrapper)
            wrapper.append(node)
        node = wrapper


def replicate(rng, root) -> None:
    """Many copies of one element (with new ids): thousands of shapes, flows or lanes."""
    victims = [el for el in _elements(root) if el.getparent() is not None and el.get("id")]
    if not victims:
        return
    el = rng.choice(victims)
    count = rng.choice([50, 500, 2000])
    for index in range(count):
        twin = copy.deepcopy(el)
        for inner in twin.iter():
            if isinstance(inner.tag, str) and inner.get("id"):
                inner.set("id", f"{inner.get('id')}_r{index}")
        el.addnext(twin)


# -- references, coordinates, names ------------------------------------------------

def rewire_reference(rng, root) -> None:
    ids = _ids(root) or ["x"]
    holders = [el for el in _elements(root)
               if any(el.get(a) is not None for a in REFERENCE_ATTRIBUTES)
               or _local(el) in ("flowNodeRef", "sourceRef", "targetRef", "incoming", "outgoing")]
    for _ in range(rng.randint(1, 5)):
        if not holders:
            return
        el = rng.choice(holders)
        value = rng.choice([rng.choice(ids), el.get("id") or "", "", "missing", " " + rng.choice(ids)])
        if _local(el) in ("flowNodeRef", "sourceRef", "targetRef", "incoming", "outgoing"):
            el.text = value
        else:
            names = [a for a in REFERENCE_ATTRIBUTES if el.get(a) is not None]
            el.set(rng.choice(names), value)


def reference_cycle(rng, root) -> None:
    """A lane listing a lane, a pool whose process is a pool, a boundary event on itself."""
    ids = _ids(root)
    lanes = [el for el in _elements(root) if _local(el) == "lane"]
    if lanes and ids:
        ref = etree.SubElement(rng.choice(lanes), "{%s}flowNodeRef" % MODEL)
        ref.text = rng.choice([lanes[0].get("id", ""), rng.choice(ids)])
    for el in _elements(root):
        if _local(el) == "participant" and rng.random() < 0.5:
            el.set("processRef", el.get("id", ""))
        if _local(el) == "boundaryEvent" and rng.random() < 0.5:
            el.set("attachedToRef", el.get("id", ""))
        if _local(el) == "callActivity":
            processes = [p.get("id") for p in _elements(root) if _local(p) == "process"]
            if processes:
                el.set("calledElement", rng.choice(processes))


def coordinates(rng, root) -> None:
    boxes = [el for el in _elements(root) if _local(el) in ("Bounds", "waypoint")]
    if not boxes:
        return
    for _ in range(rng.randint(1, 6)):
        el = rng.choice(boxes)
        attribute = rng.choice(["x", "y", "width", "height"] if _local(el) == "Bounds" else ["x", "y"])
        value = rng.choice(NUMBERS + (repr(rng.uniform(-1e7, 1e7)),))
        if rng.random() < 0.1:
            el.attrib.pop(attribute, None)
        else:
            el.set(attribute, value)
    if rng.random() < 0.2:  # one edge with very many waypoints
        edges = [el for el in _elements(root) if _local(el) == "BPMNEdge"]
        if edges:
            edge = rng.choice(edges)
            for k in range(rng.choice([100, 3000])):
                etree.SubElement(edge, "{%s}waypoint" % DI, x=str(k * 7 % 3000), y=str(k % 500))


def names(rng, root) -> None:
    named = [el for el in _elements(root) if el.get("name") is not None or _local(el) == "text"]
    if not named:
        return
    for _ in range(rng.randint(1, 3)):
        el = rng.choice(named)
        value = rng.choice(NAMES)
        if _local(el) == "text":
            el.text = value
        else:
            el.set("name", value)


# -- encodings -------------------------------------------------------------------

def encoding(rng: random.Random, data: bytes) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    choice = rng.randrange(8)
    if choice == 0:
        return ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16")
    if choice == 1:
        return ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16-be")
    if choice == 2:
        return ('<?xml version="1.0" encoding="UTF-8"?>' + body).encode("latin-1", "replace")
    if choice == 3:
        return b"\xef\xbb\xbf" + data
    if choice == 4:
        return ('<?xml version="1.0" encoding="ISO-8859-1"?>' + body).encode("utf-8")
    if choice == 5:
        return ('<?xml version="1.0" encoding="no-such-encoding"?>' + body).encode("utf-8")
    if choice == 6:
        return data.replace(b"\n", b"\r\n")
    return ('<?xml version="1.0" encoding="cp500"?>' + body).encode("cp500", "replace")


BYTE_MUTATORS: List[Callable] = [flip_bytes, truncate, delete_span, duplicate_span, insert_junk]
TREE_MUTATORS: List[Callable] = [remove_element, duplicate_element, nest_in_itself, move_element,
                                 deep_nesting, replicate, rewire_reference, reference_cycle,
                                 coordinates, coordinates, names, names]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to three mutations of a BPMN file; mostly structural, so that the file still
    reads as BPMN and the mutation reaches the later stages."""
    kind = rng.random()
    if kind < 0.15:
        return rng.choice(BYTE_MUTATORS)(rng, data)
    if kind < 0.22:
        return encoding(rng, data)
    try:
        root = parse(data)
    except etree.XMLSyntaxError:
        return rng.choice(BYTE_MUTATORS)(rng, data)
    for _ in range(rng.randint(1, 3)):
        rng.choice(TREE_MUTATORS)(rng, root)
    out = serialise(root)
    if rng.random() < 0.05:
        out = encoding(rng, out)
    return out

