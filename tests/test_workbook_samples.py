"""The filled sample workbooks: clean, current and holding the gaps EXPECTED-GAPS.md lists."""

import pytest

import bpmncx
from bpmncx.workbook import read_annotations

from conftest import SAMPLES

CASES = {
    "insurance-claim": {
        "unsupported": ["Find out how to report the damage", "Track claim status online",
                        "Book a time for the assessor's visit", "Get a call-back from a human"],
        "unmentioned": {"Activity_0kj0fzg", "Activity_1ec4gxc"},
    },
    "online-order": {
        "unsupported": ["Compare delivery options and costs",
                        "Change the delivery address after ordering", "Track the parcel online",
                        "Ask customer service where my parcel is"],
        "unmentioned": {"sid-23CC390C-9354-D0E3-CE1F-39485D23D1F3",
                        "sid-DDF1239D-7103-EAC6-DFDE-9E8A2C43DD58",
                        "sid-01A1845A-CB27-0F40-87A3-51AA2CEF94D6"},
    },
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_workbook(name):
    folder = SAMPLES / name
    model = bpmncx.load_model(folder / f"{name}.bpmn")
    annotations = read_annotations(folder / f"{name}-cx.xlsx", [model])
    # no errors and no warnings: in particular the model has not changed since (SHA-256)
    assert [str(p) for p in annotations.problems] == []
    assert len(annotations.personas) == 2 and all(p.description for p in annotations.personas)
    assert len(annotations.journey) >= 10
    unsupported = [s.customer_step for s in annotations.journey if not s.supported_by]
    assert unsupported == CASES[name]["unsupported"]
    mentioned = {r.element_id for s in annotations.journey for r in s.supported_by}
    facing = {t.element_id for t in annotations.touchpoints if t.customer_facing}
    assert facing - mentioned == CASES[name]["unmentioned"]
    assert sum(1 for t in annotations.touchpoints if t.pain_point) >= 3
    assert sum(1 for t in annotations.touchpoints if t.moment_of_truth) >= 3
    assert sum(1 for s in annotations.journey if s.moment_of_truth) >= 3
    gaps = (folder / "EXPECTED-GAPS.md").read_text(encoding="utf-8")
    for step in unsupported:
        assert step in gaps
    for element_id in CASES[name]["unmentioned"]:
        assert element_id in gaps
