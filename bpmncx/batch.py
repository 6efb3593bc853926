"""Batch over a process repository: every model's diagrams and reports, plus a portfolio.

:func:`plan` finds the BPMN files under the inputs and decides, for each, its
workbook and where its outputs go (mirroring the input tree under the output
folder, never outside it); :func:`run_model` does one model in a worker
process (only paths cross the process boundary); :func:`run_batch` runs them
all and writes ``index.html``, ``summary.json`` and ``summary.csv``.

One broken model never stops the others: its one-line error is kept in its
:class:`ModelResult`. Every file is written atomically (temporary file, then
rename), so an interrupted batch leaves only whole files behind.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import multiprocessing
import os
import re
import signal
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .bpmn.xml import is_bpmn_file
from .errors import BpmncxError

FORMATS: Tuple[str, ...] = ("svg", "png", "pdf", "bpmn", "html", "xlsx")
DEFAULT_FORMATS: Tuple[str, ...] = ("svg", "html", "xlsx")
SEVERITIES: Tuple[str, ...] = ("critical", "warning", "info")
BPMN_SUFFIXES = (".bpmn", ".bpmn2")
SNIFF_SUFFIXES = (".xml",)
CHUNK = 8  # models per worker run at most


class BatchError(BpmncxError):
    """The batch as a whole cannot run (no inputs, output folder unusable)."""


# -- finding the models --------------------------------------------------------

ANNOTATED_SUFFIX = ".cx.bpmn"  # what batch and annotate write: not searched for again


def _is_model_file(path: Path) -> bool:
    if path.name.lower().endswith(ANNOTATED_SUFFIX):
        return False
    suffix = path.suffix.lower()
    if suffix in BPMN_SUFFIXES:
        return True
    return suffix in SNIFF_SUFFIXES and is_bpmn_file(path)


def _walk(folder: Path, skip: Optional[Path]) -> List[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (skip is None or (root_path / d).resolve() != skip))
        for name in sorted(files):
            path = root_path / name
            if not name.startswith(".") and path.is_file() and _is_model_file(path):
                found.append(path)
    return found


def _glob_base(pattern: str) -> Path:
    """The folder part of a glob pattern before its first wildcard."""
    parts = Path(pattern).parts
    base: List[str] = []
    for part in parts[:-1]:
        if any(c in part for c in "*?["):
            break
        base.append(part)
    return Path(*base) if base else Path(".")


def find_models(inputs: Sequence[str], skip=None) -> List[Tuple[Path, Path]]:
    """Every model file named by ``inputs``, with the folder its outputs mirror from.

    Files are taken as given (whatever their extension); folders are searched
    recursively for ``.bpmn``, ``.bpmn2`` and ``.xml`` files whose root is a
    BPMN ``<definitions>``, leaving out annotated copies (``*.cx.bpmn``) that
    bpmncx wrote; other inputs are glob patterns (``**`` allowed).
    ``skip`` is a folder not to search (the output folder). Returns
    (model path, base folder) pairs, without duplicates, in input order.
    """
    skip = Path(skip).resolve() if skip is not None else None
    found: List[Tuple[Path, Path]] = []
    seen = set()

    def add(path: Path, base: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append((path, base))

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for model in _walk(path, skip):
                add(model, path)
        elif path.is_file():
            add(path, path.parent)
        elif any(c in item for c in "*?["):
            base = _glob_base(item)
            matches = sorted(glob.glob(item, recursive=True))
            for match in matches:
                m = Path(match)
                if m.is_dir():
                    for model in _walk(m, skip):
                        add(model, base)
                elif m.is_file() and _is_model_file(m):
                    add(m, base)
            if not matches:
                raise BatchError(f"{item}: no file matches this pattern")
        else:
            raise BatchError(f"{item}: no such file or folder")
    return found


def find_workbook(model_path, workbook=None) -> Optional[str]:
    """The workbook for one model: ``workbook`` when given, else ``<stem>.xlsx`` or
    ``<stem>-cx.xlsx`` beside the model, else None."""
    if workbook:
        return os.fspath(workbook)
    model_path = Path(model_path)
    stem = model_path.stem
    for name in (f"{stem}.xlsx", f"{stem}-cx.xlsx"):
        candidate = model_path.with_name(name)
        if candidate.is_file():
            return os.fspath(candidate)
    return None


# -- where outputs go ----------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One model to do: plain paths and options, cheap to send to a worker."""

    path: str  # the model file (absolute)
    source: str  # the model file as found (relative to the working folder when given so)
    shown: str  # the model file relative to the inputs' common folder, for people
    rel: str  # output name under outdir, POSIX, without extension: "sub/dir/model"
    outdir: str  # the batch's output folder (absolute)
    workbook: Optional[str] = None
    formats: Tuple[str, ...] = DEFAULT_FORMATS
    persona: Optional[str] = None
    # Models analysed together with this one (one workbook whose journey spans them),
    # this one included; empty when the model is analysed alone.
    group: Tuple[str, ...] = ()


def _common_base(bases: Iterable[Path]) -> Path:
    absolute = [os.path.abspath(b) for b in bases]
    return Path(os.path.commonpath(absolute)) if absolute else Path(".")


def output_rel(model: Path, base: Path) -> str:
    """The model's output name relative to the output folder (POSIX, no extension).

    Only path components below ``base`` are used, each one checked: nothing
    can climb out with ``..`` or an absolute path.
    """
    rel = os.path.relpath(os.path.abspath(model), os.path.abspath(base))
    parts = [p for p in Path(rel).parts[:-1] if p not in ("", ".")]
    if any(p == ".." for p in parts) or Path(rel).is_absolute():
        parts = []
    return "/".join(parts + [Path(rel).stem])


def plan(inputs: Sequence[str], outdir, workbook=None, formats: Sequence[str] = DEFAULT_FORMATS,
         persona: Optional[str] = None) -> List[Job]:
    """The jobs of a batch: one per model found, outputs mirroring the input tree."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise BatchError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    if workbook is not None and not os.path.isfile(workbook):
        raise BatchError(f"{workbook}: no such workbook")
    outdir_abs = os.path.abspath(outdir)
    models = find_models(inputs, skip=outdir_abs)
    if not models:
        raise BatchError(f"no BPMN files found in {', '.join(inputs)}")
    base = _common_base(b for _m, b in models)
    jobs: List[Job] = []
    # index.html is the portfolio: a top-level model named index keeps its suffix too
    taken: Dict[str, int] = {"index": 1}
    for model, _b in models:
        rel = output_rel(model, base)
        if rel.lower() in taken:  # x.bpmn and x.xml side by side: keep the suffix
            rel = rel + "." + model.suffix.lstrip(".")
        taken[rel.lower()] = 1
        shown = os.path.relpath(os.path.abspath(model), os.path.abspath(base)).replace(os.sep, "/")
        jobs.append(Job(os.path.abspath(model), os.fspath(model), shown, rel, outdir_abs,
                        find_workbook(model, workbook), tuple(formats), persona))
    if workbook is not None:
        jobs = _group_by_workbook(jobs, workbook)
    return jobs


def _group_by_workbook(jobs: List[Job], workbook) -> List[Job]:
    """With one workbook for many models, the models it covers are analysed together
    (a journey step in one model may be supported by another); the others go alone.

    Reads the workbook once here against every model that loads; a model or a
    workbook that cannot be read is left to its worker to report.
    """
    from .bpmn import load_model
    from .workbook import read_annotations

    models = {}
    for job in jobs:
        try:
            models[job.path] = load_model(job.path)
        except BpmncxError:
            continue
    if not models:
        return jobs
    try:
        annotations = read_annotations(workbook, list(models.values()))
    except BpmncxError:
        return jobs
    covered_names = {tp.model for tp in annotations.touchpoints}
    covered = tuple(path for path, model in models.items() if model.name in covered_names)
    if len(covered) < 2:
        return jobs
    return [replace(job, group=covered) if job.path in covered else job for job in jobs]


def output_path(job: Job, suffix: str) -> str:
    """Absolute path of one output (``.svg``, ``-report.xlsx`` ...), checked to be inside
    the output folder and not to be one of the inputs."""
    target = os.path.abspath(os.path.join(job.outdir, *job.rel.split("/"))) + suffix
    root = os.path.realpath(job.outdir)
    real = os.path.realpath(target)
    if os.path.commonpath([root, real]) != root:
        raise BatchError(f"{job.path}: output {target} would fall outside {job.outdir}")
    for source in (job.path, job.workbook):
        if source and os.path.exists(real) and os.path.samefile(real, source):
            raise BatchError(f"{job.path}: output {target} would overwrite an input file")
    return target


# -- one model -------------------------------------------------------------------


@dataclass
class ModelResult:
    """What became of one model; plain data, sent back from the worker."""

    path: str  # the model file as found
    rel: str
    shown: str = ""  # the model file relative to the inputs' common folder
    name: str = ""
    workbook: Optional[str] = None
    error: Optional[str] = None
    warnings: List[str] = field(default_factory=list)
    outputs: Dict[str, str] = field(default_factory=dict)  # format -> path relative to outdir
    analysed: bool = False
    steps: int = 0
    supported_steps: int = 0
    coverage: Optional[float] = None
    findings_per_severity: Dict[str, int] = field(default_factory=dict)
    moments_of_truth: int = 0
    moments_of_truth_at_risk: int = 0
    handoffs: int = 0
    findings: List[dict] = field(default_factory=list)
    thumbnail: Optional[str] = None  # data: URI when no SVG file was written

    @property
    def ok(self) -> bool:
        return self.error is None

    def count(self, severity: str) -> int:
        return self.findings_per_severity.get(severity, 0)

    def worst_first_key(self):
        return (self.ok, -self.count("critical"), -self.count("warning"),
                -self.count("info"), self.coverage if self.coverage is not None else 2.0, self.rel)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if isinstance(error, BpmncxError):
        return text
    return f"internal error ({type(error).__name__}: {text})"


def record_error(result: ModelResult, error: BaseException) -> None:
    """Keep the first error of a model as one line (a bug shows its type)."""
    if os.environ.get("BPMNCX_DEBUG"):
        raise error
    if result.error is None:
        result.error = _one_line(error)


def run_chunk(jobs: Sequence[Job]) -> List[ModelResult]:
    """Do a few models in one worker: read, analyse, draw (one Graphviz run per format
    for all of them), report. Never raises for a broken input: errors go into the results."""
    from .report import bundle  # the drawing and reporting steps, imported in the worker

    results = [ModelResult(path=job.source, rel=job.rel, shown=job.shown, workbook=job.workbook,
                           name=Path(job.path).stem) for job in jobs]
    bundle.build_many(jobs, results, record_error)
    return results


def run_model(job: Job) -> ModelResult:
    """Do one model (see :func:`run_chunk`)."""
    return run_chunk([job])[0]


# -- the whole batch -------------------------------------------------------------


@dataclass
class BatchResult:
    outdir: str
    results: List[ModelResult]
    total: int
    interrupted: bool = False

    @property
    def failed(self) -> List[ModelResult]:
        return [r for r in self.results if not r.ok]

    def at_or_above(self, severity: str) -> int:
        limit = SEVERITIES.index(severity)
        return sum(r.count(s) for r in self.results for s in SEVERITIES[: limit + 1])

    def exit_code(self, fail_on: Optional[str] = None) -> int:
        if self.interrupted:
            return 130
        if self.failed:
            return 1
        if fail_on and self.at_or_above(fail_on):
            return 3
        return 0


class _StopWorker(BaseException):
    """Raised in a worker to abandon its models at once (unwinds, so temporary files go)."""


_PARENT: Optional[int] = None  # the batch's main process, as a worker sees it
_BUSY = False  # a worker is in the middle of its models


def _stop_now(_signum, _frame) -> None:
    # SIGUSR1: the main process says "stop now", or it has died (the parent-death signal).
    if _BUSY:
        raise _StopWorker()  # unwinds: temporary files and Graphviz runs are cleaned up
    os._exit(1)


def _set_parent_death_signal(signum: int) -> None:
    """Linux: have the kernel send ``signum`` when the parent dies (best effort)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # elsewhere the workers check their parent between chunks


def _init_worker(parent: int) -> None:
    """Worker start: Ctrl-C and SIGTERM reach the whole process group, and are ignored
    (by Graphviz too): the main process decides to stop, and the models being drawn
    finish. SIGUSR1, sent by the main process or by the kernel when it dies, stops now."""
    global _PARENT
    _PARENT = parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, _stop_now)
    _set_parent_death_signal(signal.SIGUSR1)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _worker_chunk(jobs: Sequence[Job]) -> List[ModelResult]:
    """:func:`run_chunk` in a worker: a stop request ends the process once the files
    being written are cleaned up; the parent's death ends it before the next chunk."""
    global _BUSY
    if _PARENT is not None and os.getppid() != _PARENT:
        os._exit(1)
    try:
        _BUSY = True
        return run_chunk(jobs)
    except _StopWorker:
        os._exit(1)
    finally:
        _BUSY = False


def chunks(jobs: Sequence[Job], workers: int, most: int = CHUNK) -> List[List[Job]]:
    """Split ``jobs`` into runs of up to ``most`` models, at least ~4 runs per worker."""
    size = max(1, min(most, len(jobs) // max(1, workers * 4)))
    return [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]


def run_jobs(jobs: Sequence[Job], workers: int = 1,
             on_result: Optional[Callable[[ModelResult], None]] = None) -> Tuple[List[ModelResult], bool]:
    """Run ``jobs`` on ``workers`` processes; return the results and whether Ctrl-C stopped it.

    Models go to the workers a few at a time (one Graphviz run for several
    models is much cheaper than one each). On Ctrl-C (or SIGTERM) no new model
    is started, the ones being drawn finish (their files are whole), and the
    results so far are returned. A second Ctrl-C while waiting for them stops
    the workers at once: the models they were on are left out, with no
    half-written file.
    """
    results: List[ModelResult] = []
    report = on_result or (lambda r: None)

    def take(chunk_results: List[ModelResult]) -> None:
        for result in chunk_results:
            results.append(result)
            report(result)

    parts = chunks(jobs, workers)
    if workers <= 1 or len(parts) <= 1:
        try:
            for part in parts:
                take(run_chunk(part))
        except KeyboardInterrupt:
            return results, True
        return results, False
    executor = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                   initargs=(os.getpid(),))
    submitted = []  # every future, in order; each one's results are taken once
    taken = set()

    def take_done() -> None:
        for future in submitted:
            if future in taken or not future.done():
                continue
            taken.add(future)
            if not future.cancelled() and future.exception() is None:
                take(future.result())

    queue = list(parts)
    try:
        # Keep two runs per worker in flight, so Ctrl-C has little to cancel.
        pending = set()
        while queue or pending:
            while queue and len(pending) < workers * 2:
                future = executor.submit(_worker_chunk, queue.pop(0))
                submitted.append(future)
                pending.add(future)
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in submitted:
                if future in done and future not in taken:
                    taken.add(future)
                    take(future.result())
    except KeyboardInterrupt:
        try:
            executor.shutdown(wait=True, cancel_futures=True)
        except KeyboardInterrupt:  # the second Ctrl-C: do not wait any longer
            _stop_workers(executor)
            _remove_temporary_files(jobs)
        take_done()
        return results, True
    executor.shutdown(wait=True)
    return results, False


STOP_GRACE = 2.0  # seconds a worker gets to unwind after "stop now" before it is killed


@contextmanager
def _signals_ignored():
    """Ctrl-C and SIGTERM are ignored inside (in the main thread; elsewhere nothing changes)."""
    saved = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            saved[signum] = signal.signal(signum, signal.SIG_IGN)
        except ValueError:  # not the main thread
            pass
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """Stop every worker now (SIGUSR1, then SIGKILL), then let the pool wind down.

    Ctrl-C and SIGTERM are ignored meanwhile, so a third one cannot leave
    workers behind; afterwards they act as before.
    """
    with _signals_ignored():
        workers = multiprocessing.active_children()
        for process in workers:
            try:
                os.kill(process.pid, signal.SIGUSR1)
            except OSError:
                pass
        deadline = time.monotonic() + STOP_GRACE
        for process in workers:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in workers:
            if process.is_alive():
                process.kill()
                process.join(STOP_GRACE)
        executor.shutdown(wait=True, cancel_futures=True)


# files.write_atomic's temporary files: ".<name>.<8 random characters>.tmp"
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def _remove_temporary_files(jobs: Sequence[Job]) -> None:
    """Remove temporary files a killed worker left in the folders outputs go to."""
    folders = {os.path.dirname(os.path.join(job.outdir, *job.rel.split("/"))) for job in jobs}
    for folder in sorted(folders):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if _TEMPORARY.match(name):
                try:
                    os.unlink(os.path.join(folder, name))
                except OSError:
                    pass


def run_batch(inputs: Sequence[str], outdir, workbook=None, formats: Sequence[str] = DEFAULT_FORMATS,
              persona: Optional[str] = None, workers: Optional[int] = None,
              on_start: Optional[Callable[[int], None]] = None,
              on_result: Optional[Callable[[ModelResult], None]] = None) -> BatchResult:
    """Process every model under ``inputs`` into ``outdir``; write the portfolio files.

    ``workers``: processes to use (default: the CPU count). The returned
    :class:`BatchResult` tells which models failed and gives the exit code.
    """
    from .report.portfolio import write_portfolio

    jobs = plan(inputs, outdir, workbook, formats, persona)
    try:
        os.makedirs(jobs[0].outdir, exist_ok=True)
    except OSError as error:
        raise BatchError(f"{outdir}: cannot create output folder: {error.strerror or error}") from None
    if on_start:
        on_start(len(jobs))
    workers = workers or os.cpu_count() or 1
    results, interrupted = run_jobs(jobs, workers, on_result)
    results.sort(key=lambda r: r.rel)
    batch = BatchResult(jobs[0].outdir, results, len(jobs), interrupted)
    if interrupted:
        # Stopping was asked for already: another Ctrl-C must not lose the list of what was done.
        with _signals_ignored():
            write_portfolio(batch)
    else:
        write_portfolio(batch)
    return batch


def summary_document(batch: BatchResult) -> dict:
    """``summary.json``: every model with its figures, and every finding across models."""
    models = []
    findings = []
    for r in sorted(batch.results, key=ModelResult.worst_first_key):
        models.append({
            "file": r.path,
            "model": r.name,
            "output": r.rel,
            "workbook": r.workbook,
            "status": "ok" if r.ok else "error",
            "error": r.error,
            "warnings": list(r.warnings),
            "analysed": r.analysed,
            "journey_steps": r.steps,
            "supported_steps": r.supported_steps,
            "coverage": r.coverage,
            "findings_per_severity": {s: r.count(s) for s in SEVERITIES},
            "moments_of_truth": r.moments_of_truth,
            "moments_of_truth_at_risk": r.moments_of_truth_at_risk,
            "handoffs": r.handoffs,
            "outputs": dict(sorted(r.outputs.items())),
        })
    for r in sorted(batch.results, key=lambda r: r.rel):
        for finding in r.findings:
            findings.append({"file": r.path, "model": r.name, **finding})
    totals = {s: sum(r.count(s) for r in batch.results) for s in SEVERITIES}
    return {
        "schema": "bpmncx-batch/1",
        "models_found": batch.total,
        "models_done": len(batch.results),
        "models_failed": len(batch.failed),
        "interrupted": batch.interrupted,
        "findings_per_severity": totals,
        "models": models,
        "findings": findings,
    }


SUMMARY_CSV_COLUMNS = ("file", "model", "severity", "kind", "steps", "persona", "elements",
                       "element_names", "cell", "message")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def summary_csv(batch: BatchResult) -> str:
    """``summary.csv``: one row per finding across all models (formula-safe cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUMMARY_CSV_COLUMNS)
    for r in sorted(batch.results, key=lambda r: r.rel):
        for f in r.findings:
            elements = f.get("elements") or []
            writer.writerow([_csv_text(v) for v in (
                r.path, r.name, f.get("severity"), f.get("kind"),
                " ".join(str(s) for s in f.get("steps") or []), f.get("persona") or "",
                "; ".join(f"{e['model']}:{e['id']}" for e in elements),
                "; ".join(e.get("name") or e["id"] for e in elements),
                f.get("cell"), f.get("message"),
            )])
    return buffer.getvalue()


def summary_json(batch: BatchResult) -> str:
    return json.dumps(summary_document(batch), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


__all__ = [
    "BatchError",
    "BatchResult",
    "DEFAULT_FORMATS",
    "FORMATS",
    "Job",
    "ModelResult",
    "find_models",
    "find_workbook",
    "plan",
    "run_batch",
    "run_chunk",
    "run_model",
    "summary_csv",
    "summary_json",
]
