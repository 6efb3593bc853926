"""``bpmncx batch``: diagrams and reports for a whole process repository."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import click

from ..pipeline.batch import DEFAULT_FORMATS, run_batch
from ..report.portfolio import ModelResult
from ..severity import SEVERITIES
from .output import err, formats_option, log_options, out


class Progress:
    """A one-line progress bar on a terminal; plain lines otherwise (or with --quiet).

    Errors are always printed, one line each, to stderr.
    """

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.bar = not quiet and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total = 0
        self.done = 0
        self.failed = 0

    def start(self, total: int) -> None:
        self.total = total
        if not self.quiet:
            self._line(f"bpmncx batch: {total} model{'s' if total != 1 else ''} to do")

    def result(self, result: ModelResult) -> None:
        self.done += 1
        self.failed += not result.ok
        label = result.shown or result.rel
        if result.error:
            names_file = result.path in result.error or os.path.basename(result.path) in result.error
            self._line(f"error: {result.error}" if names_file else f"error: {label}: {result.error}")
        elif not self.bar and not self.quiet:
            counts = ", ".join(f"{result.count(s)} {s}" for s in SEVERITIES
                               if result.count(s))
            self._line(f"[{self.done}/{self.total}] {label}" + (f" ({counts})" if counts else ""))
        if self.bar:
            self._draw(label)

    def finish(self) -> None:
        if self.bar:
            self.stream.write("\r" + " " * self._width() + "\r")
            self.stream.flush()

    def _width(self) -> int:
        return max(20, shutil.get_terminal_size((80, 20)).columns - 1)

    def _draw(self, label: str) -> None:
        width = self._width()
        cells = 24
        filled = cells * self.done // max(self.total, 1)
        head = f"[{'#' * filled}{'-' * (cells - filled)}] {self.done}/{self.total}"
        if self.failed:
            head += f" ({self.failed} failed)"
        line = f"{head} {label}"
        self.stream.write("\r" + line[:width].ljust(width))
        self.stream.flush()

    def _line(self, text: str) -> None:
        if self.bar:
            self.stream.write("\r" + " " * self._width() + "\r")
        self.stream.write(text + "\n")
        self.stream.flush()


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Output folder; outputs mirror the input tree inside it.")
@click.option("--workbook", type=click.Path(exists=True, dir_okay=False),
              help="One workbook for every model (default: MODEL.xlsx or MODEL-cx.xlsx beside each).")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@formats_option(default=",".join(DEFAULT_FORMATS))
@click.option("--persona", metavar="NAME|each",
              help="Persona to analyse and colour the diagrams by (default: every persona, "
                   "diagrams coloured by the lowest emotion); 'each': the default figures and "
                   "one row per persona under each model (summary.json, "
                   "summary-personas.csv).")
@click.option("--fail-on", type=click.Choice(["critical", "warning"]),
              help="Exit 3 when any model has a finding at or above this severity.")
@click.option("--compare-to", metavar="REV",
              help="Compare every model (and its workbook) with its version at this git "
                   "revision: the portfolio and summary.json get coverage before -> after "
                   "and the findings new and resolved since.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary; only errors.")
@log_options(per_model=True, heat=True)
def command(inputs, outdir, workbook, workers, formats, persona, fail_on, compare_to, quiet,
            log):
    """Draw and report on every BPMN model under INPUT... (files, folders, globs).

    Folders are searched recursively for .bpmn, .bpmn2 and BPMN .xml files.
    Each model gets its diagram and an HTML page; when a workbook (MODEL.xlsx
    or MODEL-cx.xlsx beside it, or --workbook) describes its customer journey,
    the diagram is annotated, the page shows the journey and the gaps, and an
    Excel report is added. OUTDIR gets index.html (every model, worst first),
    summary.json and summary.csv. A model that fails is listed with its error
    and the others go on; the exit code is then 1. Ctrl-C stops cleanly
    (the models being drawn finish); a second Ctrl-C stops at once.

    Examples:

    \b
        bpmncx batch models/ -o out/ -j 4 --format svg,png,html,xlsx
        bpmncx batch models/ -o out/ --compare-to main
        bpmncx batch samples -o out/ --log auto    # MODEL.log.csv beside each model
    """
    # A CI job being cancelled sends SIGTERM: stop as cleanly as on Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    progress = Progress(quiet=quiet)
    batch = run_batch(list(inputs), outdir, workbook=workbook, formats=formats, persona=persona,
                      workers=workers, on_start=progress.start, on_result=progress.result,
                      compare_to=compare_to, log=log)
    progress.finish()
    index = os.path.join(outdir, "index.html")
    totals = ", ".join(f"{sum(r.count(s) for r in batch.results)} {s}"
                       for s in SEVERITIES)
    if batch.interrupted:
        err(f"interrupted: {len(batch.results)} of {batch.total} models done; their outputs "
            f"and {index} are kept")
    elif not quiet:
        failed = len(batch.failed)
        out(f"{len(batch.results)} models, {failed} failed; findings: {totals}; see {index}")
    code = batch.exit_code(fail_on)
    if code == 3:
        err(f"{batch.at_or_above(fail_on)} finding(s) at or above {fail_on}: failing (--fail-on {fail_on})")
    elif code == 1:
        err(f"error: {len(batch.failed)} of {batch.total} models could not be processed (listed above "
            f"and in {index})")
    sys.exit(code)
