"""annotate names its outputs the way batch does, so links and scripts agree."""

from bpmncx.pipeline.annotate import annotate

from conftest import SAMPLES

CLAIM = SAMPLES / "insurance-claim" / "insurance-claim.bpmn"
CLAIM_BOOK = SAMPLES / "insurance-claim" / "insurance-claim-cx.xlsx"


def test_default_view_uses_plain_names_and_persona_views_insert_the_persona(tmp_path):
    formats = ("svg", "bpmn", "html", "xlsx")
    annotate([str(CLAIM)], str(CLAIM_BOOK), str(tmp_path / "all"), formats=formats)
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "insurance-claim-report.xlsx",
        "insurance-claim.cx.bpmn",
        "insurance-claim.html",
        "insurance-claim.svg",
    ]
    annotate([str(CLAIM)], str(CLAIM_BOOK), str(tmp_path / "one"), formats=formats,
             persona="Small business owner")
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == [
        "insurance-claim.small-business-owner-report.xlsx",
        "insurance-claim.small-business-owner.cx.bpmn",
        "insurance-claim.small-business-owner.html",
        "insurance-claim.small-business-owner.svg",
    ]
