"""The annotated samples open in bpmn-js (the viewer inside Camunda Modeler), in
headless Debian Chromium, with the emotion colours and the notes drawn."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

import bpmncx
from bpmncx.vocabulary import EMOTION_BY_SCORE
from conftest import FIXTURES, SAMPLES

from bpmn_write_support import JS_DIR
from test_bpmn_write import tricky_annotations

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def rgb(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def render_check(paths):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/bootstrap.sh installs nodejs)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package chromium)")
    for package in ("bpmn-js", "playwright-core"):
        if not (JS_DIR / "node_modules" / package).is_dir():
            pytest.skip(f"tests/js/node_modules/{package} missing: run scripts/bootstrap.sh")
    done = subprocess.run([node, str(JS_DIR / "render-check.mjs"), *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Originals and annotated files of both samples and the writer fixture, one browser."""
    out = tmp_path_factory.mktemp("bpmnjs")
    cases = []
    for path in sorted(SAMPLES.glob("*/*.bpmn")):
        workbooks = sorted(path.parent.glob("*-cx.xlsx"))
        if workbooks:
            model = bpmncx.load_model(path)
            cases.append((path, model, bpmncx.read_annotations(workbooks[0], [model])))
    tricky = FIXTURES / "bpmn_write" / "tricky.bpmn"
    cases.append((tricky, bpmncx.load_model(tricky), tricky_annotations()))
    originals, annotated = [], []
    for path, model, annotations in cases:
        target = out / f"{model.name}.cx.bpmn"
        target.write_bytes(bpmncx.annotate_bpmn(model, path.read_bytes(), bpmncx.analyse([model], annotations)))
        originals.append(path)
        annotated.append(target)
    results = render_check(originals + annotated)
    n = len(cases)
    return [(case, results[i], results[n + i]) for i, case in enumerate(cases)]


def test_annotated_files_import_without_new_warnings(rendered):
    assert len(rendered) >= 3
    for (path, _, _), before, after in rendered:
        assert after["ok"], (path, after["error"])
        assert sorted(after["warnings"]) == sorted(before["warnings"]), path


def test_emotion_colours_are_drawn(rendered):
    checked = 0
    for (path, model, annotations), _, after in rendered:
        shapes = {s["id"]: s for s in after["shapes"]}
        for tp in annotations.touchpoints:
            if tp.model != model.name or not tp.customer_facing or tp.element_id not in shapes:
                continue
            low = min(tp.emotions.values()) if tp.emotions else 0
            feel = EMOTION_BY_SCORE[low]
            shape = shapes[tp.element_id]
            assert shape["fill"] == rgb(feel.colour), (path.name, tp.element_id, shape)
            assert shape["stroke"] == rgb(shape["want_stroke"]), (path.name, tp.element_id)
            if model.node[tp.element_id].is_activity and shape["text"]:
                assert shape["label"] == rgb(feel.text_colour), (path.name, tp.element_id)
            checked += 1
    assert checked >= 20


def test_notes_and_missing_steps_are_drawn(rendered):
    for (path, model, annotations), _, after in rendered:
        notes = [s for s in after["shapes"] if s["type"] == "bpmn:TextAnnotation"]
        touch = [s for s in notes if s["id"].startswith("cx_note_")]
        missing = [s for s in notes if s["id"].startswith("cx_missing_step_")]
        facing = {tp.element_id for tp in annotations.touchpoints
                  if tp.model == model.name and tp.customer_facing and tp.element_id in model.node}
        assert {s["id"][len("cx_note_"):] for s in touch} == facing, path.name
        assert len(missing) == len(bpmncx.analyse([model], annotations).missing_steps()), path.name
        for s in missing:
            assert s["stroke"] == rgb("#D7191C")  # the red bracket
            assert s["label"] == rgb("#D7191C")  # and red text
            assert "Missing in operations" in s["text"]


def test_note_text_fits_its_box(rendered):
    """The box size bpmncx computes holds the text as bpmn-js wraps and draws it,
    so a note never spills over the shapes its placement avoided."""
    notes = 0
    for (path, _, _), _, after in rendered:
        for s in after["shapes"]:
            if s["type"] == "bpmn:TextAnnotation" and s["id"].startswith("cx_"):
                assert s["text_height"] <= s["height"], (path.name, s["id"], s["text_height"], s["height"])
                notes += 1
    assert notes >= 20
