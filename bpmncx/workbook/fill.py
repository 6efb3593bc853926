"""Annotations -> the cells of a fresh workbook (``--update`` from an annotated BPMN file).

An annotated BPMN file (``bpmncx annotate --format bpmn``) keeps what the owners
typed as :class:`~bpmncx.annotations.Annotations`, not as cells. This module
writes those values back into a :class:`~bpmncx.workbook.template.Content`, in
the spellings the reader understands (Yes/No, the emotion dropdown text), so
that reading the new workbook gives the same annotations again. Pure: no I/O.
"""

from __future__ import annotations

import os
import re
from typing import Dict, List, Optional, Sequence

from ..annotations import Annotations, JourneyStep, Persona, Touchpoint
from ..model import Model
from ..vocabulary import DEFAULT_PERSONA, EMOTION_BY_SCORE, emotion_choice
from . import columns as C
from .rows import BandRow, ElementRow, element_rows
from .template import BandValues, CellData, Content, TouchpointRow, clean_names

MAX_ROW = 10000  # owners' row positions further down than this are not reproduced


def _yes_no(value: Optional[bool]) -> Optional[CellData]:
    if value is None:
        return None
    return CellData("Yes" if value else "No")


def _emotion(score: Optional[int]) -> Optional[CellData]:
    if score is None or score not in EMOTION_BY_SCORE:
        return None
    return CellData(emotion_choice(EMOTION_BY_SCORE[score]))


def _text(value: str) -> Optional[CellData]:
    return CellData(value) if value else None


def _step_number(step: str) -> Optional[CellData]:
    """'3' as the number 3 (as owners type it); anything else as the text it was."""
    if step and re.fullmatch(r"[1-9][0-9]{0,8}", step):
        return CellData(int(step))
    return _text(step)


def _row_number(cell: str) -> int:
    match = re.search(r"(\d+)$", cell or "")
    return int(match.group(1)) if match else 0


def _placed(items, row_of, make) -> List[List[Optional[CellData]]]:
    """Rows for ``items``: at the sheet rows they came from when those are known and
    distinct (so cell references in findings stay the same), else one after another."""
    rows = [row_of(item) for item in items]
    if items and all(2 <= r <= MAX_ROW for r in rows) and len(set(rows)) == len(rows):
        out: List[List[Optional[CellData]]] = [[] for _ in range(max(rows) - 1)]
        for item, r in zip(items, rows):
            out[r - 2] = make(item)
        return out
    return [make(item) for item in items]


def _channels_text(channels: Sequence[str]) -> Optional[CellData]:
    if not channels:
        return None
    joiner = "\n" if any("," in c or ";" in c for c in channels) else ", "
    return CellData(joiner.join(channels))


def persona_rows(personas: Sequence[Persona]) -> List[List[Optional[CellData]]]:
    """The Personas sheet rows, in the order of ``C.PERSONA_COLUMNS``."""

    def make(p: Persona):
        return [CellData(p.name), _text(p.description), _text(p.goals),
                _text(p.frustrations), _channels_text(p.preferred_channels)]

    return _placed(list(personas), lambda p: _row_number(p.cell), make)


def _supported_by(step: JourneyStep) -> Optional[CellData]:
    if step.supported_by_text:
        return CellData(step.supported_by_text)
    if not step.supported_by:
        return None
    # no text kept: the element ids, which the reader resolves again
    return CellData("\n".join(r.element_id for r in step.supported_by))


def journey_rows(steps: Sequence[JourneyStep]) -> List[List[Optional[CellData]]]:
    """The Journey sheet rows, in the order of ``C.JOURNEY_COLUMNS``."""

    def make(s: JourneyStep):
        return [_step_number(s.step), _text(s.stage), _text(s.customer_step), _text(s.channel),
                _text(s.persona), _emotion(s.emotion), CellData("Yes") if s.moment_of_truth else None,
                _supported_by(s), _text(s.pain_point), _text(s.notes), _text(s.evidence), _text(s.device)]

    return _placed(list(steps), lambda s: s.row, make)


def touchpoint_values(tp: Touchpoint, personas: Sequence[str]) -> Dict[str, CellData]:
    """Header -> cell for the editable columns of one Touchpoints row (blanks left out).

    Emotions of a persona not in ``personas`` go to an ``Emotion: <persona>``
    column all the same: the reader then names the persona that is missing.
    """
    values = {
        "Customer-facing?": _yes_no(tp.customer_facing),
        "Touchpoint": _text(tp.touchpoint),
        "Channel": _text(tp.channel),
        "Journey stage": _text(tp.stage),
        "Moment of truth": CellData("Yes") if tp.moment_of_truth else None,
        "Pain point": _text(tp.pain_point),
        "Opportunity": _text(tp.opportunity),
        "Notes": _text(tp.notes),
        "Blueprint row": _text(tp.blueprint_row),
    }
    known = {p.casefold(): p for p in personas}
    for persona, score in tp.emotions.items():
        values[C.emotion_header(known.get(persona.casefold(), persona))] = _emotion(score)
    return {k: v for k, v in values.items() if v is not None}


def _model_lookup(models: Sequence[Model]) -> Dict[str, Model]:
    table: Dict[str, Model] = {}
    for m in models:
        base = os.path.basename(m.path)
        for name in (m.name, base, os.path.splitext(base)[0]):
            table.setdefault(name.casefold(), m)
    return table


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


class Carried:
    """What :func:`content_from_annotations` carried over, for the command's summary."""

    def __init__(self) -> None:
        self.cells = 0
        self.new: List[str] = []
        self.removed: List[str] = []
        self.renamed: List[str] = []


def content_from_annotations(content: Content, annotations: Annotations,
                             personas: Optional[Sequence[str]] = None) -> Carried:
    """Fill ``content`` (a fresh :func:`default_content` for the current models) with
    ``annotations``: personas, every touchpoint value, the whole journey.

    Touchpoints of elements that are no longer in their model keep their row,
    marked ``element removed from model``; elements without a touchpoint are
    marked new. ``personas`` (``--persona``) are added when not there yet.
    """
    carried = Carried()
    models = content.models
    names = [" ".join(p.name.split()) for p in annotations.personas if p.name.strip()]
    for extra in personas or ([] if names else [DEFAULT_PERSONA]):
        extra = " ".join(str(extra).split())
        if extra and extra.casefold() not in (n.casefold() for n in names):
            names.append(extra)
    content.personas = clean_names(names, "persona")
    given = [p for p in annotations.personas if p.name.strip()]
    content.persona_headers = [c.header for c in C.PERSONA_COLUMNS]
    content.persona_rows = persona_rows(given)
    for name in content.personas[len(given):]:
        content.persona_rows.append([CellData(name)])
    carried.cells += sum(1 for row in persona_rows(given) for v in row if v is not None)
    if annotations.channels:
        content.channels = tuple(annotations.channels)

    lookup = _model_lookup(models)
    single = models[0] if len(models) == 1 else None
    kept: Dict[tuple, Touchpoint] = {}
    leftovers = []  # (model or None, Touchpoint, status)
    for tp in annotations.touchpoints:
        model = lookup.get(tp.model.casefold()) or single
        if model is None:
            leftovers.append((None, tp, C.STATUS_MODEL_MISSING))
        elif not tp.element_id:
            leftovers.append((model, tp, C.STATUS_NO_ID))
        elif tp.element_id not in model.node:
            leftovers.append((model, tp, C.STATUS_REMOVED))
        elif (model.name, tp.element_id) in kept:
            leftovers.append((model, tp, C.STATUS_DUPLICATE))
        else:
            kept[(model.name, tp.element_id)] = tp
    extra_headers: List[str] = []

    def values_of(tp: Touchpoint) -> Dict[str, CellData]:
        values = touchpoint_values(tp, content.personas)
        for header in values:
            persona = C.emotion_persona(header)
            if persona and persona not in content.personas and header not in extra_headers:
                extra_headers.append(header)
        carried.cells += len(values)
        return values

    rows: List[TouchpointRow] = []
    for model in models:
        for element in element_rows(model):
            tp = kept.get((model.name, element.element_id))
            if tp is None:
                rows.append(TouchpointRow(element, {}, status=C.STATUS_NEW, new=True))
                carried.new.append(f"{model.name}:{element.element_id}")
                continue
            status = ""
            if tp.element_name and not _same_name(tp.element_name, element.element_name):
                status = C.STATUS_RENAMED.format(old=" ".join(tp.element_name.split()))
                carried.renamed.append(f"{model.name}:{element.element_id}")
            rows.append(TouchpointRow(element, values_of(tp), status=status))
        for owner, tp, status in leftovers:
            if owner is model:
                rows.append(_leftover(tp, model.name, status, values_of(tp), carried))
    for owner, tp, status in leftovers:
        if owner is None:
            rows.append(_leftover(tp, tp.model, status, values_of(tp), carried))
    content.touchpoint_rows = rows
    content.touchpoint_extra = extra_headers

    content.journey_headers = [c.header for c in C.JOURNEY_COLUMNS]
    content.journey_rows = journey_rows(annotations.journey)
    carried.cells += sum(1 for row in content.journey_rows for v in row if v is not None)
    carried.cells += fill_bands(content, annotations)
    return carried


def fill_bands(content: Content, annotations: Annotations) -> int:
    """Put the owners' blueprint rows (``annotations.sides``) into the Pools and lanes rows;
    settings for pools or lanes no longer in the models keep a row marked removed."""
    lookup = _model_lookup(content.models)
    single = content.models[0] if len(content.models) == 1 else None
    wanted: Dict[tuple, str] = {}
    for (model_name, band_id), row in annotations.sides.items():
        model = lookup.get(model_name.casefold()) or single
        wanted[(model.name if model else model_name, band_id)] = row
    placed = set()
    for item in content.band_rows:
        key = (item.band.model, item.band.band_id)
        if key in wanted:
            item.values["Blueprint row"] = CellData(wanted[key])
            placed.add(key)
    for (model_name, band_id), row in sorted(wanted.items()):
        if (model_name, band_id) not in placed:
            band = BandRow(model_name, "", "", band_id, "")
            content.band_rows.append(BandValues(band, {"Blueprint row": CellData(row)},
                                                status=C.STATUS_BAND_REMOVED, removed=True))
    return len(wanted)


def _leftover(tp: Touchpoint, model_name: str, status: str, values, carried: Carried) -> TouchpointRow:
    element = ElementRow(model=model_name, pool=tp.pool, lane=tp.lane, element_id=tp.element_id,
                         element_name=" ".join(tp.element_name.split()), type=tp.element_type,
                         suggestion="")
    carried.removed.append(f"{model_name}:{tp.element_id}")
    return TouchpointRow(element, values, status=status, removed=True)
