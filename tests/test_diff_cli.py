"""``bpmncx diff`` end to end: files, workbooks, git revisions, the pull-request comment."""

import json
import os
import re
import subprocess

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from bpmncx import load_model
from bpmncx.cli import cli
from bpmncx.diff import compare_models
from bpmncx.diff.result import Diff
from bpmncx.report.diff import MARKDOWN_LIMIT, to_markdown
from diff_support import (
    CLAIM_FLOWS,
    CLAIM_JOURNEY,
    CLAIM_TASKS,
    CLAIM_TOUCHPOINTS,
    replace_task,
    write_bpmn,
    write_workbook,
)


def run(*args):
    return CliRunner().invoke(cli, ["diff", *map(str, args)], catch_exceptions=False)


# -- Mermaid's journey grammar (mermaid/src/diagrams/user-journey/parser/journey.jison) ---------

TITLE = re.compile(r"^\s*title\s[^#\n;]+$")
SECTION = re.compile(r"^\s*section\s[^#:\n;]+$")
TASK = re.compile(r"^\s*([^#:\n;]+):\s*([^#:\n;]+):\s*([^#:\n;]+)$")
KEYWORD = re.compile(r"^\s*(title|section|accTitle|accDescr|journey)\b", re.IGNORECASE)


def check_journey(source: str):
    """Assert ``source`` is a journey Mermaid parses: title, sections, ``task: score:
    actors`` with an integer score 1..5 and named actors. Returns (sections, tasks)."""
    lines = [line for line in source.splitlines() if line.strip()]
    assert lines[0] == "journey"
    assert TITLE.match(lines[1]), lines[1]
    assert "%%" not in source  # a comment would swallow the rest of a line
    sections, tasks = [], []
    for line in lines[2:]:
        if SECTION.match(line):
            sections.append(line.split("section", 1)[1].strip())
            continue
        match = TASK.match(line)
        assert match, f"not a journey task: {line!r}"
        assert not KEYWORD.match(match.group(1)), line  # would be read as a keyword
        assert match.group(2).strip() in {"1", "2", "3", "4", "5"}, line
        actors = [a.strip() for a in match.group(3).split(",")]
        assert all(actors), line
        tasks.append((match.group(1).strip(), int(match.group(2)), actors))
    assert sections and not SECTION.match(lines[-1])
    return sections, tasks


def render(markdown: str):
    """The comment as GitHub-flavoured HTML (tables on), and its mermaid fences."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(markdown)
    fences = [t.content for t in tokens if t.type == "fence" and t.info.strip() == "mermaid"]
    return md.render(markdown), tokens, fences


def table_rows(tokens):
    """Cells per row of every table, to check no name broke a row apart."""
    rows, current = [], None
    for token in tokens:
        if token.type == "tr_open":
            current = 0
        elif token.type in ("td_open", "th_open"):
            current += 1
        elif token.type == "tr_close":
            rows.append(current)
    return rows


# -- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The claim model before and after deleting the task that pays, with workbooks."""
    folder = tmp_path_factory.mktemp("pair")
    old = write_bpmn(folder / "old" / "claim.bpmn")
    old_book = write_workbook(folder / "old" / "claim-cx.xlsx", old)
    tasks = [t for t in CLAIM_TASKS if t[0] != "t_pay"]
    flows = CLAIM_FLOWS[:3] + [("f6", "t_notify", "end")]
    journey = [dict(step) for step in CLAIM_JOURNEY]
    journey[2]["Supported by"] = None
    new = write_bpmn(folder / "new" / "claim.bpmn", tasks=tasks, flows=flows)
    new_book = write_workbook(folder / "new" / "claim-cx.xlsx", new, journey=journey,
                              touchpoints={k: v for k, v in CLAIM_TOUCHPOINTS.items()
                                           if k != "t_pay"})
    return old, new, old_book, new_book


def test_table_and_fail_on_new_critical(pair):
    old, new, old_book, new_book = pair
    result = run(old, new, "--workbook", old_book, new_book, "--fail-on", "new-critical")
    assert result.exit_code == 3
    assert "coverage 100 % → 67 %, 1 new critical gap, 1 resolved" in result.stdout
    assert "  removed   serviceTask “Pay claim”: was in Payments (Insurer)" in result.stdout
    assert result.stderr.splitlines()[-1] == (
        "1 new finding(s) at or above critical: failing (--fail-on new-critical)")
    # The other way round the change resolves the gap: nothing new, the gate passes.
    back = run(new, old, "--workbook", new_book, "--workbook", old_book,
               "--fail-on", "new-critical")
    assert back.exit_code == 0, back.output
    assert "1 resolved" in back.stdout


def test_existing_findings_do_not_trip_the_gate(pair):
    old, _new, old_book, _ = pair
    result = run(old, old, "--workbook", old_book, "--fail-on", "new-warning")
    assert result.exit_code == 0
    assert "no new gaps" in result.stdout


def test_one_workbook_for_both_refuses_its_errors_against_the_new_version(pair):
    old, new, old_book, _ = pair
    result = run(old, new, "--workbook", old_book)
    assert result.exit_code == 1
    label = f"{old_book} (with {new})"
    assert result.stderr.splitlines()[:2] == [
        f"error: {label}: Touchpoints!D6: element “t_pay” does not exist in claim.bpmn; if it "
        "was removed from the model, run 'bpmncx template --update'",
        f"error: {label}: Journey!H4: “Pay claim” is an element that no longer exists in "
        "claim.bpmn (see Touchpoints!D6); point to the element that replaced it, or leave it "
        "empty"]
    assert result.stderr.splitlines()[-1].startswith(f"error: {label}: 2 errors in the workbook")


def test_usage_errors_exit_2(pair):
    old, new, old_book, new_book = pair
    assert run(old).exit_code == 2
    assert run(old, new, old_book).exit_code == 2  # a workbook among the models
    assert run("--git", "HEAD", "--workbook", old_book).exit_code == 2
    assert run(old, new, "--format", "svg").exit_code == 2


def test_json_to_a_file_is_byte_identical(pair, tmp_path):
    old, new, old_book, new_book = pair
    for name in ("a.json", "b.json"):
        result = run(old, new, "--workbook", old_book, new_book, "--format", "json",
                     "-o", tmp_path / name)
        assert result.exit_code == 0 and result.stdout == ""
    data = (tmp_path / "a.json").read_bytes()
    assert data == (tmp_path / "b.json").read_bytes()
    doc = json.loads(data)
    assert doc["summary"]["new_findings_per_severity"]["critical"] == 1
    (model,) = doc["models"]
    (finding,) = [f for f in model["consequences"]["findings"] if f["change"] == "new"]
    assert (finding["new"]["kind"], finding["new"]["steps"], finding["old"]) == (
        "missing-support", [3], None)
    assert model["consequences"]["moments_of_truth_newly_at_risk"][0]["step"] == 3


def test_markdown_comment_renders_with_a_valid_mermaid_journey(pair):
    old, new, old_book, new_book = pair
    result = run(old, new, "--workbook", old_book, new_book, "--format", "md")
    assert result.exit_code == 0
    text = result.stdout
    assert len(text) <= MARKDOWN_LIMIT
    html, tokens, fences = render(text)
    assert "<strong>coverage 100 % → 67 %, 1 new critical gap, 1 resolved" in html
    assert "<td>missing-support</td>" in html
    assert "<td>serviceTask “Pay claim”</td>" in html
    assert set(table_rows(tokens)) == {2, 3, 5}  # findings, elements, flows, journey
    (journey,) = fences
    sections, tasks = check_journey(journey)
    assert sections == ["Report", "Decision", "Payout"]
    assert tasks == [("1. Report the damage", 2, ["Claimant"]),
                     ("2. Hear the decision", 3, ["Claimant"]),
                     ("3. Get my money", 4, ["Claimant"])]


HOSTILE = "Pay | now: `x` <script>alert(1)</script> #1; 50%\nsection two"


def test_markup_in_names_cannot_break_the_table_or_the_journey(tmp_path):
    old = write_bpmn(tmp_path / "old" / "claim.bpmn")
    tasks = replace_task(CLAIM_TASKS, "t_pay", name=HOSTILE)
    new = write_bpmn(tmp_path / "new" / "claim.bpmn", tasks=tasks)
    journey = [dict(step) for step in CLAIM_JOURNEY]
    journey[2].update({"Customer step": HOSTILE, "Stage": "Pay: out # now",
                       "Supported by": "t_pay"})
    journey[1]["Customer step"] = "section title: ; `"
    touchpoints = {"t_pay": {"Customer-facing?": "Yes", "Touchpoint": HOSTILE}}
    book = write_workbook(tmp_path / "new" / "claim-cx.xlsx", new, journey=journey,
                          touchpoints=touchpoints, personas=("Claimant, the first", "Broker|Agent"))
    old_book = write_workbook(tmp_path / "old" / "claim-cx.xlsx", old)
    result = run(old, new, "--workbook", old_book, book, "--format", "md")
    assert result.exit_code == 0, result.output
    html, tokens, fences = render(result.stdout)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert set(table_rows(tokens)) <= {3, 4, 5}  # every row as wide as its table's header
    (journey_source,) = fences
    sections, tasks = check_journey(journey_source)
    assert len(sections) == 3 and len(tasks) == 3
    assert tasks[1][0].startswith("2. section title")  # numbered: never read as a keyword
    assert tasks[0][2] == ["Claimant‚ the first", "Broker|Agent"]  # no comma splits a name


def test_a_long_comment_is_cut_with_a_note(tmp_path):
    many = [(f"t{i}", f"Task number {i}", i % 2, i, "task") for i in range(900)]
    old = write_bpmn(tmp_path / "old.bpmn", tasks=many, flows=[])
    renamed = [(t[0], t[1] + " (renamed)", t[2], t[3], t[4]) for t in many]
    new = write_bpmn(tmp_path / "new.bpmn", tasks=renamed, flows=[])
    model_diff = compare_models(load_model(old), load_model(new))
    assert len(model_diff.process.elements) == 900
    text = to_markdown(Diff("old.bpmn", "new.bpmn", (model_diff,)))
    assert len(text) <= MARKDOWN_LIMIT
    assert text.rstrip().endswith("run `bpmncx diff --format json` for the whole comparison._")
    _html, tokens, _fences = render(text)
    assert set(table_rows(tokens)) == {3}


# -- git ---------------------------------------------------------------------------------

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo, *args):
    env = dict(os.environ, **GIT_ENV, HOME=str(repo))
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    """A repository with two commits: the claim model, then a task renamed in it."""
    root = tmp_path / "repo"
    claims = root / "claims"
    claims.mkdir(parents=True)
    git(root, "init", "-q")
    model = write_bpmn(claims / "claim.bpmn")
    write_workbook(claims / "claim-cx.xlsx", model)
    write_bpmn(root / "other.bpmn", tasks=CLAIM_TASKS[:2], flows=CLAIM_FLOWS[:1])
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    write_bpmn(claims / "claim.bpmn",
               tasks=replace_task(CLAIM_TASKS, "t_assess", name="Check the claim"))
    write_workbook(claims / "claim-cx.xlsx", claims / "claim.bpmn")
    git(root, "commit", "-q", "-a", "-m", "second")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return root


def test_git_two_revisions(repo):
    result = run("--git", "HEAD~1", "--git", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["old"], doc["new"], doc["unchanged"]) == ("HEAD~1", "HEAD", ["other.bpmn"])
    (model,) = doc["models"]
    assert model["old"]["file"] == "HEAD~1:claims/claim.bpmn"
    assert model["old"]["workbook"] == "HEAD~1:claims/claim-cx.xlsx"
    assert model["new"]["workbook"] == "HEAD:claims/claim-cx.xlsx"
    assert [(e["change"], e["id"], e["aspects"]) for e in model["process"]["elements"]] == [
        ("changed", "t_assess", ["renamed"])]
    assert [f["change"] for f in model["consequences"]["findings"]
            if f["change"] != "unchanged"] == []


def test_git_working_tree_against_head_fails_on_a_new_critical_gap(repo):
    claims = repo / "claims"
    tasks = [t for t in CLAIM_TASKS if t[0] != "t_pay"]
    write_bpmn(claims / "claim.bpmn", tasks=tasks,
               flows=CLAIM_FLOWS[:3] + [("f6", "t_notify", "end")])
    journey = [dict(step) for step in CLAIM_JOURNEY]
    journey[2]["Supported by"] = None
    write_workbook(claims / "claim-cx.xlsx", claims / "claim.bpmn", journey=journey,
                   touchpoints={k: v for k, v in CLAIM_TOUCHPOINTS.items() if k != "t_pay"})
    (repo / "other.bpmn").unlink()
    result = run("--git", "HEAD", "--fail-on", "new-critical")
    assert result.exit_code == 3, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "HEAD → working tree: 2 model(s) changed, 0 unchanged"
    assert any(line.startswith("claims/claim.bpmn: coverage 100 % → 67 %, 1 new critical gap")
               for line in lines)
    assert "HEAD:other.bpmn: model deleted" in result.stdout
    # Only a folder: the deleted model elsewhere is not looked at.
    for path in ("claims", "claims/claim.bpmn"):
        only = json.loads(run("--git", "HEAD", path, "--format", "json").stdout)
        assert [(m["model"], m["old"]["workbook"], m["new"]["workbook"])
                for m in only["models"]] == [
            ("claim", "HEAD:claims/claim-cx.xlsx", "claims/claim-cx.xlsx")]


def test_git_errors_are_one_line(repo, tmp_path):
    result = run("--git", "no-such-rev")
    assert result.exit_code == 1
    assert result.stderr == f"error: no-such-rev: unknown revision in {repo} (no commit, branch " \
                            "or tag of that name)\n"
    result = run("--git", "HEAD", "missing/")
    assert result.exit_code == 1
    assert result.stderr == "error: missing/: no such file or folder in HEAD or working tree\n"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.chdir(outside)
    result = run("--git", "HEAD")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {outside}: not inside a git repository; run 'bpmncx diff "
                             "--git' in one, or compare two files: bpmncx diff OLD.bpmn NEW.bpmn\n")


def test_a_model_in_a_revision_over_the_size_limit_is_refused_like_a_file(repo, monkeypatch):
    # the revision's copy goes from git to disk, never whole into memory, and is then
    # read (or refused) as any file is
    monkeypatch.setenv("BPMNCX_MAX_BPMN_BYTES", "1000")
    result = run("--git", "HEAD~1", "--git", "HEAD", "claims")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: HEAD~1:claims/claim.bpmn: ")
    assert result.stderr.endswith("the file is larger than 1000 bytes, the limit for a BPMN "
                                  "file; set BPMNCX_MAX_BPMN_BYTES to a larger number of bytes "
                                  "to read it\n")

