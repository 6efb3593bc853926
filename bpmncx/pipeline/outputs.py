"""Output formats and file names: one list of formats, one naming rule, one parser.

The default view (lowest emotion across personas) takes the plain names:
``<model>.svg``, ``<model>.cx.bpmn``, ``<model>.html``, ``<model>-report.xlsx``,
``<model>.blueprint.svg`` (the service blueprint);
a persona's view adds ``.<persona>`` after the model name, a diagram drawn besides
the main one (``--diagram all``) ``.<diagram>`` after that; every persona side by side
(``annotate --persona compare``) is ``.compare``. ``annotate``, ``batch`` and ``render``
name their files here.
"""

from __future__ import annotations

from typing import Dict, Iterable, Optional, Sequence, Tuple

from ..errors import BpmncxError
from ..files import safe_file_stem
from ..model import Plane

FORMATS: Tuple[str, ...] = ("svg", "png", "pdf", "bpmn", "html", "xlsx", "blueprint")
DIAGRAM_FORMATS: Tuple[str, ...] = ("svg", "png", "pdf")
COMPARE = "compare"  # --persona compare: one view with every persona side by side
ANNOTATED_SUFFIX = ".cx.bpmn"  # what annotate and batch write; batch never reads them as models
_SUFFIX = {"bpmn": ANNOTATED_SUFFIX, "xlsx": "-report.xlsx", "blueprint": ".blueprint.svg"}


class FormatError(BpmncxError):
    """A list of output formats names one bpmncx does not write."""


def suffix(fmt: str) -> str:
    """What follows the model's name in an output file: ``.svg``, ``.cx.bpmn``, ``-report.xlsx``."""
    return _SUFFIX.get(fmt, "." + fmt)


def _slug(text: str) -> str:
    """Letters and digits kept (lower case), every other run of characters one ``-``."""
    slug = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in slug.split("-") if part)


def is_compare(persona: Optional[str]) -> bool:
    """Whether ``--persona`` asks for every persona side by side."""
    return persona is not None and persona.strip().casefold() == COMPARE


def persona_slug(persona: Optional[str]) -> str:
    """A file-name part for a persona: ``Small business owner`` -> ``small-business-owner``
    (:data:`COMPARE` -> ``compare``)."""
    if persona is None:
        return "lowest"
    return _slug(persona) or "persona"


def diagram_slugs(planes: Sequence[Plane]) -> Dict[int, str]:
    """A file-name part for each diagram of one model, unique within it: the diagram's
    name, else its id, made file-safe (``Check for connected clients`` ->
    ``check-for-connected-clients``); a repeat gets ``-2``, ``-3`` ... Keyed by the
    plane's position in ``planes`` (ids may be missing or repeated in real files)."""
    slugs: Dict[int, str] = {}
    taken = set()
    for index, plane in enumerate(planes):
        base = _slug(plane.label) or f"diagram-{index + 1}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs[index] = slug
    return slugs


def output_name(stem: str, persona: Optional[str], fmt: str,
                diagram: Optional[str] = None) -> str:
    """The file name of one output: ``claim.svg``, ``claim.first-time-claimant.cx.bpmn``,
    ``claim.payroll.svg`` (``diagram``: a slug from :func:`diagram_slugs`) ..."""
    if persona:
        stem = f"{stem}.{persona_slug(persona)}"
    if diagram:
        stem = f"{stem}.{diagram}"
    if stem:  # a 240-character persona must not make every output's name too long
        stem = safe_file_stem(stem)
    return stem + suffix(fmt)


def parse_formats(value: "str | Iterable[str]", allowed: Sequence[str] = FORMATS) -> Tuple[str, ...]:
    """``"svg, PNG,svg"`` -> ``("svg", "png")``: each once, in the order given.

    Raises :class:`FormatError` naming the first unknown format, or when none is given.
    """
    parts = value.split(",") if isinstance(value, str) else list(value)
    chosen = []
    for part in parts:
        fmt = part.strip().lower()
        if not fmt:
            continue
        if fmt not in allowed:
            raise FormatError(f"unknown format '{fmt}'; choose from {', '.join(allowed)}")
        if fmt not in chosen:
            chosen.append(fmt)
    if not chosen:
        raise FormatError(f"give at least one format of {', '.join(allowed)}")
    return tuple(chosen)
