"""Batch over a process repository: every model's diagrams and reports, plus a portfolio.

:func:`plan` finds the BPMN files under the inputs and decides, for each, its
workbook and where its outputs go (mirroring the input tree under the output
folder, never outside it); :func:`run_chunk` does a few models in a worker
process (only paths cross the process boundary); :func:`run_batch` runs them
all and writes ``index.html``, ``summary.json`` and ``summary.csv``
(:mod:`bpmncx.report.portfolio`).

With one ``--workbook`` for many models, the workbook is read once, with every
model it covers, and analysed once (:class:`SharedWorkbook`), in the main
process before the workers start: forked workers inherit the models and the
analysis instead of reading them again, so the run stays linear in the number
of models.

One broken model never stops the others: its one-line error is kept in its
:class:`ModelResult`. Every file is written atomically (temporary file, then
rename), so an interrupted batch leaves only whole files behind.
"""

from __future__ import annotations

import base64
import glob
import multiprocessing
import os
import re
import signal
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from ..analysis import Analysis, analyse, persona_names
from ..annotations import Annotations
from ..bpmn import load_model
from ..bpmn.xml import is_bpmn_file
from ..errors import BpmncxError
from ..files import InputRefused, check_regular, write_atomic
from ..model import Model
from ..render import ALL_DIAGRAMS, Scene
from ..render.draw import Job as DrawJob
from ..render.draw import render_jobs, svg_many
from ..report.findings import finding_record
from ..report.portfolio import BatchResult, ModelResult, write_portfolio
from .history import Before, checkout_revision, compare_with_revision
from .inputs import (PER_MODEL_LOG, Inputs, LogRequest, WorkbookProblemsError, load_log_into,
                     log_beside, read_workbook)
from .measure import with_log
from .outputs import ANNOTATED_SUFFIX, FORMATS, output_name, parse_formats, suffix
from .views import View, document, view_of

DEFAULT_FORMATS: Tuple[str, ...] = ("svg", "html", "xlsx")
BPMN_SUFFIXES = (".bpmn", ".bpmn2")
SNIFF_SUFFIXES = (".xml",)
CHUNK = 8  # models per worker run at most
# --persona each: the figures for every persona's journey, and one row per persona
EACH_PERSONA = "each"


def each_persona(persona: Optional[str]) -> bool:
    return persona is not None and persona.strip().casefold() == EACH_PERSONA


def _analysed_persona(persona: Optional[str]) -> Optional[str]:
    """The persona the model's own analysis and diagram are for (None with 'each')."""
    return None if each_persona(persona) else persona


class BatchError(BpmncxError):
    """The batch as a whole cannot run (no inputs, output folder unusable)."""


# -- finding the models --------------------------------------------------------

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
        elif path.exists():  # a pipe, device or socket named on the command line
            try:
                check_regular(path, "BPMN")
            except InputRefused as refused:
                raise BatchError(f"{item}: {refused}") from None
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
    # With one --workbook for many models: every model it covers (this one included),
    # analysed together; empty when the model has a workbook of its own or none.
    group: Tuple[str, ...] = ()
    first_in_group: bool = True  # counts the findings about the journey alone
    shared: bool = False  # the workbook is the batch's --workbook (group empty: not covered)
    before: Optional[Before] = None  # with --compare-to: the model's version at the revision
    log: Optional[LogRequest] = None  # the event log to measure this model against


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
         persona: Optional[str] = None, log: Optional[LogRequest] = None) -> List[Job]:
    """The jobs of a batch: one per model found, outputs mirroring the input tree. ``log``:
    one event log for every model, or with the path ``auto`` each model's own log beside
    it (MODEL.log.csv, .log.xes or .log.parquet; none: no log for that model)."""
    formats = parse_formats(formats)
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
                        find_workbook(model, workbook), tuple(formats), persona,
                        shared=workbook is not None, log=_log_of(model, log)))
    return jobs


def _log_of(model: Path, log: Optional[LogRequest]) -> Optional[LogRequest]:
    if log is None or log.path != PER_MODEL_LOG:
        return log
    found = log_beside(os.fspath(model))
    return replace(log, path=found) if found else None


# -- one workbook for many models -----------------------------------------------------


@dataclass
class SharedWorkbook:
    """One ``--workbook`` read once with every model that loads, and analysed once
    with the models it covers (a journey step in one model may be supported by
    another). Models it does not cover get their plain diagram."""

    path: str
    models: Dict[str, Model]  # model path -> model, every model that loaded
    covered: Tuple[str, ...]  # model paths, in job order
    annotations: Optional[Annotations] = None
    analysis: Optional[Analysis] = None
    error: Optional[BpmncxError] = None  # unreadable, or holding errors
    log_error: Optional[str] = None  # the event log could not be read or measured


# Per process: the shared workbooks of this run, by workbook path. Filled in the main
# process before the workers start (forked workers inherit it); a worker started
# another way reads its own once.
_SHARED: Dict[str, SharedWorkbook] = {}


def share_workbook(jobs: List[Job], workbook: str, persona: Optional[str],
                   models: Optional[Dict[str, Model]] = None) -> List[Job]:
    """Read ``workbook`` once for ``jobs`` and analyse the models it covers; return the
    jobs with their group set. A model that cannot be read is left to its job to report."""
    if models is None:
        models = {}
        for job in jobs:
            try:
                models[job.path] = load_model(job.path)
            except BpmncxError:
                continue
    shared = SharedWorkbook(workbook, models, ())
    try:
        inputs = read_workbook(workbook, list(models.values())) if models else None
        if inputs is not None:
            shared.annotations = inputs.annotations
    except WorkbookProblemsError as error:
        shared.error, shared.annotations = error, error.annotations
    except BpmncxError as error:  # not readable at all: every model says so
        shared.error = error
    if shared.annotations is None:  # unreadable: every model reports it
        shared.covered = tuple(job.path for job in jobs if job.path in models)
    else:
        named = {tp.model for tp in shared.annotations.touchpoints}
        shared.covered = tuple(job.path for job in jobs
                               if job.path in models and models[job.path].name in named)
    if shared.error is None and shared.covered:
        try:
            shared.analysis = analyse([models[p] for p in shared.covered], shared.annotations,
                                      _analysed_persona(persona))
        except BpmncxError as error:  # an unknown --persona: every covered model says so
            shared.error = error
        request = next((job.log for job in jobs if job.path == shared.covered[0]), None)
        if shared.analysis is not None and request is not None:
            shared.analysis, shared.log_error = _measured(
                shared.analysis, [models[p] for p in shared.covered], shared.annotations,
                request)
    _SHARED[os.path.abspath(workbook)] = shared
    return [replace(job, group=shared.covered, first_in_group=job.path == shared.covered[0])
            if job.path in shared.covered else job for job in jobs]


def _shared(job: Job) -> Optional[SharedWorkbook]:
    """The shared workbook of a job given --workbook (read here if this process has not)."""
    if not job.workbook or not job.group:
        return None
    key = os.path.abspath(job.workbook)
    if key not in _SHARED:
        share_workbook([replace(job, path=p) for p in job.group], job.workbook, job.persona)
    return _SHARED[key]


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


def _problems_line(path: str, error: WorkbookProblemsError) -> str:
    count = len(error.problems)
    return (f"{path}: {count} error{'s' if count != 1 else ''} in the workbook, "
            f"first: {error.problems[0]}")


def _measured(analysis: Analysis, models: List[Model], annotations: Annotations,
              request: LogRequest) -> Tuple[Analysis, Optional[str]]:
    """``analysis`` with the event log measured against it, or unchanged and why not."""
    inputs = Inputs(list(models), annotations)
    try:
        load_log_into(inputs, request)
        return with_log(analysis, inputs), None
    except BpmncxError as error:
        return analysis, _one_line(error)
    finally:
        inputs.close()


def _analysis_of(job: Job, model: Model, result: ModelResult):
    """The model's analysis (or None: plain diagram), the annotations to report, and the
    workbook error to raise once the plain outputs are written."""
    if not job.workbook:
        return None, None, None
    shared = _shared(job)
    if job.shared and shared is None:
        result.warnings.append(f"{os.path.basename(job.workbook)} does not cover this model: "
                               "plain diagram only")
        result.workbook = None
        return None, None, None
    if shared is not None:
        if isinstance(shared.error, WorkbookProblemsError):
            result.warnings.extend(str(p) for p in shared.error.annotations.warnings)
            result.error = _problems_line(job.workbook, shared.error)
            return None, shared.annotations, None
        if shared.error is not None:
            return None, None, shared.error
        result.warnings.extend(str(p) for p in shared.annotations.warnings)
        if shared.log_error and job.first_in_group:
            result.error = shared.log_error
        return shared.analysis, shared.annotations, None
    try:
        inputs = read_workbook(job.workbook, [model])
    except WorkbookProblemsError as error:
        result.warnings.extend(str(p) for p in error.annotations.warnings)
        result.error = _problems_line(job.workbook, error)
        return None, error.annotations, None
    except BpmncxError as error:  # an unreadable workbook: still draw the plain diagram
        return None, None, error
    result.warnings.extend(str(p) for p in inputs.warnings)
    analysis = analyse([model], inputs.annotations, persona=_analysed_persona(job.persona))
    if job.log is not None:
        analysis, log_error = _measured(analysis, [model], inputs.annotations, job.log)
        if log_error:
            result.error = log_error  # the diagram is still drawn, without the log
    return analysis, inputs.annotations, None


def _record_analysis(result: ModelResult, analysis: Analysis, model: Model, first: bool) -> None:
    """Keep the figures and this model's findings: those naming one of its elements,
    and - for the first model of a group only, so that totals count them once - the
    findings about the journey alone."""
    m = analysis.metrics
    result.analysed = True
    result.steps = m.steps
    result.supported_steps = m.supported_steps
    result.coverage = m.coverage
    result.moments_of_truth = m.moments_of_truth
    result.moments_of_truth_at_risk = len(m.moments_of_truth_at_risk)
    result.handoffs = m.handoffs
    mine = analysis.findings_of_model(model.name, journey_only=first)
    result.findings = [finding_record(analysis, f) for f in mine]
    counts = {s: 0 for s, _n in m.findings_per_severity}
    for f in mine:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    result.findings_per_severity = counts


def _record_personas(job: Job, result: ModelResult, analysis: Analysis, model: Model) -> None:
    """--persona each: the model's figures once per persona, each from that persona's own
    analysis (the same models as the model's analysis: its shared workbook's group)."""
    shared = _shared(job)
    models = [shared.models[p] for p in shared.covered] if shared is not None else [model]
    for name in persona_names(analysis.annotations):
        own = analyse(models, analysis.annotations, persona=name)
        m = own.metrics
        mine = own.findings_of_model(model.name, journey_only=job.first_in_group)
        result.personas.append({
            "persona": name,
            "negative": own.is_negative(name),
            "journey_steps": m.steps,
            "supported_steps": m.supported_steps,
            "coverage": m.coverage,
            "findings_per_severity": {s: sum(1 for f in mine if f.severity == s)
                                      for s, _n in m.findings_per_severity},
            "moments_of_truth": m.moments_of_truth,
            "moments_of_truth_at_risk": len(m.moments_of_truth_at_risk),
            "handoffs": m.handoffs,
        })


@dataclass
class _Prepared:
    """One model read, analysed and laid out, waiting for Graphviz."""

    job: Job
    result: ModelResult
    view: View
    workbook_error: Optional[BpmncxError] = None


def _model_of(job: Job) -> Model:
    shared = _SHARED.get(os.path.abspath(job.workbook)) if job.workbook else None
    if shared is not None and job.path in shared.models:
        return shared.models[job.path]  # read once, in the main process
    return load_model(job.path)


def _prepare(job: Job, result: ModelResult) -> _Prepared:
    """Read the model and its workbook, analyse, build the scene; raise if broken."""
    model = _model_of(job)
    result.name = model.name
    result.warnings.extend(model.warnings)
    analysis, annotations, workbook_error = _analysis_of(job, model, result)
    if analysis is not None:
        _record_analysis(result, analysis, model, job.first_in_group)
        if each_persona(job.persona):
            _record_personas(job, result, analysis, model)
    # every diagram: the main one under the model's name, the others (drill-downs)
    # as MODEL.<diagram>.svg
    view = view_of(model, analysis, ALL_DIAGRAMS, annotations=annotations)
    for scene in _scenes(view):
        result.warnings.extend(w for w in scene.warnings if w not in result.warnings)
    if job.before is not None and result.error is None and workbook_error is None:
        _record_comparison(job, model, analysis, result)
    return _Prepared(job, result, view, workbook_error)


def _scenes(view: View) -> List[Scene]:
    """The main diagram's scene, then the other diagrams'."""
    return [view.scene] + [drawing.scene for drawing in view.more]


def _suffixes(view: View, fmt: str) -> List[str]:
    """What follows the model's path in each diagram's file, in :func:`_scenes` order."""
    return [suffix(fmt)] + [output_name("", None, fmt, d.slug) for d in view.more]


def _record_comparison(job: Job, model: Model, analysis: Optional[Analysis],
                       result: ModelResult) -> None:
    """Compare the model with its version at --compare-to; a version there that cannot be
    read is a warning (the model itself is fine)."""
    annotations = analysis.annotations if analysis is not None else None
    workbook = job.workbook if annotations is not None else None
    try:
        comparison = compare_with_revision(job.before, model, workbook, annotations)
    except BpmncxError as error:
        result.warnings.append(f"not compared with {job.before.revision}: {_one_line(error)}")
        return
    result.compared = True
    result.since_status = comparison.status
    result.coverage_before = comparison.coverage_before
    result.coverage_after = comparison.coverage_after
    result.findings_new = comparison.findings_new
    result.findings_resolved = comparison.findings_resolved
    result.elements_changed = comparison.elements_changed


def _raster_jobs(p: _Prepared) -> List[DrawJob]:
    """The PNG/PDF drawings a prepared model asks for."""
    return [DrawJob(scene, output_path(p.job, end), f)
            for f in ("png", "pdf") if f in p.job.formats
            for scene, end in zip(_scenes(p.view), _suffixes(p.view, f))]


def _finish(p: _Prepared, svgs: Sequence[bytes]) -> None:
    """Write the SVGs, annotated BPMN, HTML and Excel outputs; raise a workbook error last.

    ``svgs``: the main diagram's, then the others'. The PNG/PDF files
    (``_raster_jobs``) are drawn by the caller, many at a time.
    """
    job, result = p.job, p.result
    svg, more = svgs[0], list(svgs[1:])
    for f in ("png", "pdf"):
        if f in job.formats:
            result.outputs[f] = job.rel + suffix(f)
    if "svg" in job.formats:
        for data, end in zip(svgs, _suffixes(p.view, "svg")):
            write_atomic(output_path(job, end), data)
        result.outputs["svg"] = job.rel + suffix("svg")
    else:
        result.thumbnail = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    for fmt in ("bpmn", "html", "xlsx", "blueprint"):
        if fmt in job.formats:
            data = document(p.view, fmt, svg, more)
            if data is not None:
                write_atomic(output_path(job, suffix(fmt)), data)
                result.outputs[fmt] = job.rel + suffix(fmt)
    if p.workbook_error is not None:
        raise p.workbook_error


def build_many(jobs: Sequence[Job], results: Sequence[ModelResult]) -> None:
    """Make every output of ``jobs``, recording into ``results`` (a model's error goes
    into its result). Graphviz runs once per format for all models together, and
    again one model at a time only if that fails, to find the broken one."""
    prepared: List[_Prepared] = []
    for job, result in zip(jobs, results):
        try:
            prepared.append(_prepare(job, result))
        except KeyboardInterrupt:
            raise
        except Exception as error:  # noqa: BLE001 - one broken model must not stop the others
            record_error(result, error)
    svgs: List[Optional[List[bytes]]] = []
    try:
        flat = iter(svg_many([scene for p in prepared for scene in _scenes(p.view)]))
        svgs = [[next(flat) for _ in _scenes(p.view)] for p in prepared]
    except BpmncxError:
        svgs = []
        for p in prepared:
            try:
                svgs.append(list(svg_many(_scenes(p.view))))
            except BpmncxError as error:
                record_error(p.result, error)
                svgs.append(None)
    drawn = [(p, svg) for p, svg in zip(prepared, svgs) if svg is not None]
    try:
        render_jobs([j for p, _svg in drawn for j in _raster_jobs(p)])
    except BpmncxError:
        kept = []
        for p, svg in drawn:
            try:
                render_jobs(_raster_jobs(p))
                kept.append((p, svg))
            except BpmncxError as error:
                record_error(p.result, error)
        drawn = kept
    for p, svg in drawn:
        try:
            _finish(p, svg)
        except KeyboardInterrupt:
            raise
        except Exception as error:  # noqa: BLE001
            record_error(p.result, error)


def run_chunk(jobs: Sequence[Job]) -> List[ModelResult]:
    """Do a few models in one worker: read, analyse, draw (one Graphviz run per format
    for all of them), report. Never raises for a broken input: errors go into the results."""
    results = [ModelResult(path=job.source, rel=job.rel, shown=job.shown, workbook=job.workbook,
                           name=Path(job.path).stem) for job in jobs]
    build_many(jobs, results)
    return results


def run_model(job: Job) -> ModelResult:
    """Do one model (see :func:`run_chunk`)."""
    return run_chunk([job])[0]


# -- the whole batch -------------------------------------------------------------


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
    # Fault injection for the tests: a worker given this model dies as under the OOM killer.
    doomed = os.environ.get("BPMNCX_TEST_KILL_WORKER_ON")
    if doomed and any(Path(job.path).stem == doomed for job in jobs):
        os.kill(os.getpid(), signal.SIGKILL)
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
    # fork: workers inherit what the main process read once (see SharedWorkbook)
    context = (multiprocessing.get_context("fork")
               if "fork" in multiprocessing.get_all_start_methods() else None)
    executor = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                   initargs=(os.getpid(),), mp_context=context)
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
    part_of = {}  # future -> the jobs it carries
    workers_seen = {}  # pid -> process, to tell how a worker that died ended
    try:
        # Keep two runs per worker in flight, so Ctrl-C has little to cancel.
        pending = set()
        while queue or pending:
            while queue and len(pending) < workers * 2:
                part = queue.pop(0)
                future = executor.submit(_worker_chunk, part)
                part_of[future] = part
                workers_seen.update(getattr(executor, "_processes", None) or {})
                submitted.append(future)
                pending.add(future)
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in submitted:
                if future in done and future not in taken:
                    taken.add(future)
                    take(future.result())
    except BrokenProcessPool:
        # A worker was killed (the OOM killer, kill -9): every model not yet done is done
        # again, one at a time, so the one that kills its worker is found and reported.
        executor.shutdown(wait=True, cancel_futures=True)
        how = _how_workers_died(workers_seen.values())
        left = [job for future in submitted if future not in taken or future.exception()
                for job in part_of[future]] + [job for part in queue for job in part]
        try:
            for job in left:
                take(_alone(job, how))
        except KeyboardInterrupt:
            return results, True
        return results, False
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


def _how_workers_died(processes) -> str:
    processes = list(processes)
    for process in processes:
        if process.exitcode is None:
            process.join(2.0)  # the pool saw it die; its exit status may not be read yet
    codes = sorted({p.exitcode for p in processes if p.exitcode not in (None, 0)})
    signals = [f"signal {-code}" for code in codes if code < 0]
    return ", ".join(signals or [f"exit code {code}" for code in codes]) or "killed"


def _alone(job: Job, how: str) -> List[ModelResult]:
    """One model in a worker of its own; if that worker dies too, the model is failed with
    how it died (the others are not held up by it)."""
    context = (multiprocessing.get_context("fork")
               if "fork" in multiprocessing.get_all_start_methods() else None)
    executor = ProcessPoolExecutor(max_workers=1, initializer=_init_worker,
                                   initargs=(os.getpid(),), mp_context=context)
    try:
        future = executor.submit(_worker_chunk, [job])
        processes = dict(getattr(executor, "_processes", None) or {})
        try:
            return future.result()
        except BrokenProcessPool:
            died = _how_workers_died(processes.values()) if processes else how
            result = ModelResult(path=job.source, rel=job.rel, shown=job.shown,
                                 workbook=job.workbook, name=Path(job.path).stem)
            result.error = (f"{job.source}: the worker drawing this model died ({died}; out of "
                            "memory?); its other outputs may be missing")
            _remove_temporary_files([job])
            return [result]
    finally:
        executor.shutdown(wait=True)


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
              on_result: Optional[Callable[[ModelResult], None]] = None,
              compare_to: Optional[str] = None, log: Optional[LogRequest] = None) -> BatchResult:
    """Process every model under ``inputs`` into ``outdir``; write the portfolio files.

    ``workers``: processes to use (default: the CPU count). ``compare_to``: a git
    revision to compare every model (and its workbook) with; the portfolio then
    shows coverage before and after and the findings new and resolved since. The
    returned :class:`BatchResult` tells which models failed and gives the exit code.
    ``log``: an event log for every model, or ``auto`` (see :func:`plan`).
    """
    jobs = plan(inputs, outdir, workbook, formats, persona, log)
    if workbook is not None:
        jobs = share_workbook(jobs, os.fspath(workbook), persona)
    if compare_to is None:
        return _run_planned(jobs, outdir, workers, on_start, on_result)
    # The revision's files, written once here; forked workers read them from this folder.
    with tempfile.TemporaryDirectory(prefix="bpmncx-compare-") as into:
        before = checkout_revision(compare_to, [job.path for job in jobs],
                                   os.fspath(workbook) if workbook is not None else None, into)
        jobs = [replace(job, before=before[job.path]) for job in jobs]
        return _run_planned(jobs, outdir, workers, on_start, on_result, compare_to)


def _run_planned(jobs: List[Job], outdir, workers: Optional[int],
                 on_start: Optional[Callable[[int], None]],
                 on_result: Optional[Callable[[ModelResult], None]],
                 compare_to: Optional[str] = None) -> BatchResult:
    try:
        os.makedirs(jobs[0].outdir, exist_ok=True)
    except OSError as error:
        raise BatchError(f"{outdir}: cannot create output folder: {error.strerror or error}") from None
    if on_start:
        on_start(len(jobs))
    workers = workers or os.cpu_count() or 1
    results, interrupted = run_jobs(jobs, workers, on_result)
    results.sort(key=lambda r: r.rel)
    batch = BatchResult(jobs[0].outdir, results, len(jobs), interrupted, compare_to,
                        jobs[0].persona)
    if interrupted:
        # Stopping was asked for already: another Ctrl-C must not lose the list of what was done.
        with _signals_ignored():
            write_portfolio(batch)
    else:
        write_portfolio(batch)
    return batch


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
    "share_workbook",
]
