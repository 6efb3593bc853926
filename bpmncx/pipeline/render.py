"""``bpmncx render`` over many files: read, draw and write each model, on several cores.

The models are split into runs of consecutive files, one run at a time per
worker process; the results come back in the order of the files, so what is
written and what is printed does not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from ..bpmn import load_model
from ..errors import BpmncxError
from ..files import refuse_inputs
from ..render import (ALL_DIAGRAMS, RenderOptions, other_diagrams_note, planes_to_draw,
                      render_many, select_plane)
from .outputs import diagram_slugs, output_name

PARALLEL_FROM = 4  # fewer files are drawn in this process: a worker costs more than they do


@dataclass
class FileResult:
    """What drawing one model gave: the files written, or the error that stopped it."""

    model: str
    written: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    error: Optional[str] = None


def render_one(path: str, target: str, options: RenderOptions,
               inputs: Sequence[str] = ()) -> FileResult:
    """Read ``path`` and draw it to ``target`` (with ``--diagram all``: one file per
    diagram, named after ``target``)."""
    result = FileResult(path)
    try:
        model = load_model(path)
        if options.diagram != ALL_DIAGRAMS:
            items = [(model, target, select_plane(model, options.diagram))]
            note = other_diagrams_note(model) if options.diagram is None else None
            if note:
                result.notes.append(note)
        else:
            # every diagram: TARGET's name with the diagram's before the extension
            stem, ext = os.path.splitext(target)
            planes = planes_to_draw(model, options.diagram)
            slugs = diagram_slugs([p for p in planes if p is not None])
            items = []
            for index, plane in enumerate(planes):
                name = output_name(os.path.basename(stem), None, ext.lstrip("."),
                                   slugs.get(index) if plane is not None else None)
                items.append((model, os.path.join(os.path.dirname(stem), name), plane))
            refuse_inputs([item[1] for item in items], list(inputs))
        result.warnings = render_many(items, options)
        result.written = [item[1] for item in items]
    except BpmncxError as error:
        result.error = str(error)
    return result


def _run(batch: Sequence[Tuple[str, str]], options: RenderOptions,
         inputs: Sequence[str]) -> List[FileResult]:
    return [render_one(path, target, options, inputs) for path, target in batch]


def render_files(models: Sequence[str], targets: Sequence[str], options: RenderOptions,
                 workers: Optional[int] = None) -> List[FileResult]:
    """Draw each model to its target on ``workers`` processes (default: every core);
    the results in the order of ``models``."""
    pairs = list(zip(models, targets))
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(pairs) < PARALLEL_FROM:
        return _run(pairs, options, models)
    # a few runs per worker: a slow model does not keep the others waiting at the end
    size = max(1, len(pairs) // (workers * 4))
    batches = [pairs[i:i + size] for i in range(0, len(pairs), size)]
    context = (multiprocessing.get_context("fork")
               if "fork" in multiprocessing.get_all_start_methods() else None)
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(batches)),
                                 mp_context=context) as pool:
            done = pool.map(_run, batches, [options] * len(batches),
                            [list(models)] * len(batches))
            return [result for batch in done for result in batch]
    except BrokenProcessPool:
        raise BpmncxError("a render worker process was killed (out of memory?); "
                          "run with -j 1 to find the model") from None
