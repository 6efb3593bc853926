"""``bpmncx diff``: what changed between two versions, for the customer."""

from __future__ import annotations

import sys

import click

from ..pipeline.inputs import WorkbookProblemsError
from ..pipeline.diff import VISUAL_FORMATS, diff_files, diff_git, write_visual_diff
from ..errors import BpmncxError
from ..files import write_atomic
from ..report.diff import to_json, to_markdown, to_table
from .output import err, out

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@click.command("diff")
@click.argument("args", nargs=-1, type=str, metavar="OLD_MODEL NEW_MODEL | PATH...")
@click.option("--workbook", "workbooks", multiple=True, metavar="WORKBOOK",
              help="The workbook: one for both versions, or the old one then the new one "
                   "(--workbook OLD.xlsx NEW.xlsx).")
@click.option("--git", "revisions", multiple=True, metavar="REV",
              help="Compare the working tree (or a second --git REV2) with the revision REV, "
                   "for every model under PATH (default: the current folder).")
@click.option("-o", "--output", metavar="OUT",
              help="Write to this file instead of stdout; for svg and png with several "
                   "models a folder (one MODEL.diff.svg per model).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md", *VISUAL_FORMATS]),
              default="table", show_default=True,
              help="Output format; md is a pull-request comment; svg, png and html draw the "
                   "new diagram with the changes marked (need -o).")
@click.option("--fail-on", type=click.Choice(["new-critical", "new-warning"]),
              help="Exit 3 when the change brings a finding this bad or worse.")
def command(args, workbooks, revisions, output, fmt, fail_on):
    """Show what changed between two versions of a model and its workbook:
    elements and flows, journey steps and emotions, and what that does to the
    customer (findings new and resolved, coverage and emotion before and after).

    Elements whose ids the exporter regenerated are matched by name and
    position. Exit 3 with --fail-on when the change brings a finding that bad
    (findings already there do not count); exit 1 when an input cannot be read
    or a workbook has errors.

    Examples:

    \b
        bpmncx diff old/claim.bpmn claim.bpmn --workbook old/claim-cx.xlsx claim-cx.xlsx
        bpmncx diff --git HEAD --format md -o comment.md
        bpmncx diff --git main --git HEAD processes/ --fail-on new-critical
    """
    warnings = []
    if fmt in VISUAL_FORMATS and not output:
        raise click.UsageError(f"--format {fmt} draws a picture: give -o OUT (a file, or a "
                               "folder for several models)")
    try:
        if revisions:
            if workbooks:
                raise click.UsageError("--workbook is for two model files; with --git each "
                                       "model's workbook is found beside it (MODEL.xlsx or "
                                       "MODEL-cx.xlsx)")
            diff = diff_git(revisions, args or (".",), warnings=warnings)
        else:
            # `--workbook OLD.xlsx NEW.xlsx`: click gives an option one value, so the
            # second workbook arrives among the arguments; it is told apart by its suffix.
            extra = [a for a in args if a.lower().endswith(WORKBOOK_SUFFIXES)]
            models = [a for a in args if a not in extra]
            if extra and len(workbooks) != 1:
                raise click.UsageError(f"{extra[0]}: a workbook among the models; give "
                                       "--workbook OLD.xlsx NEW.xlsx (or --workbook twice)")
            if len(models) != 2:
                raise click.UsageError("give two model files, OLD_MODEL NEW_MODEL, or "
                                       "--git REV to compare with a git revision")
            all_workbooks = list(workbooks) + extra
            if len(all_workbooks) > 2:
                raise click.UsageError("give one workbook for both versions, or two: "
                                       "--workbook OLD.xlsx NEW.xlsx")
            diff = diff_files(models[0], models[1], all_workbooks, warnings=warnings)
    except WorkbookProblemsError as error:
        for problem in error.problems:
            err(f"error: {error.path}: {problem}")
        err(f"error: {error}")
        sys.exit(1)
    except click.UsageError:
        raise
    except BpmncxError as error:
        err(f"error: {error}")
        sys.exit(1)
    for problem in warnings:
        err(f"warning: {problem}")
    if fmt in VISUAL_FORMATS:
        for m in diff.models:
            if m.new_model is None:
                err(f"warning: {m.old.file}: deleted in {diff.new}; no picture")
        try:
            written = write_visual_diff(diff, fmt, output)
        except BpmncxError as error:
            err(f"error: {error}")
            sys.exit(1)
        for path in written:
            out(path)
    else:
        text = {"json": to_json, "md": to_markdown}.get(fmt, to_table)(diff)
        if output:
            write_atomic(output, text.encode("utf-8"))
        else:
            click.echo(text, nl=False)
    if fail_on:
        severity = fail_on.split("-", 1)[1]
        introduced = diff.introduced(severity)
        if introduced:
            err(f"{len(introduced)} new finding(s) at or above {severity}: failing "
                f"(--fail-on {fail_on})")
            sys.exit(3)
    sys.exit(0)
