"""annotate --persona all: one persona's outputs failing does not stop the others."""

from __future__ import annotations

import subprocess
import sys

from bpmncx.pipeline.annotate import annotate
from conftest import ROOT

MODEL = ROOT / "samples" / "online-order" / "online-order.bpmn"
BOOK = ROOT / "samples" / "online-order" / "online-order-cx.xlsx"


def test_one_personas_unwritable_output_is_one_error_and_the_others_are_written(tmp_path):
    out = tmp_path / "out"
    (out / "online-order.first-time-buyer.svg").mkdir(parents=True)  # in the way
    done = subprocess.run([sys.executable, "-m", "bpmncx", "annotate", str(MODEL), str(BOOK),
                           "-o", str(out), "--persona", "all", "--format", "svg,html"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: persona \u201cFirst-time buyer\u201d: {out}/online-order.first-time-buyer.svg: "
        "cannot write: Is a directory"]
    assert done.stdout.splitlines() == [f"{out}/online-order.regular-customer.svg",
                                        f"{out}/online-order.regular-customer.html"]
    assert (out / "online-order.regular-customer.svg").read_bytes().startswith(b"<?xml")
    assert (out / "online-order.regular-customer.html").stat().st_size > 0
    assert not (out / "online-order.first-time-buyer.html").exists()


def test_the_api_returns_the_failures_and_the_written_paths(tmp_path):
    out = tmp_path / "out"
    (out / "online-order.regular-customer.cx.bpmn").mkdir(parents=True)
    result = annotate([str(MODEL)], str(BOOK), str(out), ("bpmn",), "all")
    assert result.failures == [
        f"persona \u201cRegular customer\u201d: {out}/online-order.regular-customer.cx.bpmn: "
        "cannot write: Is a directory"]
    assert result.paths == [f"{out}/online-order.first-time-buyer.cx.bpmn"]
