"""Read a filled workbook back into :class:`bpmncx.annotations.Annotations`.

Sheets and columns are found by name, not position. Where the owner's intent
is clear the reader is forgiving; where it is not, it records a Problem with
the cell and a fix, and goes on: every problem is reported, not just the first.
"""

from __future__ import annotations

import os
import re
from typing import Dict, List, Optional, Sequence, Set, Tuple

from openpyxl.utils import get_column_letter

from ..analysis.blueprint import bands
from ..annotations import Annotations, ElementRef, JourneyStep, Persona, Problem, Touchpoint
from ..errors import WorkbookError
from ..model import Model
from ..vocabulary import BLUEPRINT_ROWS, DEVICES
from ..vocabulary import device as device_of
from ..vocabulary import blueprint_row as parse_blueprint_row
from . import columns as C
from .files import open_workbook_values
from .references import Resolver, model_file, or_list, quoted
from .sheets import find_header, find_sheet, read_lists, recorded_models, used_rows
from .values import (
    ValueProblem,
    hint,
    is_blank,
    match_choice,
    parse_channel,
    parse_emotion,
    parse_yes_no,
    split_list,
    text,
)

def read_annotations(path, models: Sequence[Model]) -> Annotations:
    """Read the workbook at ``path`` against ``models`` (a list of loaded Models).

    Raises WorkbookError only when the file cannot be read at all; everything
    else ends up in ``Annotations.problems``.
    """
    path = os.fspath(path)
    if not models:
        raise WorkbookError(f"{path}: no model given to check the workbook against")
    from .template import _check_unique  # models are told apart by file name
    _check_unique(models)
    if path.lower().endswith((".bpmn", ".xml")):  # an annotated BPMN file as the source
        from ..bpmn.extension import annotations_from_bpmn
        return annotations_from_bpmn(path, models)
    values, unsaved = open_workbook_values(path)
    return _Reader(path, values, unsaved, list(models)).read()


class _Reader:
    def __init__(self, path: str, wb, unsaved, models: List[Model]):
        self.path = path
        self.wb = wb
        self.unsaved = unsaved  # sheet title -> cells with a formula but no saved result
        self.models = models
        self.result = Annotations(source=path)
        self.reported: Set[Tuple[str, str, str]] = set()
        self.model_of: Dict[str, Model] = {}  # workbook model name (casefolded) -> Model
        self.removed: Dict[str, Tuple[Model, str]] = {}  # id / name (casefolded) -> (model, place)
        self.elsewhere: Dict[str, str] = {}  # id / name (casefolded) -> model not given
        self.renamed: Dict[str, Tuple[ElementRef, str]] = {}  # old name (casefolded) -> element

    # -- helpers --------------------------------------------------------

    def problem(self, severity: str, place: str, message: str) -> None:
        """Record a problem once: a cell read twice must not report the same thing twice."""
        key = (severity, place, message)
        if key in self.reported:
            return
        self.reported.add(key)
        self.result.problems.append(Problem(severity, place, message))

    def error(self, place: str, message: str) -> None:
        self.problem("error", place, message)

    def warning(self, place: str, message: str) -> None:
        self.problem("warning", place, message)

    def sheet(self, name: str):
        return find_sheet(self.wb, name)

    @staticmethod
    def place(ws, row: int, column: int) -> str:
        return f"{ws.title}!{get_column_letter(column)}{row}"

    def cell(self, ws, row_values, row: int, column: Optional[int]):
        """A cell's value (a formula's saved result); warns about formulas without one."""
        if not column or column > len(row_values):
            return None
        value = row_values[column - 1]
        if value is None:
            if (row, column) in self.unsaved.get(ws.title, ()):
                self.warning(self.place(ws, row, column),
                             "the formula has no saved result, so it reads as empty; open the "
                             "workbook in Excel or LibreOffice and save it, or type the value")
        return value

    def header_problems(self, ws, header, columns: Sequence[C.Column],
                        also_missing: Sequence[str] = ()) -> None:
        """Say how the header row was read: near misses taken for a known column, and
        columns bpmncx does not read while one it reads is missing (a renamed header:
        its values would otherwise be dropped without a word)."""
        for column, typed, key in header.guessed:
            known = next(c.header for c in columns if c.key == key)
            self.warning(self.place(ws, header.row, column),
                         f"header {quoted(typed)} read as {quoted(known)}; name it "
                         f"{quoted(known)} to silence this warning")
        missing = [c.header for c in columns
                   if c.editable and not c.optional and c.key not in header.columns]
        missing += also_missing
        if not missing:
            return  # every column bpmncx reads is there: the others are the owners' own
        for column, typed in header.unknown:
            rows = sorted(row for (row, col), cell in ws._cells.items()
                          if col == column and row > header.row and not is_blank(cell.value))
            if not rows:
                continue
            letter = get_column_letter(column)
            span = f"{letter}{rows[0]}" + (f":{letter}{rows[-1]}" if rows[-1] != rows[0] else "")
            self.warning(self.place(ws, header.row, column),
                         f"column {quoted(typed)} is not one bpmncx reads, so its values "
                         f"({ws.title}!{span}) are not used; columns bpmncx reads that are "
                         f"missing here: {', '.join(quoted(m) for m in missing)}. If the column "
                         "is one of them, give it that header")

    # -- the whole workbook ---------------------------------------------

    def read(self) -> Annotations:
        tp_ws = self.sheet(C.TOUCHPOINTS)
        journey_ws = self.sheet(C.JOURNEY)
        if tp_ws is None and journey_ws is None:
            raise WorkbookError(
                f"{self.path}: not a bpmncx workbook (it has no {C.TOUCHPOINTS} or {C.JOURNEY} "
                "sheet); make one with 'bpmncx template'"
            )
        self.read_lists()
        if not self.match_models():
            return self.result
        self.read_personas()
        if tp_ws is None:
            self.error(C.TOUCHPOINTS, f"the {C.TOUCHPOINTS} sheet is missing; make a new workbook "
                       "with 'bpmncx template' and copy your rows into it")
        else:
            self.read_touchpoints(tp_ws)
        if journey_ws is None:
            self.error(C.JOURNEY, f"the {C.JOURNEY} sheet is missing; add a sheet named "
                       f"{C.JOURNEY} with the columns {', '.join(c.header for c in C.JOURNEY_COLUMNS)}")
        else:
            self.read_journey(journey_ws)
        self.read_sides()
        self.read_event_log()
        self.read_settings()
        return self.result

    def read_event_log(self) -> None:
        """The Event log sheet: log activity -> element or journey step, as typed. Whether
        the target exists is checked when a log is measured (the mapping names it)."""
        ws = self.sheet(C.EVENT_LOG)
        if ws is None:
            return
        header = find_header(ws, C.EVENT_LOG_COLUMNS, "activity")
        if not header.row:
            return  # an empty or instructions-only sheet
        col = header.columns
        self.header_problems(ws, header, C.EVENT_LOG_COLUMNS)
        if "activity" not in col or "maps_to" not in col:
            missing = "Log activity" if "activity" not in col else "Maps to"
            self.error(f"{ws.title}!A{header.row}", f"no {quoted(missing)} column found in the "
                       "header row; the sheet needs 'Log activity' and 'Maps to'")
            return
        seen: Dict[str, str] = {}
        for row, values in used_rows(ws, header.row + 1, max_column=header.last_column):
            activity = text(self.cell(ws, values, row, col["activity"]))
            target = self.cell(ws, values, row, col["maps_to"])
            target_text = str(int(target)) if isinstance(target, float) and target.is_integer() \
                else text(target)
            place = self.place(ws, row, col["maps_to"])
            if not target_text:
                continue  # matched by id and name
            if not activity:
                self.warning(place, f"{quoted(target_text)} has no log activity beside it "
                             f"({self.place(ws, row, col['activity'])}), so it is not used")
                continue
            key = " ".join(activity.split()).casefold()
            if key in seen:
                self.error(self.place(ws, row, col["activity"]), f"log activity "
                           f"{quoted(activity)} has a second row (the first is at "
                           f"{seen[key]}); keep one")
                continue
            seen[key] = place
            why = self.mapping_target_problem(target_text)
            if why:
                self.warning(place, f"{quoted(target_text)} {why}, so {quoted(activity)} is "
                             "matched by id and name instead; type an element id or name, or "
                             "a journey step's number or text")
                continue
            self.result.log_mapping[activity] = target_text
            self.result.log_mapping_cells[activity] = place

    def mapping_target_problem(self, target: str) -> str:
        """Why an Event log sheet's target names no one element or journey step, or ""."""
        from ..model import ElementIndex, name_key

        if getattr(self, "element_index", None) is None:
            self.element_index = ElementIndex(self.models)  # once per workbook
        found = self.element_index.find(target)
        if len(found) == 1:
            return ""
        steps = [s for s in self.result.journey
                 if name_key(s.customer_step) == name_key(target)]
        if len(steps) == 1 or (target.isdigit() and
                               any(s.number == int(target) for s in self.result.journey)):
            return ""
        if len(found) > 1:
            return f"matches {len(found)} elements"
        if len(steps) > 1:
            return f"matches {len(steps)} journey steps"
        return "matches no element or journey step"

    def read_settings(self) -> None:
        """The Settings sheet (or a Setting/Value table on the Instructions sheet): the
        event-log thresholds; an invalid value is a warning naming its cell, and the
        default (or the command line's value) holds."""
        from ..eventlog.findings import SETTING_BY_NAME, setting_problem

        for name in (C.SETTINGS, C.INSTRUCTIONS):
            ws = self.sheet(name)
            if ws is None:
                continue
            header = find_header(ws, C.SETTING_COLUMNS, "setting")
            col = header.columns
            if not header.row or "setting" not in col or "value" not in col:
                continue
            for row, values in used_rows(ws, header.row + 1, max_column=header.last_column):
                typed = text(self.cell(ws, values, row, col["setting"]))
                value = self.cell(ws, values, row, col["value"])
                if not typed or is_blank(value):
                    continue
                place = self.place(ws, row, col["value"])
                key = "-".join(typed.casefold().replace("_", " ").split())
                setting = SETTING_BY_NAME.get(key)
                if setting is None:
                    self.warning(self.place(ws, row, col["setting"]),
                                 f"{quoted(typed)} is no setting bpmncx knows (known: "
                                 f"{', '.join(SETTING_BY_NAME)}), so it is not used")
                    continue
                try:
                    number = float(str(value).strip().rstrip("%")) / (
                        100 if str(value).strip().endswith("%") else 1)
                except ValueError:
                    number = None
                why = "it is not a number" if number is None or number != number \
                    else setting_problem(setting, number)
                if why:
                    self.warning(place, f"{setting.name} {quoted(text(value))}: {why}; the "
                                 f"default {setting.default:g} is used")
                    continue
                if key in self.result.settings:
                    continue  # the Settings sheet wins over the Instructions sheet
                self.result.settings[key] = number
                self.result.setting_cells[key] = place

    def read_lists(self) -> None:
        self.result.channels, self.result.stages = read_lists(self.wb)

    # -- models ---------------------------------------------------------

    def match_models(self) -> bool:
        for model in self.models:
            for name in (model.name, model_file(model)):
                self.model_of.setdefault(name.casefold(), model)
        ws, recorded = recorded_models(self.wb)
        if recorded is None:
            self.warning(C.INSTRUCTIONS, "the table of models this workbook was made from is "
                         "missing, so bpmncx cannot check it matches the models given")
            return True
        matched = set()
        for name, filename, sha, row in recorded:
            named = [m for m in self.models
                     if name.casefold() in (m.name.casefold(), model_file(m).casefold())]
            # the same file twice under two names (two copies of one export) is two models:
            # a model of the recorded name wins over one that only has the recorded content
            by_name = next((m for m in named if m.sha256 == sha), named[0] if named else None)
            by_hash = next((m for m in self.models if m.sha256 == sha and id(m) not in matched),
                           None)
            model = by_name or by_hash
            if model is None:
                continue
            matched.add(id(model))
            self.model_of[name.casefold()] = model
            if model.sha256 != sha:
                self.warning(
                    f"{ws.title}!C{row}",
                    f"the workbook was made from a different version of {model_file(model)} "
                    "(its SHA-256 differs); rows may be missing or stale: run 'bpmncx template "
                    f"{model_file(model)} -o NEW.xlsx --update {os.path.basename(self.path)}'",
                )
        if recorded and not matched:
            made_for = or_list([r[1] or r[0] for r in recorded])
            given = or_list([model_file(m) for m in self.models])
            self.error(
                f"{ws.title}!A{recorded[0][3]}",
                f"this workbook was made for {made_for}, not for {given}. If {given} is that "
                "model renamed or edited, carry the workbook over: 'bpmncx template "
                f"{' '.join(model_file(m) for m in self.models)} -o NEW.xlsx --update "
                f"{os.path.basename(self.path)}' keeps everything the owners typed; otherwise "
                "give the model it was made for",
            )
            return False
        for name, filename, sha, row in recorded:
            if name.casefold() not in self.model_of:
                self.warning(f"{ws.title}!A{row}", f"the workbook also covers {filename or name}, "
                             "which was not given; its rows are skipped")
        for model in self.models:
            if id(model) not in matched:
                self.warning(
                    ws.title,
                    f"{model_file(model)} was given but this workbook was not made from it; add "
                    "its elements with 'bpmncx template ... --update'",
                )
        return True

    # -- personas -------------------------------------------------------

    def read_personas(self) -> None:
        ws = self.sheet(C.PERSONAS)
        if ws is None:
            self.warning(C.PERSONAS, "the Personas sheet is missing; no personas read")
            return
        header = find_header(ws, C.PERSONA_COLUMNS, "persona")
        col = header.columns
        self.header_problems(ws, header, C.PERSONA_COLUMNS)
        if "persona" not in col:
            self.error(f"{ws.title}!A1", "no 'Persona' column found in the header row; name the "
                       "column with the persona names 'Persona'")
            return
        seen: Dict[str, str] = {}
        for row, values in used_rows(ws, header.row + 1, max_column=header.last_column):
            if all(is_blank(v) for v in values):
                continue
            name = text(self.cell(ws, values, row, col["persona"]))
            place = self.place(ws, row, col["persona"])
            if not name:
                if any(not is_blank(self.cell(ws, values, row, col.get(k)))
                       for k in ("description", "goals", "frustrations", "preferred_channels")):
                    self.error(place, "this persona has no name; type a short name in the "
                               "Persona column")
                continue
            name = " ".join(name.split())
            if name.casefold() in seen:
                self.error(place, f"persona {quoted(name)} is listed twice (first at "
                           f"{seen[name.casefold()]}); merge the two rows or rename one")
                continue
            seen[name.casefold()] = place
            persona = Persona(
                name=name,
                description=text(self.cell(ws, values, row, col.get("description"))),
                goals=text(self.cell(ws, values, row, col.get("goals"))),
                frustrations=text(self.cell(ws, values, row, col.get("frustrations"))),
                cell=place,
            )
            if "negative" in col:
                persona.negative = bool(self.yes_no(self.cell(ws, values, row, col["negative"]),
                                                    self.place(ws, row, col["negative"])))
            if "preferred_channels" in col:
                typed = self.cell(ws, values, row, col["preferred_channels"])
                where = self.place(ws, row, col["preferred_channels"])
                for part in split_list(typed):
                    persona.preferred_channels.append(self.channel(part, where))
            self.result.personas.append(persona)
        if not self.result.personas:
            self.warning(ws.title, "no personas are named; add at least one on the Personas sheet")

    def persona(self, typed, place: str, what: str) -> Optional[str]:
        names = self.result.persona_names()
        for name in names:
            if name.casefold() == " ".join(str(typed).split()).casefold():
                return name
        self.error(place, f"{what} {quoted(typed)} is not on the Personas sheet"
                   f"{hint(str(typed), names)}; add the persona there or correct the name")
        return None

    # -- simple values --------------------------------------------------

    def channel(self, value, place: str) -> str:
        found, ok = parse_channel(value, self.result.channels)
        if not ok:
            self.warning(place, f"channel {quoted(found)} is not in the channel list"
                         f"{hint(found, self.result.channels)}; kept as typed")
        return found

    def device(self, value, place: str) -> str:
        typed = text(value)
        found = device_of(typed)
        if typed and found is None:
            self.warning(place, f"device {quoted(typed)} is not one of {', '.join(DEVICES)}"
                         f"{hint(typed, DEVICES)}; kept as typed, and channels are not checked "
                         "against it")
        return found or typed

    def stage(self, value, place: str) -> str:
        found, ok = match_choice(value, self.result.stages)
        if not ok:
            self.warning(place, f"stage {quoted(found)} is not in the stage list"
                         f"{hint(found, self.result.stages)}; kept as typed")
        return found

    def yes_no(self, value, place: str) -> Optional[bool]:
        try:
            return parse_yes_no(value)
        except ValueProblem as problem:
            self.error(place, str(problem))
            return None

    def emotion(self, value, place: str) -> Optional[int]:
        try:
            return parse_emotion(value)
        except ValueProblem as problem:
            self.error(place, str(problem))
            return None

    # -- touchpoints ----------------------------------------------------

    def element_hint(self, model: Model, typed: str, name: str) -> str:
        if name:
            same = [n for n in model.nodes if " ".join(n.name.split()).casefold() == name.casefold()]
            if len(same) == 1:
                return f" (did you mean {quoted(same[0].id)}, named {quoted(name)}?)"
        return hint(typed, [n.id for n in model.nodes])

    def read_touchpoints(self, ws) -> None:
        columns = (C.TOUCHPOINT_FIXED + C.TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS
                   + C.TOUCHPOINT_EDITABLE_AFTER_EMOTIONS)
        header = find_header(ws, columns, "element_id", emotions=True)
        col = header.columns
        if "element_id" not in col:
            self.error(f"{ws.title}!A1", "no 'Element ID' column found in the header row; bpmncx "
                       "needs it to know which element each row is about")
            return
        if "model" not in col and len(self.models) > 1:
            self.error(f"{ws.title}!A1", "no 'Model' column found, and several models were "
                       "given; restore the Model column")
            return
        emotion_columns: List[Tuple[int, str]] = []
        for column, typed in header.emotions:
            persona = self.persona(typed, self.place(ws, header.row, column), "the column's persona")
            if persona:
                emotion_columns.append((column, persona))
        scored = {p.casefold() for _, p in emotion_columns}
        unscored = [p for p in self.result.personas if p.name.casefold() not in scored]
        self.header_problems(ws, header, columns, [C.emotion_header(p.name) for p in unscored])
        for persona in unscored:
            self.warning(persona.cell or ws.title,
                         f"persona {quoted(persona.name)} has no "
                         f"{quoted(C.emotion_header(persona.name))} column on the "
                         f"{ws.title} sheet, so no touchpoint emotion of theirs is read; "
                         "add the column (bpmncx template ... --update adds it)")
        default_model = self.models[0] if len(self.models) == 1 else None
        skipped = {name for name in self.model_names_recorded() if name not in self.model_of}
        seen: Dict[Tuple[str, str], str] = {}
        for row, values in used_rows(ws, header.row + 1, max_column=header.last_column):
            if all(is_blank(v) for v in values):
                continue

            def get(key):
                return self.cell(ws, values, row, col.get(key))

            def at(key):
                return self.place(ws, row, col.get(key, 1))

            owner_keys = ("customer_facing", "touchpoint", "channel", "stage", "moment_of_truth",
                          "pain_point", "opportunity", "notes", "blueprint_row")
            has_data = any(not is_blank(get(k)) for k in owner_keys) or any(
                not is_blank(self.cell(ws, values, row, c)) for c, _ in emotion_columns)
            model_text = text(get("model"))
            element_id = text(get("element_id"))
            name = " ".join(text(get("element_name")).split())
            status = text(self.cell(ws, values, row, header.status)) if header.status else ""
            kept = C.is_kept_status(status)
            if model_text:
                model = self.model_of.get(model_text.casefold())
            else:
                model = default_model
            node = model.node.get(element_id) if model is not None and element_id else None
            if model is not None and element_id and node is None:
                self.removed[element_id.casefold()] = (model, at("element_id"))
                if name:
                    self.removed.setdefault(name.casefold(), (model, at("element_id")))
            if kept:
                if has_data:
                    self.warning(self.place(ws, row, header.status), f"this row is marked "
                                 f"{quoted(status)}, so it is kept for reference and ignored; "
                                 "move what still matters to the element's current row")
                continue
            if model is None:
                if not model_text:
                    if has_data:
                        self.error(at("model"), "the Model cell is empty; bpmncx cannot tell "
                                   "which model this row is about")
                elif model_text.casefold() in skipped:
                    for token in (element_id, name):
                        if token:
                            self.elsewhere.setdefault(token.casefold(), model_text)
                else:
                    self.error(at("model"), f"{quoted(model_text)} is not one of the models "
                               f"given ({or_list([model_file(m) for m in self.models])})"
                               f"{hint(model_text, [m.name for m in self.models])}")
                continue
            if not element_id:
                if has_data:
                    self.error(at("element_id"), "this row has no Element ID; bpmncx needs it to "
                               "know which element the row is about")
                continue
            if node is None:
                self.error(at("element_id"), f"element {quoted(element_id)} does not exist in "
                           f"{model_file(model)}{self.element_hint(model, element_id, name)}; "
                           "if it was removed from the model, run 'bpmncx template --update'")
                continue
            was = re.match(r"^renamed \(was \u201c(.*)\u201d\)$", status)
            if was:
                self.renamed[" ".join(was.group(1).split()).casefold()] = (
                    ElementRef(model.name, node.id), " ".join(node.name.split()))
            key = (model.name, node.id)
            if key in seen:
                self.error(at("element_id"), f"element {quoted(node.id)} has a second row (the "
                           f"first is at {seen[key]}); merge the two rows")
                continue
            seen[key] = at("element_id")
            tp = Touchpoint(
                model=model.name,
                element_id=node.id,
                element_name=" ".join(node.name.split()),
                element_type=node.kind,
                pool=text(get("pool")),
                lane=text(get("lane")),
                touchpoint=text(get("touchpoint")),
                pain_point=text(get("pain_point")),
                opportunity=text(get("opportunity")),
                notes=text(get("notes")),
                row=row,
                cell=self.place(ws, row, 1),
            )
            if "customer_facing" in col:
                tp.customer_facing = self.yes_no(get("customer_facing"), at("customer_facing"))
            if "channel" in col:
                tp.channel = self.channel(get("channel"), at("channel"))
            if "stage" in col:
                tp.stage = self.stage(get("stage"), at("stage"))
            if "moment_of_truth" in col:
                tp.moment_of_truth = bool(self.yes_no(get("moment_of_truth"), at("moment_of_truth")))
            for column, persona in emotion_columns:
                score = self.emotion(self.cell(ws, values, row, column), self.place(ws, row, column))
                if score is not None:
                    tp.emotions[persona] = score
                    tp.cells[f"emotion:{persona}"] = self.place(ws, row, column)
            tp.cells.update((key, at(key)) for key in col)
            if "blueprint_row" in col:
                tp.blueprint_row = self.blueprint_row(get("blueprint_row"), at("blueprint_row"))
            self.result.touchpoints.append(tp)
        for model in self.models:
            missing = [n for n in _listed(model) if (model.name, n.id) not in seen]
            if missing and any(m is model for m in self.model_of.values()):
                example = missing[0]
                self.warning(ws.title, f"{len(missing)} element(s) of {model_file(model)} have no "
                             f"row, e.g. {quoted(example.name or example.id)} ({example.id}); add "
                             "them with 'bpmncx template ... --update'")

    def model_names_recorded(self) -> List[str]:
        _, recorded = recorded_models(self.wb)
        return [r[0].casefold() for r in recorded or []]

    # -- journey --------------------------------------------------------

    def read_journey(self, ws) -> None:
        header = find_header(ws, C.JOURNEY_COLUMNS, "customer_step")
        col = header.columns
        self.header_problems(ws, header, C.JOURNEY_COLUMNS)
        if "customer_step" not in col:
            self.error(f"{ws.title}!A1", "no 'Customer step' column found in the header row; "
                       "name the column that describes each step 'Customer step'")
            return
        resolver = Resolver(self.models, self.removed, self.renamed, self.elsewhere)
        steps: List[Tuple[Tuple[float, int], JourneyStep]] = []
        last_key = 0.0
        for row, values in used_rows(ws, header.row + 1, max_column=header.last_column):
            def get(key):
                return self.cell(ws, values, row, col.get(key))

            def at(key):
                return self.place(ws, row, col.get(key, 1))

            others = [k for k in col if k != "step"]
            if all(is_blank(get(k)) for k in others):
                continue  # blank, or only a pre-typed step number
            step_text = text(get("step"))
            if step_text:
                match = re.search(r"(\d+(?:[.,]\d+)?)", step_text)  # "3", "3.5", "Step 3", "3a"
                if match:
                    last_key = float(match.group(1).replace(",", "."))
            journey_step = JourneyStep(
                number=0,
                step=step_text,
                customer_step=text(get("customer_step")),
                pain_point=text(get("pain_point")),
                notes=text(get("notes")),
                row=row,
                cell=self.place(ws, row, 1),
                supported_by_cell=at("supported_by") if "supported_by" in col else "",
                cells={key: at(key) for key in col},
            )
            if not journey_step.customer_step:
                self.warning(at("customer_step"), "this step has no description; say what the "
                             "customer does or goes through")
            if "stage" in col:
                journey_step.stage = self.stage(get("stage"), at("stage"))
            if "channel" in col:
                journey_step.channel = self.channel(get("channel"), at("channel"))
            if "device" in col:
                journey_step.device = self.device(get("device"), at("device"))
            persona = text(get("persona"))
            if persona:
                journey_step.persona = self.persona(persona, at("persona"), "persona") or persona
            if "emotion" in col:
                journey_step.emotion = self.emotion(get("emotion"), at("emotion"))
            if "moment_of_truth" in col:
                journey_step.moment_of_truth = bool(self.yes_no(get("moment_of_truth"),
                                                                at("moment_of_truth")))
            if "evidence" in col:
                journey_step.evidence = text(get("evidence"))
                journey_step.evidence_cell = at("evidence")
            if "supported_by" in col:
                typed = get("supported_by")
                journey_step.supported_by_text = text(typed)
                refs, problems = resolver.resolve(text(typed))
                journey_step.supported_by = refs
                for severity, message in problems:
                    self.problem(severity, at("supported_by"), message)
            steps.append(((last_key, row), journey_step))
        self.number_steps(ws, col.get("step"), steps)

    def number_steps(self, ws, column: Optional[int],
                     steps: List[Tuple[Tuple[float, int], JourneyStep]]) -> None:
        """Put the journey in Step order and number it with the owners' own numbers.

        Every output (findings, pictures, reports) says "step 4" for the row the owners
        numbered 4. When the numbers cannot be used as they are (a blank, a number in words,
        a fraction, a number used twice), each such cell gets a warning and the journey is
        numbered 1, 2, 3 ... in Step order instead, which the warnings say.
        """
        where = (lambda row: self.place(ws, row, column)) if column else (lambda row: ws.title)
        on_sheet = [step for _, step in steps]  # row order
        steps.sort(key=lambda item: item[0])
        unusable: List[Tuple[str, str]] = []  # (cell, why)
        first_at: Dict[str, str] = {}
        for key, step in sorted(steps, key=lambda item: item[1].row):  # as the sheet reads
            typed = step.step.strip()
            if not typed:
                unusable.append((where(step.row), "this step has no number; it stays right "
                                                 "after the row above it"))
            elif not re.search(r"\d", typed):
                unusable.append((where(step.row), f"step {quoted(typed)} is not a number; the "
                                                 "row stays right after the row above it"))
            elif not re.fullmatch(r"0*[1-9]\d*", typed):
                unusable.append((where(step.row), f"step {quoted(typed)} is read as {key[0]:g} "
                                                 "for the order; type a whole number alone"))
            elif typed.lstrip("0") in first_at:
                unusable.append((where(step.row), f"step {typed} is used twice (also at "
                                                 f"{first_at[typed.lstrip('0')]})"))
            else:
                first_at[typed.lstrip("0")] = where(step.row)
        for cell, why in unusable:
            self.warning(cell, f"{why}; until every step has a number of its own, the outputs "
                         "number the steps 1, 2, 3 ... in order")
        if not unusable:
            sheet_order = [int(s.step) for s in on_sheet]
            if sheet_order != sorted(sheet_order):
                later = next(s for a, s in zip(on_sheet, on_sheet[1:]) if int(s.step) < int(a.step))
                self.warning(where(later.row), f"step {later.step} comes after a higher step "
                             "number on the sheet; the journey follows the Step numbers, not "
                             "the order of the rows")
        for position, (_, journey_step) in enumerate(steps, start=1):
            journey_step.number = position if unusable else int(journey_step.step)
            self.result.journey.append(journey_step)

    # -- pools and lanes (the service blueprint's rows) -----------------------

    def blueprint_row(self, value, place: str) -> str:
        """A Blueprint row cell: one of the rows, '' when blank; an error names the cell."""
        typed = text(value)
        if not typed:
            return ""
        row = parse_blueprint_row(typed)
        if row is None:
            self.error(place, f"{quoted(typed)} is not a blueprint row; pick "
                       f"{or_list(list(BLUEPRINT_ROWS))}, or leave it empty for the suggestion")
            return ""
        return row

    def read_sides(self) -> None:
        """The Pools and lanes sheet: the owners' blueprint row of each pool and lane. A
        workbook made before the sheet existed simply has the suggestions."""
        ws = self.sheet(C.SIDES)
        if ws is None:
            return
        header = find_header(ws, C.SIDE_COLUMNS, "band_id")
        col = header.columns
        self.header_problems(ws, header, C.SIDE_COLUMNS)
        if "band_id" not in col:
            self.error(f"{ws.title}!A1", "no 'Pool/lane ID' column found in the header row; "
                       "bpmncx needs it to know which pool or lane each row is about")
            return
        default_model = self.models[0] if len(self.models) == 1 else None
        seen: Dict[Tuple[str, str], str] = {}
        # the real cells, never the extent the sheet declares: one value in row 1,048,576
        # must not make a million empty rows
        for row, values in used_rows(ws, header.row + 1, max_column=header.last_column):
            def get(key):
                return self.cell(ws, values, row, col.get(key))

            def at(key):
                return self.place(ws, row, col.get(key, 1))

            typed = text(get("blueprint_row"))
            if not typed:
                continue  # the suggestion holds
            status = text(self.cell(ws, values, row, header.status)) if header.status else ""
            if C.is_kept_status(status):
                self.warning(at("blueprint_row"), f"this row is marked {quoted(status)}, so its "
                             "blueprint row is not used")
                continue
            model_text = text(get("model"))
            model = self.model_of.get(model_text.casefold()) if model_text else default_model
            band_id = text(get("band_id"))
            if model is None:
                if model_text.casefold() not in self.model_names_recorded():
                    self.error(at("model"), f"{quoted(model_text)} is not one of the models given "
                               f"({or_list([model_file(m) for m in self.models])})")
                continue
            known = {b.id for b in bands(model)}
            if band_id not in known:
                self.warning(at("band_id"), f"pool or lane {quoted(band_id)} is not in "
                             f"{model_file(model)}, so its blueprint row is not used; run "
                             "'bpmncx template --update' to list the current pools and lanes")
                continue
            key = (model.name, band_id)
            if key in seen:
                self.error(at("band_id"), f"pool or lane {quoted(band_id)} has a second row (the "
                           f"first is at {seen[key]}); keep one")
                continue
            seen[key] = at("band_id")
            found = self.blueprint_row(typed, at("blueprint_row"))
            if found:
                self.result.sides[key] = found
                self.result.side_cells[key] = at("blueprint_row")


def _listed(model: Model):
    from .rows import listed_nodes

    return listed_nodes(model)
