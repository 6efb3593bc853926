"""Write the business owners' workbook: Instructions, Personas, Touchpoints, Journey, Lists.

:func:`build` turns a :class:`Content` (what goes in) into an openpyxl
workbook (how it looks); :func:`write_template` is the library entry point of
``bpmncx template``. ``--update`` builds a Content from the old workbook and
reuses :func:`build`, so both look the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import WorkbookError
from ..limits import limit
from ..model import Model
from ..version import __version__
from ..vocabulary import (
    BLUEPRINT_ROWS,
    DEFAULT_CHANNELS,
    DEFAULT_PERSONA,
    DEFAULT_STAGES,
    DEVICES,
    EMOTION_SCALE,
    emotion_choice,
)
from . import columns as C
from .files import save
from .rows import BandRow, ElementRow, band_rows, element_rows, listed_nodes
from .values import EMOTION_WORDS

# -- looks -------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
READ_ONLY_FILL = PatternFill("solid", fgColor="E7E6E6")
READ_ONLY_FONT = Font(color="404040")
NEW_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: new element
NEW_FONT = Font(bold=True, color="7F6000")
REMOVED_FILL = PatternFill("solid", fgColor="F4CCCC")  # light red: element removed
REMOVED_FONT = Font(italic=True, strike=True, color="7F7F7F")
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
SPARE_ROWS = 150  # formatted, unlocked empty rows for the Journey and Personas
SPARE_COLUMNS = 12  # unlocked columns right of the Touchpoints table for owners' own columns
MAX_CELL = 32000


@dataclass
class CellData:
    """A value to write, as typed by an owner (carried over by --update) or made by us."""

    value: Any
    formula: bool = False
    number_format: str = "General"
    comment: Optional[Tuple[str, str]] = None  # (text, author)


@dataclass
class TouchpointRow:
    element: ElementRow
    values: Dict[str, CellData] = field(default_factory=dict)  # header -> owner's cell
    status: str = ""
    new: bool = False
    removed: bool = False


@dataclass
class BandValues:
    """One Pools and lanes row: the pool or lane, and the owners' cells (header -> cell)."""

    band: BandRow
    values: Dict[str, CellData] = field(default_factory=dict)
    status: str = ""
    new: bool = False
    removed: bool = False


@dataclass
class Content:
    """Everything a workbook holds, before it is laid out."""

    models: List[Model]
    personas: List[str]
    stages: Tuple[str, ...] = DEFAULT_STAGES
    channels: Tuple[str, ...] = DEFAULT_CHANNELS
    persona_headers: List[str] = field(default_factory=list)
    persona_rows: List[List[Optional[CellData]]] = field(default_factory=list)
    touchpoint_rows: List[TouchpointRow] = field(default_factory=list)
    touchpoint_extra: List[str] = field(default_factory=list)
    journey_headers: List[str] = field(default_factory=list)
    journey_rows: List[List[Optional[CellData]]] = field(default_factory=list)
    band_rows: List[BandValues] = field(default_factory=list)
    band_extra: List[str] = field(default_factory=list)  # the owners' own columns
    # the Event log sheet (log activity -> element or journey step) and the Settings sheet
    event_log_headers: List[str] = field(default_factory=list)
    event_log_rows: List[List[Optional[CellData]]] = field(default_factory=list)
    settings_headers: List[str] = field(default_factory=list)
    settings_rows: List[List[Optional[CellData]]] = field(default_factory=list)
    # rows owners typed above a sheet's header row (titles, notes), by sheet name
    preamble: Dict[str, List[List[Optional[CellData]]]] = field(default_factory=dict)


@dataclass
class TemplateResult:
    path: str
    rows: int
    models: List[str]
    personas: List[str]
    backup: Optional[str] = None


def _check_unique(models: Sequence[Model]) -> None:
    seen: Dict[str, str] = {}
    for model in models:
        key = model.name.casefold()
        if key in seen:
            raise WorkbookError(
                f"{model.path}: has the same name as {seen[key]}; one workbook tells models apart "
                "by file name, so rename one of the files"
            )
        seen[key] = model.path


def clean_names(names: Sequence[str], what: str) -> List[str]:
    """Trimmed, non-empty, without duplicates (case-insensitive); order kept."""
    result: List[str] = []
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        if name.casefold() in (n.casefold() for n in result):
            continue
        result.append(name)
    if not result:
        raise WorkbookError(f"no {what} given")
    return result


def repeated_names(names: Sequence[str]) -> List[Tuple[str, str]]:
    """(name, the earlier name it repeats) for each name ``clean_names`` drops as a duplicate."""
    first: Dict[str, str] = {}
    repeats: List[Tuple[str, str]] = []
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        key = name.casefold()
        if key in first:
            repeats.append((name, first[key]))
        else:
            first[key] = name
    return repeats


def default_content(models: Sequence[Model], personas=None, stages=None) -> Content:
    """A fresh workbook: one row per activity and named event, empty Journey."""
    if not models:
        raise WorkbookError("no model given")
    _check_unique(models)
    names = clean_names(personas or [DEFAULT_PERSONA], "persona")
    content = Content(
        models=list(models),
        personas=names,
        stages=tuple(clean_names(stages, "stage")) if stages else DEFAULT_STAGES,
    )
    content.persona_headers = [c.header for c in C.PERSONA_COLUMNS]
    content.persona_rows = [[CellData(name)] for name in names]
    # Before the rows are made: for a model of a few hundred thousand elements that
    # alone takes half a minute, and the workbook would be refused anyway.
    content.touchpoint_rows = [None] * sum(len(listed_nodes(model)) for model in models)
    _refuse_too_many_cells(content)
    content.touchpoint_rows = [
        TouchpointRow(row) for model in models for row in element_rows(model)
    ]
    content.journey_headers = [c.header for c in C.JOURNEY_COLUMNS]
    content.band_rows = fresh_band_rows(models)
    content.event_log_headers = [c.header for c in C.EVENT_LOG_COLUMNS]
    content.preamble[C.EVENT_LOG] = [[CellData(EVENT_LOG_HELP)]]
    content.settings_headers = [c.header for c in C.SETTING_COLUMNS]
    content.settings_rows = fresh_settings_rows()
    content.preamble[C.SETTINGS] = [[CellData(SETTINGS_HELP)]]
    return content


EVENT_LOG_HELP = (
    "How the activities of an event log (bpmncx measure/gaps/annotate --log) map to the "
    "process: one row per log activity. 'Maps to' takes a BPMN element id or name, or a "
    "journey step number or text (customer-side events such as a web visit or a hotline call "
    "that no model has). Empty 'Maps to': bpmncx matches the activity by element id, then "
    "name, then step text. 'bpmncx template --log FILE' lists the log's activities with "
    "suggestions.")
SETTINGS_HELP = (
    "Thresholds of the event-log findings. Type a value to change one for this workbook; "
    "an empty value keeps the default; an option on the command line (e.g. --long-wait 3) "
    "overrides the workbook.")


def fresh_settings_rows() -> List[List[Optional[CellData]]]:
    from ..eventlog.findings import SETTINGS  # the one list of thresholds

    return [[CellData(s.name), None, CellData(int(s.default) if s.whole else s.default),
             CellData(s.unit)] for s in SETTINGS]


def event_log_rows(suggestions) -> List[List[Optional[CellData]]]:
    """Rows for the Event log sheet from (activity, events, suggestion) of a log."""
    return [[CellData(activity), None, CellData(suggestion or None), CellData(events), None]
            for activity, events, suggestion in suggestions]


def fresh_band_rows(models: Sequence[Model]) -> List[BandValues]:
    return [BandValues(row) for model in models for row in band_rows(model)]


def write_template(models: Sequence[Model], path, personas=None, stages=None,
                   force: bool = False, log_activities=None) -> TemplateResult:
    """Write a fresh workbook for ``models`` to ``path`` (atomically, backing up a different old file).

    A workbook at ``path`` that is open in LibreOffice/Excel or read-only is
    refused (OutputError) unless ``force``. ``log_activities``: (activity, events,
    suggestion) of an event log, listed on the Event log sheet.
    """
    content = default_content(models, personas, stages)
    if log_activities:
        content.event_log_rows = event_log_rows(log_activities)
    backup = save(build(content), path, force=force)
    return TemplateResult(
        path=os.fspath(path),
        rows=len(content.touchpoint_rows),
        models=[m.name for m in models],
        personas=content.personas,
        backup=backup,
    )


# -- cells -------------------------------------------------------------------


def put(ws, row: int, column: int, value, formula: bool = False):
    """Write one cell. Text stays text: '=HYPERLINK(...)' or '+1+2' never becomes a formula."""
    cell = ws.cell(row=row, column=column)
    number_format = None
    comment = None
    if isinstance(value, CellData):
        formula, number_format, comment = value.formula, value.number_format, value.comment
        value = value.value
    if value is None:
        return cell
    if isinstance(value, str) and not formula:
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL]
        cell.value = value
        if cell.data_type != "s" or value[:1] in "=+-@":
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    if number_format and number_format != "General":
        cell.number_format = number_format
    if comment:
        cell.comment = Comment(comment[0], comment[1] or "bpmncx")
    return cell


def _preamble(ws, rows) -> int:
    """Write the rows above the header; return the header's row number."""
    for r, values in enumerate(rows or [], start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                put(ws, r, c, value)
    return len(rows or []) + 1


def _header_row(ws, headers: Sequence[str], top: int = 1) -> None:
    for index, header in enumerate(headers, start=1):
        cell = put(ws, top, index, header or None)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = GRID
        cell.protection = LOCKED
    ws.freeze_panes = f"A{top + 1}"
    ws.row_dimensions[top].height = 32


def _list_validation(ws, formula: str, ref: str, title: str, prompt: str, strict: bool) -> None:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.showErrorMessage = True
    dv.errorStyle = "stop" if strict else "warning"
    dv.errorTitle = title[:32]
    dv.error = ("Please pick a value from the list." if strict else
                "This is not in the list. Keep it anyway? bpmncx will try to understand it.")
    dv.showInputMessage = bool(prompt)
    dv.promptTitle = title[:32]
    dv.prompt = prompt[:250]
    dv.add(ref)
    ws.add_data_validation(dv)


def _emotion_colours(ws, ref: str, first_cell: str) -> None:
    for e in EMOTION_SCALE:
        prefix = emotion_choice(e).split(" ")[0]  # "-2", "0", "+1"
        # the number, the dropdown text, or a common word typed instead (Excel compares
        # text case-insensitively); anything else stays uncoloured but is still read
        words = [e.label] + [w for w in EMOTION_WORDS[e.score] if w != e.label]
        typed = ",".join(f'TRIM({first_cell})="{w}"' for w in words)
        formula = (f'OR(AND(ISNUMBER({first_cell}),{first_cell}={e.score}),'
                   f'LEFT(TRIM({first_cell}),{len(prefix)})="{prefix}",{typed})')
        ws.conditional_formatting.add(
            ref,
            FormulaRule(
                formula=[formula],
                fill=PatternFill("solid", fgColor=e.colour.lstrip("#"), bgColor=e.colour.lstrip("#")),
                font=Font(color=e.text_colour.lstrip("#")),
                stopIfTrue=True,
            ),
        )


LINE_HEIGHT = 15  # points per line of 11 pt text
MAX_ROW_HEIGHT = 300


def _fit_rows(ws, first: int, last: int) -> None:
    """Give rows with wrapped text the height they need: spreadsheet programs do not always
    re-measure rows written by a program, and overlapping text is unreadable."""
    widths = {}
    for row in ws.iter_rows(min_row=first, max_row=last):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value or not cell.alignment.wrap_text:
                continue
            letter = cell.column_letter
            if letter not in widths:
                widths[letter] = ws.column_dimensions[letter].width or 13
            per_line = max(1, int(widths[letter] * 1.1))
            needed = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT)


def print_setup(ws, top: int = 1) -> None:
    """Landscape, as wide as one page, header repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{top}:{top}"


def _protect(ws) -> None:
    """Protect without a password: locked cells are read-only, owners may still filter, sort,
    resize and add columns and rows."""
    p = ws.protection
    p.sheet = True
    p.formatCells = False
    p.formatColumns = False
    p.formatRows = False
    p.insertColumns = False
    p.insertRows = False
    p.insertHyperlinks = False
    p.deleteRows = True
    p.deleteColumns = True
    p.sort = False
    p.autoFilter = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


# -- sheets ------------------------------------------------------------------


class _Lists:
    """Where the dropdown values sit on the hidden Lists sheet."""

    def __init__(self, wb, content: Content):
        ws = wb.create_sheet(C.LISTS)
        columns = (
            ("Yes", "No"),
            content.channels,
            content.stages,
            tuple(emotion_choice(e) for e in EMOTION_SCALE),
            BLUEPRINT_ROWS,
            DEVICES,
        )
        self.ref = {}
        for index, (header, values) in enumerate(zip(C.LIST_HEADERS, columns), start=1):
            put(ws, 1, index, header).font = Font(bold=True)
            for row, value in enumerate(values, start=2):
                put(ws, row, index, value)
            letter = get_column_letter(index)
            self.ref[header] = f"{C.LISTS}!${letter}$2:${letter}${len(values) + 1}"
            ws.column_dimensions[letter].width = 24
        ws.sheet_state = "hidden"
        _protect(ws)


def _instructions(wb, content: Content) -> None:
    ws = wb.active
    ws.title = C.INSTRUCTIONS
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 66
    ws.column_dimensions["D"].width = 24
    row = 1

    def line(a="", b="", bold=False, size=None):
        nonlocal row
        cell = put(ws, row, 1, a)
        cell.font = Font(bold=bold or size is not None, size=size or 11)
        cell.alignment = TOP
        if b:
            put(ws, row, 2, b).alignment = WRAP
        row += 1

    line("Customer experience workbook", size=16)
    ws.row_dimensions[1].height = 24
    line("What it is for", "The process model shows how the organisation works. This workbook "
         "asks you, who know the customers, how they live it: who they are, which steps they "
         "see, how they feel, what hurts. bpmncx then shows where the journey and the process "
         "do not meet. Grey columns come from the process model and are read-only; fill in the "
         "white ones. You can add your own columns; bpmncx ignores them but keeps them.")
    line()
    line("How to fill it in", bold=True)
    line("1. Personas", "One row per kind of customer: a short name in 'Persona', then a "
         "description, goals, frustrations and preferred channels. Every persona may get an "
         "'Emotion: <persona>' column on the Touchpoints sheet.")
    line("2. Touchpoints", "One row per activity and named event of the process. For each, "
         "say whether the customer sees it (Customer-facing? Yes/No), what they experience, "
         "the channel, the journey stage, whether it is a moment of truth, how each persona "
         "feels, the pain point and the opportunity. The grey 'Suggestion' column says why a "
         "row may be customer-facing; you decide.")
    line("3. Journey", "The journey as the customer lives it, one step per row, in order "
         "(Step 1, 2, 3 ...). 'Supported by' names the process elements behind the step: their "
         "Element ID or exact name from the Touchpoints sheet, several separated by commas, "
         "semicolons or line breaks. Leave it empty when no process step supports it: that is "
         "exactly the gap bpmncx is looking for. Example: Step 3, Stage 'Buy/Apply', Customer "
         "step 'Upload photos of the damage', Channel 'Mobile app', Supported by 'Check claim'. "
         "'Device' (the last column) says what the customer uses: "
         f"{', '.join(DEVICES)}.")
    line("4. Pools and lanes", "One row per pool and lane of the process, for the service "
         "blueprint: in which row is its work? customer (the customer does it), frontstage (the "
         "customer sees it), backstage (the organisation, out of the customer's sight) or "
         "support (systems and other organisations). Leave 'Blueprint row' empty to accept the "
         "grey suggestion. The customer's pools and lanes are not operations: steps only they "
         "support are not covered, and passing the customer on to them is no hand-off. One "
         "element differing from its lane gets its own 'Blueprint row' on the Touchpoints "
         "sheet; 'Evidence' on the Journey sheet says what the customer sees or gets.")
    line("Dropdowns", "Pick values from the dropdowns. Typing is fine too: Yes/No also as "
         "Y/N/x/true/1; emotions as a number (-2 .. +2), a word (frustrated, anxious, relieved, "
         "delighted ...) or an emoji.")
    line("Check your work", "The analyst runs 'bpmncx validate' on this file; it lists every "
         "cell it cannot understand, with a suggestion.")
    line()
    line("Emotion scale", bold=True)
    for e in EMOTION_SCALE:
        sign = "+" if e.score > 0 else ""
        cell = put(ws, row, 1, f"{sign}{e.score}")
        cell.fill = PatternFill("solid", fgColor=e.colour.lstrip("#"))
        cell.font = Font(bold=True, color=e.text_colour.lstrip("#"))
        cell.alignment = Alignment(horizontal="center")
        put(ws, row, 2, f"{e.label} {e.emoji}   (in the lists: \u201c{emotion_choice(e)}\u201d)")
        row += 1
    line("", "The colour repeats the number and the emoji; it is never the only cue.")
    line()
    line("Channels", ", ".join(content.channels), bold=True)
    line("Journey stages", ", ".join(content.stages), bold=True)
    line()
    line("Made from these process models", bold=True)
    for index, header in enumerate(C.MODEL_TABLE_HEADERS, start=1):
        cell = put(ws, row, index, header)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
    row += 1
    for model in content.models:
        put(ws, row, 1, model.name)
        put(ws, row, 2, os.path.basename(model.path))
        put(ws, row, 3, model.sha256)
        row += 1
    line()

    line("", f"Made with bpmncx {__version__} (workbook format {C.FORMAT_VERSION}).")
    _fit_rows(ws, 1, row)
    print_setup(ws)
    ws.print_title_rows = None
    _protect(ws)


def _free_sheet(wb, title: str, headers: Sequence[str], rows, known: Sequence[C.Column],
                lists: _Lists, content: Content) -> None:
    """Personas and Journey: every cell editable; dropdowns and widths by header name."""
    ws = wb.create_sheet(title)
    top = _preamble(ws, content.preamble.get(title))
    by_key = C.header_lookup(known)
    column_of_key = {}
    for index, header in enumerate(headers, start=1):
        key = by_key.get(C.normalise_header(header))
        col = next((c for c in known if c.key == key), None)
        if key and key not in column_of_key:
            column_of_key[key] = index
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = col.width if col else 20
    _header_row(ws, headers, top)
    last = top + max(len(rows), 1) + SPARE_ROWS
    for r, values in enumerate(rows, start=top + 1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                put(ws, r, c, value)
    for index in range(1, len(headers) + 1):
        col = next((c for c in known if column_of_key.get(c.key) == index), None)
        alignment = WRAP if (col is None or col.wrap) else TOP
        for r in range(top + 1, last + 1):
            cell = ws.cell(row=r, column=index)
            cell.alignment = alignment
            cell.protection = UNLOCKED
    for index in range(len(headers) + 1, len(headers) + 1 + SPARE_COLUMNS):
        ws.column_dimensions[get_column_letter(index)].protection = UNLOCKED
    _fit_rows(ws, top + 1, top + len(rows))
    print_setup(ws, top)

    def ref(key):
        letter = get_column_letter(column_of_key[key])
        return f"{letter}{top + 1}:{letter}{last}", f"{letter}{top + 1}"

    for key, (list_name, strict) in {
        "stage": ("Stages", False),
        "channel": ("Channels", False),
        "device": ("Devices", False),
        "moment_of_truth": ("Yes/No", False),
        "negative": ("Yes/No", False),
        "emotion": ("Emotions", False),
    }.items():
        if key in column_of_key:
            col = next(c for c in known if c.key == key)
            _list_validation(ws, lists.ref[list_name], ref(key)[0], col.header, col.help, strict)
    if "persona" in column_of_key and title == C.JOURNEY:
        persona_col = next(c for c in known if c.key == "persona")
        _list_validation(ws, _persona_range(content),
                         ref("persona")[0], "Persona", persona_col.help, False)
    if "emotion" in column_of_key:
        _emotion_colours(ws, *ref("emotion"))
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{last}"


def _persona_range(content: Content) -> str:
    """Where the persona names are on the Personas sheet, for the Journey's dropdown."""
    lookup = C.header_lookup(C.PERSONA_COLUMNS)
    index = next((i for i, h in enumerate(content.persona_headers, start=1)
                  if lookup.get(C.normalise_header(h)) == "persona"), 1)
    letter = get_column_letter(index)
    top = len(content.preamble.get(C.PERSONAS, [])) + 1
    last = top + max(len(content.persona_rows), 1) + SPARE_ROWS
    return f"{C.PERSONAS}!${letter}${top + 1}:${letter}${last}"


def _model_row(ws, r: int, headers: Sequence[str], facts: Dict[str, object], item,
               has_status: bool, column_of: Callable[[str], Optional[C.Column]]) -> None:
    """Row ``r`` of a sheet with one row per model element, pool or lane: the model's facts
    (and the row's status, when the sheet has that column) grey and locked, coloured when
    the row is new or its element removed; every other cell the owners' and open."""
    locked = dict(facts)
    if has_status:
        locked[C.STATUS.header] = item.status
    for index, header in enumerate(headers, start=1):
        col = column_of(header)
        if header in locked:
            cell = put(ws, r, index, locked[header] or None)
            cell.fill, cell.font = READ_ONLY_FILL, READ_ONLY_FONT
            if item.new:
                cell.fill, cell.font = NEW_FILL, NEW_FONT
            elif item.removed:
                cell.fill, cell.font = REMOVED_FILL, REMOVED_FONT
            cell.protection = LOCKED
        else:
            cell = put(ws, r, index, item.values.get(header))
            cell.protection = UNLOCKED
        cell.border = GRID
        cell.alignment = WRAP if (col is None or col.wrap) else TOP


def touchpoint_headers(content: Content) -> Tuple[List[str], bool]:
    status = any(r.status for r in content.touchpoint_rows)
    headers = [c.header for c in C.TOUCHPOINT_FIXED]
    headers += [c.header for c in C.TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS]
    headers += [C.emotion_header(p) for p in content.personas]
    headers += [c.header for c in C.TOUCHPOINT_EDITABLE_AFTER_EMOTIONS]
    if status:
        headers.append(C.STATUS.header)
    headers += [h for h in content.touchpoint_extra if h not in headers]
    return headers, status


def _touchpoints(wb, content: Content, lists: _Lists) -> None:
    ws = wb.create_sheet(C.TOUCHPOINTS)
    headers, has_status = touchpoint_headers(content)
    fixed = {c.header: c for c in C.TOUCHPOINT_FIXED}
    editable = {c.header: c for c in C.TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS
                + C.TOUCHPOINT_EDITABLE_AFTER_EMOTIONS}
    emotion_headers = {C.emotion_header(p) for p in content.personas}
    top = _preamble(ws, content.preamble.get(C.TOUCHPOINTS))
    _header_row(ws, headers, top)
    last = len(content.touchpoint_rows) + top
    for index, header in enumerate(headers, start=1):
        col = fixed.get(header) or editable.get(header) or (
            C.STATUS if header == C.STATUS.header else None)
        width = col.width if col else (C.EMOTION_WIDTH if header in emotion_headers else 20)
        ws.column_dimensions[get_column_letter(index)].width = width
    for index in range(len(headers) + 1, len(headers) + 1 + SPARE_COLUMNS):
        ws.column_dimensions[get_column_letter(index)].protection = UNLOCKED
    for r, item in enumerate(content.touchpoint_rows, start=top + 1):
        element = item.element
        facts = {
            "Model": element.model, "Pool": element.pool, "Lane": element.lane,
            "Element ID": element.element_id, "Element name": element.element_name,
            "Type": element.type, "Suggestion": element.suggestion,
        }
        _model_row(ws, r, headers, facts, item, has_status,
                   lambda header: fixed.get(header) or editable.get(header))
    if last > top:
        def ref(header):
            letter = get_column_letter(headers.index(header) + 1)
            return f"{letter}{top + 1}:{letter}{last}", f"{letter}{top + 1}"

        for header, list_name in (("Customer-facing?", "Yes/No"), ("Channel", "Channels"),
                                  ("Journey stage", "Stages"), ("Moment of truth", "Yes/No"),
                                  ("Blueprint row", "Blueprint rows")):
            _list_validation(ws, lists.ref[list_name], ref(header)[0], header,
                             editable[header].help, False)
        for persona in content.personas:
            header = C.emotion_header(persona)
            _list_validation(ws, lists.ref["Emotions"], ref(header)[0], header[:32],
                             C.EMOTION_HELP, False)
            _emotion_colours(ws, *ref(header))
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{max(last, top + 1)}"
    _fit_rows(ws, top + 1, last)
    print_setup(ws, top)
    _protect(ws)


def band_headers(content: Content) -> Tuple[List[str], bool]:
    status = any(r.status for r in content.band_rows)
    headers = [c.header for c in C.SIDE_COLUMNS] + ([C.STATUS.header] if status else [])
    headers += [h for h in content.band_extra if h not in headers]
    return headers, status


def _bands(wb, content: Content, lists: _Lists) -> None:
    """Pools and lanes: one row per pool and lane, the blueprint row for the owners to set."""
    ws = wb.create_sheet(C.SIDES)
    headers, has_status = band_headers(content)
    known = {c.header: c for c in C.SIDE_COLUMNS}
    top = _preamble(ws, content.preamble.get(C.SIDES))
    _header_row(ws, headers, top)
    last = len(content.band_rows) + top
    for index, header in enumerate(headers, start=1):
        col = known.get(header) or (C.STATUS if header == C.STATUS.header else None)
        ws.column_dimensions[get_column_letter(index)].width = col.width if col else 20
    for index in range(len(headers) + 1, len(headers) + 1 + SPARE_COLUMNS):
        ws.column_dimensions[get_column_letter(index)].protection = UNLOCKED
    for r, item in enumerate(content.band_rows, start=top + 1):
        band = item.band
        facts = {"Model": band.model, "Pool": band.pool, "Lane": band.lane,
                 "Pool/lane ID": band.band_id, "Suggestion (why)": band.suggestion}
        _model_row(ws, r, headers, facts, item, has_status, known.get)
    if last > top:
        letter = get_column_letter(headers.index("Blueprint row") + 1)
        column = known["Blueprint row"]
        _list_validation(ws, lists.ref["Blueprint rows"], f"{letter}{top + 1}:{letter}{last}",
                         column.header, column.help, False)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{max(last, top + 1)}"
    _fit_rows(ws, top + 1, last)
    print_setup(ws, top)
    _protect(ws)


def _refuse_too_many_cells(content: Content) -> None:
    """A WorkbookError before laying out a workbook bpmncx would not read back.

    openpyxl takes about 0.1 ms and 1 KB per styled cell, so a model with tens of
    thousands of elements (a few MB of BPMN) would take minutes; and a workbook
    over BPMNCX_MAX_XLSX_CELLS is refused when read anyway.
    """
    touchpoint_columns = (len(C.TOUCHPOINT_FIXED) + len(C.TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS)
                          + len(content.personas) + len(C.TOUCHPOINT_EDITABLE_AFTER_EMOTIONS)
                          + len(content.touchpoint_extra) + 1)
    cells = (len(content.touchpoint_rows) * touchpoint_columns
             + len(content.journey_rows) * max(len(content.journey_headers), 1)
             + len(content.persona_rows) * max(len(content.persona_headers), 1))
    most = limit("BPMNCX_MAX_XLSX_CELLS")
    if cells > most:
        names = ", ".join(m.path for m in content.models[:3]) + (
            " ..." if len(content.models) > 3 else "")
        raise WorkbookError(
            f"{names}: the workbook would have {cells:,} cells ({len(content.touchpoint_rows):,} "
            f"touchpoint rows), more than the {most:,} bpmncx reads back "
            "(BPMNCX_MAX_XLSX_CELLS); make one workbook per part of the model")


def build(content: Content) -> Workbook:
    """Lay the content out as a workbook (not yet saved)."""
    _refuse_too_many_cells(content)
    wb = Workbook()
    _instructions(wb, content)
    lists = _Lists(wb, content)
    _free_sheet(wb, C.PERSONAS, content.persona_headers, content.persona_rows,
                C.PERSONA_COLUMNS, lists, content)
    _touchpoints(wb, content, lists)
    _free_sheet(wb, C.JOURNEY, content.journey_headers, content.journey_rows,
                C.JOURNEY_COLUMNS, lists, content)
    _bands(wb, content, lists)
    _free_sheet(wb, C.EVENT_LOG, content.event_log_headers, content.event_log_rows,
                C.EVENT_LOG_COLUMNS, lists, content)
    _free_sheet(wb, C.SETTINGS, content.settings_headers, content.settings_rows,
                C.SETTING_COLUMNS, lists, content)
    # Lists last, hidden; the owners see Instructions, Personas, Touchpoints, Journey.
    wb.move_sheet(C.LISTS, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(C.LISTS))
    wb.active = 0
    return wb
