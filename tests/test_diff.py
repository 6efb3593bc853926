"""bpmncx.diff on fixture pairs: each kind of change reported exactly, nothing more."""

import json

import pytest

from bpmncx import load_model
from bpmncx.diff import ElementChange, EmotionChange, compare_models
from bpmncx.pipeline.diff import diff_files
from bpmncx.errors import BpmncxError
from bpmncx.model import Bounds
from bpmncx.report.diff import to_json
from bpmncx.workbook import read_annotations
from conftest import CORPUS, corpus_files, needs_corpus
from diff_support import (
    CLAIM_FLOWS,
    CLAIM_JOURNEY,
    CLAIM_TASKS,
    CLAIM_TOUCHPOINTS,
    replace_task,
    write_bpmn,
    write_workbook,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("old")
    model = write_bpmn(folder / "claim.bpmn")
    return model, write_workbook(folder / "claim-cx.xlsx", model)


def version(tmp_path, journey=None, touchpoints=None, prefix="", **model):
    path = write_bpmn(tmp_path / "new" / "claim.bpmn", prefix=prefix, **model)
    workbook = write_workbook(tmp_path / "new" / "claim-cx.xlsx", path, journey=journey,
                              touchpoints=touchpoints, prefix=prefix)
    return path, workbook


def compare(old, new):
    old_model, new_model = load_model(old[0]), load_model(new[0])
    return compare_models(old_model, new_model, read_annotations(old[1], [old_model]),
                          read_annotations(new[1], [new_model]))


def changes(diff):
    return [(f.change, f.finding.kind, f.finding.severity, f.finding.steps)
            for f in diff.consequences.findings if f.change != "unchanged"]


def test_the_same_version_has_no_changes(base):
    diff = compare(base, base)
    assert diff.process.elements == () and diff.process.flows == ()
    assert diff.process.regenerated_ids == ()
    assert diff.journey.steps == () and diff.journey.emotions == ()
    assert changes(diff) == []
    assert diff.consequences.findings and all(f.change == "unchanged"
                                              for f in diff.consequences.findings)


def test_rename_is_one_changed_element(base, tmp_path):
    new = version(tmp_path, tasks=replace_task(CLAIM_TASKS, "t_assess", name="Check the claim"))
    diff = compare(base, new)
    (change,) = diff.process.elements
    assert (change.change, change.id, change.aspects) == ("changed", "t_assess", ("renamed",))
    assert (change.old.name, change.new.name) == ("Assess claim", "Check the claim")
    assert diff.process.flows == ()
    assert diff.journey.steps == () and changes(diff) == []


def test_move_to_another_lane_and_the_new_handoff_it_makes(base, tmp_path):
    new = version(tmp_path, tasks=replace_task(CLAIM_TASKS, "t_notify", lane=1))
    diff = compare(base, new)
    (change,) = diff.process.elements
    assert (change.change, change.id, change.aspects) == ("changed", "t_notify", ("moved",))
    assert (change.old.lane, change.new.lane) == ("Claims desk", "Payments")
    assert change.old.bounds == Bounds(590.0, 35.0, 100.0, 80.0)
    assert change.new.bounds == Bounds(590.0, 185.0, 100.0, 80.0)
    # Step 2 is now carried out in Payments: the hand-off moves from 2->3 to 1->2.
    assert changes(diff) == [("new", "handoff", "info", (1, 2)),
                             ("resolved", "handoff", "info", (2, 3))]


def test_deleting_a_supporting_task_is_a_new_missing_support_finding(base, tmp_path):
    tasks = [t for t in CLAIM_TASKS if t[0] != "t_pay"]
    flows = CLAIM_FLOWS[:3] + [("f6", "t_notify", "end")]
    journey = [dict(step) for step in CLAIM_JOURNEY]
    journey[2]["Supported by"] = None  # as validate asks: point elsewhere or leave it empty
    touchpoints = {k: v for k, v in CLAIM_TOUCHPOINTS.items() if k != "t_pay"}
    new = version(tmp_path, tasks=tasks, flows=flows, journey=journey, touchpoints=touchpoints)
    diff = compare(base, new)
    (removed,) = diff.process.elements
    assert (removed.change, removed.id, removed.old.name, removed.old.kind) == (
        "removed", "t_pay", "Pay claim", "serviceTask")
    assert removed.old.bounds == Bounds(590.0, 185.0, 100.0, 80.0)  # for a ghost at its place
    assert [(f.change, f.source, f.target) for f in diff.process.flows] == [
        ("removed", "Send decision", "Pay claim"), ("removed", "Pay claim", "Claim closed"),
        ("added", "Send decision", "Claim closed")]
    (step,) = diff.journey.steps
    assert (step.change, step.aspects, step.old.supported_by, step.new.supported_by) == (
        "changed", ("repointed",), ("t_pay",), ())
    assert diff.journey.support_changed() == (step,)
    assert changes(diff) == [("new", "missing-support", "critical", (3,)),
                             ("resolved", "handoff", "info", (2, 3))]
    assert [m.label for m in diff.consequences.moments_newly_at_risk] == ['step 3 "Get my money"']
    assert [f.kind for f in diff.introduced("critical")] == ["missing-support"]
    coverage = (diff.consequences.old.metrics.coverage, diff.consequences.new.metrics.coverage)
    assert coverage == (1.0, 0.6667)


def test_regenerated_ids_with_the_same_names_and_places_are_matched(base, tmp_path):
    new = version(tmp_path, prefix="sid-")
    diff = compare(base, new)
    assert diff.process.elements == () and diff.process.flows == ()
    assert ("t_pay", "sid-t_pay") in diff.process.regenerated_ids
    assert len(diff.process.regenerated_ids) == len(CLAIM_TASKS) + 3  # + pool and two lanes
    assert diff.journey.steps == () and diff.journey.emotions == ()
    assert changes(diff) == []  # the findings are the same ones, under their new ids


def test_regenerated_ids_and_a_rename_in_the_same_place(base, tmp_path):
    tasks = replace_task(CLAIM_TASKS, "t_assess", name="Check the claim")
    diff = compare(base, version(tmp_path, prefix="sid-", tasks=tasks))
    (change,) = diff.process.elements
    assert (change.change, change.old.id, change.new.id, change.aspects) == (
        "changed", "t_assess", "sid-t_assess", ("renamed",))


def test_a_journey_step_re_pointed_to_another_task(base, tmp_path):
    journey = [dict(step) for step in CLAIM_JOURNEY]
    journey[1]["Supported by"] = "Assess claim"
    diff = compare(base, version(tmp_path, journey=journey))
    assert diff.process.elements == ()
    (step,) = diff.journey.steps
    assert (step.change, step.aspects, step.new.number) == ("changed", ("repointed",), 2)
    assert (step.old.supported_by_names, step.new.supported_by_names) == (
        ("Send decision",), ("Assess claim",))
    # Send decision is still customer-facing but no step mentions it any more; the
    # hand-off between steps 2 and 3 is the same one, now through Assess claim.
    assert changes(diff) == [("new", "unmapped-touchpoint", "info", ())]


def test_emotion_changes_per_persona_on_steps_and_touchpoints(base, tmp_path):
    journey = [dict(step) for step in CLAIM_JOURNEY]
    journey[0]["Emotion"] = -2
    touchpoints = {k: dict(v) for k, v in CLAIM_TOUCHPOINTS.items()}
    touchpoints["t_notify"]["Emotion: Claimant"] = -1
    diff = compare(base, version(tmp_path, journey=journey, touchpoints=touchpoints))
    assert diff.journey.emotions == (
        EmotionChange("step", "Report the damage", 1, None, None, -1, -2),
        EmotionChange("touchpoint", "Send decision", None, "t_notify", "Claimant", 1, -1),
    )
    assert [s.aspects for s in diff.journey.steps] == [("emotion",)]
    assert changes(diff) == [("new", "pain-point", "warning", (2,)),
                             ("worse", "pain-point", "critical", (1,))]
    report = {s.stage: (s.old.mean, s.new.mean) for s in diff.consequences.emotion_per_stage}
    assert report["Report"] == (-1.0, -2.0)


def test_steps_added_removed_and_reordered(base, tmp_path):
    first, second, third = (dict(step) for step in CLAIM_JOURNEY)
    extra = {"Customer step": "Call the hotline", "Channel": "Phone"}
    journey = [third, first, extra, second]
    for number, step in enumerate(journey, start=1):
        step["Step"] = number
    diff = compare(base, version(tmp_path, journey=journey))
    summary = [(s.change, s.aspects, (s.old or s.new).text) for s in diff.journey.steps]
    assert summary == [("added", (), "Call the hotline"),
                       ("changed", ("moved",), "Get my money")]


def test_json_is_byte_identical_and_names_both_versions(base, tmp_path):
    new = version(tmp_path, tasks=replace_task(CLAIM_TASKS, "t_assess", name="Check"))
    one = to_json(diff_files(str(base[0]), str(new[0]), [str(base[1]), str(new[1])]))
    two = to_json(diff_files(str(base[0]), str(new[0]), [str(base[1]), str(new[1])]))
    assert one == two
    doc = json.loads(one)
    assert doc["schema"] == "bpmncx-diff/1"
    (model,) = doc["models"]
    assert model["old"]["workbook"] == str(base[1]) and model["new"]["file"] == str(new[0])
    assert model["process"]["elements"] == [{
        "change": "changed", "id": "t_assess", "aspects": ["renamed"],
        "old": {"id": "t_assess", "kind": "task", "name": "Assess claim", "pool": "Insurer",
                "lane": "Claims desk",
                "bounds": {"x": 420.0, "y": 35.0, "width": 100.0, "height": 80.0}},
        "new": {"id": "t_assess", "kind": "task", "name": "Check", "pool": "Insurer",
                "lane": "Claims desk",
                "bounds": {"x": 420.0, "y": 35.0, "width": 100.0, "height": 80.0}},
    }]
    assert doc["summary"]["new_findings_per_severity"] == {"critical": 0, "warning": 0, "info": 0}
    assert model["consequences"]["coverage"] == {"old": 1.0, "new": 1.0}


def test_models_without_workbooks_compare_the_process_only(base, tmp_path):
    new = write_bpmn(tmp_path / "claim.bpmn", tasks=CLAIM_TASKS + [("t_extra", "Call back", 0, 4,
                                                                   "task")])
    diff = compare_models(load_model(base[0]), load_model(new))
    assert diff.journey is None and diff.consequences is None
    assert [(e.change, e.id) for e in diff.process.elements] == [("added", "t_extra")]
    assert isinstance(diff.process.elements[0], ElementChange)


@needs_corpus
@pytest.mark.parametrize("name", ["A.1.0-export", "A.2.0-export"])
def test_one_model_from_two_exporters_has_no_process_changes(name):
    """Camunda Modeler and Signavio export the same MIWG model with different ids."""
    camunda = load_model(CORPUS / "camunda-modeler-18.6.1" / f"{name}.bpmn")
    signavio = load_model(CORPUS / "signavio-19.9.0" / f"{name}.bpmn")
    diff = compare_models(camunda, signavio)
    assert diff.process.elements == () and diff.process.flows == ()
    assert diff.process.regenerated_ids


@needs_corpus
def test_every_corpus_model_compared_with_itself_has_no_changes():
    for path in corpus_files():
        try:
            model = load_model(path)
        except BpmncxError:
            continue
        diff = compare_models(model, model)
        assert (diff.process.elements, diff.process.flows) == ((), ()), path
