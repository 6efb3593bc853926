"""``--update``: regenerate the workbook for changed models and keep all the owners' work.

Every filled cell the owners typed is carried over: personas (all columns),
the editable and extra columns of every Touchpoints row, and the whole
Journey sheet. Rows of elements that left the model are kept and marked;
new elements are added and highlighted. The old file is backed up before it
is replaced, and the new one is written atomically.

The source may also be an annotated BPMN file (``bpmncx annotate --format
bpmn``): its bpmncx data (personas, every touchpoint value, the journey) is
written into the new workbook the same way (see :mod:`.fill`). That file is only
read, never written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from openpyxl.utils import get_column_letter

from ..errors import WorkbookError
from ..files import refuse_to_replace
from ..limits import limit
from ..model import Model
from ..vocabulary import DEFAULT_PERSONA
from . import columns as C
from .files import open_workbook, save
from .fill import content_from_annotations
from .sheets import find_header, find_sheet, read_lists, recorded_models, used_extent
from .rows import BandRow, ElementRow, element_rows
from .template import (EVENT_LOG_HELP, SETTINGS_HELP, BandValues, CellData, Content,
                       TouchpointRow, build, clean_names, default_content)
from .values import is_blank, text


@dataclass
class UpdateResult:
    path: str
    backup: Optional[str]
    rows: int
    kept_cells: int
    new: List[str] = field(default_factory=list)  # "model:id"
    removed: List[str] = field(default_factory=list)
    renamed: List[str] = field(default_factory=list)
    personas: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)  # what the source itself got wrong


def _cell_data(cell) -> Optional[CellData]:
    value = cell.value
    if value is None or (isinstance(value, str) and value == ""):
        return None
    comment = (cell.comment.text, cell.comment.author) if cell.comment else None
    return CellData(value=value, formula=cell.data_type == "f",
                    number_format=cell.number_format or "General", comment=comment)


def _grid(source: str, ws) -> Tuple[int, int]:
    """(rows, columns) up to the last cell with a value; a WorkbookError when that table
    is too large to carry over: one stray value at XFD1048576 makes it 17 billion cells,
    and openpyxl needs about 1 KB and 0.1 ms for each cell it writes."""
    last_row, last_column = used_extent(ws)
    grid = last_row * last_column
    values = [key for key, cell in ws._cells.items() if not is_blank(cell.value)]
    most = limit("BPMNCX_MAX_XLSX_CELLS")
    if grid > most or (grid > _SPARSE_FROM and len(values) * _SPARSE_RATIO < grid):
        far = max(values, key=lambda key: key[0] * last_column + key[1])
        raise WorkbookError(
            f"{source}: {ws.title}!{get_column_letter(far[1])}{far[0]} holds a value far "
            f"outside the table ({last_row:,} rows x {last_column:,} columns to carry over "
            f"for {len(values):,} values); delete it and save the workbook again")
    return last_row, last_column


_SPARSE_FROM = 20_000  # cells: below this a sheet is carried over however empty it is
_SPARSE_RATIO = 50  # above it, at least one cell in 50 must hold a value


def _cell_at(ws, row: int, column: int) -> Optional[CellData]:
    cell = ws._cells.get((row, column))  # ws.cell() would create every cell it is asked for
    return None if cell is None else _cell_data(cell)


def _headers_and_rows(ws, header_row: int, content: Optional[Content] = None, sheet: str = "",
                      source: str = ""):
    """Header texts (every used column) and the rows below as CellData, trailing blanks dropped.

    Rows above the header (an owner's title or notes) go to ``content.preamble``.
    """
    last_row, width = _grid(source, ws)
    headers = []
    for column in range(1, width + 1):
        cell = ws._cells.get((header_row, column))
        headers.append(text(cell.value if cell is not None else None))
    rows: List[List[Optional[CellData]]] = []
    for r in range(header_row + 1, last_row + 1):
        rows.append([_cell_at(ws, r, c) for c in range(1, width + 1)])
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    above = [[_cell_at(ws, r, c) for c in range(1, width + 1)]
             for r in range(1, header_row)]
    keep_above = content is not None and any(v is not None for row in above for v in row)
    # Columns keep their places; those with data but no header get one, so nothing is
    # written under an empty title. Empty columns at the right end are dropped.
    filled = [i for i in range(width) if headers[i] or any(row[i] is not None for row in rows)]
    used = list(range(max(filled) + 1)) if filled else []
    headers = [headers[i] or (f"Column {get_column_letter(i + 1)}" if i in filled else "")
               for i in used]
    rows = [[row[i] for i in used] for row in rows]
    if keep_above:
        content.preamble[sheet] = [[row[i] for i in used] for row in above]
    return headers, rows


def _old_model_names(wb, models: Sequence[Model]) -> Dict[str, Model]:
    """Workbook model name (casefolded) -> current Model: by content hash, then by name."""
    mapping: Dict[str, Model] = {}
    for model in models:
        mapping[model.name.casefold()] = model
        mapping[os.path.basename(model.path).casefold()] = model
    _, table = recorded_models(wb)
    recorded = [(name, sha) for name, _, sha, _ in table or []]
    for name, sha in recorded:
        by_hash = next((m for m in models if m.sha256 == sha), None)
        if by_hash is not None:
            mapping.setdefault(name.casefold(), by_hash)
    if len(recorded) == 1 and len(models) == 1:
        mapping.setdefault(recorded[0][0].casefold(), models[0])
    return mapping


def update_workbook(old_path, models: Sequence[Model], path, personas=None,
                    stages=None, force: bool = False, log_activities=None) -> UpdateResult:
    """Write to ``path`` a workbook for ``models`` that carries over everything in ``old_path``.

    ``old_path`` is a workbook, or an annotated BPMN file (``.bpmn``/``.xml``).
    A workbook at ``path`` open in LibreOffice/Excel or read-only is refused
    (OutputError) before anything is read, unless ``force``.
    """
    old_path = os.fspath(old_path)
    path = os.fspath(path)
    refuse_to_replace(path, force)
    if is_bpmn_source(old_path):
        return update_from_bpmn(old_path, models, path, personas, stages, force)
    wb = open_workbook(old_path, data_only=False)
    tp_ws = find_sheet(wb, C.TOUCHPOINTS)
    journey_ws = find_sheet(wb, C.JOURNEY)
    if tp_ws is None and journey_ws is None:
        raise WorkbookError(f"{old_path}: not a bpmncx workbook (no {C.TOUCHPOINTS} or "
                            f"{C.JOURNEY} sheet); nothing to update")
    content = default_content(models, personas or None, stages)
    channels, old_stages = read_lists(wb)
    content.channels = channels
    if not stages:
        content.stages = old_stages
    kept = 0

    # Personas: the whole sheet, plus personas named with --persona that are new.
    persona_ws = find_sheet(wb, C.PERSONAS)
    content.persona_headers = [c.header for c in C.PERSONA_COLUMNS]
    content.persona_rows = []
    if persona_ws is not None and persona_ws._cells:
        header = find_header(persona_ws, C.PERSONA_COLUMNS, "persona")
        headers, rows = _headers_and_rows(persona_ws, header.row or 1, content, C.PERSONAS,
                                          old_path)
        if headers:
            content.persona_headers = headers
            content.persona_rows = rows
            kept += sum(1 for row in rows for v in row if v is not None)
    lookup = C.header_lookup(C.PERSONA_COLUMNS)
    name_column = next((i for i, h in enumerate(content.persona_headers)
                        if lookup.get(C.normalise_header(h)) == "persona"), None)
    names: List[str] = []
    if name_column is None:  # no Persona column: add one, keep everything else
        content.persona_headers.append(C.PERSONA_COLUMNS[0].header)
        name_column = len(content.persona_headers) - 1
    for row in content.persona_rows:
        cell = row[name_column] if name_column < len(row) else None
        if cell is not None and text(cell.value):
            names.append(" ".join(text(cell.value).split()))
    for extra in personas or ([] if names else [DEFAULT_PERSONA]):
        extra = " ".join(str(extra).split())
        if extra and extra.casefold() not in (n.casefold() for n in names):
            names.append(extra)
            row: List[Optional[CellData]] = [None] * len(content.persona_headers)
            row[name_column] = CellData(extra)
            content.persona_rows.append(row)
    content.personas = clean_names(names, "persona")

    result = UpdateResult(path=path, backup=None, rows=0, kept_cells=0, personas=content.personas)
    if tp_ws is not None:
        kept += _carry_touchpoints(old_path, wb, tp_ws, models, content, result)
    if journey_ws is not None:
        header = find_header(journey_ws, C.JOURNEY_COLUMNS, "customer_step")
        headers, rows = _headers_and_rows(journey_ws, header.row or 1, content, C.JOURNEY,
                                          old_path)
        if not header.row:  # no recognisable header: keep every row as data
            last_row, width = _grid(old_path, journey_ws)
            headers, rows = [c.header for c in C.JOURNEY_COLUMNS], [
                [_cell_at(journey_ws, r, c) for c in range(1, width + 1)]
                for r in range(1, last_row + 1)]
        known = {C.normalise_header(h) for h in headers}
        for column in C.JOURNEY_COLUMNS:
            if not ({C.normalise_header(column.header)} | {C.normalise_header(a) for a in column.aliases}) & known:
                headers.append(column.header)
        content.journey_headers = headers
        content.journey_rows = rows
        kept += sum(1 for row in rows for v in row if v is not None)
    bands_ws = find_sheet(wb, C.SIDES)
    if bands_ws is not None:
        kept += _carry_bands(old_path, bands_ws, wb, models, content, result)
    kept += _carry_free(wb, old_path, content, C.EVENT_LOG, C.EVENT_LOG_COLUMNS, "activity")
    kept += _carry_free(wb, old_path, content, C.SETTINGS, C.SETTING_COLUMNS, "setting")
    if log_activities:
        _add_activities(content, log_activities)
    kept += sum(1 for rows in content.preamble.values() for row in rows for v in row
                if v is not None and v.value not in (EVENT_LOG_HELP, SETTINGS_HELP))
    result.kept_cells = kept
    result.rows = len(content.touchpoint_rows)
    result.backup = save(build(content), path, force=force)
    return result


def _add_activities(content: Content, log_activities) -> None:
    """Activities of a log not on the Event log sheet yet get a row (with the suggestion)."""
    lookup = C.header_lookup(C.EVENT_LOG_COLUMNS)
    at = {lookup.get(C.normalise_header(h)): i for i, h in enumerate(content.event_log_headers)}
    if "activity" not in at:
        return
    have = {" ".join(text(r[at["activity"]].value).split()).casefold()
            for r in content.event_log_rows if at["activity"] < len(r) and r[at["activity"]]}
    for activity, events, suggestion in log_activities:
        if " ".join(activity.split()).casefold() in have:
            continue
        row: List[Optional[CellData]] = [None] * len(content.event_log_headers)
        row[at["activity"]] = CellData(activity)
        for key, value in (("suggestion", suggestion), ("events", events)):
            if key in at:
                row[at[key]] = CellData(value)
        content.event_log_rows.append(row)


def _carry_free(wb, old_path, content: Content, sheet: str, columns, required: str) -> int:
    """The Event log and Settings sheets: every row and column as the owners left them
    (a workbook made before the sheet existed gets the fresh one)."""
    ws = find_sheet(wb, sheet)
    if ws is None or not ws._cells:
        return 0
    header = find_header(ws, columns, required)
    if not header.row:
        return 0
    content.preamble.pop(sheet, None)  # the owners' own rows above the header, if any
    headers, rows = _headers_and_rows(ws, header.row, content, sheet, old_path)
    if sheet == C.SETTINGS:
        # settings added since the workbook was made get their row
        lookup = C.header_lookup(columns)
        name_at = next((i for i, h in enumerate(headers)
                        if lookup.get(C.normalise_header(h)) == "setting"), None)
        if name_at is not None:
            have = {text(r[name_at].value).casefold() for r in rows
                    if name_at < len(r) and r[name_at] is not None}
            for fresh in content.settings_rows:
                if text(fresh[0].value).casefold() not in have and \
                        [c.header for c in columns] == headers[:len(columns)]:
                    rows.append(list(fresh) + [None] * (len(headers) - len(fresh)))
    if sheet == C.EVENT_LOG:
        content.event_log_headers, content.event_log_rows = headers, rows
    else:
        content.settings_headers, content.settings_rows = headers, rows
    # what the owners typed counts as carried over, not what bpmncx writes itself
    lookup = C.header_lookup(columns)
    typed = [i for i, h in enumerate(headers)
             if lookup.get(C.normalise_header(h)) in (None, "maps_to", "value", "notes")]
    return sum(1 for row in rows for i in typed if i < len(row) and row[i] is not None)


def _carry_touchpoints(old_path, wb, ws, models, content: Content, result: UpdateResult) -> int:
    known = C.TOUCHPOINT_FIXED + C.TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS + C.TOUCHPOINT_EDITABLE_AFTER_EMOTIONS
    header = find_header(ws, known, "element_id", emotions=True)
    if not header.row:
        raise WorkbookError(f"{old_path}: the {ws.title} sheet has no 'Element ID' column, so its "
                            "rows cannot be matched to the model; restore the column header")
    headers, rows = _headers_and_rows(ws, header.row, content, C.TOUCHPOINTS, old_path)
    lookup = C.header_lookup(known)
    editable = {c.key: c.header for c in C.TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS
                + C.TOUCHPOINT_EDITABLE_AFTER_EMOTIONS}
    read_only_keys = {c.key for c in C.TOUCHPOINT_FIXED}
    persona_header = {p.casefold(): C.emotion_header(p) for p in content.personas}
    # old column index -> new header (None: read-only, regenerated)
    target: List[Optional[str]] = []
    index_of: Dict[str, int] = {}
    extras: List[str] = []
    for i, h in enumerate(headers):
        key = lookup.get(C.normalise_header(h))
        persona = C.emotion_persona(h)
        if key in read_only_keys and key not in index_of:
            index_of[key] = i
            target.append(None)
        elif key in editable and key not in index_of:
            index_of[key] = i
            target.append(editable[key])
        elif C.normalise_header(h) == "status":
            index_of["status"] = i
            target.append(None)
        elif persona and persona.casefold() in persona_header:
            target.append(persona_header[persona.casefold()])
        elif h:
            target.append(h)
            extras.append(h)
        else:
            target.append(None)  # an empty column between others
    content.touchpoint_extra = extras
    mapping = _old_model_names(wb, models)
    single = models[0] if len(models) == 1 else None

    def cell_text(row, key):
        i = index_of.get(key)
        return text(row[i].value) if i is not None and i < len(row) and row[i] is not None else ""

    old: Dict[Tuple[str, str], Tuple[Dict[str, CellData], str]] = {}
    leftovers: List[Tuple[Optional[Model], ElementRow, Dict[str, CellData], str]] = []
    kept = 0
    for row in rows:
        values = {target[i]: v for i, v in enumerate(row)
                  if v is not None and i < len(target) and target[i] is not None}
        kept += len(values)
        model_name = cell_text(row, "model")
        model = mapping.get(model_name.casefold()) if model_name else single
        element_id = cell_text(row, "element_id")
        old_row = ElementRow(
            model=model.name if model else model_name, pool=cell_text(row, "pool"),
            lane=cell_text(row, "lane"), element_id=element_id,
            element_name=cell_text(row, "element_name"), type=cell_text(row, "type"),
            suggestion=cell_text(row, "suggestion"),
        )
        if not element_id and not model_name and not values:
            continue
        key = (model.name, element_id) if model else None
        if key and element_id and key not in old and element_id in model.node:
            old[key] = (values, old_row.element_name)
        else:
            leftovers.append((model, old_row, values, ""))
    rows_out: List[TouchpointRow] = []
    for model in models:
        for element in element_rows(model):
            key = (model.name, element.element_id)
            if key in old:
                values, old_name = old[key]
                status = ""
                if old_name and old_name != element.element_name:
                    status = C.STATUS_RENAMED.format(old=old_name)
                    result.renamed.append(f"{model.name}:{element.element_id}")
                rows_out.append(TouchpointRow(element, values, status=status))
            else:
                rows_out.append(TouchpointRow(element, {}, status=C.STATUS_NEW, new=True))
                result.new.append(f"{model.name}:{element.element_id}")
        for owner_model, old_row, values, _ in leftovers:
            if owner_model is model:
                rows_out.append(_leftover(old_row, values, model, result))
    for owner_model, old_row, values, _ in leftovers:
        if owner_model is None:
            rows_out.append(_leftover(old_row, values, None, result))
    content.touchpoint_rows = rows_out
    if leftovers and not old:
        result.warnings.append(_other_models_warning(old_path, wb, models, len(leftovers)))
    return kept


def _carry_bands(old_path, ws, wb, models: Sequence[Model], content: Content,
                 result: UpdateResult) -> int:
    """The Pools and lanes sheet: the owners' cells (Blueprint row, Notes, their own columns)
    go to the same pool or lane; rows of pools and lanes no longer in the models are kept,
    marked."""
    header = find_header(ws, C.SIDE_COLUMNS, "band_id")
    if not header.row or "band_id" not in header.columns:
        return 0  # nothing recognisable to match rows by: the fresh rows stand
    headers, rows = _headers_and_rows(ws, header.row, content, C.SIDES, old_path)
    lookup = C.header_lookup(C.SIDE_COLUMNS)
    editable = {c.key: c.header for c in C.SIDE_COLUMNS if c.editable}
    read_only = {c.key for c in C.SIDE_COLUMNS if not c.editable}
    target: List[Optional[str]] = []
    index_of: Dict[str, int] = {}
    extras: List[str] = []
    for i, h in enumerate(headers):
        key = lookup.get(C.normalise_header(h))
        if key in read_only and key not in index_of:
            index_of[key] = i
            target.append(None)
        elif key in editable and key not in index_of:
            target.append(editable[key])
            index_of[key] = i
        elif C.normalise_header(h) == "status":
            target.append(None)
        elif h:
            target.append(h)
            extras.append(h)
        else:
            target.append(None)
    content.band_extra = extras
    mapping = _old_model_names(wb, models)
    single = models[0] if len(models) == 1 else None

    def cell_text(row, key):
        i = index_of.get(key)
        return text(row[i].value) if i is not None and i < len(row) and row[i] is not None else ""

    old: Dict[Tuple[str, str], Dict[str, CellData]] = {}
    leftovers = []
    kept = 0
    for row in rows:
        values = {target[i]: v for i, v in enumerate(row)
                  if v is not None and i < len(target) and target[i] is not None}
        model_name = cell_text(row, "model")
        model = mapping.get(model_name.casefold()) if model_name else single
        band_id = cell_text(row, "band_id")
        key = (model.name if model else model_name, band_id)
        if not values:
            continue  # a row the owners left alone: the fresh one replaces it
        kept += len(values)
        if key in old:
            leftovers.append((key, row, values, C.STATUS_DUPLICATE))
        else:
            old[key] = values
            leftovers.append((key, row, values, ""))
    current = {(item.band.model, item.band.band_id) for item in content.band_rows}
    for item in content.band_rows:
        values = old.get((item.band.model, item.band.band_id))
        if values is not None:
            item.values = values
    for key, row, values, status in leftovers:
        if key in current and not status:
            continue
        band = BandRow(key[0], cell_text(row, "pool"), cell_text(row, "lane"), key[1],
                       cell_text(row, "suggestion"))
        content.band_rows.append(BandValues(band, values, status=status or C.STATUS_BAND_REMOVED,
                                            removed=True))
        result.removed.append(f"{key[0]}:{key[1]}")
    return kept


def _other_models_warning(old_path, wb, models: Sequence[Model], count: int) -> str:
    """Not one row of the old workbook belongs to an element of ``models``: name the
    model(s) it was made for (from the Instructions sheet's model table)."""
    _, table = recorded_models(wb)
    made_for = [f"{name} ({file}, sha256 {sha[:12]})" if file and sha else name
                for name, file, sha, _ in table or [] if name]
    current = ", ".join(os.path.basename(m.path) for m in models)
    for_what = (f"was made for other model(s): {'; '.join(made_for)}" if made_for
                else "was made for other model(s)")
    return (f"{old_path}: {for_what}, and none of its {count} touchpoint rows matched an "
            f"element of {current}; its rows are kept and marked as removed")


def _leftover(old_row: ElementRow, values, model: Optional[Model], result: UpdateResult) -> TouchpointRow:
    if not old_row.element_id:
        status = C.STATUS_NO_ID
    elif model is None:
        status = C.STATUS_MODEL_MISSING
    elif old_row.element_id in model.node:
        status = C.STATUS_DUPLICATE
    else:
        status = C.STATUS_REMOVED
    result.removed.append(f"{old_row.model}:{old_row.element_id}")
    return TouchpointRow(old_row, values, status=status, removed=True)


# -- an annotated BPMN file as the source -------------------------------------

BPMN_SUFFIXES = (".bpmn", ".xml")


def is_bpmn_source(path) -> bool:
    """Whether ``--update`` reads ``path`` as an annotated BPMN file (as read_annotations does)."""
    return os.fspath(path).lower().endswith(BPMN_SUFFIXES)


def _expected(problem) -> bool:
    """Problems the new workbook shows by itself: touchpoints of elements that left the model."""
    return problem.severity == "error" and problem.message.startswith("touchpoint on ")


def update_from_bpmn(old_path, models: Sequence[Model], path, personas=None,
                     stages=None, force: bool = False) -> UpdateResult:
    """Write to ``path`` a workbook for ``models`` holding the bpmncx data of the annotated
    BPMN file ``old_path``: personas, every touchpoint value, the whole journey."""
    from ..bpmn.extension import annotations_from_bpmn

    old_path = os.fspath(old_path)
    path = os.fspath(path)
    if os.path.exists(path) and os.path.samefile(old_path, path):
        raise WorkbookError(f"{path}: is the annotated BPMN file being read; write the "
                            "workbook to a new .xlsx file")
    annotations = annotations_from_bpmn(old_path, models)
    if not annotations.touchpoints and not annotations.journey and not annotations.personas:
        raise WorkbookError(
            f"{old_path}: has no bpmncx data (no touchpoints, personas or journey); give the "
            "file written by 'bpmncx annotate --format bpmn', or the filled workbook")
    content = default_content(models, personas or None, stages)
    if not stages and annotations.stages:
        content.stages = tuple(annotations.stages)
    carried = content_from_annotations(content, annotations, personas)
    result = UpdateResult(
        path=path, backup=None, rows=len(content.touchpoint_rows), kept_cells=carried.cells,
        new=carried.new, removed=carried.removed, renamed=carried.renamed,
        personas=content.personas,
        warnings=[str(p) for p in annotations.problems if not _expected(p)],
    )
    result.backup = save(build(content), path, force=force)
    return result
