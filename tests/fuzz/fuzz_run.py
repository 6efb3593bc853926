"""``make fuzz``: mutated BPMN files, xlsx workbooks and event logs through bpmncx,
every outcome checked.

Usage (environment variables, all optional):

    FUZZ_SEED=1 FUZZ_CASES=3000 FUZZ_XLSX_CASES=600 FUZZ_LOG_CASES=300 FUZZ_JOBS=2 \
        python tests/fuzz/fuzz_run.py
    FUZZ_SEED=1 FUZZ_ONLY=bpmn:123 python tests/fuzz/fuzz_run.py    # one case again

Each case is a seed file (the samples and the test fixtures) mutated by a
``random.Random`` seeded with (FUZZ_SEED, kind, case number), so every case is
reproducible alone. Most cases run in-process through the Python API (load,
inspect, render, template, annotate, read the workbook back, analyse, update;
for a log: load_log, measure with its four formats, now and then annotate with
--log and a survey); one in FUZZ_CLI_EVERY also through the ``bpmncx`` command
(a log case: ``bpmncx measure MODEL WORKBOOK --log FILE [--survey FILE]``). An outcome is
success or a one-line error (a BpmncxError; exit 1 from the command). Counted
as failures: internal errors (any other exception, or a command's "internal
error"/traceback), hangs (a case past FUZZ_TIMEOUT seconds; its worker is
killed), outputs that do not parse back (SVG, BPMN, HTML, xlsx) and a peak
memory of 1 GB or more (a worker's peak RSS, or a subprocess's: Graphviz, the
command). Peak RSS is per process, so workers are replaced every 150 cases. Inputs of
failing cases are kept in FUZZ_OUT (default $TMPDIR/bpmncx-fuzz-failures).
"""

from __future__ import annotations

import html.parser
import io
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from multiprocessing.connection import wait
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import fuzz_bpmn  # noqa: E402
import fuzz_log  # noqa: E402
import fuzz_xlsx  # noqa: E402

MEMORY_LIMIT_MB = 1024  # acceptance: no case may need this much
_WORKER_ADDRESS_SPACE = 4 * 1024 ** 3  # a runaway case fails with MemoryError, not the machine
_RECYCLE_AFTER = 150  # cases per worker process (peak RSS is per process)
_SAFE_XML = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=True)


def bpmn_seeds() -> List[Path]:
    found = sorted(ROOT.glob("samples/*/*.bpmn")) + sorted(ROOT.glob("tests/fixtures/**/*.bpmn"))
    return [p for p in found if p.stat().st_size < 2_000_000]


def xlsx_seeds() -> List[Tuple[Path, List[Path]]]:
    """(workbook, its models): the samples' filled workbooks."""
    seeds = []
    for book in sorted(ROOT.glob("samples/*/*-cx.xlsx")):
        model = book.with_name(book.name[: -len("-cx.xlsx")] + ".bpmn")
        seeds.append((book, [model]))
    return seeds


def log_seeds() -> List[Tuple[Path, Path, Path]]:
    """(log, its model, its workbook): the samples' event logs beside their models, and
    any log fixture in tests/ that has a model and workbook beside it."""
    found = sorted(ROOT.glob("samples/*/*.log.csv")) + sorted(ROOT.glob("samples/*/*.log.xes"))
    found += sorted(ROOT.glob("tests/fixtures/**/*.log.csv")) + sorted(
        ROOT.glob("tests/fixtures/**/*.log.xes"))
    seeds = []
    for log in found:
        stem = log.name.rsplit(".log.", 1)[0]
        model, book = log.with_name(stem + ".bpmn"), log.with_name(stem + "-cx.xlsx")
        if model.exists() and book.exists() and log.stat().st_size < 5_000_000:
            seeds.append((log, model, book))
    return seeds


# -- checking outputs -------------------------------------------------------------

class Malformed(Exception):
    """An output that does not parse back."""


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr"}


class _HtmlBalance(html.parser.HTMLParser):
    """Every element closed in order (SVG's self-closing elements allowed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: List[str] = []
        self.problem: Optional[str] = None

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problem = self.problem or f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>"
        else:
            self.stack.pop()


def _strictly_well_formed(data: bytes) -> bool:
    from lxml import etree

    try:
        etree.fromstring(data, etree.XMLParser(**_SAFE_XML))
    except etree.XMLSyntaxError:
        return False
    return True


def check_output(path: str, source: Optional[str] = None) -> None:
    """Raise Malformed unless the output at ``path`` parses back. An annotated BPMN file
    keeps its source's bytes: when the source itself is only readable with bpmncx's
    recovery (bytes invalid in the declared encoding, a namespace that is not a URI), the
    output must read back the same way instead."""
    from lxml import etree

    data = Path(path).read_bytes()
    if path.endswith(".bpmn") and source and not _strictly_well_formed(Path(source).read_bytes()):
        import bpmncx

        try:
            bpmncx.load_model(path)
        except bpmncx.BpmncxError as error:
            raise Malformed(f"{os.path.basename(path)}: does not read back: {error}") from None
        return
    if not data:
        raise Malformed(f"{path}: empty")
    suffix = path.rsplit(".", 1)[-1]
    if suffix in ("svg", "bpmn"):
        try:
            root = etree.fromstring(data, etree.XMLParser(**_SAFE_XML))
        except etree.XMLSyntaxError as error:
            raise Malformed(f"{os.path.basename(path)}: not well-formed: {error}") from None
        if suffix == "svg" and not root.tag.endswith("svg"):
            raise Malformed(f"{os.path.basename(path)}: root is {root.tag}")
    elif suffix == "html":
        text = data.decode("utf-8")
        checker = _HtmlBalance()
        checker.feed(text)
        checker.close()
        if checker.problem or checker.stack:
            raise Malformed(f"{os.path.basename(path)}: {checker.problem or 'unclosed ' + str(checker.stack[-3:])}")
    elif suffix == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.testzip() is not None:
                raise Malformed(f"{os.path.basename(path)}: bad zip member")
        import openpyxl

        openpyxl.load_workbook(io.BytesIO(data))
    elif suffix == "json":
        import json

        try:
            json.loads(data.decode("utf-8"))
        except ValueError as error:
            raise Malformed(f"{os.path.basename(path)}: not JSON: {error}") from None
    elif suffix == "png" and not data.startswith(b"\x89PNG"):
        raise Malformed(f"{os.path.basename(path)}: not a PNG")
    elif suffix == "pdf" and not data.startswith(b"%PDF"):
        raise Malformed(f"{os.path.basename(path)}: not a PDF")


# -- one case -----------------------------------------------------------------------

def case_rng(seed: int, kind: str, number: int) -> random.Random:
    return random.Random(f"{seed}:{kind}:{number}")


def make_case(seed: int, kind: str, number: int, directory: str,
              write: bool = True) -> Dict[str, object]:
    """Write the case's input file into ``directory`` (unless not ``write``); return what
    to run. The operations run on it draw from their own generator (``rng``)."""
    rng = case_rng(seed, kind, number)
    run_rng = random.Random(f"{seed}:{kind}:{number}:run")
    if kind == "bpmn":
        source = rng.choice(bpmn_seeds())
        path = os.path.join(directory, source.name)
        if write:
            Path(path).write_bytes(fuzz_bpmn.mutate(rng, source.read_bytes()))
        book = source.with_name(source.stem + "-cx.xlsx")
        return {"kind": kind, "source": str(source), "path": path, "rng": run_rng,
                "workbook": str(book) if book.exists() else None}
    if kind == "log":
        return _make_log_case(rng, run_rng, kind, directory, write)
    book, models = rng.choice(xlsx_seeds())
    path = os.path.join(directory, book.name)
    if write:
        Path(path).write_bytes(fuzz_xlsx.mutate(rng, book.read_bytes()))
    return {"kind": kind, "source": str(book), "path": path, "rng": run_rng,
            "models": [str(m) for m in models]}


def _make_log_case(rng: random.Random, run_rng: random.Random, kind: str, directory: str,
                   write: bool) -> Dict[str, object]:
    """A mutated CSV, XES or Parquet log with the seed's survey now and then, or the
    seed's CSV log with a mutated survey. The survey is made from the log (the samples have none)."""
    seeds = log_seeds()
    what = rng.choices(["csv", "xes", "survey", "parquet"], weights=[5, 3, 2, 1])[0]
    pool = [s for s in seeds if s[0].name.endswith(".log.xes" if what == "xes" else ".log.csv")]
    log, model, book = rng.choice(pool or seeds)
    data = log.read_bytes()
    name = log.name[:-4] + ".parquet" if what == "parquet" else log.name
    survey_data = fuzz_log.survey_seed(rng, log.read_bytes() if what != "xes" else
                                       log.with_name(log.name[:-4] + ".csv").read_bytes()
                                       if log.with_name(log.name[:-4] + ".csv").exists() else b"")
    with_survey = what == "survey" or rng.random() < 0.15
    if what == "survey":
        survey_data = fuzz_log.mutate(rng, survey_data, "survey")
    else:
        data = fuzz_log.mutate(rng, data, what)
    path = os.path.join(directory, name)
    survey = os.path.join(directory, "survey.csv") if with_survey else None
    if write:
        Path(path).write_bytes(data)
        if survey:
            Path(survey).write_bytes(survey_data)
    return {"kind": kind, "what": what, "source": str(log), "path": path, "rng": run_rng,
            "survey": survey, "models": [str(model)], "workbook": str(book)}


def run_log(case: Dict[str, object], out: str) -> List[str]:
    """A log case through the API: load_log, what ``bpmncx measure`` does (every format),
    and now and then annotate with the log."""
    from bpmncx.eventlog import load_log
    from bpmncx.eventlog.formats import measure_document, to_csv, to_json, to_markdown, to_table
    from bpmncx.pipeline.annotate import annotate
    from bpmncx.pipeline.inputs import LogRequest
    from bpmncx.pipeline.measure import measure_files

    rng: random.Random = case["rng"]  # type: ignore[assignment]
    written: List[str] = []
    date_order = rng.choice([None, None, None, "dmy", "mdy"])
    with load_log(case["path"], date_order=date_order) as log:
        log.activities()
        log.bad_rows_message()
    request = LogRequest(str(case["path"]), survey=case["survey"],  # type: ignore[arg-type]
                         scale=rng.choice([None, None, "csat", "nps", "ces"]) if case["survey"]
                         else None, date_order=date_order,
                         heat=rng.choice(["frequency", "duration"]))
    os.makedirs(out, exist_ok=True)
    result = measure_files(case["models"], case["workbook"], request,  # type: ignore[arg-type]
                           persona=None)
    with result.log as opened:
        opened.bad_rows_message()
        document = measure_document(
            result.measurement, result.findings, result.models, str(case["workbook"]),
            result.thresholds, survey=result.survey.source if result.survey else None,
            log_columns=opened.columns, bad_examples=opened.bad_examples)
        for name, text in (("measure.json", to_json(document)),
                           ("measure.csv", to_csv(result.measurement)),
                           ("measure.md", to_markdown(result.measurement, result.findings)),
                           ("measure.txt", to_table(result.measurement, result.findings))):
            target = os.path.join(out, name)
            Path(target).write_bytes(text.encode("utf-8"))
            written.append(target)
    if rng.random() < 0.2:
        done = annotate(case["models"], case["workbook"], out,  # type: ignore[arg-type]
                        formats=("svg", "html", "xlsx", "bpmn"),
                        persona=rng.choice([None, "all"]), log=request)
        written += done.paths
        case["failures"] = done.failures
    return written


def run_api(case: Dict[str, object], directory: str) -> List[str]:
    """The case through the Python API; returns the output files written (to check)."""
    import bpmncx
    from bpmncx.pipeline.annotate import annotate
    from bpmncx.inspect import summary, tree
    from bpmncx.render import RenderOptions, render, render_svg

    rng: random.Random = case["rng"]  # type: ignore[assignment]
    out = os.path.join(directory, "out")
    written: List[str] = []
    if case["kind"] == "log":
        return run_log(case, out)
    if case["kind"] == "bpmn":
        model = bpmncx.load_model(case["path"])
        summary(model)
        tree(model)
        svg = os.path.join(out, "plain.svg")
        os.makedirs(out, exist_ok=True)
        Path(svg).write_bytes(render_svg(model))
        written.append(svg)
        roll = rng.random()
        if roll < 0.25 and case["workbook"]:
            result = annotate([case["path"]], case["workbook"], out,
                              formats=("svg", "bpmn", "html"),
                              persona=rng.choice([None, "all"]))
            written += result.paths
            case["failures"] = result.failures
        elif roll < 0.35:
            book = os.path.join(out, "template.xlsx")
            bpmncx.write_template([model], book, personas=[rng.choice(["Customer", "P" * 240])])
            written.append(book)
        if rng.random() < 0.04:
            picture = os.path.join(out, "plain." + rng.choice(["png", "pdf"]))
            render(model, picture, RenderOptions(scale=rng.choice([1.0, 2.0])))
            written.append(picture)
        return written
    models = [bpmncx.load_model(path) for path in case["models"]]  # type: ignore[union-attr]
    annotations = bpmncx.read_annotations(case["path"], models)
    if annotations.errors:
        raise bpmncx.WorkbookError("the workbook has errors (validate exits 1)")
    bpmncx.analyse(models, annotations, persona=None)
    roll = rng.random()
    if roll < 0.3:
        book = os.path.join(out, "updated.xlsx")
        bpmncx.update_workbook(case["path"], models, book)
        written.append(book)
    elif roll < 0.45:
        result = annotate(case["models"], case["path"], out, formats=("svg", "html", "bpmn"),
                          persona=rng.choice([None, "all"]))
        written += result.paths
        case["failures"] = result.failures
    return written


def run_cli(case: Dict[str, object], directory: str, timeout: float) -> Optional[str]:
    """The case through the ``bpmncx`` command; None when its outcome is acceptable,
    else why not ("hang: ..." or "internal: ...")."""
    rng = random.Random(str(case["path"]))
    out = os.path.join(directory, "cli")
    if case["kind"] == "bpmn":
        command = rng.choice([["inspect", case["path"]],
                              ["render", case["path"], "-o", os.path.join(out, "x.svg")],
                              ["template", case["path"], "-o", os.path.join(out, "x.xlsx")]])
    elif case["kind"] == "log":
        command = ["measure", *case["models"], case["workbook"], "--log", case["path"],
                   "--format", rng.choice(["table", "json", "csv", "md"])]
        if case["survey"]:
            command += ["--survey", case["survey"]]
    else:
        command = ["validate", case["path"], *case["models"]]  # type: ignore[misc]
    try:
        done = subprocess.run([sys.executable, "-m", "bpmncx", *command], capture_output=True,
                              text=True, timeout=timeout, cwd=directory)
    except subprocess.TimeoutExpired:
        return f"hang: bpmncx {command[0]} ran past {timeout:.0f} s"
    printed = done.stderr + done.stdout  # validate prints its problems on stdout
    lines = printed.strip().splitlines()
    if "Traceback" in printed or "internal error" in printed:
        return f"internal: bpmncx {command[0]}: {lines[-1] if lines else ''}"
    if done.returncode not in (0, 1):
        return f"internal: bpmncx {command[0]} exited {done.returncode}"
    if done.returncode == 1 and not any(line.startswith("error: ") for line in lines):
        return f"internal: bpmncx {command[0]} exited 1 without an error line"
    return None


def message_class(message: str) -> str:
    """An error message with its file, ids, names and numbers taken out, to count kinds."""
    text = message.split(": ", 1)[1] if ": " in message and message.startswith(("/", ".")) else message
    text = re.sub(r"'[^']*'|“[^”]*”|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"\(line \d+\)|line \d+, column \d+|\d[\d,.]*", "#", text)
    text = re.sub(r"\S*/\S*", "…", text)
    return text[:90]


def prepare_case(seed: int, kind: str, number: int) -> Tuple[str, Optional[str]]:
    """Make the case's input in a new folder; (folder, None) or (folder, why it failed).

    Done by the coordinating process, not the worker that runs bpmncx: mutating a
    file (lxml trees of a million copies) must not count in that worker's peak memory.
    """
    directory = tempfile.mkdtemp(prefix=f"bpmncx-fuzz-{kind}{number}-")
    try:
        make_case(seed, kind, number, directory)
    except Exception as error:  # noqa: BLE001 - a bug of the fuzz suite, not of bpmncx
        where = traceback.extract_tb(error.__traceback__)[-1]
        return directory, (f"{type(error).__name__}: {error} "
                           f"({os.path.basename(where.filename)}:{where.lineno})")
    return directory, None


def run_case(seed: int, kind: str, number: int, cli: bool, timeout: float,
             directory: Optional[str] = None) -> Dict[str, object]:
    from bpmncx.errors import BpmncxError

    if directory is None:
        directory, problem = prepare_case(seed, kind, number)
        if problem:
            shutil.rmtree(directory, ignore_errors=True)
            return {"kind": kind, "number": number, "outcome": "harness", "detail": problem}
    result: Dict[str, object] = {"kind": kind, "number": number}
    try:
        case = make_case(seed, kind, number, directory, write=False)
        result["source"] = os.path.relpath(str(case["source"]), ROOT)
        try:
            written = run_api(case, directory)
            for path in written:
                check_output(path, str(case["path"]) if kind == "bpmn" else None)
            if case.get("failures"):  # annotate --persona all: one persona failed, one line
                raise BpmncxError(case["failures"][0])
            result["outcome"] = "ok"
        except BpmncxError as error:
            message = str(error)
            if "\n" in message.strip():
                result.update(outcome="internal", detail=f"multi-line error: {message[:300]!r}")
            else:
                result.update(outcome="error", detail=message_class(message))
        except Malformed as error:
            result.update(outcome="malformed", detail=str(error)[:300])
        except Exception as error:  # noqa: BLE001 - any other exception is the finding
            where = traceback.extract_tb(error.__traceback__)[-1]
            result.update(outcome="internal",
                          detail=f"{type(error).__name__}: {str(error)[:200]} "
                                 f"({os.path.relpath(where.filename, ROOT)}:{where.lineno})")
        if cli and result["outcome"] not in ("internal", "malformed"):
            problem = run_cli(case, directory, timeout)
            if problem:
                outcome, _, detail = problem.partition(": ")
                result.update(outcome=outcome, detail="CLI " + detail)
        if result["outcome"] in ("internal", "malformed", "hang"):
            keep = Path(os.environ.get("FUZZ_OUT", os.path.join(tempfile.gettempdir(),
                                                                 "bpmncx-fuzz-failures")))
            keep.mkdir(parents=True, exist_ok=True)
            name = f"seed{seed}-{kind}{number}-" + os.path.basename(str(case["path"]))
            shutil.copyfile(str(case["path"]), keep / name)
            result["kept"] = str(keep / name)
            if case.get("survey"):
                shutil.copyfile(str(case["survey"]), keep / (name + ".survey.csv"))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    result["rss_mb"] = self_peak
    result["child_rss_mb"] = child_peak
    return result


# -- workers and the run ------------------------------------------------------------

def _worker(connection, seed: int, timeout: float) -> None:
    # the parent decides when to stop (see _stop) and kills its workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_AS, (_WORKER_ADDRESS_SPACE, _WORKER_ADDRESS_SPACE))
    os.environ.setdefault("BPMNCX_GRAPHVIZ_SECONDS", str(max(5, int(timeout / 3))))
    while True:
        job = connection.recv()
        if job is None:
            return
        kind, number, cli, directory = job
        connection.send(run_case(seed, kind, number, cli, timeout, directory))


class _Slot:
    def __init__(self, context, seed: int, timeout: float):
        self.parent, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, seed, timeout), daemon=True)
        self.process.start()
        child.close()
        self.job: Optional[Tuple[str, int, bool]] = None
        self.started = 0.0
        self.done = 0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.parent.send(None)
            except OSError:
                pass
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def run(seed: int, bpmn_cases: int, xlsx_cases: int, jobs: int = 2, timeout: float = 60.0,
        cli_every: int = 25, only: Optional[Tuple[str, int]] = None,
        quiet: bool = False, log_cases: int = 0) -> Dict[str, object]:
    """Run the cases; return the figures (see :func:`report`)."""
    counts = {"bpmn": bpmn_cases, "xlsx": xlsx_cases, "log": log_cases}
    plan = [(kind, n) for kind, count in counts.items() for n in range(count)]
    if only is not None:
        plan = [only]
    # interleave the kinds, so a short run still sees them all
    plan.sort(key=lambda job: (job[1] / max(counts.get(job[0], 1), 1), job[0]))
    jobs_left = [(kind, number, cli_every > 0 and number % cli_every == 0) for kind, number in plan]
    jobs_left.reverse()
    context = multiprocessing.get_context("fork")
    slots = [_Slot(context, seed, timeout) for _ in range(max(1, min(jobs, len(jobs_left) or 1)))]
    results: List[Dict[str, object]] = []
    started = time.monotonic()
    try:
        while (jobs_left or any(s.job for s in slots)) and not _STOP:
            for index, slot in enumerate(slots):
                if slot.job is None and jobs_left:
                    if slot.done >= _RECYCLE_AFTER:
                        slot.stop()
                        slot = slots[index] = _Slot(context, seed, timeout)
                    kind, number, cli = jobs_left.pop()
                    directory, problem = prepare_case(seed, kind, number)
                    if problem:
                        shutil.rmtree(directory, ignore_errors=True)
                        results.append({"kind": kind, "number": number, "outcome": "harness",
                                        "detail": problem})
                        continue
                    slot.job = (kind, number, cli)
                    slot.started = time.monotonic()
                    slot.parent.send((kind, number, cli, directory))
            busy = [s for s in slots if s.job]
            if not busy:
                continue
            deadline = min(s.started for s in busy) + timeout
            ready = wait([s.parent for s in busy], timeout=max(0.0, deadline - time.monotonic()))
            for index, slot in enumerate(slots):
                if slot.job is None:
                    continue
                kind, number, _ = slot.job
                if slot.parent in ready:
                    try:
                        results.append(slot.parent.recv())
                        slot.job = None
                        slot.done += 1
                        continue
                    except EOFError:
                        outcome = {"kind": kind, "number": number, "outcome": "internal",
                                   "detail": f"worker died (exit {slot.process.exitcode})"}
                elif time.monotonic() - slot.started >= timeout:
                    outcome = {"kind": kind, "number": number, "outcome": "hang",
                               "detail": f"past {timeout:.0f} s"}
                else:
                    continue
                results.append(outcome)
                slot.stop(kill=True)
                slots[index] = _Slot(context, seed, timeout)
            if not quiet and len(results) and len(results) % 250 == 0:
                print(f"fuzz: {len(results)}/{len(plan)} cases, "
                      f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    finally:
        for slot in slots:
            slot.stop(kill=slot.job is not None)
    found = figures(seed, results, time.monotonic() - started, cli_every)
    found["planned"] = len(plan)
    return found


# Set by SIGTERM/SIGINT (see main): stop after the case running, and report what was done.
_STOP = False


def _stop(_signum, _frame) -> None:
    global _STOP
    _STOP = True


def figures(seed: int, results: List[Dict[str, object]], seconds: float, cli_every: int):
    outcomes = Counter(r["outcome"] for r in results)
    peak = max(results, key=lambda r: r.get("rss_mb", 0), default={})
    child = max(results, key=lambda r: r.get("child_rss_mb", 0), default={})
    return {
        "seed": seed,
        "cases": len(results),
        "bpmn": sum(r["kind"] == "bpmn" for r in results),
        "xlsx": sum(r["kind"] == "xlsx" for r in results),
        "log": sum(r["kind"] == "log" for r in results),
        "cli": sum(1 for r in results if cli_every and r["number"] % cli_every == 0),
        "seconds": round(seconds, 1),
        "ok": outcomes["ok"],
        "errors": outcomes["error"],
        "error_classes": Counter(r["detail"] for r in results if r["outcome"] == "error"),
        "error_examples": {r["detail"]: f"{r['kind']}:{r['number']}"
                           for r in reversed(results) if r["outcome"] == "error"},
        "internal": [r for r in results if r["outcome"] == "internal"],
        "hangs": [r for r in results if r["outcome"] == "hang"],
        "malformed": [r for r in results if r["outcome"] == "malformed"],
        "harness": [r for r in results if r["outcome"] == "harness"],
        "peak_rss_mb": peak.get("rss_mb", 0),
        "peak_case": f"{peak.get('kind')}:{peak.get('number')}",
        "peak_graphviz_mb": child.get("child_rss_mb", 0),
        "peak_graphviz_case": f"{child.get('kind')}:{child.get('number')}",
    }


def failed(found) -> bool:
    return bool(found["internal"] or found["hangs"] or found["malformed"] or found["harness"]
                or found["peak_rss_mb"] >= MEMORY_LIMIT_MB
                or found["peak_graphviz_mb"] >= MEMORY_LIMIT_MB)


def report(found) -> str:
    lines = [
        f"fuzz: seed {found['seed']}: {found['cases']} cases ({found['bpmn']} BPMN, "
        f"{found['xlsx']} xlsx, {found['log']} log; {found['cli']} also through the CLI) in {found['seconds']} s",
        f"  ok:               {found['ok']}",
        f"  one-line errors:  {found['errors']} (exit 1), by message class:",
    ]
    for detail, count in found["error_classes"].most_common(30):
        lines.append(f"    {count:6d}  {detail}  [{found['error_examples'][detail]}]")
    if len(found["error_classes"]) > 30:
        lines.append(f"    ... {len(found['error_classes']) - 30} more classes")
    for title, key in (("internal errors", "internal"), ("hangs", "hangs"),
                       ("malformed outputs", "malformed"), ("fuzz suite bugs", "harness")):
        lines.append(f"  {title + ':':17} {len(found[key])}")
        for r in found[key][:40]:
            lines.append(f"    {r['kind']}:{r['number']} ({r.get('source', '?')}): {r.get('detail')}"
                         + (f" [kept: {r['kept']}]" if r.get("kept") else ""))
    lines.append(f"  peak memory:      {found['peak_rss_mb']} MB in-process "
                 f"(case {found['peak_case']}), {found['peak_graphviz_mb']} MB in a subprocess "
                 f"(Graphviz or the CLI; case {found['peak_graphviz_case']}); limit "
                 f"{MEMORY_LIMIT_MB} MB")
    stopped = found.get("planned", found["cases"]) > found["cases"]
    if stopped:
        lines.append(f"  stopped early:    {found['cases']} of {found['planned']} planned cases")
    lines.append("  result: " + ("FAILED" if failed(found) else
                                 "passed so far (stopped early)" if stopped else "passed"))
    return "\n".join(lines)


def main() -> int:
    env = os.environ.get
    only = None
    # a long run stopped (kill PID, Ctrl-C) still prints the figures of the cases done
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if env("FUZZ_ONLY"):
        kind, _, number = env("FUZZ_ONLY").partition(":")
        only = (kind, int(number))
    found = run(seed=int(env("FUZZ_SEED", "1")), bpmn_cases=int(env("FUZZ_CASES", "3000")),
                xlsx_cases=int(env("FUZZ_XLSX_CASES", "600")),
                log_cases=int(env("FUZZ_LOG_CASES", "300")), jobs=int(env("FUZZ_JOBS", "2")),
                timeout=float(env("FUZZ_TIMEOUT", "60")),
                cli_every=int(env("FUZZ_CLI_EVERY", "25")), only=only)
    print(report(found))
    if failed(found):
        return 1
    return 130 if found["planned"] > found["cases"] else 0


if __name__ == "__main__":
    sys.exit(main())
