"""Models and the workbook in either order on every command that takes both; what is
missing or doubled is said in one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLES

ORDER = SAMPLES / "online-order" / "online-order.bpmn"
BOOK = SAMPLES / "online-order" / "online-order-cx.xlsx"


def run(*args):
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("command", [["validate"], ["gaps", "--format", "json"]])
def test_both_orders_give_the_same_result(command):
    one = run(*command, ORDER, BOOK)
    other = run(*command, BOOK, ORDER)
    assert one.returncode == other.returncode == 0, one.stderr + other.stderr
    assert one.stdout == other.stdout and one.stderr == other.stderr


def test_annotate_in_the_swapped_order(tmp_path):
    done = run("annotate", BOOK, ORDER, "-o", tmp_path, "--format", "svg")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "online-order.svg").is_file()


@pytest.mark.parametrize("command", ["gaps", "validate", "annotate"])
def test_a_forgotten_workbook_is_said_in_one_line(command, tmp_path):
    extra = ["-o", tmp_path] if command == "annotate" else []
    done = run(command, ORDER, *extra)
    assert done.returncode == 2  # a usage error
    assert done.stderr.endswith(f"Error: {ORDER}: no workbook among these (only BPMN models); "
                                f"give the filled workbook too: bpmncx {command} MODEL... "
                                "WORKBOOK\n")


def test_a_forgotten_model_and_two_workbooks(tmp_path):
    done = run("gaps", BOOK)
    assert done.returncode == 2
    assert done.stderr.endswith(f"Error: {BOOK}: a workbook but no model; give the model(s) "
                                "it describes too: bpmncx gaps MODEL... WORKBOOK\n")
    copy = tmp_path / "copy-cx.xlsx"
    copy.write_bytes(BOOK.read_bytes())
    done = run("gaps", ORDER, BOOK, copy)
    assert done.returncode == 2
    assert done.stderr.endswith(f"Error: {BOOK}, {copy}: both workbooks; give one workbook and "
                                "the model(s) it describes: bpmncx gaps MODEL... WORKBOOK\n")


def test_an_annotated_bpmn_stands_in_for_the_workbook_in_either_order(tmp_path):
    done = run("annotate", ORDER, BOOK, "-o", tmp_path, "--format", "bpmn")
    assert done.returncode == 0, done.stderr
    cx = tmp_path / "online-order.cx.bpmn"
    one = run("gaps", ORDER, cx, "--format", "json")
    other = run("gaps", cx, ORDER, "--format", "json")
    assert one.returncode == other.returncode == 0, one.stderr
    assert one.stdout == other.stdout
