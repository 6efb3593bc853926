"""The bpmncx data inside an annotated BPMN file, and reading it back.

Touchpoint data sits in each element's ``extensionElements`` as
``<cx:touchpoint>``; personas, channels, stages and the journey sit once in the
``extensionElements`` of the collaboration (or the first process) as
``<cx:journeyMap>``. Everything is in the bpmncx namespace, so other tools keep
it untouched and :func:`annotations_from_bpmn` can read an annotated file as a
source of annotations, just like a workbook.
"""

from __future__ import annotations

import os
from typing import Collection, Dict, Iterable, List, Optional, Sequence, Tuple, Union
from urllib.parse import quote, unquote

from ..annotations import Annotations, ElementRef, JourneyStep, Persona, Problem, Touchpoint
from ..model import Model
from ..vocabulary import BLUEPRINT_ROWS
from .source import escape_attr, escape_text
from .xml import MODEL_NS, parse_bytes, read_bytes

CX_NS = "https://bpmncx.org/schema/cx/1.0"
_CX = "{%s}" % CX_NS
_EXTENSIONS = "{%s}extensionElements" % MODEL_NS


def xml_element(
    qname: str,
    attrs: Sequence[Tuple[str, str]] = (),
    children: Sequence[str] = (),
    text: Optional[str] = None,
    sep: str = "",
) -> str:
    """One element as text. ``children`` are already-built element texts placed on
    their own lines (``sep`` is newline + this element's indent, or "")."""
    head = "<" + qname + "".join(f' {n}="{escape_attr(v)}"' for n, v in attrs if v is not None)
    if text is not None:
        return f"{head}>{escape_text(text)}</{qname}>"
    if not children:
        return head + "/>"
    inner = sep + "  " if sep else ""
    return head + ">" + "".join(inner + c for c in children) + sep + f"</{qname}>"


def _flag(value: Optional[bool]) -> Optional[str]:
    if value is None:
        return None
    return "true" if value else "false"


def _opt(value: str) -> Optional[str]:
    return value if value else None


def touchpoint_xml(
    tp: Touchpoint, cx: str, sep: str = "", marker: Sequence[Tuple[str, str]] = (),
    with_element: bool = False,
) -> str:
    """``<cx:touchpoint>`` for one element (the element is its parent, unless
    ``with_element`` names it: a touchpoint whose element is not in the file)."""
    emotions = [
        xml_element(f"{cx}:emotion", [("persona", name), ("score", str(score))])
        for name, score in tp.emotions.items()
    ]
    attrs = list(marker) + [
        ("element", tp.element_id if with_element else None),
        ("customerFacing", _flag(tp.customer_facing)),
        ("touchpoint", _opt(tp.touchpoint)),
        ("channel", _opt(tp.channel)),
        ("stage", _opt(tp.stage)),
        ("momentOfTruth", "true" if tp.moment_of_truth else None),
        ("painPoint", _opt(tp.pain_point)),
        ("opportunity", _opt(tp.opportunity)),
        ("notes", _opt(tp.notes)),
        ("blueprintRow", _opt(tp.blueprint_row)),
        ("elementName", _opt(tp.element_name)),
        ("elementType", _opt(tp.element_type)),
        ("pool", _opt(tp.pool)),
        ("lane", _opt(tp.lane)),
        ("row", str(tp.row) if tp.row else None),
        ("cell", _opt(tp.cell)),
        ("cells", _cells_text(tp.cells)),
    ]
    return xml_element(f"{cx}:touchpoint", attrs, emotions, sep=sep)


# The cells findings point at (Touchpoint.cell_of, JourneyStep.cell_of), kept so that a
# workbook read back from the annotated file names the same cells as the workbook did.
_FINDING_CELLS = ("customer_facing", "channel", "emotion", "pain_point")


def _cells_text(cells) -> Optional[str]:
    kept = [(key, ref) for key, ref in sorted(cells.items())
            if key in _FINDING_CELLS or key.startswith("emotion:")]
    if not kept:
        return None
    return "|".join(f"{quote(key, safe='')}={quote(ref, safe='!')}" for key, ref in kept)


def _cells_of(el) -> Dict[str, str]:
    cells = {}
    for part in (el.get("cells") or "").split("|"):
        key, sep, ref = part.partition("=")
        if sep:
            cells[unquote(key)] = unquote(ref)
    return cells


def journey_map_xml(
    annotations: Annotations,
    model_name: str,
    cx: str,
    sep: str = "",
    marker: Sequence[Tuple[str, str]] = (),
    orphans: Sequence[Touchpoint] = (),
    aliases: Collection[str] = (),
) -> str:
    """``<cx:journeyMap>``: personas, channels, stages, every journey step, and the
    touchpoints (``orphans``) whose element is not in this file. References to a
    model named in ``aliases`` are written as references to ``model_name``."""
    inner = sep + "  " if sep else ""
    children: List[str] = []
    for p in annotations.personas:
        children.append(
            xml_element(
                f"{cx}:persona",
                [
                    ("name", p.name),
                    ("description", _opt(p.description)),
                    ("goals", _opt(p.goals)),
                    ("frustrations", _opt(p.frustrations)),
                    ("negative", "true" if p.negative else None),
                    ("cell", _opt(p.cell)),
                ],
                [xml_element(f"{cx}:preferredChannel", text=c) for c in p.preferred_channels],
                sep=inner,
            )
        )
    children += [xml_element(f"{cx}:channel", text=c) for c in annotations.channels]
    children += [xml_element(f"{cx}:stage", text=s) for s in annotations.stages]
    for step in annotations.journey:
        refs = [
            xml_element(
                f"{cx}:supportedBy",
                [
                    ("model", model_name if r.model in aliases else r.model),
                    ("element", r.element_id),
                ],
            )
            for r in step.supported_by
        ]
        children.append(
            xml_element(
                f"{cx}:step",
                [
                    ("number", str(step.number)),
                    ("step", step.step),
                    ("stage", _opt(step.stage)),
                    ("customerStep", _opt(step.customer_step)),
                    ("channel", _opt(step.channel)),
                    ("device", _opt(step.device)),
                    ("persona", _opt(step.persona)),
                    ("emotion", None if step.emotion is None else str(step.emotion)),
                    ("momentOfTruth", "true" if step.moment_of_truth else None),
                    ("supportedByText", _opt(step.supported_by_text)),
                    ("painPoint", _opt(step.pain_point)),
                    ("notes", _opt(step.notes)),
                    ("row", str(step.row) if step.row else None),
                    ("cell", _opt(step.cell)),
                    ("supportedByCell", _opt(step.supported_by_cell)),
                    ("cells", _cells_text(step.cells)),
                    ("evidence", _opt(step.evidence)),
                    ("evidenceCell", _opt(step.evidence_cell)),
                ],
                refs,
                sep=inner,
            )
        )
    children += [touchpoint_xml(tp, cx, inner, with_element=True) for tp in orphans]
    for (side_model, band_id), row in sorted(annotations.sides.items()):
        children.append(xml_element(f"{cx}:blueprintRow", [
            ("model", model_name if side_model in aliases else side_model),
            ("id", band_id), ("row", row),
            ("cell", _opt(annotations.side_cells.get((side_model, band_id), ""))),
        ]))
    return xml_element(
        f"{cx}:journeyMap",
        list(marker)
        + [("model", model_name), ("source", _opt(os.path.basename(annotations.source)))],
        children,
        sep=sep,
    )


# -- reading back -------------------------------------------------------------


def _get(el, name: str, default: str = "") -> str:
    return el.get(name, default)


def _int(el, name: str, where: str, problems: List[Problem], default=0) -> Optional[int]:
    value = el.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        problems.append(Problem("error", where, f"{name}={value!r} is not a whole number"))
        return default


def _read_touchpoint(el, model_name: str, element_id: str, where: str, problems) -> Touchpoint:
    flag = el.get("customerFacing")
    emotions = {}
    for e in el.iterchildren(_CX + "emotion"):
        score = _int(e, "score", where, problems, None)
        if score is None or not -2 <= score <= 2:
            problems.append(Problem("error", where, f"emotion {e.get('score')!r} is not -2..+2"))
            continue
        emotions[_get(e, "persona")] = score
    return Touchpoint(
        model=model_name,
        element_id=element_id,
        element_name=_get(el, "elementName"),
        element_type=_get(el, "elementType"),
        pool=_get(el, "pool"),
        lane=_get(el, "lane"),
        customer_facing=None if flag is None else flag == "true",
        touchpoint=_get(el, "touchpoint"),
        channel=_get(el, "channel"),
        stage=_get(el, "stage"),
        moment_of_truth=el.get("momentOfTruth") == "true",
        emotions=emotions,
        pain_point=_get(el, "painPoint"),
        opportunity=_get(el, "opportunity"),
        notes=_get(el, "notes"),
        row=_int(el, "row", where, problems),
        cell=_get(el, "cell"),
        cells=_cells_of(el),
        blueprint_row=_blueprint_row(el, where, problems),
    )


def _blueprint_row(el, where: str, problems: List[Problem]) -> str:
    name = "row" if el.tag == _CX + "blueprintRow" else "blueprintRow"
    value = el.get(name) or ""
    if value and value not in BLUEPRINT_ROWS:
        problems.append(Problem("error", where, f"blueprint row {value!r} is not one of "
                                f"{', '.join(BLUEPRINT_ROWS)}"))
        return ""
    return value


def _read_step(el, where: str, problems, rename) -> JourneyStep:
    return JourneyStep(
        number=_int(el, "number", where, problems),
        step=_get(el, "step"),
        stage=_get(el, "stage"),
        customer_step=_get(el, "customerStep"),
        channel=_get(el, "channel"),
        device=_get(el, "device"),
        persona=_get(el, "persona"),
        emotion=_int(el, "emotion", where, problems, None),
        moment_of_truth=el.get("momentOfTruth") == "true",
        supported_by=[
            ElementRef(rename.get(_get(r, "model"), _get(r, "model")), _get(r, "element"))
            for r in el.iterchildren(_CX + "supportedBy")
        ],
        supported_by_text=_get(el, "supportedByText"),
        pain_point=_get(el, "painPoint"),
        notes=_get(el, "notes"),
        row=_int(el, "row", where, problems),
        cell=_get(el, "cell"),
        supported_by_cell=_get(el, "supportedByCell"),
        cells=_cells_of(el),
        evidence=_get(el, "evidence"),
        evidence_cell=_get(el, "evidenceCell"),
    )


def _texts(el, local: str) -> Tuple[str, ...]:
    return tuple((c.text or "") for c in el.iterchildren(_CX + local))


def annotations_from_bpmn(
    path_or_bytes: Union[str, os.PathLike, bytes], models: Iterable[Model] = ()
) -> Annotations:
    """Read the bpmncx data of an annotated BPMN file back into :class:`Annotations`.

    ``models`` (optional) are checked against: a touchpoint on an element that is
    not in the model of the same name is reported as a problem.
    """
    if isinstance(path_or_bytes, bytes):
        data, path = path_or_bytes, "<bytes>"
    else:
        path = os.fspath(path_or_bytes)
        data = read_bytes(path)
    models = list(models)
    root, _ = parse_bytes(data, path)
    problems: List[Problem] = []
    name = os.path.basename(path)
    maps = list(root.iter(_CX + "journeyMap"))
    default_model = _default_model_name(path, models)
    model_name = maps[0].get("model", default_model) if maps else default_model
    stored_name = model_name
    names = [m.name for m in models]
    if len(names) == 1 and model_name not in names:
        model_name = names[0]  # e.g. the annotated file itself given as the model
    result = Annotations(source=path, problems=problems)
    if not maps:
        problems.append(Problem("error", name, "no bpmncx journey data in this file: give the "
                                "workbook (.xlsx) or a file written by `bpmncx annotate "
                                "--format bpmn`"))
    else:
        jm = maps[0]
        for p in jm.iterchildren(_CX + "persona"):
            result.personas.append(
                Persona(
                    name=_get(p, "name"),
                    description=_get(p, "description"),
                    goals=_get(p, "goals"),
                    frustrations=_get(p, "frustrations"),
                    preferred_channels=list(_texts(p, "preferredChannel")),
                    cell=_get(p, "cell"),
                    negative=p.get("negative") == "true",
                )
            )
        result.channels = _texts(jm, "channel")
        result.stages = _texts(jm, "stage")
        for s in jm.iterchildren(_CX + "step"):
            where = f"{name} step {s.get('step', '?')}"
            result.journey.append(_read_step(s, where, problems, {stored_name: model_name}))
        for b in jm.iterchildren(_CX + "blueprintRow"):
            row = _blueprint_row(b, f"{name} blueprint row of {b.get('id', '?')}", problems)
            side_model = _get(b, "model", stored_name)
            key = ({stored_name: model_name}.get(side_model, side_model), _get(b, "id"))
            if row and key[1]:
                result.sides[key] = row
                if b.get("cell"):
                    result.side_cells[key] = b.get("cell")
    for el in root.iter(_CX + "touchpoint"):
        if el.get("element"):
            result.touchpoints.append(
                _read_touchpoint(el, model_name, el.get("element"), f"{name} touchpoint", problems)
            )
            continue
        ext = el.getparent()
        element = ext.getparent() if ext is not None and ext.tag == _EXTENSIONS else None
        if element is None or not element.get("id"):
            problems.append(
                Problem(
                    "warning", name, f"touchpoint data outside an element (line {el.sourceline})"
                )
            )
            continue
        result.touchpoints.append(
            _read_touchpoint(
                el, model_name, element.get("id"), f"{name} element {element.get('id')}", problems
            )
        )
    # the workbook's order (its rows), else the order in the file
    result.touchpoints.sort(key=lambda tp: (tp.row == 0, tp.row))
    _check_against(result, models, name)
    return result


def _default_model_name(path: str, models: Iterable[Model]) -> str:
    if len(models) == 1:
        return models[0].name
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem[: -len(".cx")] if stem.endswith(".cx") else stem


def _check_against(result: Annotations, models: Iterable[Model], name: str) -> None:
    by_name = {m.name: m for m in models}
    if not by_name:
        return
    for tp in result.touchpoints:
        model = by_name.get(tp.model)
        if model is None:
            result.problems.append(
                Problem("warning", name, f"made for model {tp.model!r}, which was not given")
            )
            return
        if tp.element_id not in model.node:
            result.problems.append(
                Problem(
                    "error",
                    name,
                    f"touchpoint on {tp.element_id}, which is not an activity or event in "
                    f"{os.path.basename(model.path)}",
                )
            )
