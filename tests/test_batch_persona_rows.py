"""batch --persona each: the portfolio's figures for every persona's journey, and under
each model one row per persona with the figures `gaps --persona NAME` gives."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

from conftest import ROOT

SAMPLE = ROOT / "samples" / "online-order"


def bpmncx(*args):
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_each_persona_gets_a_row_with_its_own_figures(tmp_path):
    out = tmp_path / "out"
    done = bpmncx("batch", SAMPLE, "-o", out, "--persona", "each", "--format", "html", "-j", "1",
                  "-q")
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["persona"] == "each"
    [model] = summary["models"]
    whole = json.loads(bpmncx("gaps", SAMPLE / "online-order.bpmn",
                              SAMPLE / "online-order-cx.xlsx", "--format", "json").stdout)
    assert model["coverage"] == whole["metrics"]["coverage"]  # the default figures stay
    rows = model["personas"]
    assert [r["persona"] for r in rows] == ["First-time buyer", "Regular customer"]
    for row in rows:
        own = json.loads(bpmncx("gaps", SAMPLE / "online-order.bpmn",
                                SAMPLE / "online-order-cx.xlsx", "--persona", row["persona"],
                                "--format", "json").stdout)["metrics"]
        assert (row["journey_steps"], row["supported_steps"], row["coverage"],
                row["findings_per_severity"], row["moments_of_truth_at_risk"], row["handoffs"],
                row["negative"]) == (
            own["journey_steps"], own["supported_steps"], own["coverage"],
            own["findings_per_severity"], len(own["moments_of_truth_at_risk"]), own["handoffs"],
            False)
    with open(out / "summary-personas.csv", newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [(r["model"], r["persona"], r["coverage"], r["critical"]) for r in table] == [
        ("online-order", r["persona"], str(r["coverage"]), str(r["findings_per_severity"]["critical"]))
        for r in rows]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<table class="personas">' in page and "<td>Regular customer</td>" in page
    assert "one row per persona with the figures of that persona's journey" in page


def test_without_each_there_are_no_persona_rows(tmp_path):
    out = tmp_path / "out"
    done = bpmncx("batch", SAMPLE, "-o", out, "--format", "html", "-j", "1", "-q")
    assert done.returncode == 0, done.stderr
    [model] = json.loads((out / "summary.json").read_text(encoding="utf-8"))["models"]
    assert model["personas"] == []
    assert not (out / "summary-personas.csv").exists()
    assert 'class="personas"' not in (out / "index.html").read_text(encoding="utf-8")
