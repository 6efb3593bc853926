"""``bpmncx measure`` end to end: exit codes, formats, deterministic JSON."""

import json

import pytest
from click.testing import CliRunner

from bpmncx import load_model
from bpmncx.cli import cli
from bpmncx.eventlog import Scenario, simulate
from conftest import SAMPLES

MODEL = str(SAMPLES / "online-order" / "online-order.bpmn")
WORKBOOK = str(SAMPLES / "online-order" / "online-order-cx.xlsx")
GATEWAY = "sid-4260CE86-CA96-FD78-3A56-9EE452A5D423"
CANCEL = "sid-23CC390C-9354-D0E3-CE1F-39485D23D1F3"
PICK = "sid-7AA1CAA0-66DE-2E96-C867-119277832F1D"


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "orders.csv"
    scenario = Scenario(cases=60, seed=2, branches={GATEWAY: {PICK: 1, CANCEL: 1}})
    simulate(load_model(MODEL), scenario).write_csv(path, delimiter=";")
    return str(path)


def run(*args):
    return CliRunner().invoke(cli, ["measure", *args], catch_exceptions=False)


def test_table(log):
    result = run(MODEL, WORKBOOK, "--log", log)
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    with open(log, encoding="utf-8") as handle:
        events = sum(1 for _ in handle) - 1
    assert first.startswith(f"{events} events in 60 cases; clocks: process ")
    assert "drop-off" in result.stdout


def test_json_is_deterministic_and_documented(log, tmp_path):
    out = tmp_path / "m.json"
    assert run(MODEL, WORKBOOK, "--log", log, "--format", "json", "-o", str(out)).exit_code == 0
    again = run(MODEL, WORKBOOK, "--log", log, "--format", "json")
    assert again.stdout == out.read_text(encoding="utf-8")
    doc = json.loads(again.stdout)
    assert doc["schema"] == "bpmncx-measure/1"
    assert sorted(doc) == ["activities", "clocks", "elements", "findings", "log", "models",
                           "persona", "schema", "steps", "survey", "thresholds", "unmapped",
                           "workbook"]
    assert doc["log"]["columns"] == {"activity": "activity", "case_id": "case_id",
                                     "lifecycle": "lifecycle", "resource": "resource",
                                     "timestamp": "timestamp"}
    assert doc["clocks"]["process"]["count"] == 60
    assert [s["step"] for s in doc["steps"]] == list(range(1, 13))
    drop = [f for f in doc["findings"] if f["kind"] == "drop-off"]
    # Half the payments are declined: those customers never get the tracking link.
    assert [3, 5] in [f["steps"] for f in drop]


def test_csv_and_markdown(log):
    result = run(MODEL, WORKBOOK, "--log", log, "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("row,step,model,element_id,name,cases,events,reach,lost_share")
    assert lines[1].startswith("clock,,,,process,60,")
    assert sum(line.startswith("step,") for line in lines) == 12
    result = run(MODEL, WORKBOOK, "--log", log, "--format", "md")
    assert result.exit_code == 0 and result.stdout.startswith("# Measured: ")


def test_fail_on_exits_3(log):
    result = run(MODEL, WORKBOOK, "--log", log, "--fail-on", "warning")
    assert result.exit_code == 3
    assert "at or above warning: failing (--fail-on warning)" in result.stderr


def test_an_unreadable_log_exits_1_with_one_line(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = run(MODEL, WORKBOOK, "--log", str(empty))
    assert result.exit_code == 1
    assert result.stderr == f"error: {empty}: file is empty, not an event log\n"
    assert result.stdout == ""


def test_bad_rows_are_a_warning(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("case,activity,timestamp\n1,Order received,2024-03-01 10:00\n"
                    "1,Pick items,soon\n", encoding="utf-8")
    result = run(MODEL, WORKBOOK, "--log", str(path))
    assert result.exit_code == 0
    assert (f"warning: {path}: 1 row skipped (line 3: timestamp \u201csoon\u201d not "
            "understood)") in result.stderr


def test_usage_errors_exit_2(log):
    assert run(MODEL, WORKBOOK).exit_code == 2  # no --log
    assert run(MODEL, WORKBOOK, "--log", log, "--format", "xml").exit_code == 2
    assert run(MODEL, WORKBOOK, "--log", log, "--drop-off", "2").exit_code == 2


def test_the_output_never_overwrites_an_input(log):
    result = run(MODEL, WORKBOOK, "--log", log, "-o", log)
    assert result.exit_code == 1
    assert "refusing to overwrite it" in result.stderr


def test_clock_start_and_stop(log):
    whole = json.loads(run(MODEL, WORKBOOK, "--log", log, "--format", "json").stdout)
    part = json.loads(run(MODEL, WORKBOOK, "--log", log, "--format", "json",
                          "--process-start", "Pick items", "--process-stop", "Pack parcel",
                          "--customer-start", "2", "--customer-stop", "3").stdout)
    picked = [e for e in whole["elements"] if e["name"] == "Pick items"][0]["cases"]
    assert part["clocks"]["process"]["count"] == picked  # only cases with both ends
    assert part["clocks"]["process"]["max"] < whole["clocks"]["process"]["max"]
    assert part["clocks"]["customer"]["max"] < whole["clocks"]["customer"]["max"]
    result = run(MODEL, WORKBOOK, "--log", log, "--process-start", "Nothing like it")
    assert result.exit_code == 1
    assert result.stderr == ("error: process clock start: \u201cNothing like it\u201d matches no "
                             "element in the models given\n")
    result = run(MODEL, WORKBOOK, "--log", log, "--customer-stop", "40")
    assert (result.exit_code, result.stderr) == (
        1, "error: customer clock stop: there is no journey step 40\n")
