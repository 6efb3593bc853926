"""--log on gaps, annotate, batch and template: the log's findings, its figures on the
picture, the workbook's Event log and Settings sheets (real DuckDB, real xlsx, real
Graphviz)."""

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from lxml import etree
from openpyxl import load_workbook

from bpmncx import load_model, read_annotations
from bpmncx.cli import cli
from bpmncx.eventlog import CustomerEvent, Scenario, simulate
from conftest import SAMPLES
from test_eventlog import ORDER_SCENARIO, quantile, truth

ORDER = SAMPLES / "online-order"
MODEL = str(ORDER / "online-order.bpmn")
WORKBOOK = str(ORDER / "online-order-cx.xlsx")
LOG_KINDS = {"voice-gap", "long-wait", "drop-off", "skipped-support", "emotion-drift"}


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def simulated():
    return simulate(load_model(MODEL), ORDER_SCENARIO)


@pytest.fixture(scope="module")
def log(simulated, tmp_path_factory):
    path = tmp_path_factory.mktemp("log") / "orders.csv"
    simulated.write_csv(path)
    return str(path)


def test_gaps_log_findings_join_json_csv_and_fail_on(log):
    plain = json.loads(run("gaps", MODEL, WORKBOOK, "--format", "json").stdout)
    assert "measures" not in plain  # without --log the document is as before
    result = run("gaps", WORKBOOK, MODEL, "--log", log, "--format", "json")  # either order
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    kinds = {f["kind"] for f in doc["findings"]}
    assert kinds & LOG_KINDS and kinds - LOG_KINDS  # both kinds of finding, one list
    assert doc["measures"]["log"]["cases"] == 240
    assert doc["measures"]["clocks"]["process"]["count"] == 240
    per_kind = doc["metrics"]["findings_per_kind"]
    assert per_kind["drop-off"] == sum(f["kind"] == "drop-off" for f in doc["findings"])
    assert sum(doc["metrics"]["findings_per_severity"].values()) == len(doc["findings"])
    csv = run("gaps", MODEL, WORKBOOK, "--log", log, "--format", "csv").stdout
    assert ",drop-off," in csv
    # --fail-on counts the log's findings: a strict long-wait alone trips it
    strict = run("gaps", MODEL, WORKBOOK, "--log", log, "--long-wait", "0", "--fail-on",
                 "warning")
    assert strict.exit_code == 3
    assert "failing (--fail-on warning)" in strict.stderr


def test_gaps_with_a_malformed_log_is_one_line_exit_1(tmp_path):
    bad = tmp_path / "broken.csv"
    bad.write_text("who,what\n1,2\n", encoding="utf-8")
    result = run("gaps", MODEL, WORKBOOK, "--log", bad)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "broken.csv" in lines[0]
    assert "Traceback" not in result.output


def _svg(path):
    return etree.parse(str(path)).getroot()


def _attributes(root, name):
    return {el.get("id"): el for el in root.iter() if el.get(name) is not None}


def test_annotate_log_draws_the_clocks_and_the_true_waits(log, simulated, tmp_path):
    result = run("annotate", MODEL, WORKBOOK, "--log", log, "-o", tmp_path,
                 "--format", "svg")
    assert result.exit_code == 0, result.output
    root = _svg(tmp_path / "online-order.svg")
    text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert re.search(r"Event log: process [\d.]+ (days|h) \u00b7 customer [\d.]+ (days|h), "
                     r"median", text)
    annotations = read_annotations(WORKBOOK, [load_model(MODEL)])
    _steps, observed, per_case = truth(simulated, annotations)
    tags = {int(el.get("data-journey-step")): el
            for el in _attributes(root, "data-reach").values()}
    assert set(tags) == set(observed)
    for number in observed:
        reached = [c for c in per_case.values() if number in c["spans"]]
        assert float(tags[number].get("data-reach")) == round(len(reached) / 240, 4)
        waits = [max(0, c["spans"][number][0] - c["spans"][max(n for n in c["spans"]
                                                                 if n < number)][1])
                 for c in reached if any(n < number for n in c["spans"])]
        if waits:
            assert abs(float(tags[number].get("data-wait-seconds"))
                       - quantile(waits, 0.5)) <= 1, number
        else:
            assert tags[number].get("data-wait-seconds") is None
    clocks = next(iter(_attributes(root, "data-process-clock-seconds").values()))
    process = [c["process"] for c in per_case.values() if c["process"] is not None]
    assert abs(float(clocks.get("data-process-clock-seconds")) - quantile(process, 0.5)) <= 1
    heat = _attributes(root, "data-heat-level")
    assert heat and {el.get("data-heat-level") for el in heat.values()} <= {"0", "1", "2"}
    # without --log the picture has none of it
    plain = tmp_path / "plain"
    run("annotate", MODEL, WORKBOOK, "-o", plain, "--format", "svg")
    assert not _attributes(_svg(plain / "online-order.svg"), "data-reach")


def test_heat_by_duration_with_limits_and_none(log, tmp_path):
    run("annotate", MODEL, WORKBOOK, "--log", log, "-o", tmp_path / "d", "--format", "svg",
        "--heat", "duration", "--heat-limits", "0.5,1.5")
    root = _svg(tmp_path / "d" / "online-order.svg")
    legend = next(iter(_attributes(root, "data-heat-limits").values()))
    assert legend.get("data-heat") == "duration"
    assert legend.get("data-heat-limits") == "1800,5400"  # hours typed, seconds kept
    for el in _attributes(root, "data-heat-level").values():
        seconds = float(el.get("data-duration-seconds"))
        level = 0 if seconds < 1800 else (1 if seconds < 5400 else 2)
        assert el.get("data-heat-level") == str(level)
    run("annotate", MODEL, WORKBOOK, "--log", log, "-o", tmp_path / "n", "--format", "svg",
        "--heat", "none")
    root = _svg(tmp_path / "n" / "online-order.svg")
    assert not _attributes(root, "data-heat-level") and _attributes(root, "data-reach")


def _workbook_with(tmp_path, sheet, rows):
    path = tmp_path / "cx.xlsx"
    shutil.copy(WORKBOOK, path)
    wb = load_workbook(path)
    if sheet in wb.sheetnames:  # the sample's own rows make way for the test's
        del wb[sheet]
    ws = wb.create_sheet(sheet)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return str(path)


def test_the_event_log_sheet_maps_before_names(tmp_path):
    # A hotline call no model has, and a task logged by the wrong name's twin
    scenario = Scenario(cases=30, seed=5, customer_events=(
        CustomerEvent("Hotline call", after="sid-9200A15F-69FF-0A7B-EEBD-C582C1CA746A"),))
    path = tmp_path / "calls.csv"
    played = simulate(load_model(MODEL), scenario)
    played.write_csv(path)
    calls = sum(any(e.activity == "Hotline call" for e in c.events) for c in played.cases)
    before = json.loads(run("measure", MODEL, WORKBOOK, "--log", path, "--format",
                            "json").stdout)
    assert "Hotline call" in [a["activity"] for a in before["unmapped"]]
    tracking_link = "Send tracking link to customer"
    mapped = _workbook_with(tmp_path, "Event log", [
        ["Log activity", "Maps to"],
        ["Hotline call", "8"],  # a journey step by number
        [tracking_link, "Deliver parcel to customer"],  # overrides matching by name
    ])
    after = json.loads(run("measure", MODEL, mapped, "--log", path, "--format", "json").stdout)
    activities = {a["activity"]: a for a in after["activities"]}
    assert activities["Hotline call"]["step"] == 8
    assert activities["Hotline call"]["how"] == "mapping"
    assert activities[tracking_link]["element"]["name"] == "Deliver parcel to customer"
    assert activities[tracking_link]["how"] == "mapping"
    assert [s["cases"] for s in after["steps"] if s["step"] == 8] == [calls]
    assert calls > 0


def test_event_log_sheet_problems_name_the_cell(tmp_path):
    mapped = _workbook_with(tmp_path, "Event log", [
        ["Log activity", "Maps to"], ["Hotline call", "8"], ["hotline  CALL", "9"],
        ["Label printed", "Print labell"]])
    result = run("validate", MODEL, mapped)
    assert "Event log!A3" in result.output and "second row" in result.output
    assert re.search(r"Event log!B4: .Print labell. matches no element or journey step, so "
                     r".Label printed. is matched by id and name instead", result.output)


def test_settings_sheet_thresholds_and_the_command_line_over_them(log, tmp_path):
    def kinds(*args, workbook=WORKBOOK):
        doc = json.loads(run("gaps", MODEL, workbook, "--log", log, "--format", "json",
                             *args).stdout)
        return [f for f in doc["findings"] if f["kind"] == "long-wait"], doc

    default, _ = kinds()
    lenient = _workbook_with(tmp_path, "Settings", [["Setting", "Value"], ["long-wait", 1000]])
    none, doc = kinds(workbook=lenient)
    assert default and not none
    assert doc["measures"]["thresholds"]["long_wait"] == 1000 * 86400
    again, _ = kinds("--long-wait", "2", workbook=lenient)  # command line > workbook
    assert [f["message"] for f in again] == [f["message"] for f in default]
    broken = _workbook_with(tmp_path, "Settings", [["Setting", "Value"], ["drop-off", "lots"],
                                                   ["long wait", -3]])
    result = run("gaps", MODEL, broken, "--log", log)
    assert result.exit_code == 0
    assert re.search(r"Settings!B2: drop-off .lots.: it is not a number; the default 0.2 is used", result.stderr)
    assert re.search(r"Settings!B3: long-wait .-3.: it must be 0 or more", result.stderr)


def test_template_writes_the_sheets_with_suggestions_and_update_carries_them(log, tmp_path):
    out = tmp_path / "cx.xlsx"
    assert run("template", MODEL, "-o", out, "--log", log).exit_code == 0
    wb = load_workbook(out)
    rows = [r for r in wb["Event log"].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Log activity")
    listed = {r[0]: r for r in rows[header + 1:] if r[0]}
    assert listed["Send tracking link to customer"][2].startswith(
        "sid-9200A15F-69FF-0A7B-EEBD-C582C1CA746A (")
    assert "nothing found" in listed["Compare delivery options and costs"][2]
    settings = [r[0] for r in wb["Settings"].iter_rows(values_only=True)]
    assert {"voice-gap", "long-wait", "drop-off", "min-cases"} <= set(settings)
    # the owners type a mapping and a setting; --update keeps both
    ws = wb["Event log"]
    ws.cell(row=header + 2, column=2, value="Deliver parcel to customer")
    typed = ws.cell(row=header + 2, column=1).value
    ws_settings = wb["Settings"]
    row = settings.index("drop-off") + 1
    ws_settings.cell(row=row, column=2, value=0.5)
    wb.save(out)
    new = tmp_path / "new.xlsx"
    assert run("template", MODEL, "-o", new, "--update", out).exit_code == 0
    annotations = read_annotations(str(new), [load_model(MODEL)])
    assert annotations.log_mapping == {typed: "Deliver parcel to customer"}
    assert annotations.settings == {"drop-off": 0.5}


def test_batch_log_auto_finds_each_models_log(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    for name in ("online-order.bpmn", "online-order-cx.xlsx"):
        shutil.copy(ORDER / name, folder / name)
    claim = SAMPLES / "insurance-claim"
    for name in ("insurance-claim.bpmn", "insurance-claim-cx.xlsx"):
        shutil.copy(claim / name, folder / name)
    simulate(load_model(MODEL), Scenario(cases=40, seed=3)).write_csv(
        folder / "online-order.log.csv")
    result = run("batch", folder, "-o", tmp_path / "out", "-q", "-j", "1", "--log", "auto",
                 "--format", "svg")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    kinds = {m["model"]: set() for m in summary["models"]}
    for finding in summary["findings"]:
        kinds[finding["model"]].add(finding["kind"])
    assert kinds["online-order"] & LOG_KINDS
    assert not kinds["insurance-claim"] & LOG_KINDS  # no log beside it
    root = _svg(next((tmp_path / "out").rglob("online-order.svg")))
    assert _attributes(root, "data-reach")
    # one log for every model, unreadable: that model's one-line error, others go on
    broken = tmp_path / "broken.csv"
    broken.write_text("", encoding="utf-8")
    result = run("batch", folder, "-o", tmp_path / "out2", "-q", "-j", "1", "--log", broken,
                 "--format", "svg")
    assert result.exit_code == 1
    assert "broken.csv" in result.output


def test_reports_carry_the_measures(log, tmp_path):
    result = run("annotate", MODEL, WORKBOOK, "--log", log, "-o", tmp_path,
                 "--format", "html,xlsx")
    assert result.exit_code == 0, result.output
    from lxml import html

    page = html.parse(str(tmp_path / "online-order.html"))
    assert "Measured from the event log" in [h.text for h in page.iter("h2")]
    labels = [s.get("aria-label") for s in page.xpath("//svg[@aria-label]")]
    assert {"The two clocks over cases: process against customer",
            "Funnel: share of cases reaching each step",
            "Wait before each step: median and p90"} <= set(labels)
    assert not page.xpath("//script[@src]")  # nothing fetched
    bars = page.xpath("//svg[@aria-label='Funnel: share of cases reaching each step']//rect")
    doc = json.loads(run("measure", MODEL, WORKBOOK, "--log", log, "--format", "json").stdout)
    reach = {s["step"]: s["reach"] for s in doc["steps"] if s["reach"] is not None}
    assert {int(b.get("data-journey-step")): float(b.get("data-reach")) for b in bars} == reach
    wb = load_workbook(tmp_path / "online-order-report.xlsx")
    assert "Measures" in wb.sheetnames
    rows = list(wb["Measures"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Step")
    assert [r[4] for r in rows[header + 1:header + 1 + len(doc["steps"])]] == \
        [s["reach"] for s in doc["steps"]]


def test_the_heat_and_the_tags_read_on_their_backgrounds():
    from bpmncx import palette
    from bpmncx.render import styles

    for shade in palette.HEAT_SHADES:
        border = palette.outline_ink(shade)
        assert palette.contrast(border, shade) >= palette.MARK_CONTRAST
        assert palette.contrast(border, palette.BACKGROUND) >= palette.MARK_CONTRAST
    ink = palette.text_ink(styles.BAND_FILL)
    assert palette.contrast(ink, styles.BAND_FILL) >= palette.TEXT_CONTRAST
