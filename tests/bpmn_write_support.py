"""Helpers for the annotated-BPMN tests: a generated annotation set, an
independent structural diff, and bpmn-moddle (node) in one process per batch."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import List
from urllib.parse import unquote

import pytest
from lxml import etree

from bpmncx.annotations import Annotations, ElementRef, JourneyStep, Persona, Touchpoint
from bpmncx.model import Model
from bpmncx.vocabulary import DEFAULT_CHANNELS, DEFAULT_STAGES

JS_DIR = Path(__file__).resolve().parent / "js"
CX_NS = "https://bpmncx.org/schema/cx/1.0"
BIOC_NS = "http://bpmn.io/schema/bpmn/biocolor/1.0"
COLOR_NS = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"
SIGNAVIO_NS = "http://www.signavio.com"
MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
PERSONAS = ("Anna", "Ben")


def generated_annotations(model: Model) -> Annotations:
    """Every 2nd activity customer-facing with channel, stage and emotions; a
    journey of four steps, two of them supported by nothing."""
    touchpoints: List[Touchpoint] = []
    facing = []
    for i, node in enumerate(n for n in model.nodes if n.is_activity or n.is_event):
        cf = node.is_activity and i % 2 == 0
        tp = Touchpoint(
            model=model.name,
            element_id=node.id,
            element_name=node.name,
            element_type=node.kind,
            customer_facing=cf if i % 3 else (True if cf else None),
            touchpoint=f"Customer sees: {node.name or node.id}" if cf else "",
            channel=DEFAULT_CHANNELS[i % len(DEFAULT_CHANNELS)] if cf else "",
            stage=DEFAULT_STAGES[i % len(DEFAULT_STAGES)] if cf else "",
            moment_of_truth=cf and i % 4 == 0,
            emotions={"Anna": i % 5 - 2, "Ben": (i + 2) % 5 - 2} if cf else {},
            pain_point='Waits & wonders "why" <again>' if cf and i % 4 == 0 else "",
            row=5 + i,
            cell=f"Touchpoints!A{5 + i}",
        )
        touchpoints.append(tp)
        if cf:
            facing.append(node.id)
    journey = [
        JourneyStep(1, "1", stage="Discover", customer_step="Looks for help online", channel="Web",
                    persona="Anna", emotion=-1, row=7, cell="Journey!A7"),
        JourneyStep(2, "2", customer_step="Is served", persona="Ben", emotion=1,
                    supported_by=[ElementRef(model.name, facing[0])] if facing else [],
                    supported_by_text=facing[0] if facing else "", row=8, cell="Journey!A8",
                    supported_by_cell="Journey!H8"),
        JourneyStep(3, "3", customer_step="Calls the hotline because nobody answers",
                    channel="Phone", persona="Ben", emotion=-2, moment_of_truth=True,
                    pain_point="30 minutes on hold", row=9, cell="Journey!A9"),
        JourneyStep(4, "4", customer_step="Gets the result", persona="Anna", emotion=2,
                    supported_by=[ElementRef(model.name, facing[-1])] if facing else [],
                    row=10, cell="Journey!A10"),
    ]
    return Annotations(
        source="generated.xlsx",
        personas=[Persona("Anna", "first-time buyer", preferred_channels=["Web", "Chat"]),
                  Persona("Ben")],
        touchpoints=touchpoints,
        journey=journey,
        channels=DEFAULT_CHANNELS,
        stages=DEFAULT_STAGES,
    )


# -- an independent structural diff (lxml only, none of bpmncx's own code) ------


def _ours(el) -> bool:
    if not isinstance(el.tag, str):
        return False
    return el.tag.startswith("{%s}" % CX_NS) or el.get("{%s}generated" % CX_NS) is not None


def _orig_keys(el):
    keys = {}
    for token in (el.get("{%s}orig" % CX_NS) or "").split():
        key, eq, raw = token.partition("=")
        prefix, _, local = key.rpartition(":")
        name = "{%s}%s" % ({"bioc": BIOC_NS, "color": COLOR_NS}[prefix], local) if prefix else local
        keys[name] = unquote(raw) if eq else None
    return keys


def additions_only(original: bytes, annotated: bytes) -> List[str]:
    """Differences other than bpmncx's additions; empty when there are none.

    Every node of the original must be in the annotated file in the same place
    with the same attributes and text; new elements must be marked as ours; an
    attribute may only change if the element's cx:orig records it.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    a = etree.fromstring(original, parser)
    b = etree.fromstring(annotated, parser)
    problems: List[str] = []
    if a.getroottree().docinfo.xml_version != b.getroottree().docinfo.xml_version or (
        a.getroottree().docinfo.encoding != b.getroottree().docinfo.encoding
    ):
        problems.append("XML declaration changed")
    for p, uri in a.nsmap.items():
        if b.nsmap.get(p) != uri:
            problems.append(f"namespace prefix {p} changed")
    _compare(a, b, problems, "/")
    return problems


def _compare(a, b, problems, path) -> None:
    if len(problems) > 20:
        return
    here = f"{path}{getattr(a, 'tag', '?')}[{a.get('id', '') if isinstance(a.tag, str) else ''}]"
    if a.tag != b.tag:
        problems.append(f"{here}: became {b.tag}")
        return
    if (a.text or "") != (b.text or "") and (a.text or "").strip() != (b.text or "").strip():
        problems.append(f"{here}: text changed")
    if not isinstance(a.tag, str):
        return
    orig = _orig_keys(b)
    for name, value in a.attrib.items():
        if b.get(name) != value and name not in orig:
            problems.append(f"{here}: attribute {name} changed")
        elif name in orig and orig[name] is None:
            problems.append(f"{here}: attribute {name} marked as added but was there")
    for name in b.attrib:
        if name not in a.attrib and not name.startswith("{%s}" % CX_NS) and name not in orig:
            problems.append(f"{here}: unmarked new attribute {name}")
    kept = [c for c in b if not _ours(c)]
    added = [c for c in b if _ours(c)]
    for c in added:
        if not c.tag.startswith("{%s}" % CX_NS) and c.get("id") is not None and not c.get("id").startswith("cx_"):
            problems.append(f"{here}: added element {c.get('id')} without cx_ id")
    if len(kept) != len(a):
        problems.append(f"{here}: {len(a)} children became {len(kept)} (not counting ours)")
        return
    for ca, cb in zip(a, kept):
        if (ca.tail or "").strip() != (cb.tail or "").strip():
            problems.append(f"{here}: text after {getattr(ca, 'tag', '?')} changed")
        _compare(ca, cb, problems, here + "/")


# -- bpmn-moddle ----------------------------------------------------------------


def moddle(paths) -> List[dict]:
    """Run tests/js/check.mjs over all paths in one node process."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/bootstrap.sh installs nodejs)")
    if not (JS_DIR / "node_modules" / "bpmn-moddle").is_dir():
        pytest.skip("tests/js/node_modules missing: run scripts/bootstrap.sh (npm ci --prefix tests/js)")
    done = subprocess.run(
        [node, str(JS_DIR / "check.mjs"), *map(str, paths)],
        capture_output=True, text=True, timeout=600, check=True,
    )
    return json.loads(done.stdout)


def _norm(warning: str) -> str:
    return re.sub(r"\s*line: \d+\s*column: \d+", "", warning).strip()


def new_warnings(before: dict, after: dict) -> List[str]:
    """Warnings bpmn-moddle gives for the annotated file but not the original."""
    return sorted((Counter(map(_norm, after["warnings"])) - Counter(map(_norm, before["warnings"]))).elements())
