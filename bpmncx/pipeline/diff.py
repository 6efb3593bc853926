"""The I/O edge of a comparison: read two versions from files or git revisions.

Each version of a model is read with the workbook of that version and the
workbook is checked against that version (a workbook with errors is refused, as
``bpmncx gaps`` refuses it); then :func:`bpmncx.diff.compare_models` compares.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from ..annotations import Annotations, Problem
from ..bpmn import load_model, model_from_bytes
from ..bpmn.xml import read_bytes
from ..errors import BpmncxError, BpmnReadError, WorkbookError
from ..files import file_digest, write_atomic
from ..model import Model
from ..diff import compare_models
from .git import GitError, checkout_files, git_top_level, verify_revision
from ..diff.result import Diff, ModelDiff, Side
from .inputs import WorkbookProblemsError

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Version:
    """One version of a model file and its workbook, before reading."""

    model_label: str  # as shown: "claims/claim.bpmn" or "HEAD:claims/claim.bpmn"
    model_path: str  # where the bytes are on disk
    workbook_label: Optional[str] = None
    workbook_path: Optional[str] = None


def _read_model(version: Version) -> Model:
    if version.model_label == version.model_path:
        return load_model(version.model_path)
    try:  # within the size limit, as any model; named as the user knows it
        data = read_bytes(version.model_path)
    except BpmnReadError as error:
        raise BpmnReadError(version.model_label, error.reason) from None
    model = model_from_bytes(data, version.model_label)
    # Named by its file, as the workbook names it: "claim", not "HEAD:claim" for a model
    # at the top of the repository.
    model.name = Path(version.model_path).stem
    return model


def _read_workbook(version: Version, model: Model,
                   warnings: Optional[List[Problem]]) -> Optional[Annotations]:
    if version.workbook_path is None:
        return None
    from ..workbook import read_annotations  # the workbook package is heavier; load on use

    label = version.workbook_label or version.workbook_path
    try:
        annotations = read_annotations(version.workbook_path, [model])
    except WorkbookError as error:
        # A workbook taken out of git sits in a temporary folder: name it as the user knows it.
        raise WorkbookError(str(error).replace(version.workbook_path, label)) from None
    annotations.source = label
    if annotations.errors:
        raise WorkbookProblemsError(label, annotations.errors)
    if warnings is not None:
        warnings.extend(Problem(p.severity, f"{label}: {p.place}", p.message)
                        for p in annotations.warnings)
    return annotations


def _side(version: Version, model: Model) -> Side:
    return Side(version.model_label, model.sha256, version.workbook_label)


def compare_versions(old: Optional[Version], new: Optional[Version],
                     warnings: Optional[List[Problem]] = None) -> ModelDiff:
    """Read both versions (either may be None: added or deleted) and compare them.

    Workbook warnings of the new version are appended to ``warnings`` (the old
    version's were seen when it was made).
    """
    old_model = _read_model(old) if old is not None else None
    new_model = _read_model(new) if new is not None else None
    old_annotations = _read_workbook(old, old_model, None) if old is not None else None
    new_annotations = _read_workbook(new, new_model, warnings) if new is not None else None
    return compare_models(old_model, new_model, old_annotations, new_annotations,
                          _side(old, old_model) if old is not None else None,
                          _side(new, new_model) if new is not None else None)


def diff_files(old_model: str, new_model: str, workbooks: Sequence[str] = (),
               warnings: Optional[List[Problem]] = None) -> Diff:
    """Compare two model files; ``workbooks`` is (), (both,) or (old, new).

    One workbook for both versions is read against each version of the model;
    the new version then names it "WORKBOOK (with NEW_MODEL)" in errors.
    """
    if len(workbooks) > 2:
        raise BpmncxError("give one workbook for both versions, or two: the old one, then the new one")
    old_workbook = new_workbook = None
    new_label = None
    if len(workbooks) == 1:
        old_workbook = new_workbook = workbooks[0]
        new_label = f"{workbooks[0]} (with {new_model})"
    elif len(workbooks) == 2:
        old_workbook, new_workbook = workbooks
    old = Version(old_model, old_model, old_workbook, old_workbook)
    new = Version(new_model, new_model, new_label or new_workbook, new_workbook)
    return Diff(old_model, new_model, (compare_versions(old, new, warnings),))


# -- git -----------------------------------------------------------------------

_CANDIDATES = (".bpmn", ".bpmn2", ".xml", ".xlsx")  # what find_models/find_workbook may pick


def _versions_on_disk(paths: Sequence[str], top: str, label=None) -> Dict[str, Version]:
    """Repository-relative model path -> its version, for every model under ``paths``
    (folders searched and workbooks paired the way ``bpmncx batch`` does)."""
    from .batch import find_models, find_workbook

    found: Dict[str, Version] = {}
    existing = [p for p in paths if os.path.exists(p)]
    for model, _base in find_models(existing) if existing else []:
        rel = Path(os.path.relpath(os.path.abspath(model), top)).as_posix()
        workbook = find_workbook(model)
        workbook_rel = (Path(os.path.relpath(os.path.abspath(workbook), top)).as_posix()
                        if workbook else None)
        # Shown by their path in the repository, with the revision when taken from git.
        prefix = f"{label}:" if label is not None else ""
        found[rel] = Version(prefix + rel, os.fspath(model),
                             prefix + workbook_rel if workbook else None, workbook)
    return found


def _checkout(revision: str, top: str, specs: Sequence[str], into: str) -> None:
    """Write the model and workbook files of ``revision`` under ``specs`` into ``into``."""
    wanted = list(specs)
    for spec in specs:  # a model named alone: its workbook beside it too
        stem, suffix = os.path.splitext(spec)
        if suffix.lower() in _CANDIDATES[:3]:
            wanted += [f"{stem}.xlsx", f"{stem}-cx.xlsx"]
    checkout_files(top, revision, wanted, into, _CANDIDATES)


def _identical(old: Version, new: Version) -> bool:
    if file_digest(old.model_path) != file_digest(new.model_path):
        return False
    if (old.workbook_path is None) != (new.workbook_path is None):
        return False
    return old.workbook_path is None or file_digest(old.workbook_path) == file_digest(new.workbook_path)


def diff_git(revisions: Sequence[str], paths: Sequence[str] = (".",), cwd: Optional[str] = None,
             warnings: Optional[List[Problem]] = None) -> Diff:
    """Compare every model (and its workbook) under ``paths`` between the revision
    ``revisions[0]`` and the working tree, or ``revisions[1]`` when given.

    Models are paired by their path in the repository; a model only in one
    version is reported as added or deleted; models identical in both (with
    their workbooks) are listed as unchanged.
    """
    if not 1 <= len(revisions) <= 2:
        raise GitError("give --git REV, or --git REV --git REV2")
    cwd = os.path.abspath(cwd or os.getcwd())
    top = git_top_level(cwd)
    for revision in revisions:
        verify_revision(top, revision)
    paths = list(paths) or ["."]
    absolute = [os.path.abspath(os.path.join(cwd, p)) for p in paths]
    specs = []
    for given, path in zip(paths, absolute):
        rel = os.path.relpath(path, top)
        if rel == ".." or rel.startswith(".." + os.sep):
            raise GitError(f"{given}: outside the git repository {top}")
        specs.append(Path(rel).as_posix())
    work = tempfile.mkdtemp(prefix="bpmncx-diff-")
    try:
        sides: List[Dict[str, Version]] = []
        for index, revision in enumerate(revisions):
            into = os.path.join(work, str(index))
            os.makedirs(into)
            _checkout(revision, top, specs, into)
            sides.append(_versions_on_disk([os.path.join(into, s) for s in specs], into, revision))
        if len(revisions) == 1:
            sides.append(_versions_on_disk(absolute, top))
        missing = [given for given, spec, path in zip(paths, specs, absolute)
                   if not any(os.path.exists(os.path.join(work, str(i), spec))
                              for i in range(len(revisions)))
                   and (len(revisions) == 2 or not os.path.exists(path))]
        if missing:
            raise GitError(f"{missing[0]}: no such file or folder in "
                           + " or ".join(list(revisions) + ([WORKING_TREE] if len(revisions) == 1
                                                             else [])))
        old_side, new_side = sides
        models: List[ModelDiff] = []
        unchanged: List[str] = []
        for rel in sorted(set(old_side) | set(new_side)):
            old, new = old_side.get(rel), new_side.get(rel)
            if old is not None and new is not None and _identical(old, new):
                unchanged.append(rel)
                continue
            models.append(compare_versions(old, new, warnings))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    new_label = revisions[1] if len(revisions) == 2 else WORKING_TREE
    return Diff(revisions[0], new_label, tuple(models), tuple(unchanged))


# -- the visual diff -------------------------------------------------------------------

VISUAL_FORMATS = ("svg", "png", "html")
VISUAL_SUFFIX = ".diff"  # claims/claim.bpmn -> OUT/claims/claim.diff.svg


def _picture_rel(diff: Diff, m: ModelDiff) -> str:
    """Where a model's picture goes under the output folder: its path in the repository
    (without the revision) for a git comparison, else its name; never outside."""
    side = m.new or m.old
    label = side.file if side is not None else m.model
    for revision in (diff.old, diff.new):
        if label.startswith(f"{revision}:"):
            label = label[len(revision) + 1:]
    path = Path(label)
    parts = [p for p in path.parts[:-1] if p not in ("", ".")]
    if path.is_absolute() or ".." in parts or diff.old == side.file or diff.new == side.file:
        parts = []  # two files compared, or a path that could climb out: the name alone
    return "/".join(parts + [m.model])


def visual_targets(diff: Diff, fmt: str, output: str) -> List[Tuple[ModelDiff, str]]:
    """(model, file) for every picture to draw: ``output`` itself for one model, else
    one ``MODEL.diff.FMT`` per model in the folder ``output``. Deleted models have no
    new diagram and are left out."""
    drawable = [m for m in diff.models if m.new_model is not None]
    as_folder = (len(drawable) > 1 or os.path.isdir(output)
                 or output.endswith(("/", os.sep)))
    if not as_folder:
        return [(m, output) for m in drawable]
    taken: Dict[str, int] = {}
    targets = []
    for m in drawable:
        rel = _picture_rel(diff, m)
        count = taken.get(rel.lower(), 0)
        taken[rel.lower()] = count + 1
        name = rel + (f"-{count + 1}" if count else "") + VISUAL_SUFFIX + "." + fmt
        targets.append((m, os.path.join(output, *name.split("/"))))
    return targets


def picture_title(diff: Diff, m: ModelDiff) -> str:
    """``claim: HEAD → working tree``; two files compared are named without their folders
    unless that makes them look alike."""
    old = Path(diff.old).name if m.old is not None and m.old.file == diff.old else diff.old
    new = Path(diff.new).name if m.new is not None and m.new.file == diff.new else diff.new
    if old == new:  # old/claim.bpmn and new/claim.bpmn: the folders tell them apart
        old, new = diff.old, diff.new
    return f"{m.model}: {old} \u2192 {new}"


def write_visual_diff(diff: Diff, fmt: str, output: str,
                      diagram: Optional[str] = None) -> List[str]:
    """Draw the visual diff in ``fmt`` (svg, png: one picture per model; html: one page
    for all of them) to ``output``; return the files written (atomically)."""
    from ..render.diffview import diff_scene
    from ..render.draw import Job, render_jobs, svg_many

    if fmt not in VISUAL_FORMATS:
        raise ValueError(f"not a picture format: {fmt}")
    if fmt == "html":
        from ..report.diffpage import diff_html

        drawn = [m for m in diff.models if m.new_model is not None]
        svgs = iter(svg_many([diff_scene(m, picture_title(diff, m), diagram) for m in drawn]))
        pictures = [next(svgs) if m.new_model is not None else None for m in diff.models]
        write_atomic(output, diff_html(diff, pictures))
        return [output]
    targets = visual_targets(diff, fmt, output)
    for _m, path in targets:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    render_jobs([Job(diff_scene(m, picture_title(diff, m), diagram), path, fmt)
                 for m, path in targets])
    return [path for _m, path in targets]


__all__ = ["Version", "compare_versions", "diff_files", "diff_git", "WORKING_TREE",
           "GitError", "WorkbookProblemsError", "VISUAL_FORMATS", "visual_targets",
           "write_visual_diff"]
