"""``batch --compare-to REV``: every model of the portfolio against its version at REV.

:func:`checkout_revision` writes the models (and the workbooks beside them, and
a shared ``--workbook`` when it is in the repository) of the revision into a
temporary folder once, in the main process; each model is then compared where
it is drawn (:func:`compare_with_revision`, the comparison of ``bpmncx diff``:
:func:`bpmncx.diff.compare_models`) and the figures kept as plain data
(:class:`Comparison`) for the portfolio. A model not in REV is "new".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Sequence

from ..analysis import analyse
from ..annotations import Annotations
from ..bpmn import load_model
from ..diff import compare_models
from ..errors import BpmncxError
from ..files import file_digest
from ..model import Model
from .git import GitError, checkout_files, git_top_level, verify_revision
from .inputs import WorkbookProblemsError, read_workbook

MODEL_SUFFIXES = (".bpmn", ".bpmn2", ".xml")
WORKBOOK_SUFFIXES = (".xlsx",)


@dataclass(frozen=True)
class Before:
    """Where one model's version at the revision was written (None: not in it)."""

    revision: str
    model: Optional[str]  # the model file of the revision, in the temporary folder
    workbook: Optional[str]  # its workbook then (or the shared workbook), None without one
    label: str  # "REV:path/in/repo", for messages


@dataclass(frozen=True)
class Comparison:
    """What changed for one model since the revision: the figures the portfolio shows."""

    status: str  # "new" | "changed" | "unchanged"
    coverage_before: Optional[float]
    coverage_after: Optional[float]  # of the same comparison (one model with its workbook)
    findings_new: int
    findings_resolved: int
    elements_changed: int  # added, removed or changed elements


def _rel(path: str, top: str) -> str:
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(top))
    if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        raise GitError(f"{path}: outside the git repository {top}; --compare-to compares "
                       "models in one repository")
    return Path(rel).as_posix()


def checkout_revision(revision: str, models: Sequence[str], shared_workbook: Optional[str],
                      into: str) -> Dict[str, Before]:
    """Model path -> its :class:`Before`, for every model of ``models`` (all in one git
    repository), with the revision's files written into ``into``.

    A model's old workbook is ``MODEL.xlsx`` or ``MODEL-cx.xlsx`` beside it in the
    revision, as ``batch`` pairs them; a shared workbook is its version at the
    revision when the repository holds it, else the file as it is now.
    """
    if not models:
        return {}
    top = git_top_level(os.path.dirname(os.path.abspath(models[0])))
    verify_revision(top, revision)
    rels = {path: _rel(path, top) for path in models}
    specs = []
    for rel in rels.values():
        stem = rel.rsplit(".", 1)[0] if "." in rel.rsplit("/", 1)[-1] else rel
        specs += [rel, f"{stem}.xlsx", f"{stem}-cx.xlsx"]
    shared_rel = None
    if shared_workbook is not None:
        try:
            shared_rel = _rel(shared_workbook, top)
            specs.append(shared_rel)
        except GitError:
            shared_rel = None  # outside the repository: the same workbook for both versions
    checkout_files(top, revision, sorted(set(specs)), into, MODEL_SUFFIXES + WORKBOOK_SUFFIXES)
    found: Dict[str, Before] = {}
    for path, rel in rels.items():
        old = os.path.join(into, *rel.split("/"))
        if not os.path.isfile(old):
            found[path] = Before(revision, None, None, f"{revision}:{rel}")
            continue
        if shared_workbook is not None:
            workbook = (os.path.join(into, *shared_rel.split("/")) if shared_rel is not None
                        else shared_workbook)
            workbook = workbook if os.path.isfile(workbook) else None
        else:
            stem = Path(old).stem
            candidates = [Path(old).with_name(f"{stem}.xlsx"), Path(old).with_name(f"{stem}-cx.xlsx")]
            workbook = next((os.fspath(c) for c in candidates if c.is_file()), None)
        found[path] = Before(revision, old, workbook, f"{revision}:{rel}")
    return found


def _digest(path: Optional[str]) -> Optional[str]:
    return None if path is None else file_digest(path)


def compare_with_revision(before: Before, model: Model, workbook: Optional[str],
                          annotations: Optional[Annotations]) -> Comparison:
    """Compare ``model`` (read from its file now, with the ``annotations`` of its
    ``workbook``) with its version at the revision.

    Raises :class:`~bpmncx.errors.BpmncxError` naming the revision's file when that
    version cannot be read or its workbook has errors.
    """
    old_model = old_annotations = None
    if before.model is not None:
        if (_digest(before.model) == model.sha256
                and _digest(before.workbook) == _digest(workbook)):
            coverage = annotations_coverage(model, annotations)
            return Comparison("unchanged", coverage, coverage, 0, 0, 0)
        try:
            old_model = load_model(before.model)
            if before.workbook is not None:
                old_annotations = read_workbook(before.workbook, [old_model]).annotations
        except WorkbookProblemsError as error:
            raise BpmncxError(f"{before.label}: its workbook has {len(error.problems)} "
                              f"error(s) at {before.revision}; not compared") from None
        except BpmncxError as error:
            text = str(error).replace(before.model, before.label)
            if before.workbook:
                text = text.replace(before.workbook, f"{before.revision}:{Path(before.workbook).name}")
            raise BpmncxError(text) from None
    change = compare_models(old_model, model, old_annotations, annotations)
    c = change.consequences
    return Comparison(
        "new" if old_model is None else "changed",
        c.old.metrics.coverage if c is not None and old_model is not None else None,
        c.new.metrics.coverage if c is not None else None,
        len(c.of_change("new")) if c is not None else 0,
        len(c.of_change("resolved")) if c is not None else 0,
        len(change.process.elements) if old_model is not None else 0,
    )


def annotations_coverage(model: Model, annotations: Optional[Annotations]) -> Optional[float]:
    """The journey coverage of one model with its annotations (None without a journey)."""
    if annotations is None:
        return None
    return analyse([model], annotations).metrics.coverage


__all__ = ["Before", "Comparison", "checkout_revision", "compare_with_revision"]
