"""Run a drawing program (Graphviz for layouts, rsvg-convert for PDF) within bounds."""

from __future__ import annotations

import subprocess
from typing import Dict, List, Optional

from ..errors import RenderError
from ..limits import limit


def run_bounded(args: List[str], stdin: Optional[bytes], names: str,
                diagrams: int = 1, program: str = "Graphviz",
                env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    """Run a drawing program (Graphviz, rsvg-convert) with a time and a memory limit;
    RenderError naming ``names`` past either.

    A diagram's coordinates come from the file, and the program's time and memory
    grow with them: the limits (BPMNCX_GRAPHVIZ_SECONDS per diagram drawn,
    BPMNCX_GRAPHVIZ_MEMORY_MB of address space) keep one hostile file from
    hanging or exhausting the machine.
    """
    seconds = limit("BPMNCX_GRAPHVIZ_SECONDS") * max(1, diagrams)
    megabytes = limit("BPMNCX_GRAPHVIZ_MEMORY_MB")
    # The shell sets the limit and becomes Graphviz (exec): unlike a preexec_fn, no
    # Python runs in the child and the parent's memory is never copied (vfork).
    bounded = ["/bin/sh", "-c", 'ulimit -v "$0" && exec "$@"', str(megabytes * 1024), *args]
    try:
        done = subprocess.run(bounded, input=stdin, capture_output=True, check=False,
                              timeout=seconds, env=env)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{names}: {program} took longer than {seconds} s and was stopped "
                          "(limit BPMNCX_GRAPHVIZ_SECONDS per diagram); the diagram is too "
                          "large or complex to draw") from None
    except OSError as error:
        raise RenderError(f"cannot run {program} ({args[0]}): {error}") from None
    stderr = done.stderr.decode("utf-8", "replace").lower()
    if done.returncode < 0 or (done.returncode != 0 and (
            "out of memory" in stderr or "cannot allocate" in stderr
            or "memory allocation" in stderr or "malloc" in stderr
            or "failed to map segment" in stderr)):
        raise RenderError(f"{names}: {program} ran out of memory (limit {megabytes} MB, "
                          "BPMNCX_GRAPHVIZ_MEMORY_MB) or crashed; the diagram is too large "
                          "to draw")
    return done
