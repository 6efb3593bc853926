"""The few git commands a comparison needs, run with subprocess (no git library).

Every failure becomes a :class:`GitError` with one line saying what to do.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import List, Sequence, Tuple

from ..errors import BpmncxError


class GitError(BpmncxError):
    """Not in a git repository, an unknown revision, or git itself failed."""


def _git(cwd: str, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); install it, or compare two "
                       "files: bpmncx diff OLD.bpmn NEW.bpmn") from None


def _why(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"git exited with {result.returncode}"


def git_top_level(cwd: str) -> str:
    """The top folder of the repository ``cwd`` is in."""
    result = _git(cwd, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise GitError(f"{cwd}: not inside a git repository; run 'bpmncx diff --git' in one, "
                       "or compare two files: bpmncx diff OLD.bpmn NEW.bpmn")
    return result.stdout.decode("utf-8", "surrogateescape").strip()


def verify_revision(top: str, revision: str) -> None:
    """Raise GitError unless ``revision`` names a commit."""
    # A revision starting with "-" would be read as an option.
    if not revision or revision.startswith("-"):
        raise GitError(f"{revision!r}: not a revision; give a commit, branch or tag such as HEAD")
    result = _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if result.returncode != 0:
        raise GitError(f"{revision}: unknown revision in {top} (no commit, branch or tag of "
                       "that name)")


def git_files(top: str, revision: str, specs: Sequence[str]) -> List[str]:
    """Repository-relative paths of the files of ``revision`` under ``specs``."""
    result = _git(top, "ls-tree", "-r", "-z", "--name-only", "--full-tree", revision, "--",
                  *specs)
    if result.returncode != 0:
        raise GitError(f"{revision}: cannot list its files: {_why(result)}")
    return [p for p in result.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def git_show(top: str, revision: str, path: str, target: Path) -> None:
    """Write the bytes of ``path`` (repository-relative) in ``revision`` to ``target``.

    Straight from git to the file, never whole in memory: a file of any size in the
    history is then read (or refused over its size limit) like any file on disk.
    """
    try:
        with open(target, "wb") as out:
            result = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=top,
                                    stdout=out, stderr=subprocess.PIPE, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); install it, or compare two "
                       "files: bpmncx diff OLD.bpmn NEW.bpmn") from None
    if result.returncode != 0:
        raise GitError(f"{revision}:{path}: cannot read: {_why(result)}")


def checkout_files(top: str, revision: str, specs: Sequence[str], into: str,
                   suffixes: Tuple[str, ...]) -> List[str]:
    """Write the files of ``revision`` under ``specs`` whose names end with one of
    ``suffixes`` (lower case) into the folder ``into``, at their repository paths;
    return those paths."""
    written = []
    for rel in git_files(top, revision, specs):
        if not rel.lower().endswith(suffixes):
            continue
        target = Path(into, *rel.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        git_show(top, revision, rel, target)
        written.append(rel)
    return written
