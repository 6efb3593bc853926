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

from ..annotations import Annotations, ElementRef, JourneyStep, Persona, Problem, Touchpoint
from ..errors import WorkbookError
from ..model import Model
from . import columns as C
from .files import open_workbook
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
    values = open_workbook(path, data_only=True)
    formulas = open_workbook(path, data_only=False)
    return _Reader(path, values, formulas, list(models)).read()


class _Reader:
    def __init__(self, path: str, wb, formulas, models: List[Model]):
        self.path = path
        self.wb = wb
        self.formulas = formulas
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
            raw = self.formulas[ws.title].cell(row=row, column=column).value
            if isinstance(raw, str) and raw.startswith("="):
                self.warning(self.place(ws, row, column),
                             "the formula has no saved result, so it reads as empty; open the "
                             "workbook in Excel or LibreOffice and save it, or type the value")
        return value

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
        return self.result

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
            by_hash = next((m for m in self.models if m.sha256 == sha), None)
            by_name = next((m for m in self.models if name.casefold() in
                            (m.name.casefold(), model_file(m).casefold())), None)
            model = by_hash or by_name
            if model is None:
                continue
            matched.add(id(model))
            self.model_of[name.casefold()] = model
            if by_hash is None:
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
                f"this workbook was made for {made_for}, not for {given}; give the model it was "
                "made for, or make a new workbook with 'bpmncx template'",
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
        header = find_header(ws, C.TOUCHPOINT_FIXED + C.TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS
                                  + C.TOUCHPOINT_EDITABLE_AFTER_EMOTIONS, "element_id", emotions=True)
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
                          "pain_point", "opportunity", "notes")
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
                else:
                    self.warning(at("step"), f"step {quoted(step_text)} is not a number; the row "
                                 "stays right after the row above it")
            journey_step = JourneyStep(
                number=0,
                step=step_text,
                customer_step=text(get("customer_step")),
                pain_point=text(get("pain_point")),
                notes=text(get("notes")),
                row=row,
                cell=self.place(ws, row, 1),
                supported_by_cell=at("supported_by") if "supported_by" in col else "",
            )
            if not journey_step.customer_step:
                self.warning(at("customer_step"), "this step has no description; say what the "
                             "customer does or goes through")
            if "stage" in col:
                journey_step.stage = self.stage(get("stage"), at("stage"))
            if "channel" in col:
                journey_step.channel = self.channel(get("channel"), at("channel"))
            persona = text(get("persona"))
            if persona:
                journey_step.persona = self.persona(persona, at("persona"), "persona") or persona
            if "emotion" in col:
                journey_step.emotion = self.emotion(get("emotion"), at("emotion"))
            if "moment_of_truth" in col:
                journey_step.moment_of_truth = bool(self.yes_no(get("moment_of_truth"),
                                                                at("moment_of_truth")))
            if "supported_by" in col:
                typed = get("supported_by")
                journey_step.supported_by_text = text(typed)
                refs, problems = resolver.resolve(text(typed))
                journey_step.supported_by = refs
                for severity, message in problems:
                    self.problem(severity, at("supported_by"), message)
            steps.append(((last_key, row), journey_step))
        steps.sort(key=lambda item: item[0])
        for number, (_, journey_step) in enumerate(steps, start=1):
            journey_step.number = number
            self.result.journey.append(journey_step)


def _listed(model: Model):
    from .rows import listed_nodes

    return listed_nodes(model)
