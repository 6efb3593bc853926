"""Sheet names, column headers and the header spellings the reader accepts.

Everything that names a place in the workbook lives here, so the writer, the
reader and ``--update`` cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

FORMAT_VERSION = "1"

INSTRUCTIONS = "Instructions"
PERSONAS = "Personas"
TOUCHPOINTS = "Touchpoints"
JOURNEY = "Journey"
LISTS = "Lists"


@dataclass(frozen=True)
class Column:
    key: str  # what the code calls it
    header: str  # what the owner sees
    width: float
    editable: bool
    wrap: bool = False
    aliases: Tuple[str, ...] = ()
    help: str = ""


# -- Personas --------------------------------------------------------------

PERSONA_COLUMNS: Tuple[Column, ...] = (
    Column("persona", "Persona", 22, True, aliases=("name", "persona name"),
           help="A short name, e.g. 'First-time claimant'. Used in the Emotion columns and the Journey."),
    Column("description", "Description", 50, True, wrap=True,
           help="Who they are, in a sentence or two."),
    Column("goals", "Goals", 40, True, wrap=True, aliases=("goal",),
           help="What they want to get done."),
    Column("frustrations", "Frustrations", 40, True, wrap=True, aliases=("frustration", "pains"),
           help="What annoys or worries them."),
    Column("preferred_channels", "Preferred channels", 28, True, wrap=True,
           aliases=("preferred channel", "channels"),
           help="Channels they like, separated by commas."),
)

# -- Touchpoints -----------------------------------------------------------

TOUCHPOINT_FIXED: Tuple[Column, ...] = (
    Column("model", "Model", 16, False, help="The BPMN file (read-only)."),
    Column("pool", "Pool", 18, False, wrap=True, aliases=("participant",), help="Read-only."),
    Column("lane", "Lane", 18, False, wrap=True, help="Read-only."),
    Column("element_id", "Element ID", 22, False, aliases=("id", "element id", "bpmn id"),
           help="Read-only: how bpmncx finds the element. Do not edit."),
    Column("element_name", "Element name", 30, False, wrap=True, aliases=("name", "element"),
           help="Read-only."),
    Column("type", "Type", 20, False, wrap=True, aliases=("element type",), help="Read-only."),
    Column("suggestion", "Suggestion", 36, False, wrap=True,
           help="Read-only: why bpmncx thinks the customer may see this step."),
)
TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS: Tuple[Column, ...] = (
    Column("customer_facing", "Customer-facing?", 14, True,
           aliases=("customer facing", "customerfacing", "customer-facing", "facing customer"),
           help="Yes if the customer sees, does or feels this step; No if not."),
    Column("touchpoint", "Touchpoint", 34, True, wrap=True,
           aliases=("touch point", "what the customer experiences", "customer experience"),
           help="What the customer experiences, in their words."),
    Column("channel", "Channel", 16, True, help="Pick from the list."),
    Column("stage", "Journey stage", 16, True, aliases=("stage",), help="Pick from the list."),
    Column("moment_of_truth", "Moment of truth", 12, True,
           aliases=("moment of truth?", "mot", "moment-of-truth"),
           help="Yes if this step makes or breaks the customer's trust."),
)
TOUCHPOINT_EDITABLE_AFTER_EMOTIONS: Tuple[Column, ...] = (
    Column("pain_point", "Pain point", 34, True, wrap=True, aliases=("pain", "pain points"),
           help="What goes wrong for the customer here."),
    Column("opportunity", "Opportunity", 34, True, wrap=True, aliases=("opportunities", "idea"),
           help="What could be better."),
    Column("notes", "Notes", 30, True, wrap=True, aliases=("note", "comments", "comment")),
)
STATUS = Column("status", "Status", 24, False, wrap=True,
                help="Read-only: set by 'bpmncx template --update' (new or removed elements).")

EMOTION_PREFIX = "Emotion: "
EMOTION_WIDTH = 18
EMOTION_HELP = "How this persona feels here: pick from the list (-2 .. +2)."

STATUS_REMOVED = "element removed from model"
STATUS_MODEL_MISSING = "model not included in the last update"
STATUS_NO_ID = "row without an element ID"
STATUS_DUPLICATE = "second row for this element (kept, ignored)"
STATUS_NEW = "new in this version"
STATUS_RENAMED = "renamed (was \u201c{old}\u201d)"

# -- Journey ---------------------------------------------------------------

JOURNEY_COLUMNS: Tuple[Column, ...] = (
    Column("step", "Step", 7, True, aliases=("#", "no", "nr", "step no", "step number", "order"),
           help="1, 2, 3 ... in the order the customer lives it."),
    Column("stage", "Stage", 14, True, aliases=("journey stage",), help="Pick from the list."),
    Column("customer_step", "Customer step", 36, True, wrap=True,
           aliases=("customer action", "what the customer does", "step description", "activity"),
           help="What the customer does or goes through, in their words."),
    Column("channel", "Channel", 16, True, help="Pick from the list."),
    Column("persona", "Persona", 18, True, help="Pick from the list (the Personas sheet)."),
    Column("emotion", "Emotion", 18, True, aliases=("feeling", "mood"),
           help="How they feel: -2 .. +2, a word or an emoji."),
    Column("moment_of_truth", "Moment of truth", 12, True,
           aliases=("moment of truth?", "mot", "moment-of-truth"), help="Yes or No."),
    Column("supported_by", "Supported by", 34, True, wrap=True,
           aliases=("supported by (element ids or names)", "bpmn elements", "elements",
                    "process steps", "supporting tasks"),
           help="Element IDs or names from the Touchpoints sheet, separated by comma, "
                "semicolon or line break. Leave empty if no process step supports it."),
    Column("pain_point", "Pain point", 34, True, wrap=True, aliases=("pain", "pain points")),
    Column("notes", "Notes", 30, True, wrap=True, aliases=("note", "comments", "comment")),
)

# -- Lists (hidden) --------------------------------------------------------

LIST_HEADERS = ("Yes/No", "Channels", "Stages", "Emotions")

# -- Instructions: the model table -----------------------------------------

MODEL_TABLE_HEADERS = ("Model", "File", "SHA-256")


def normalise_header(text) -> str:
    """Lower case, single spaces, no surrounding punctuation: 'Customer-facing? ' -> 'customer-facing'."""
    if text is None:
        return ""
    text = str(text).replace("\u00a0", " ").strip().casefold()
    text = re.sub(r"\s+", " ", text)
    return text.strip(" ?:*.")


def header_lookup(columns) -> Dict[str, str]:
    """Normalised header or alias -> column key."""
    table: Dict[str, str] = {}
    for col in columns:
        for spelling in (col.header,) + col.aliases:
            table.setdefault(normalise_header(spelling), col.key)
    return table


def emotion_persona(header) -> Optional[str]:
    """'Emotion: Busy parent' -> 'Busy parent'; None for other headers."""
    if header is None:
        return None
    text = str(header).strip()
    match = re.match(r"(?i)^\s*(emotion|feeling)\s*[:\-\u2013(]\s*(.*?)\s*\)?\s*$", text)
    if not match or not match.group(2):
        return None
    return match.group(2)


def emotion_header(persona: str) -> str:
    return f"{EMOTION_PREFIX}{persona}"


def is_kept_status(status) -> bool:
    """A row --update kept for its owners' text but that no longer stands for an element."""
    folded = str(status or "").casefold()
    return any(s in folded for s in (STATUS_REMOVED, STATUS_MODEL_MISSING, STATUS_NO_ID,
                                        "second row for this element"))
