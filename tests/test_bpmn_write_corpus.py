"""Annotated BPMN over the whole MIWG corpus and the samples: every output parses,
differs from its input only by bpmncx's additions, strips back to the original
bytes, annotates idempotently, and bpmn-moddle finds nothing new to warn about."""

from __future__ import annotations

import pytest

import bpmncx
from bpmncx.bpmn import model_from_bytes
from bpmncx.vocabulary import EMOTION_SCALE
from conftest import CORPUS, SAMPLES, corpus_files, needs_corpus

from bpmn_write_support import additions_only, generated_annotations, moddle, new_warnings
from test_bpmn_write import check_notes_placement

FILES = corpus_files()


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    """Every corpus file annotated once: [(original path, model, original bytes, output path)]."""
    out_dir = tmp_path_factory.mktemp("annotated")
    done = []
    for path in FILES:
        data = path.read_bytes()
        model = bpmncx.load_model(path)
        out = bpmncx.annotate_bpmn(model, data, bpmncx.analyse([model], generated_annotations(model)), path=str(path))
        target = out_dir / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(out)
        done.append((path, model, data, target))
    return done


@needs_corpus
def test_corpus_output_strips_back_and_only_adds(annotated):
    failures = []
    for path, _, data, target in annotated:
        out = target.read_bytes()
        if bpmncx.strip_bpmn(out) != data:
            failures.append(f"{path}: strip is not the original")
        problems = additions_only(data, out)
        if problems:
            failures.append(f"{path}: {problems[:3]}")
    assert failures == []
    assert len(annotated) >= 100


@needs_corpus
def test_corpus_annotation_is_idempotent_and_round_trips(annotated):
    failures = []
    for path, model, _, target in annotated:
        out = target.read_bytes()
        again_model = model_from_bytes(out, str(target))
        if bpmncx.annotate_bpmn(again_model, out, bpmncx.analyse([again_model], generated_annotations(model))) != out:
            failures.append(f"{path}: annotating again changed the file")
        back = bpmncx.annotations_from_bpmn(out, [model])
        given = generated_annotations(model)
        if (back.touchpoints, back.journey, back.personas) != (given.touchpoints, given.journey, given.personas):
            failures.append(f"{path}: annotations did not round-trip")
    assert failures == []


@needs_corpus
def test_corpus_notes_cover_nothing(annotated):
    notes = 0
    for _, model, _, target in annotated:
        after = model_from_bytes(target.read_bytes(), str(target))
        check_notes_placement(model, after)
        notes += sum(1 for a in after.artifacts if a.id.startswith("cx_note_"))
    assert notes > 300  # the generated workbook marks every 2nd activity customer-facing


@needs_corpus
def test_corpus_bpmn_moddle_has_no_new_warnings(annotated):
    paths = [p for p, _, _, _ in annotated] + [t for _, _, _, t in annotated]
    results = moddle(paths)
    n = len(annotated)
    failures = []
    coloured = 0
    fills = {e.colour for e in EMOTION_SCALE}
    for (path, _, _, _), before, after in zip(annotated, results[:n], results[n:]):
        if not after["ok"]:
            failures.append(f"{path}: {after['error']}")
            continue
        extra = new_warnings(before, after)
        if extra:
            failures.append(f"{path}: {extra[:3]}")
        coloured += sum(1 for s in after["shapes"] if s["fill"] in fills and s["background"] == s["fill"])
    assert failures == []
    assert coloured > 300


# -- the samples -----------------------------------------------------------------------


SAMPLE_MODELS = sorted(SAMPLES.glob("*/*.bpmn")) if SAMPLES.is_dir() else []


def sample_annotations(path):
    workbooks = sorted(path.parent.glob("*-cx.xlsx"))
    if not workbooks:
        pytest.skip(f"no filled workbook beside {path}")
    model = bpmncx.load_model(path)
    return model, bpmncx.read_annotations(workbooks[0], [model])


@pytest.mark.parametrize("path", SAMPLE_MODELS, ids=lambda p: p.stem)
def test_sample_workbook_round_trips_through_annotated_bpmn(path, tmp_path):
    model, annotations = sample_annotations(path)
    data = path.read_bytes()
    out = bpmncx.annotate_bpmn(model, data, bpmncx.analyse([model], annotations))
    assert bpmncx.strip_bpmn(out) == data
    assert additions_only(data, out) == []
    back = bpmncx.annotations_from_bpmn(out, [model])
    assert back.errors == []
    assert back.touchpoints == [tp for tp in annotations.touchpoints if tp.model == model.name]
    assert back.journey == annotations.journey
    assert back.personas == annotations.personas
    check_notes_placement(model, model_from_bytes(out, "annotated.bpmn"))


def test_samples_colours_resolved_by_bpmn_moddle(tmp_path):
    if not SAMPLE_MODELS:
        pytest.skip("no samples")
    paths, expected = [], {}
    for path in SAMPLE_MODELS:
        model, annotations = sample_annotations(path)
        out = tmp_path / f"{model.name}.cx.bpmn"
        out.write_bytes(bpmncx.annotate_bpmn(model, path.read_bytes(), bpmncx.analyse([model], annotations)))
        paths.append(out)
        for tp in annotations.touchpoints:
            if tp.customer_facing and tp.model == model.name:
                low = min(tp.emotions.values()) if tp.emotions else 0
                expected[(out.name, tp.element_id)] = next(e.colour for e in EMOTION_SCALE if e.score == low)
    results = moddle(paths)
    seen = {}
    for result in results:
        assert result["ok"] and result["warnings"] == [], result["warnings"]
        name = result["file"].rsplit("/", 1)[-1]
        for s in result["shapes"]:
            if (name, s["element"]) in expected:
                seen[(name, s["element"])] = (s["fill"], s["background"])
    assert seen.keys() == expected.keys()
    assert all(seen[k] == (v, v) for k, v in expected.items())


@needs_corpus
def test_corpus_signavio_colour_is_set_once_per_element(annotated):
    """SAP Signavio reads signavioMetaData bgcolor/bordercolor: exactly one of each
    on every customer-facing element, the file's own entry reused when it had one."""
    from lxml import etree

    from bpmn_write_support import SIGNAVIO_NS

    checked = 0
    for path, model, data, target in annotated:
        root = etree.fromstring(target.read_bytes(), etree.XMLParser(resolve_entities=False))
        for tp in generated_annotations(model).touchpoints:
            if not tp.customer_facing:
                continue
            elements = root.xpath("//*[@id=$id][not(self::*[local-name()='BPMNShape'])]", id=tp.element_id)
            if len(elements) != 1:
                continue
            low = min(tp.emotions.values())
            fill = next(e.colour for e in EMOTION_SCALE if e.score == low)
            metas = elements[0].xpath("./*[local-name()='extensionElements']/s:signavioMetaData",
                                      namespaces={"s": SIGNAVIO_NS})
            bg = [m.get("metaValue") for m in metas if m.get("metaKey") == "bgcolor"]
            border = [m for m in metas if m.get("metaKey") == "bordercolor"]
            assert bg == [fill], (path, tp.element_id, bg)
            assert len(border) == 1, (path, tp.element_id)
            checked += 1
    assert checked > 300
