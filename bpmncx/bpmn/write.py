"""Write the customer's view into the BPMN file itself, losslessly.

:func:`annotate_bpmn` takes the original bytes and adds, in place:

* colours by emotion on every shape of a customer-facing element, in the three
  dialects the modellers read: ``bioc:fill``/``bioc:stroke`` (bpmn-js, Camunda
  Modeler), ``color:background-color``/``color:border-color`` (BPMN in Color)
  and ``signavio:signavioMetaData`` ``bgcolor``/``bordercolor`` (SAP Signavio);
* a text annotation per customer-facing touchpoint, joined by an association and
  drawn (BPMNShape and BPMNEdge) where it covers nothing;
* red text annotations in a row above the diagram for journey steps that no
  element supports;
* the touchpoint and journey data in the bpmncx namespace
  (see :mod:`bpmncx.bpmn.extension`).

Everything else stays byte for byte as it was; every addition is marked so that
:func:`bpmncx.bpmn.strip.strip_bpmn` removes exactly it. Annotating an annotated
file first strips the earlier additions, so the result does not stack.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import replace
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple
from urllib.parse import quote

from .. import palette
from ..analysis import Analysis, analyse
from ..annotations import Annotations, ElementRef, JourneyStep, Touchpoint, feeling
from ..errors import BpmncxError
from ..files import write_atomic
from ..model import FLOW_NODE_KINDS, Bounds, Model, Plane
from ..vocabulary import EMOTION_BY_SCORE, emotion_choice
from . import placement
from .extension import CX_NS, journey_map_xml, touchpoint_xml, xml_element
from .source import Edits, Source, Tag, escape_attr, local_name
from .strip import REOPENED, strip_edits
from .xml import BIOC_NS, BPMNDI_NS, COLOR_NS, DC_NS, DI_NS, MODEL_NS, SIGNAVIO_NS, read_bytes

_PROCESS_TAIL = frozenset(
    {
        "resourceRole", "performer", "humanPerformer", "potentialOwner",
        "correlationSubscription", "supports",
    }
)
_COLLABORATION_HEAD = frozenset(
    {
        "documentation", "extensionElements", "participant", "messageFlow",
        "textAnnotation", "group", "association",
    }
)
_NOTE_WIDTH = 200.0
_CHAR_WIDTH = 7.0  # a generous average width of 12px Arial text, in diagram units
_LINE_HEIGHT = 15.0

Maker = Callable[[str, str], str]  # (cx:generated value, separator) -> element text


def annotate_bpmn(model: Model, source_bytes: bytes, analysis: Analysis,
                  path: str = "<bytes>") -> bytes:
    """The BPMN file with the customer's view of ``analysis`` (the gap analysis of
    ``model`` and its annotations, for its persona) added (see the module docstring)."""
    original = Source(source_bytes, path)
    edits, removed = strip_edits(original)
    # an annotated file knows the model it was made from (its own name may be
    # OUTDIR/<model>.cx.bpmn or similar)
    made_from = next((journey_map.get("model") for journey_map
                      in original.root.iter("{%s}journeyMap" % CX_NS)), None)
    if edits:  # an annotated file: our earlier additions come out first
        original = Source(edits.apply(), path)
    writer = _Writer(model, original, analysis, removed)
    if made_from:
        writer.name = made_from
        writer.names.add(made_from)
    writer.analysis = _under_its_name(model, analysis, writer.names)
    try:
        return writer.write()
    finally:
        # its makers are closures over the writer: without this the writer, the Source
        # and every Tag (~150 MB at 10,000 tasks) wait for the cyclic collector
        writer.children.clear()


def _under_its_name(model: Model, analysis: Analysis, names: Set[str]) -> Analysis:
    """The analysis of ``model`` as its annotations name it: an annotated copy read back
    (``x.cx.bpmn``) is still the model ``x`` its touchpoints and journey refer to."""
    used = {tp.model for tp in analysis.annotations.touchpoints}
    used.update(ref.model for step in analysis.annotations.journey for ref in step.supported_by)
    if model.name in used:
        return analysis
    alias = next((name for name in sorted(names) if name in used), None)
    if alias is None:
        return analysis
    return analyse([replace(model, name=alias)], analysis.annotations, analysis.persona)


def annotate_file(model: Model, analysis: Analysis, output: str) -> str:
    """Annotate the file ``model`` was read from into ``output`` (written atomically)."""
    source = read_bytes(model.path)
    write_atomic(output, annotate_bpmn(model, source, analysis, model.path))
    return output


def note_lines(tp: Touchpoint, findings: Sequence[str] = ()) -> List[str]:
    """The text of a touchpoint's note, one entry per line."""
    lines = [tp.touchpoint or tp.element_name or tp.element_id]
    where = " · ".join(x for x in (tp.channel, tp.stage) if x)
    if where:
        lines.append(where)
    for name, score in tp.emotions.items():
        lines.append(f"{name}: {emotion_choice(EMOTION_BY_SCORE[score])}")
    if tp.moment_of_truth:
        lines.append("★ Moment of truth")
    if tp.pain_point:
        lines.append(f"Pain: {tp.pain_point}")
    lines.extend(f"⚠ {f}" for f in findings)
    return lines


def missing_step_lines(step: JourneyStep) -> List[str]:
    lines = [f"Missing in operations: step {step.step}", step.customer_step or "(no text)"]
    where = " · ".join(x for x in (step.stage, step.channel) if x)
    if where:
        lines.append(where)
    if step.emotion is not None:
        who = f"{step.persona}: " if step.persona else ""
        lines.append(who + emotion_choice(EMOTION_BY_SCORE[step.emotion]))
    if step.moment_of_truth:
        lines.append("★ Moment of truth")
    return lines


def box_size(lines: Sequence[str], width: float = _NOTE_WIDTH) -> Tuple[str, float, float]:
    """Wrap ``lines`` to the note width; return the text and the box size."""
    chars = max(12, int((width - 12) / _CHAR_WIDTH))
    wrapped: List[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, chars) or [""])
    return "\n".join(wrapped), width, round(len(wrapped) * _LINE_HEIGHT + 14)


def finding_messages(analysis: Analysis, models: Set[str], element_id: str) -> List[str]:
    """The critical findings about one element of one of ``models`` (at most two)."""
    out: List[str] = []
    for model in sorted(models):
        for f in analysis.findings_for(ElementRef(model, element_id)):
            if f.severity == "critical" and f.message not in out:
                out.append(f.message)
    return out[:2]


class _Prefixes:
    """Namespace prefixes: reuse the file's own, declare new ones that clash with nothing."""

    PREFERRED = {
        CX_NS: "cx", BIOC_NS: "bioc", COLOR_NS: "color", SIGNAVIO_NS: "signavio",
        MODEL_NS: "bpmn", BPMNDI_NS: "bpmndi", DC_NS: "dc", DI_NS: "di",
    }

    def __init__(self, source: Source):
        self.used: Set[str] = set()
        for tag in source.tags:
            for a in tag.attrs:
                if a.qname.startswith("xmlns:"):
                    self.used.add(a.qname[6:])
                self.used.add(a.qname.partition(":")[0])
            self.used.add(tag.qname.partition(":")[0])
        self.new: Dict[str, str] = {}  # prefix -> uri, declared on the root

    def get(self, uri: str, scope: Tag, element: bool = True) -> str:
        nsmap = scope.el.nsmap
        found = sorted(p for p, u in nsmap.items() if u == uri and p)
        if uri == CX_NS:
            found = []  # bpmncx always declares its own (the old one was stripped)
        if found:
            preferred = self.PREFERRED.get(uri)
            return preferred if preferred in found else found[0]
        if element and nsmap.get(None) == uri:
            return ""
        for p, u in self.new.items():
            if u == uri:
                return p
        base = self.PREFERRED.get(uri, "ns")
        prefix, n = base, 1
        while prefix in self.used or prefix in self.new or prefix in ("xml", "xmlns"):
            n += 1
            prefix = f"{base}{n}"
        self.new[prefix] = uri
        return prefix

    def q(self, uri: str, local: str, scope: Tag, element: bool = True) -> str:
        prefix = self.get(uri, scope, element)
        return f"{prefix}:{local}" if prefix else local


class _Writer:
    def __init__(self, model: Model, source: Source, analysis: Analysis, ignore_ids):
        self.model: Model = model
        self.src: Source = source
        self.annotations: Annotations = analysis.annotations
        self.analysis = analysis
        self.persona = analysis.persona
        self.ignore: Set[str] = set(ignore_ids)
        # OUTDIR/<model>.cx.bpmn annotated again is still the model <model>
        self.name = model.name[:-3] if model.name.endswith(".cx") else model.name
        self.names = {model.name, self.name}  # touchpoints of any of these are this file's
        self.edits = Edits(source)
        self.ns = _Prefixes(source)
        self.cx = self.ns.get(CX_NS, source.root_tag)
        self.ids: Set[str] = set()
        self.by_id: Dict[str, List[Tag]] = {}  # ids are not always unique
        self.shapes_of: Dict[str, List[Tag]] = defaultdict(list)
        for tag in source.tags:
            element_id = tag.el.get("id")
            if element_id:
                self.ids.add(element_id)
                self.by_id.setdefault(element_id, []).append(tag)
            if local_name(tag) == "BPMNShape" and tag.el.get("bpmnElement"):
                self.shapes_of[tag.el.get("bpmnElement")].append(tag)
        # (parent tag, tag to insert after or None) -> makers, in order
        self.children: Dict[Tuple[int, int], List[Maker]] = defaultdict(list)
        self.child_places: Dict[Tuple[int, int], Tuple[Tag, Optional[Tag]]] = {}
        self.attributes: Dict[int, Tuple[Tag, List[Tuple[str, str]]]] = {}
        self.placed: Dict[int, List[placement.Bounds]] = defaultdict(list)  # by id(plane)
        self.around: Dict[int, placement.Surroundings] = {}  # by id(plane)
        self.artifact_places: Dict[int, Optional[Tag]] = {}  # by id(container)

    # -- the plan -----------------------------------------------------------

    def write(self) -> bytes:
        touchpoints = [tp for tp in self.annotations.touchpoints if tp.model in self.names]
        first: Dict[str, Touchpoint] = {}
        for tp in touchpoints:  # the CLI's reader refuses this too; the API must not write
            if tp.element_id in first and len(self.by_id.get(tp.element_id, ())) <= 1:
                # one element's attributes twice (broken XML); an id the file itself
                # repeats has one row per element and is handled as before
                where = " and ".join(x for x in (first[tp.element_id].cell, tp.cell) if x)
                raise BpmncxError(f"{self.src.path}: element {tp.element_id!r} has two "
                                  f"touchpoint rows{f' ({where})' if where else ''}; merge "
                                  "them into one before annotating")
            first[tp.element_id] = tp
        orphans: List[Touchpoint] = []
        for tp in touchpoints:
            tag = self.find(tp.element_id, _FLOW_NODE_NAMES)
            if tag is None:
                orphans.append(tp)
                continue
            self.touchpoint(tp, tag)
        self.journey(orphans)
        return self.flush()

    def touchpoint(self, tp: Touchpoint, tag: Tag) -> None:
        makers: List[Maker] = [
            lambda gen, sep: touchpoint_xml(tp, self.cx, sep, [(f"{self.cx}:generated", gen)])
        ]
        fill = self.analysis.touchpoint_fill(tp)
        if fill is not None:
            score = self.analysis.touchpoint_feeling(tp).score
            stroke = palette.darker(fill)
            makers += self.signavio_colours(tag, fill, stroke)
            for shape in self.shapes_of.get(tp.element_id, ()):
                self.set_attributes(
                    shape,
                    [
                        ("bioc:fill", fill),
                        ("bioc:stroke", stroke),
                        ("color:background-color", fill),
                        ("color:border-color", stroke),
                    ],
                )
                if local_name(tag) in _ACTIVITY_NAMES:
                    self.label_colour(shape, palette.emotion_text(score))
            self.note(tp, tag)
        self.add_extensions(tag, makers)

    def journey(self, orphans: List[Touchpoint]) -> None:
        container = self.journey_container()
        if container is None:
            return

        def journey_map(gen: str, sep: str) -> str:
            marker = [(f"{self.cx}:generated", gen)]
            return journey_map_xml(
                self.annotations, self.name, self.cx, sep, marker, orphans, self.names
            )

        self.add_extensions(container, [journey_map])
        missing = list(self.analysis.missing_steps())
        if missing:
            self.missing_steps(container, missing)

    # -- semantic elements --------------------------------------------------

    def journey_container(self) -> Optional[Tag]:
        plane = self.model.main_plane
        tag = self.find(plane.element_id, _CONTAINER_NAMES) if plane is not None else None
        if tag is not None:
            return tag
        for local in ("collaboration", "process"):
            for tag in self.src.root_tag.children:
                if local_name(tag) == local:
                    return tag
        return None

    def signavio_colours(self, tag: Tag, fill: str, stroke: str) -> List[Maker]:
        """Set Signavio's bgcolor/bordercolor; return makers for the ones to add."""
        wanted = {"bgcolor": fill, "bordercolor": stroke}
        ext = self.extension_tag(tag)
        for child in ext.children if ext is not None else ():
            key = child.el.get("metaKey")
            if child.el.tag == "{%s}signavioMetaData" % SIGNAVIO_NS and key in wanted:
                self.set_attributes(child, [("metaValue", wanted.pop(key))])
        makers: List[Maker] = []
        for key, value in wanted.items():
            def meta(gen, sep, key=key, value=value, scope=ext or tag):
                qn = self.ns.q(SIGNAVIO_NS, "signavioMetaData", scope)
                return xml_element(
                    qn, [(f"{self.cx}:generated", gen), ("metaKey", key), ("metaValue", value)]
                )
            makers.append(meta)
        return makers

    def extension_tag(self, tag: Tag) -> Optional[Tag]:
        for child in tag.children:
            if child.el.tag == "{%s}extensionElements" % MODEL_NS:
                return child
        return None

    def add_extensions(self, tag: Tag, makers: List[Maker]) -> None:
        ext = self.extension_tag(tag)
        if ext is not None:
            for m in makers:
                self.add_child(ext, None, m)
            return
        after = None
        for child in tag.children:
            if local_name(child) == "documentation":
                after = child

        def extension_elements(gen: str, sep: str) -> str:
            qn = self.ns.q(MODEL_NS, "extensionElements", tag)
            inner = sep + "  " if sep else ""
            body = "".join(inner + m("1", inner) for m in makers)
            return f'<{qn} {self.cx}:generated="{gen}">{body}{sep}</{qn}>'

        self.add_child(tag, after, extension_elements)

    def artifact_place(self, container: Tag) -> Optional[Tag]:
        """The child after which artifacts go (None: first in the container); found
        once per container (the source's children do not change, notes are edits)."""
        key = id(container)
        if key not in self.artifact_places:
            self.artifact_places[key] = self._artifact_place(container)
        return self.artifact_places[key]

    def _artifact_place(self, container: Tag) -> Optional[Tag]:
        after = None
        collaboration = local_name(container) == "collaboration"
        for child in container.children:
            name = local_name(child)
            if collaboration and name not in _COLLABORATION_HEAD:
                break
            if not collaboration and name in _PROCESS_TAIL:
                break
            after = child
        return after

    # -- notes ----------------------------------------------------------------

    def note(self, tp: Touchpoint, tag: Tag) -> None:
        node = self.model.node.get(tp.element_id)
        plane, shape = self.shape_on_a_plane(tp.element_id)
        if node is None or plane is None:
            return
        container_id = node.parent_id or node.process_id
        container = self.find(container_id, _CONTAINER_NAMES)
        plane_tag = self.plane_tag(plane)
        if container is None or plane_tag is None or len(self.by_id[container_id]) > 1:
            return  # (a duplicated id: modellers drop one of the two, maybe ours)
        findings = finding_messages(self.analysis, self.names, tp.element_id)
        text, width, height = box_size(note_lines(tp, findings))
        around = self.surroundings(plane)
        box = placement.place(shape.bounds, width, height, around)
        self.placed[id(plane)].append(box)
        around.add_obstacle(box)
        waypoints = placement.connect(shape.bounds, box)
        around.add_segment(waypoints[0], waypoints[1])
        note_id = self.new_id(f"cx_note_{tp.element_id}")
        link_id = self.new_id(f"cx_link_{tp.element_id}")
        self.add_artifact(container, note_id, text, link_id, tp.element_id)
        self.add_note_di(plane_tag, note_id, box, link_id, waypoints)

    def missing_steps(self, container: Tag, steps: List[JourneyStep]) -> None:
        plane = self.model.main_plane
        plane_tag = self.plane_tag(plane) if plane is not None else None
        sized = [box_size(missing_step_lines(s), 200.0) for s in steps]
        shapes = self.visible_bounds(plane) if plane is not None else []
        taken = shapes + self.placed[id(plane)]
        boxes = placement.row_above([(w, h) for _, w, h in sized], taken)
        for step, (text, _, _), box in zip(steps, sized, boxes):
            note_id = self.new_id(f"cx_missing_step_{step.number}")
            self.add_artifact(container, note_id, text, None, None, red=True)
            if plane_tag is not None:
                self.add_note_di(plane_tag, note_id, box, None, None, red=True)

    def add_artifact(self, container, note_id, text, link_id, element_id, red=False) -> None:
        def annotation(gen: str, sep: str) -> str:
            q = lambda local: self.ns.q(MODEL_NS, local, container)  # noqa: E731
            inner = sep + "  " if sep else ""
            children = []
            if red:
                meta = xml_element(
                    self.ns.q(SIGNAVIO_NS, "signavioMetaData", container),
                    [("metaKey", "bordercolor"), ("metaValue", palette.MISSING_STROKE)],
                )
                ext = q("extensionElements")
                children.append(f"<{ext}>{inner + '  ' if sep else ''}{meta}{inner}</{ext}>")
            children.append(xml_element(q("text"), text=text))
            return xml_element(
                q("textAnnotation"),
                [("id", note_id), (f"{self.cx}:generated", gen), ("textFormat", "text/plain")],
                children,
                sep=sep,
            )

        def association(gen: str, sep: str) -> str:
            return xml_element(
                self.ns.q(MODEL_NS, "association", container),
                [
                    ("id", link_id),
                    (f"{self.cx}:generated", gen),
                    ("associationDirection", "None"),
                    ("sourceRef", element_id),
                    ("targetRef", note_id),
                ],
            )

        after = self.artifact_place(container)
        self.add_child(container, after, annotation)
        if link_id:
            self.add_child(container, after, association)

    def add_note_di(self, plane_tag, note_id, box, link_id, waypoints, red=False) -> None:
        def shape(gen: str, sep: str) -> str:
            attrs = [
                ("id", f"{note_id}_di"),
                ("bpmnElement", note_id),
                (f"{self.cx}:generated", gen),
            ]
            children = [
                xml_element(
                    self.ns.q(DC_NS, "Bounds", plane_tag),
                    [
                        ("x", _num(box.x)),
                        ("y", _num(box.y)),
                        ("width", _num(box.width)),
                        ("height", _num(box.height)),
                    ],
                )
            ]
            if red:
                bioc = self.ns.get(BIOC_NS, plane_tag, element=False)
                color = self.ns.get(COLOR_NS, plane_tag, element=False)
                attrs += [
                    (f"{bioc}:stroke", palette.MISSING_STROKE),
                    (f"{color}:border-color", palette.MISSING_STROKE),
                ]
                children.append(
                    xml_element(
                        self.ns.q(BPMNDI_NS, "BPMNLabel", plane_tag),
                        [(f"{color}:color", palette.MISSING_STROKE)],
                    )
                )
            qname = self.ns.q(BPMNDI_NS, "BPMNShape", plane_tag)
            return xml_element(qname, attrs, children, sep=sep)

        def edge(gen: str, sep: str) -> str:
            wp = self.ns.q(DI_NS, "waypoint", plane_tag)
            return xml_element(
                self.ns.q(BPMNDI_NS, "BPMNEdge", plane_tag),
                [("id", f"{link_id}_di"), ("bpmnElement", link_id), (f"{self.cx}:generated", gen)],
                [xml_element(wp, [("x", _num(p.x)), ("y", _num(p.y))]) for p in waypoints],
                sep=sep,
            )

        last = plane_tag.children[-1] if plane_tag.children else None
        self.add_child(plane_tag, last, shape)
        if link_id:
            self.add_child(plane_tag, last, edge)

    def shape_on_a_plane(self, element_id: str):
        for plane in self.model.planes:
            shape = plane.shape_of.get(element_id)
            if shape is not None and shape.id not in self.ignore:
                return plane, shape
        return None, None

    def visible_bounds(self, plane: Plane) -> List[Bounds]:
        out = []
        for s in plane.shapes:
            if s.element_id in self.ignore or s.id in self.ignore:
                continue
            out.append(s.bounds)
            if s.label is not None:
                out.append(s.label)
        return out

    def surroundings(self, plane: Plane) -> placement.Surroundings:
        """The shapes, labels, flow segments and notes placed so far on ``plane``,
        indexed once per plane (each note placed is added to it)."""
        around = self.around.get(id(plane))
        if around is not None:
            return around
        around = self.around[id(plane)] = placement.Surroundings()
        lanes = {lane.id for lane in self.model.lanes}
        for s in plane.shapes:
            if s.element_id in self.ignore or s.id in self.ignore or s.element_id in lanes:
                continue
            if s.element_id in self.model.participant or s.is_expanded:
                around.add_box(s.bounds)  # an obstacle unless it holds the element
            else:
                around.add_obstacle(s.bounds)
            if s.label is not None:
                around.add_obstacle(s.label)
        for e in plane.edges:
            if e.element_id in self.ignore or e.id in self.ignore:
                continue
            for p, q in zip(e.waypoints, e.waypoints[1:]):
                around.add_segment(p, q)
            if e.label is not None:
                around.add_obstacle(e.label)
        return around

    def find(self, element_id: Optional[str], names) -> Optional[Tag]:
        """The first BPMN element with this id whose local name is one of ``names``."""
        for tag in self.by_id.get(element_id or "", ()):
            if local_name(tag) in names and tag.el.tag.startswith("{%s}" % MODEL_NS):
                return tag
        return None

    def plane_tag(self, plane: Plane) -> Optional[Tag]:
        """The BPMNPlane a model plane was read from (planes need no id)."""
        tags = [
            t
            for d in self.src.root_tag.children
            if d.el.tag == _DIAGRAM
            for t in d.children
            if t.el.tag == _PLANE
        ]
        for index, candidate in enumerate(self.model.planes):
            if candidate is plane and len(tags) == len(self.model.planes):
                return tags[index]
        return None

    def new_id(self, wanted: str) -> str:
        candidate, n = wanted, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{wanted}_{n}"
        self.ids.add(candidate)
        return candidate

    # -- low-level edits ------------------------------------------------------

    def add_child(self, parent: Tag, after: Optional[Tag], maker: Maker) -> None:
        if parent.self_closing:
            after = None
        key = (id(parent), id(after))
        self.child_places[key] = (parent, after)
        self.children[key].append(maker)

    def set_attributes(self, tag: Tag, pairs: List[Tuple[str, str]]) -> None:
        self.attributes.setdefault(id(tag), (tag, []))[1].extend(pairs)

    def label_colour(self, shape: Tag, colour: str) -> None:
        for child in shape.children:
            if local_name(child) == "BPMNLabel":
                self.set_attributes(child, [("color:color", colour)])
                return

        def label(gen: str, sep: str) -> str:
            color = self.ns.get(COLOR_NS, shape, element=False)
            return xml_element(
                self.ns.q(BPMNDI_NS, "BPMNLabel", shape),
                [(f"{self.cx}:generated", gen), (f"{color}:color", colour)],
            )

        self.add_child(shape, shape.children[-1] if shape.children else None, label)

    def flush(self) -> bytes:
        src, edits = self.src, self.edits
        for key, makers in self.children.items():
            parent, after = self.child_places[key]
            if parent.self_closing:
                indent = src.indent_of(parent)
                sep = src.newline + indent + "  " if indent is not None else ""
                close = src.newline + indent if indent is not None else ""
                body = "".join(sep + m(REOPENED, sep) for m in makers)
                edits.replace(
                    parent.slash, parent.stag_end, self.lines(f">{body}{close}</{parent.qname}>")
                )
            else:
                sep = src.child_separator(parent)
                pos = after.end if after is not None else parent.stag_end
                edits.insert(pos, self.lines("".join(sep + m("1", sep) for m in makers)))
        for tag, pairs in self.attributes.values():
            self.write_attributes(tag, pairs)
        root = src.root_tag
        decls = [f' xmlns:{self.cx}="{CX_NS}"']
        others = [p for p in self.ns.new if p != self.cx]
        decls += [f' xmlns:{p}="{escape_attr(self.ns.new[p])}"' for p in others]
        if others:
            decls.append(f' {self.cx}:ns="{" ".join(others)}"')
        edits.insert(root.attrs_end, "".join(decls))
        return edits.apply()

    def lines(self, text: str) -> str:
        """Line breaks inside added text (notes) as the file writes them."""
        if self.src.newline == "\n":
            return text
        return text.replace(self.src.newline, "\n").replace("\n", self.src.newline)

    def write_attributes(self, tag: Tag, pairs: List[Tuple[str, str]]) -> None:
        added: List[str] = []
        record: List[str] = []
        for key, value in pairs:
            prefix, _, local = key.rpartition(":")
            uri = {"bioc": BIOC_NS, "color": COLOR_NS, "": ""}[prefix]
            existing = self.src.attr(tag, uri, local)
            if existing is not None:
                raw = self.src.raw(existing)
                self.edits.replace(
                    existing.value_start, existing.value_end, escape_attr(value, existing.quote)
                )
                record.append(f"{key}={quote(raw, safe='#')}")
            else:
                name = self.ns.q(uri, local, tag, element=False) if uri else local
                added.append(f' {name}="{escape_attr(value)}"')
                record.append(key)
        added.append(f' {self.cx}:orig="{escape_attr(" ".join(record))}"')
        self.edits.insert(tag.attrs_end, "".join(added))


_CONTAINER_NAMES = frozenset(
    {"collaboration", "process", "subProcess", "adHocSubProcess", "transaction"}
)
_DIAGRAM = "{%s}BPMNDiagram" % BPMNDI_NS
_PLANE = "{%s}BPMNPlane" % BPMNDI_NS
_ACTIVITY_NAMES = frozenset(
    {
        "task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
        "sendTask", "receiveTask", "subProcess", "adHocSubProcess", "transaction",
        "callActivity",
    }
)


_FLOW_NODE_NAMES = _ACTIVITY_NAMES | FLOW_NODE_KINDS


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
