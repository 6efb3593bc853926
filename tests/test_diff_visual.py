"""The visual diff (``bpmncx diff --format svg|png|html``), the Mermaid journey of
``gaps --format md`` and ``batch --compare-to``."""

import json
import re

import pytest
from click.testing import CliRunner
from lxml import etree, html

from bpmncx.cli import cli
from bpmncx.pipeline.diff import diff_files
from bpmncx.render.diffview import diff_scene
from diff_support import (
    CLAIM_FLOWS,
    CLAIM_JOURNEY,
    CLAIM_TASKS,
    CLAIM_TOUCHPOINTS,
    LANE_HEIGHT,
    replace_task,
    write_bpmn,
    write_workbook,
)
from test_diff_cli import check_journey, git, render

SVG = "{http://www.w3.org/2000/svg}"
SAMPLE = "samples/insurance-claim/insurance-claim"


def run(*args):
    return CliRunner().invoke(cli, [*map(str, args)], catch_exceptions=False)


def new_version(folder):
    """The claim model with "Pay claim" deleted, "Assess claim" renamed, "Send decision"
    moved to Payments, "Call the customer" added; step 2 re-pointed to the new task,
    step 3 left without support."""
    tasks = [t for t in CLAIM_TASKS if t[0] != "t_pay"]
    tasks = replace_task(tasks, "t_assess", name="Check the claim")
    tasks = replace_task(tasks, "t_notify", lane=1, col=2)
    tasks.append(("t_call", "Call the customer", 0, 3, "userTask"))
    flows = CLAIM_FLOWS[:3] + [("f6", "t_notify", "end")]
    journey = [dict(step) for step in CLAIM_JOURNEY]
    journey[1]["Supported by"] = "Call the customer"
    journey[2]["Supported by"] = None
    model = write_bpmn(folder / "claim.bpmn", tasks=tasks, flows=flows)
    book = write_workbook(folder / "claim-cx.xlsx", model, journey=journey,
                          touchpoints={k: v for k, v in CLAIM_TOUCHPOINTS.items() if k != "t_pay"})
    return model, book


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("visual")
    old = write_bpmn(folder / "old" / "claim.bpmn")
    old_book = write_workbook(folder / "old" / "claim-cx.xlsx", old)
    new, new_book = new_version(folder / "new")
    return old, new, old_book, new_book


def marked(svg: bytes, attribute: str):
    root = etree.fromstring(svg)
    return {g.get("data-element-id"): g.get(attribute)
            for g in root.iter(SVG + "g") if g.get(attribute) is not None}


EXPECTED = {"t_pay": "removed", "t_call": "added", "t_assess": "changed", "t_notify": "changed"}


def test_svg_marks_exactly_the_changed_elements_and_journey_steps(pair, tmp_path):
    old, new, old_book, new_book = pair
    out = tmp_path / "claim.svg"
    result = run("diff", old, new, "--workbook", old_book, new_book, "--format", "svg", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    svg = out.read_bytes()
    assert marked(svg, "data-diff") == EXPECTED
    # Step 2 now points at the new task, step 3 lost "Pay claim"; step 1 is as it was.
    assert marked(svg, "data-journey-diff") == {"journey-step-2": "repointed",
                                                "journey-step-3": "repointed"}
    text = svg.decode("utf-8")
    # Not colour alone: the glyphs and a legend naming each colour.
    for words in ("added", "changed (renamed, moved, retyped)", "removed (at its old place)",
                  "journey step whose support changed"):
        assert f">{words}" in text
    assert "claim: " in text and "1 added, 2 changed, 1 removed" in text
    # Tooltips say what changed.
    assert "changed: renamed (was \u201cAssess claim\u201d)" in text
    assert "changed: moved (from Claims desk to Payments)" in text


def test_a_removed_element_is_a_ghost_at_its_old_place(pair):
    old, new, old_book, new_book = pair
    diff = diff_files(str(old), str(new), [str(old_book), str(new_book)])
    scene = diff_scene(diff.models[0], "claim")
    # Pictures are placed in drawing coordinates; compare with "Register claim" (its
    # user icon), which did not move: the offset must be the one in the old DI.
    _, gx, gy, gw, gh = scene.pictures["t_pay::diff"]
    _, ex, ey, _, _ = scene.pictures["t_register::marker"]
    pad = 5 + 15 / 2  # the outline's gap and half its badge
    old_pay = (80 + 170 * 3, LANE_HEIGHT + (LANE_HEIGHT - 80) // 2)  # diff_support's layout
    old_end = (80 + 170 * 1, (LANE_HEIGHT - 80) // 2)
    assert (gx - ex, gy - ey) == pytest.approx((old_pay[0] - pad - old_end[0],
                                                old_pay[1] - pad - old_end[1]))
    assert (gw, gh) == pytest.approx((100 + 2 * pad, 80 + 2 * pad))
    assert scene.attributes["t_pay::diff"] == {"data-diff": "removed"}


def test_the_picture_is_byte_identical_and_png_is_written(pair, tmp_path):
    old, new, old_book, new_book = pair
    first, second, png = tmp_path / "a.svg", tmp_path / "b.svg", tmp_path / "claim.png"
    for out, fmt in ((first, "svg"), (second, "svg"), (png, "png")):
        result = run("diff", old, new, "--workbook", old_book, new_book, "--format", fmt,
                     "-o", out)
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


def test_without_workbooks_the_plain_diagram_carries_the_marks(pair, tmp_path):
    old, new, _, _ = pair
    out = tmp_path / "plain.svg"
    assert run("diff", old, new, "--format", "svg", "-o", out).exit_code == 0
    svg = out.read_bytes()
    assert marked(svg, "data-diff") == EXPECTED
    assert marked(svg, "data-journey-diff") == {}
    assert b"journey step whose support changed" not in svg


def test_html_page_holds_headline_tables_and_picture(pair, tmp_path):
    old, new, old_book, new_book = pair
    out = tmp_path / "diff.html"
    result = run("diff", old, new, "--workbook", old_book, new_book, "--format", "html", "-o", out)
    assert result.exit_code == 0, result.output
    page = html.fromstring(out.read_bytes())
    text = page.text_content()
    assert "coverage 100 % \u2192 67 %, 1 new critical gap" in text
    assert page.xpath("//meta[@http-equiv='Content-Security-Policy']")
    assert not page.xpath("//script[@src] | //link[@href] | //img[starts-with(@src, 'http')]")
    svg = page.xpath("//section[@data-model='claim']//svg[@class='diagram']")[0]
    assert {g.get("data-element-id"): g.get("data-diff")
            for g in svg.iter("g") if g.get("data-diff")} == EXPECTED
    rows = [[td.text_content() for td in tr.xpath("td")]
            for tr in page.xpath("//section//h3[.='Elements']/following-sibling::div[1]//tbody/tr")]
    assert rows[0][:3] == ["\u2212 removed", "serviceTask \u201cPay claim\u201d", "t_pay"]
    assert [r[0] for r in rows] == ["\u2212 removed", "+ added", "~ renamed", "~ moved"]


def test_picture_needs_an_output(pair):
    old, new, _, _ = pair
    result = run("diff", old, new, "--format", "png")
    assert result.exit_code == 2
    assert "--format png draws a picture: give -o OUT" in result.stderr


# -- several models: one picture each -------------------------------------------------


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    """Two commits: the claim model with its workbook and another model, then the claim
    model changed as in ``new_version``, the other renamed a task, a third model added."""
    root = tmp_path / "repo"
    claims = root / "claims"
    claims.mkdir(parents=True)
    git(root, "init", "-q")
    model = write_bpmn(claims / "claim.bpmn")
    write_workbook(claims / "claim-cx.xlsx", model)
    write_bpmn(root / "other.bpmn", tasks=CLAIM_TASKS[:2], flows=CLAIM_FLOWS[:1])
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    new_version(claims)
    write_bpmn(root / "other.bpmn", tasks=replace_task(CLAIM_TASKS[:2], "t_register",
                                                        name="Log the claim"),
               flows=CLAIM_FLOWS[:1])
    write_bpmn(root / "dept" / "fresh.bpmn")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "second")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return root


def test_git_with_several_models_writes_one_picture_each(repo, tmp_path):
    out = tmp_path / "pictures"
    result = run("diff", "--git", "HEAD~1", "--git", "HEAD", "--format", "svg", "-o", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.svg"))
    assert names == ["claims/claim.diff.svg", "dept/fresh.diff.svg", "other.diff.svg"]
    assert marked((out / "claims" / "claim.diff.svg").read_bytes(), "data-diff") == EXPECTED
    assert marked((out / "other.diff.svg").read_bytes(), "data-diff") == {
        "t_register": "changed"}
    # A new model: everything in it is new, nothing to mark against.
    assert b"fresh: HEAD~1 \xe2\x86\x92 HEAD" in (out / "dept" / "fresh.diff.svg").read_bytes()


# -- gaps --format md: the journey as Mermaid -------------------------------------------


def test_gaps_markdown_ends_with_a_valid_mermaid_journey():
    result = run("gaps", f"{SAMPLE}.bpmn", f"{SAMPLE}-cx.xlsx", "--format", "md")
    assert result.exit_code == 0
    text = result.stdout
    _html, _tokens, fences = render(text)
    (fence,) = fences
    sections, tasks = check_journey(fence)
    assert text.endswith("```\n")
    assert text.index("- journey coverage:") < text.index("```mermaid")
    assert [number.split(".")[0] for number, _s, _a in tasks] == \
        [str(n) for n in range(1, len(tasks) + 1)]
    persona = run("gaps", f"{SAMPLE}.bpmn", f"{SAMPLE}-cx.xlsx", "--format", "md",
                  "--persona", "first-time claimant")
    (fence,) = render(persona.stdout)[2]
    _sections, only = check_journey(fence)
    assert fence.splitlines()[1] == "  title Customer journey of insurance-claim (First-time claimant)"
    assert all(actors == ["First-time claimant"] for _t, _s, actors in only)


# -- batch --compare-to ------------------------------------------------------------------


def test_batch_compare_to_adds_before_and_after(repo, tmp_path):
    out = tmp_path / "out"
    result = run("batch", ".", "-o", out, "-j", "1", "-q", "--compare-to", "HEAD~1")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["compared_to"] == "HEAD~1"
    by_model = {m["model"]: m for m in summary["models"]}
    assert by_model["claim"]["comparison"] == {
        "status": "changed", "coverage_before": 1.0, "coverage_after": 0.6667,
        "findings_new": 3, "findings_resolved": 1, "elements_changed": 4}
    assert by_model["claim"]["coverage"] == 0.6667  # the portfolio's own figure agrees
    assert by_model["fresh"]["comparison"]["status"] == "new"
    assert by_model["other"]["comparison"] == {
        "status": "changed", "coverage_before": None, "coverage_after": None,
        "findings_new": 0, "findings_resolved": 0, "elements_changed": 1}
    page = html.fromstring((out / "index.html").read_bytes())
    headers = [th.text_content() for th in page.xpath("//table[contains(@class,'portfolio')]//th")]
    assert headers[2:6] == ["Coverage", "Coverage HEAD~1 \u2192 now", "New findings since HEAD~1",
                            "Resolved since HEAD~1"]
    rows = {tr.xpath("td[2]//strong")[0].text: [td.text_content() for td in tr.xpath("td")]
            for tr in page.xpath("//table[contains(@class,'portfolio')]/tbody/tr")}
    assert rows["claim"][3:6] == ["100% \u2192 67%", "3", "1"]
    assert rows["fresh"][3] == "new model"
    assert "Compared with HEAD~1: 2 changed, 1 new, 0 unchanged; 3 new finding(s), 1 resolved." \
        in page.text_content()
    # Against the same revision nothing changed.
    again = tmp_path / "again"
    assert run("batch", ".", "-o", again, "-j", "1", "-q", "--compare-to", "HEAD").exit_code == 0
    summary = json.loads((again / "summary.json").read_text(encoding="utf-8"))
    assert {m["model"]: m["comparison"]["status"] for m in summary["models"]} == {
        "claim": "unchanged", "fresh": "unchanged", "other": "unchanged"}


def test_batch_without_compare_to_keeps_its_keys_and_says_null(repo, tmp_path):
    out = tmp_path / "out"
    assert run("batch", ".", "-o", out, "-j", "1", "-q").exit_code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["compared_to"] is None
    assert all(m["comparison"] is None for m in summary["models"])
    assert list(summary["models"][0])[:16] == [
        "file", "model", "output", "workbook", "status", "error", "warnings", "analysed",
        "journey_steps", "supported_steps", "coverage", "findings_per_severity",
        "moments_of_truth", "moments_of_truth_at_risk", "handoffs", "outputs"]
    assert b"since" not in (out / "index.html").read_bytes()


def test_batch_compare_to_an_unknown_revision_is_one_line(repo, tmp_path):
    result = run("batch", ".", "-o", tmp_path / "out", "-q", "--compare-to", "nope")
    assert result.exit_code == 1
    assert result.stderr == (f"error: nope: unknown revision in {repo} (no commit, branch or "
                             "tag of that name)\n")
    assert not re.search("Traceback", result.output)
