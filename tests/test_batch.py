"""``bpmncx batch``: finding models, matching workbooks, mirrored outputs, portfolio, failures."""

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from bpmncx.pipeline.batch import BatchError, find_models, find_workbook, output_path, plan
from bpmncx.cli import cli
from conftest import CORPUS, SAMPLES, corpus_files, needs_corpus
from report_support import FORMULA_NAME, HOSTILE, SCRIPT_NAME, make_workbook

BPMN_HEAD = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
             'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
             'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="d">')
TINY_DI = ('<bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="pl" bpmnElement="p">'
           '<bpmndi:BPMNShape id="sh" bpmnElement="s"><dc:Bounds x="10" y="10" width="36" height="36"/>'
           '</bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>')
BROKEN = '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"><task id='


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _tiny(path: Path) -> Path:
    return _write(path, BPMN_HEAD + '<process id="p"><startEvent id="s" name="Go"/></process>'
                  + TINY_DI + '</definitions>')


def _run(*args):
    return CliRunner().invoke(cli, ["batch", *args], catch_exceptions=False)


# -- finding models and workbooks -------------------------------------------------


def test_folders_are_searched_for_bpmn_files_and_bpmn_xml_only(tmp_path):
    _tiny(tmp_path / "a.bpmn")
    _tiny(tmp_path / "sub" / "b.bpmn2")
    _tiny(tmp_path / "sub" / "c.xml")
    _write(tmp_path / "sub" / "d.xml", "<project><name>not a process</name></project>")
    _write(tmp_path / "sub" / "e.xml", "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>")
    _write(tmp_path / "notes.txt", "hello")
    _tiny(tmp_path / ".git" / "f.bpmn")
    found = [p.relative_to(tmp_path).as_posix() for p, _base in find_models([str(tmp_path)])]
    assert found == ["a.bpmn", "sub/b.bpmn2", "sub/c.xml"]


def test_files_and_globs(tmp_path):
    _tiny(tmp_path / "x" / "one.bpmn")
    _tiny(tmp_path / "x" / "deep" / "two.bpmn")
    named = find_models([str(tmp_path / "x" / "one.bpmn")])
    assert [p.name for p, _ in named] == ["one.bpmn"]
    globbed = find_models([str(tmp_path / "x" / "**" / "*.bpmn")])
    assert sorted(p.name for p, _ in globbed) == ["one.bpmn", "two.bpmn"]
    # The same file named twice is done once.
    assert len(find_models([str(tmp_path / "x"), str(tmp_path / "x" / "one.bpmn")])) == 2
    with pytest.raises(BatchError, match="no such file or folder"):
        find_models([str(tmp_path / "missing")])
    with pytest.raises(BatchError, match="no file matches"):
        find_models([str(tmp_path / "*.nothing")])
    # a pipe named on the command line says what it is (a folder search passes it by)
    os.mkfifo(tmp_path / "x" / "pipe.bpmn")
    with pytest.raises(BatchError, match=r"pipe.bpmn: this is a named pipe \(FIFO\), not a "
                                         "regular file"):
        find_models([str(tmp_path / "x" / "pipe.bpmn")])
    assert sorted(p.name for p, _ in find_models([str(tmp_path / "x")])) == ["one.bpmn",
                                                                          "two.bpmn"]


def test_workbook_beside_the_model_or_given(tmp_path):
    a, b, c = (_tiny(tmp_path / f"{n}.bpmn") for n in "abc")
    (tmp_path / "a.xlsx").write_bytes(b"x")
    (tmp_path / "b-cx.xlsx").write_bytes(b"x")
    assert find_workbook(a) == str(tmp_path / "a.xlsx")
    assert find_workbook(b) == str(tmp_path / "b-cx.xlsx")
    assert find_workbook(c) is None
    assert find_workbook(c, "/some/where.xlsx") == "/some/where.xlsx"


def test_outputs_mirror_the_inputs_and_never_leave_the_output_folder(tmp_path):
    _tiny(tmp_path / "in" / "top.bpmn")
    _tiny(tmp_path / "in" / "dept" / "sales" / "order.bpmn")
    _tiny(tmp_path / "in" / "dept" / "sales" / "order.xml")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out = tmp_path / "out"
    jobs = plan([str(tmp_path / "in")], out)
    assert [j.rel for j in jobs] == ["top", "dept/sales/order", "dept/sales/order.xml"]
    assert output_path(jobs[1], ".svg") == str(out / "dept" / "sales" / "order.svg")
    # A folder inside the output that points elsewhere is refused, not followed.
    (out / "dept").mkdir(parents=True)
    os.symlink(outside, out / "dept" / "sales")
    with pytest.raises(BatchError, match="outside"):
        output_path(jobs[1], ".svg")
    # The output folder inside the input folder is not searched again.
    _tiny(tmp_path / "in" / "out2" / "old.bpmn")
    assert [j.rel for j in plan([str(tmp_path / "in")], tmp_path / "in" / "out2")] == [
        "top", "dept/sales/order", "dept/sales/order.xml"]


def test_unknown_format_is_a_usage_error(tmp_path):
    _tiny(tmp_path / "a.bpmn")
    result = _run(str(tmp_path), "-o", str(tmp_path / "out"), "--format", "svg,gif")
    assert result.exit_code == 2
    assert "unknown format 'gif'" in result.output


# -- a small repository end to end ------------------------------------------------


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """claims/hostile.bpmn with its workbook, plain/tiny.bpmn without, broken.bpmn."""
    root = tmp_path_factory.mktemp("repo")
    (root / "claims").mkdir()
    shutil.copy(HOSTILE, root / "claims" / "hostile.bpmn")
    make_workbook(root / "claims" / "hostile.bpmn", root / "claims" / "hostile-cx.xlsx")
    _tiny(root / "plain" / "tiny.bpmn")
    _write(root / "broken.bpmn", BROKEN)
    return root


@pytest.fixture(scope="module")
def batch_run(repo, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = _run(str(repo), "-o", str(out), "-j", "1", "--format", "svg,png,pdf,bpmn,html,xlsx")
    return out, result


def test_every_model_gets_its_outputs_and_the_broken_one_is_reported(batch_run):
    out, result = batch_run
    assert result.exit_code == 1, result.output
    assert "error: " in result.stderr and "broken.bpmn" in result.stderr
    assert "not well-formed" in result.stderr
    for suffix in (".svg", ".png", ".pdf", ".cx.bpmn", ".html", "-report.xlsx"):
        assert (out / "claims" / f"hostile{suffix}").stat().st_size > 0, suffix
    # Without a workbook: the plain diagram and a page, no Excel report.
    assert (out / "plain" / "tiny.svg").is_file() and (out / "plain" / "tiny.html").is_file()
    assert not (out / "plain" / "tiny-report.xlsx").exists()
    assert not list(out.rglob("broken*"))
    assert not [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


def test_index_lists_every_model_worst_first_with_links_and_thumbnails(batch_run):
    out, _ = batch_run
    doc = lxml_html.parse(str(out / "index.html")).getroot()
    rows = doc.xpath("//table[contains(@class,'portfolio')]/tbody/tr")
    names = [r.xpath(".//strong")[0].text for r in rows]
    assert names == ["broken", "hostile", "tiny"]  # the failure first, then most critical
    assert "not well-formed" in rows[0].text_content()
    links = set(doc.xpath("//a/@href"))
    assert {"claims/hostile.html", "plain/tiny.html", "claims/hostile-report.xlsx"} <= links
    for href in links:
        assert (out / href).is_file(), href
    thumbs = doc.xpath("//img/@src")
    assert thumbs == ["claims/hostile.svg", "plain/tiny.svg"]
    assert SCRIPT_NAME not in etree.tostring(doc, encoding="unicode")  # names only ever escaped


def test_summary_json_and_csv_hold_every_finding(batch_run):
    out, _ = batch_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["models_found"] == 3 and summary["models_failed"] == 1
    by_name = {m["model"]: m for m in summary["models"]}
    hostile = by_name["hostile"]
    assert hostile["status"] == "ok" and hostile["coverage"] == 0.8
    assert hostile["findings_per_severity"] == {"critical": 4, "warning": 4, "info": 4}  # 2 evidence-missing
    assert by_name["broken"]["status"] == "error"
    assert by_name["tiny"]["analysed"] is False
    assert len(summary["findings"]) == 12
    assert {f["kind"] for f in summary["findings"]} >= {"missing-support", "channel-mismatch", "handoff"}
    with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12
    names = [r["element_names"] for r in rows]
    # A formula-looking element name is quoted so a spreadsheet shows it as text.
    assert any(n.startswith("'" + FORMULA_NAME) for n in names)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_same_repository_gives_byte_identical_outputs(repo, batch_run, tmp_path):
    out, _ = batch_run
    again = tmp_path / "again"
    _run(str(repo), "-o", str(again), "-j", "1", "--format", "svg,png,pdf,bpmn,html,xlsx")
    for name in ("index.html", "summary.json", "summary.csv", "claims/hostile.html",
                 "claims/hostile.svg", "claims/hostile-report.xlsx", "claims/hostile.cx.bpmn"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_fail_on_gates_on_findings_across_models(repo, tmp_path):
    good = tmp_path / "good"
    shutil.copytree(repo / "claims", good)
    assert _run(str(good), "-o", str(tmp_path / "o1"), "--fail-on", "critical", "-q").exit_code == 3
    assert _run(str(good), "-o", str(tmp_path / "o2")).exit_code == 0
    # An error outranks the gate.
    _write(good / "broken.bpmn", BROKEN)
    assert _run(str(good), "-o", str(tmp_path / "o3"), "--fail-on", "critical").exit_code == 1


def test_quiet_prints_only_errors_and_plain_lines_when_not_a_terminal(repo, tmp_path):
    quiet = _run(str(repo), "-o", str(tmp_path / "q"), "-q", "--format", "svg")
    assert quiet.stdout == ""
    assert [line for line in quiet.stderr.splitlines() if "broken.bpmn" in line]
    assert not [line for line in quiet.stderr.splitlines() if "tiny" in line]
    loud = _run(str(repo), "-o", str(tmp_path / "l"), "--format", "svg")
    assert "\r" not in loud.stderr
    assert any(line.startswith("[") and "plain/tiny.bpmn" in line for line in loud.stderr.splitlines())


# -- the shared corpus --------------------------------------------------------------


def _bpmncx(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "bpmncx", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture(scope="module")
def corpus_copy(tmp_path_factory):
    if not corpus_files():
        pytest.skip(f"shared MIWG corpus not found at {CORPUS}")
    root = tmp_path_factory.mktemp("corpus") / "miwg"
    shutil.copytree(CORPUS, root, ignore=shutil.ignore_patterns("*.png", "*.md"))
    _write(root / "signavio-19.9.0" / "zz-broken.bpmn", BROKEN)
    return root


@needs_corpus
def test_corpus_with_two_workers(corpus_copy, tmp_path):
    out = tmp_path / "out"
    proc = _bpmncx("batch", str(corpus_copy), "-o", str(out), "-j", "2", "--format", "svg,html")
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.startswith("error:") and "zz-broken.bpmn" in line]
    models = sorted(p for p in corpus_copy.rglob("*.bpmn") if p.name != "zz-broken.bpmn")
    assert len(models) == len(corpus_files())
    doc = lxml_html.parse(str(out / "index.html")).getroot()
    links = set(doc.xpath("//a/@href"))
    for model in models:
        rel = model.relative_to(corpus_copy).as_posix()[: -len(".bpmn")]
        svg = out / f"{rel}.svg"
        assert etree.parse(str(svg)).getroot().tag == "{http://www.w3.org/2000/svg}svg"
        assert (out / f"{rel}.html").stat().st_size > 1000
        assert f"{rel}.html" in links
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["models_found"] == len(models) + 1
    assert [m["file"].rsplit("/", 1)[-1] for m in summary["models"] if m["status"] == "error"] == [
        "zz-broken.bpmn"]
    assert f"{len(models) + 1} models, 1 failed" in stdout


@needs_corpus
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_cleanly_and_keeps_finished_outputs(corpus_copy, tmp_path, stop):
    out = tmp_path / "out"
    proc = _bpmncx("batch", str(corpus_copy), "-o", str(out), "-j", "2", "--format", "svg,png,pdf")
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.rglob("*.pdf"))) < 3 and proc.poll() is None:
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the batch finished before it could be interrupted")
    proc.send_signal(stop)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted:" in stderr
    leftovers = [p for p in out.rglob("*") if p.is_file() and (p.name.startswith(".") or p.suffix in (".tmp", ".part"))]
    assert leftovers == []
    svgs = list(out.rglob("*.svg"))
    assert 3 <= len(svgs) < len(corpus_files())
    for svg in svgs:  # every file that is there is whole
        etree.parse(str(svg))
    for pdf in out.rglob("*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert summary["models_done"] == len(summary["models"]) < summary["models_found"]


def test_progress_bar_on_a_terminal_plain_lines_otherwise():
    from bpmncx.report.portfolio import ModelResult
    from bpmncx.cli.batch import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    def feed(stream, quiet=False):
        progress = Progress(stream, quiet=quiet)
        progress.start(2)
        progress.result(ModelResult(path="d/a.bpmn", rel="d/a", shown="d/a.bpmn"))
        progress.result(ModelResult(path="d/b.bpmn", rel="d/b", shown="d/b.bpmn",
                                    error="d/b.bpmn: not well-formed XML"))
        progress.finish()
        return stream.getvalue()

    bar = feed(Terminal())
    assert "\r[############------------] 1/2 d/a.bpmn" in bar
    assert "2/2 (1 failed)" in bar
    assert "error: d/b.bpmn: not well-formed XML\n" in bar
    plain = feed(io.StringIO())
    assert "\r" not in plain
    assert plain.splitlines() == ["bpmncx batch: 2 models to do", "[1/2] d/a.bpmn",
                                  "error: d/b.bpmn: not well-formed XML"]
    assert feed(Terminal(), quiet=True) == "error: d/b.bpmn: not well-formed XML\n"


def test_annotate_writes_the_html_and_excel_reports(repo, tmp_path):
    out = tmp_path / "annotate"
    result = CliRunner().invoke(cli, ["annotate", str(repo / "claims" / "hostile.bpmn"),
                                      str(repo / "claims" / "hostile-cx.xlsx"), "-o", str(out),
                                      "--format", "html,xlsx", "--persona", "all"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == ["hostile.customer.html", "hostile.fleet-i-manager-i.html"]
    doc = lxml_html.parse(str(out / "hostile.customer.html")).getroot()
    assert doc.xpath("//svg[contains(@class,'diagram')]//*[@id='journey']"), "journey band drawn"
    book = openpyxl.load_workbook(out / "hostile.customer-report.xlsx")
    assert book.sheetnames == ["Summary", "Findings", "Emotion curve"]


def test_one_workbook_for_several_models(tmp_path):
    from bpmncx import load_model
    from bpmncx.workbook import write_template
    from report_support import fill

    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(HOSTILE, models / "hostile.bpmn")
    shutil.copy(Path(__file__).parent / "fixtures" / "workbook" / "shop.bpmn", models / "shop.bpmn")
    _tiny(models / "other" / "tiny.bpmn")
    workbook = tmp_path / "all-cx.xlsx"
    write_template([load_model(models / "hostile.bpmn"), load_model(models / "shop.bpmn")], workbook,
                   personas=["Customer", "Fleet <i>manager</i>"])
    fill(workbook)
    out = tmp_path / "out"
    result = _run(str(models), "-o", str(out), "--workbook", str(workbook), "-j", "1")
    assert result.exit_code == 0, result.output
    summary = {m["model"]: m for m in json.loads((out / "summary.json").read_text())["models"]}
    assert summary["hostile"]["analysed"] and summary["hostile"]["findings_per_severity"]["critical"] == 4
    # The workbook covers shop too: analysed together with hostile (one journey), so the
    # steps hostile supports are not reported missing in shop; tiny: plain diagram only.
    assert summary["shop"]["analysed"] and summary["shop"]["workbook"] == str(workbook)
    assert summary["shop"]["supported_steps"] == 4
    assert summary["shop"]["findings_per_severity"] == {"critical": 0, "warning": 0, "info": 0}
    assert not summary["tiny"]["analysed"] and summary["tiny"]["workbook"] is None
    assert any("does not cover this model" in w for w in summary["tiny"]["warnings"])
    assert (out / "hostile-report.xlsx").is_file() and not (out / "other" / "tiny-report.xlsx").exists()


def test_names_with_spaces_and_accents_link_correctly(tmp_path):
    from urllib.parse import unquote

    _tiny(tmp_path / "in" / "Vertrieb Süd" / "Bestellung & Rückgabe.bpmn")
    out = tmp_path / "out"
    assert _run(str(tmp_path / "in"), "-o", str(out), "-q").exit_code == 0
    doc = lxml_html.parse(str(out / "index.html")).getroot()
    hrefs = doc.xpath("//a/@href")
    assert "Vertrieb%20S%C3%BCd/Bestellung%20%26%20R%C3%BCckgabe.html" in hrefs
    for href in hrefs:
        assert (out / unquote(href)).is_file(), href


def test_never_overwrites_an_input_file(repo, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(repo / "claims", inputs)
    workbook = inputs / "hostile-report.xlsx"  # named like the Excel report it would get
    shutil.move(inputs / "hostile-cx.xlsx", workbook)
    original = workbook.read_bytes()
    result = _run(str(inputs), "-o", str(inputs), "--workbook", str(workbook), "-j", "1")
    assert result.exit_code == 1
    assert "would overwrite an input file" in result.stderr
    assert workbook.read_bytes() == original
    # Outputs written into the input folder are not taken for models next time.
    shutil.move(workbook, inputs / "hostile-cx.xlsx")
    first = _run(str(inputs), "-o", str(inputs), "--format", "svg,bpmn", "-q")
    assert first.exit_code == 0, first.output
    assert (inputs / "hostile.cx.bpmn").is_file()
    again = _run(str(inputs), "-o", str(inputs), "--format", "svg,bpmn", "-q")
    assert again.exit_code == 0, again.output
    assert [m["model"] for m in json.loads((inputs / "summary.json").read_text())["models"]] == ["hostile"]


def test_workbook_with_errors_fails_its_model_but_still_draws_it(tmp_path):
    from report_support import JOURNEY, fill
    from bpmncx import load_model
    from bpmncx.workbook import write_template

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(HOSTILE, inputs / "hostile.bpmn")
    workbook = inputs / "hostile-cx.xlsx"
    write_template([load_model(inputs / "hostile.bpmn")], workbook, personas=["Customer", "Fleet <i>manager</i>"])
    fill(workbook, journey=[dict(JOURNEY[0], **{"Supported by": "Registr claim"})])
    out = tmp_path / "out"
    result = _run(str(inputs), "-o", str(out), "-j", "1")
    assert result.exit_code == 1
    error = [line for line in result.stderr.splitlines() if line.startswith("error:")][0]
    assert "hostile-cx.xlsx: 1 error in the workbook, first: Journey!" in error
    assert "Registr claim" in error
    assert (out / "hostile.svg").is_file() and (out / "hostile.html").is_file()
    assert not (out / "hostile-report.xlsx").exists()
    page = lxml_html.parse(str(out / "hostile.html")).getroot()
    assert "Registr claim" in page.xpath("//div[@class='note']")[0].text_content()


# -- stopping: a second Ctrl-C, the main process killed, SIGTERM to the whole group --------


def _children(pid):
    """Pids whose parent is ``pid`` (read from /proc: psutil is not installed)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _running(pid):
    """Whether ``pid`` is still a live process (a zombie waiting for init is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _gone_within(pids, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline and any(_running(p) for p in pids):
        time.sleep(0.02)
    return [p for p in pids if _running(p)]


def _start_and_wait_for_work(corpus_copy, out, **kwargs):
    """A two-worker batch, once it has drawn a few models; its worker pids."""
    proc = _bpmncx("batch", str(corpus_copy), "-o", str(out), "-j", "2", "--format", "svg,png,pdf",
                   **kwargs)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.rglob("*.pdf"))) < 3 and proc.poll() is None:
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.skip("the batch finished before it could be interrupted")
    workers = _children(proc.pid)
    assert len(workers) == 2, workers
    return proc, workers


TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")


def _assert_only_whole_files(out, killed=False):
    leftovers = [p for p in out.rglob("*") if p.is_file() and (p.name.startswith(".") or p.suffix == ".tmp")]
    if killed:
        # kill -9 gives no worker the chance to remove the file it was writing: only
        # write_atomic's own temporaries may stay (the next run removes them), never a
        # half-written output under its real name
        leftovers = [p for p in leftovers if not TEMPORARY.fullmatch(p.name)]
    assert leftovers == []
    for svg in out.rglob("*.svg"):
        etree.parse(str(svg))
    for pdf in out.rglob("*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF"), pdf


@needs_corpus
def test_second_ctrl_c_stops_the_workers_at_once(corpus_copy, tmp_path):
    out = tmp_path / "out"
    proc, workers = _start_and_wait_for_work(corpus_copy, out)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)  # the first stop is now waiting for the workers' models
    proc.send_signal(signal.SIGINT)
    try:
        _stdout, stderr = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        pytest.fail("the batch hung after the second Ctrl-C")
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted:" in stderr
    assert _gone_within(workers, 5) == []
    _assert_only_whole_files(out)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert summary["models_done"] == len(summary["models"]) < summary["models_found"]
    for model in summary["models"]:  # what the portfolio lists is there
        for output in model["outputs"].values():
            assert (out / output).is_file(), output


@needs_corpus
def test_workers_stop_when_the_batch_is_killed(corpus_copy, tmp_path):
    out = tmp_path / "out"
    proc, workers = _start_and_wait_for_work(corpus_copy, out)
    proc.kill()
    proc.wait(timeout=10)  # not communicate(): orphans would hold its pipes open
    orphans = _gone_within(workers, 10)
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    proc.stdout.close()
    proc.stderr.close()
    assert orphans == [], "workers ran on after the batch was killed"
    _assert_only_whole_files(out, killed=True)


@needs_corpus
def test_sigterm_to_the_process_group_stops_cleanly(corpus_copy, tmp_path):
    out = tmp_path / "out"
    proc, workers = _start_and_wait_for_work(corpus_copy, out, start_new_session=True)
    os.killpg(proc.pid, signal.SIGTERM)  # as a CI runner cancelling the job does
    _stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted:" in stderr
    assert _gone_within(workers, 5) == []
    _assert_only_whole_files(out)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    # The workers (and their Graphviz runs) finished the models they were on: those are
    # listed with their files, none failed for being stopped.
    assert 0 < summary["models_done"] < summary["models_found"]
    assert [m["error"] for m in summary["models"] if m["status"] == "error"
            and "zz-broken" not in m["file"]] == []
    for model in summary["models"]:
        for output in model["outputs"].values():
            assert (out / output).is_file(), output


def test_the_portfolio_says_whose_journey_its_figures_cover(tmp_path):
    from bpmncx.pipeline.batch import run_batch

    everyone = run_batch([str(SAMPLES / "online-order")], tmp_path / "all", formats=("svg",),
                         workers=1)
    page = (tmp_path / "all" / "index.html").read_text(encoding="utf-8")
    assert "Figures for every persona's journey" in page
    assert json.loads((tmp_path / "all" / "summary.json").read_text())["persona"] is None
    assert everyone.persona is None
    one = run_batch([str(SAMPLES / "online-order")], tmp_path / "one", formats=("svg",),
                    persona="Regular customer", workers=1)
    page = (tmp_path / "one" / "index.html").read_text(encoding="utf-8")
    assert "Figures for the persona Regular customer" in page
    assert json.loads((tmp_path / "one" / "summary.json").read_text())["persona"] == "Regular customer"
    assert one.persona == "Regular customer"


def test_a_worker_that_dies_fails_its_model_and_the_others_finish(tmp_path):
    """kill -9 of a worker (the OOM killer) used to end the batch with BrokenProcessPool and
    no portfolio; now the model whose worker died is failed with how it died, every other
    model is done, and index.html and summary.* list them all."""
    import os
    import shutil
    import subprocess
    import sys

    from conftest import ROOT

    repo = tmp_path / "repo"
    repo.mkdir()
    source = SAMPLES / "online-order" / "online-order.bpmn"
    for index in range(6):
        shutil.copy(source, repo / f"model{index}.bpmn")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "bpmncx", "batch", str(repo), "-o", str(out),
                           "-j", "2", "--format", "svg", "-q"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env=dict(os.environ, BPMNCX_TEST_KILL_WORKER_ON="model3"))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "BrokenProcessPool" not in done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    status = {m["model"]: (m["status"], m["error"]) for m in summary["models"]}
    assert set(status) == {f"model{i}" for i in range(6)}
    # how it died: "signal 9" when its exit status could be read in time, else "killed"
    assert status["model3"][0] == "error"
    assert status["model3"][1] in {
        f"{repo / 'model3.bpmn'}: the worker drawing this model died ({how}; out of memory?); "
        "its other outputs may be missing" for how in ("signal 9", "killed")}
    assert all(status[f"model{i}"] == ("ok", None) for i in (0, 1, 2, 4, 5))
    assert sorted(p.name for p in out.glob("*.svg")) == [f"model{i}.svg" for i in (0, 1, 2, 4, 5)]
    assert (out / "index.html").is_file() and (out / "summary.csv").is_file()
    assert not list(out.glob(".*.tmp"))
