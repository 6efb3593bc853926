"""Survey scores (CSAT, NPS, CES) read onto the workbook's emotion scale -2..+2.

A survey CSV (any delimiter, header row) has a score and, to place it, a case
id, a journey step (its text or number) or an element (id or name); optional:
the scale per row and a verbatim comment. Mapping, linear so that the ends of
each scale meet the ends of the emotion scale:

- CSAT 1..5 -> score - 3 (1 is -2, 3 is 0, 5 is +2);
- NPS 0..10 -> (score - 5) * 0.4 (0 is -2, 5 is 0, 10 is +2);
- CES 1..7 (7 = "easy") -> (score - 4) * 2/3 (1 is -2, 4 is 0, 7 is +2).

A score with a case id and no step or element counts for the last journey step
that case reached (surveys are answered after the last touch).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple

from ..errors import EventLogError
from ..files import InputRefused, read_input
from .columns import header_key
from .result import Emotion

SCALES: Dict[str, Tuple[float, float]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}

_MEANINGS = {
    "case_id": ("caseid", "case", "caseconceptname", "orderid", "ordernumber", "order",
                "ticketid", "claimid", "claimnumber", "respondentcase"),
    "step": ("journeystep", "step", "customerstep", "stepname"),
    "element": ("element", "elementid", "elementname", "touchpoint", "task", "activity"),
    "score": ("score", "rating", "value", "csat", "nps", "ces", "answer"),
    "scale": ("scale", "metric", "surveytype", "type", "kind"),
    "comment": ("comment", "verbatim", "feedback", "text", "remark"),
}


def to_emotion(score: float, scale: str) -> float:
    """A score on ``scale`` (csat, nps, ces) on the -2..+2 emotion scale."""
    low, high = SCALES[scale]
    return -2 + 4 * (score - low) / (high - low)


@dataclass(frozen=True)
class SurveyScore:
    line: int
    case_id: str
    step: str
    element: str
    emotion: float  # -2..+2
    comment: str = ""


@dataclass(frozen=True)
class Survey:
    source: str
    scores: Tuple[SurveyScore, ...]
    bad_rows: int = 0
    bad_examples: Tuple[str, ...] = ()

    def emotions(self, cur, mapper, numbers, elements):
        """Measured emotion per step number and per element source; (steps, elements,
        scores placed, scores not placed). ``cur`` holds the measure's case_step table."""
        step_scores: Dict[int, List[float]] = {}
        element_scores: Dict[int, List[float]] = {}
        by_case: List[Tuple[str, float]] = []
        unmatched = 0
        for score in self.scores:
            placed = False
            if score.element:
                meaning = mapper.meaning(score.element)
                if meaning.element is not None and meaning.element in elements:
                    element_scores.setdefault(elements[meaning.element], []).append(score.emotion)
                    placed = True
            if score.step:
                number = _step_number(mapper, score.step, numbers)
                if number is not None:
                    step_scores.setdefault(number, []).append(score.emotion)
                    placed = True
            if not placed and score.case_id and not score.step and not score.element:
                by_case.append((score.case_id, score.emotion))
                continue
            unmatched += not placed
        if by_case:
            last = dict(cur.execute(
                "SELECT c.case_id, arg_max(step, last_ts) FROM case_step "
                "JOIN cases c USING (case_no) GROUP BY c.case_id"
            ).fetchall())
            for case_id, emotion in by_case:
                if case_id in last:
                    step_scores.setdefault(last[case_id], []).append(emotion)
                else:
                    unmatched += 1
        placed = len(self.scores) - unmatched
        return (_means(step_scores), _means(element_scores), placed, unmatched)


def _step_number(mapper, text: str, numbers) -> Optional[int]:
    meaning = mapper.meaning(text)
    if meaning.step is not None:
        return meaning.step
    text = text.strip()
    if text.isdigit() and int(text) in numbers:
        return int(text)
    return None


def _means(scores: Dict[int, List[float]]) -> Dict[int, Emotion]:
    return {key: Emotion(round(sum(v) / len(v), 3), len(v)) for key, v in scores.items()}


def _records(path: str, reader) -> Iterator[Tuple[int, List[str]]]:
    """(line, row) of each record; a record the csv module refuses (a field past its
    131,072-character limit, mostly a quote left open) is one error naming its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            reason = ("a field longer than 131,072 characters (a quote left open?)"
                      if "field limit" in str(error) else f"not readable as CSV: {error}")
            raise EventLogError(path, reason, line=reader.line_num) from None
        yield reader.line_num, row


def read_survey(path, scale: Optional[str] = None) -> Survey:
    """Read a survey CSV. ``scale`` (csat, nps, ces) applies to rows without their
    own; a column named CSAT, NPS or CES says its scale too. Bad rows are counted."""
    path = os.fspath(path)
    if scale is not None and scale.casefold() not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    try:
        data = read_input(path, "BPMNCX_MAX_SURVEY_BYTES", "survey")
    except InputRefused as refused:
        raise EventLogError(path, str(refused)) from None
    except IsADirectoryError:
        raise EventLogError(path, "is a folder, not a survey file") from None
    except OSError as error:
        raise EventLogError(path, f"cannot read file: {error.strerror or error}") from None
    if not data.strip():
        raise EventLogError(path, "file is empty, not a survey")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise EventLogError(path, "not UTF-8 text; save the survey as CSV UTF-8", line=line) \
            from None
    try:
        dialect = csv.Sniffer().sniff(text[:64 * 1024], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = _records(path, csv.reader(io.StringIO(text, newline=""), dialect))
    header = next(reader, (1, []))[1]
    keys = [header_key(h) for h in header]
    column: Dict[str, Optional[int]] = {}
    for role, meanings in _MEANINGS.items():
        column[role] = next((keys.index(k) for k in meanings if k in keys), None)
    if column["score"] is None:
        raise EventLogError(path, f"no score column (columns: {', '.join(header) or 'none'})")
    if column["case_id"] is None and column["step"] is None and column["element"] is None:
        raise EventLogError(path, "no case id, journey step or element column to place the "
                                  f"scores (columns: {', '.join(header)})")
    named_scale = keys[column["score"]] if keys[column["score"]] in SCALES else None
    default = (scale or "").casefold() or named_scale
    scores: List[SurveyScore] = []
    bad: List[str] = []
    bad_count = 0

    def cell(row, role) -> str:
        index = column[role]
        return row[index].strip() if index is not None and index < len(row) else ""

    for line, row in reader:
        if not any(c.strip() for c in row):
            continue
        row_scale = cell(row, "scale").casefold() or default
        problem = None
        try:
            value = float(cell(row, "score").replace(",", "."))
        except ValueError:
            value = None
            problem = f"score \u201c{cell(row, 'score')}\u201d is not a number"
        if problem is None and row_scale not in SCALES:
            problem = ("no scale (CSAT, NPS or CES)" if not row_scale
                       else f"scale \u201c{row_scale}\u201d is not CSAT, NPS or CES")
        if problem is None:
            low, high = SCALES[row_scale]
            if not low <= value <= high:
                problem = (f"score {cell(row, 'score')} is outside "
                           f"{row_scale.upper()} {low:g}..{high:g}")
        if problem is not None:
            bad_count += 1
            if len(bad) < 5:
                bad.append(f"line {line}: {problem}")
            continue
        scores.append(SurveyScore(line, cell(row, "case_id"), cell(row, "step"),
                                  cell(row, "element"), round(to_emotion(value, row_scale), 4),
                                  cell(row, "comment")))
    return Survey(path, tuple(scores), bad_count, tuple(bad))
