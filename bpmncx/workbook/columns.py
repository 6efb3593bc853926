"""Sheet names, column headers and the header spellings the reader accepts.

Everything that names a place in the workbook lives here, so the writer, the
reader and ``--update`` cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Dict, List, Optional, Tuple

FORMAT_VERSION = "1"

INSTRUCTIONS = "Instructions"
PERSONAS = "Personas"
TOUCHPOINTS = "Touchpoints"
JOURNEY = "Journey"
SIDES = "Pools and lanes"
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
    # a column added after workbooks were in use: an older workbook without it is fine
    optional: bool = False


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
    Column("negative", "Negative persona?", 14, True, optional=True,
           aliases=("negative persona", "negative", "anti persona", "not for them"),
           help="Yes for someone the product is NOT meant for: their emotions are shown apart "
                "and never raise a pain point or put a moment of truth at risk."),
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
    Column("blueprint_row", "Blueprint row", 16, True, optional=True,
           aliases=("blueprint", "blueprint lane", "service blueprint row"),
           help="Leave empty: the element is in its lane's row (Pools and lanes sheet). "
                "Pick a row when this element differs, e.g. a backstage lane's one call to "
                "the customer."),
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
STATUS_BAND_REMOVED = "pool or lane removed from model"
STATUS_RENAMED = "renamed (was \u201c{old}\u201d)"

# -- Journey ---------------------------------------------------------------

JOURNEY_COLUMNS: Tuple[Column, ...] = (
    Column("step", "Step", 7, True, aliases=("#", "no", "nr", "step no", "step nr", "step #", "step number",
                                             "number", "order", "sequence", "seq"),
           help="1, 2, 3 ... in the order the customer lives it."),
    Column("stage", "Stage", 14, True, aliases=("journey stage",), help="Pick from the list."),
    Column("customer_step", "Customer step", 36, True, wrap=True,
           aliases=("customer action", "what the customer does", "step description", "activity"),
           help="What the customer does or goes through, in their words."),
    Column("channel", "Channel", 16, True, help="Pick from the list."),
    Column("persona", "Persona", 18, True, aliases=("persona name", "segment", "customer type"),
           help="Pick from the list (the Personas sheet)."),
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
    Column("evidence", "Evidence", 30, True, wrap=True, optional=True,
           aliases=("physical evidence", "what the customer sees or gets", "artefact",
                    "artifact", "props"),
           help="What the customer sees or gets here: an email, a letter, a screen, a parcel."),
    # Last, not beside Channel: a column added later must not move the letters of the
    # columns owners already know (an older workbook gets it last on --update too).
    Column("device", "Device", 14, True, optional=True,
           aliases=("devices", "device type", "customer device", "end device", "gerät",
                    "endgerät", "appareil", "dispositivo"),
           help="What the customer uses here: Desktop, Tablet, Mobile, Phone call, In person, "
                "Paper, Kiosk or Other. A channel the device cannot use is a channel mismatch."),
)

# -- Pools and lanes -------------------------------------------------------

SIDE_COLUMNS: Tuple[Column, ...] = (
    Column("model", "Model", 16, False, help="The BPMN file (read-only)."),
    Column("pool", "Pool", 22, False, wrap=True, aliases=("participant",), help="Read-only."),
    Column("lane", "Lane", 22, False, wrap=True, help="Read-only; empty on the pool's own row."),
    Column("band_id", "Pool/lane ID", 22, False,
           aliases=("pool lane id", "pool or lane id", "lane id", "pool id", "id"),
           help="Read-only: how bpmncx finds the pool or lane. Do not edit."),
    Column("suggestion", "Suggestion (why)", 44, False, wrap=True, aliases=("suggestion", "why"),
           help="Read-only: the row bpmncx suggests, and why. An empty Blueprint row cell "
                "means this suggestion."),
    Column("blueprint_row", "Blueprint row", 16, True,
           aliases=("blueprint", "row", "service blueprint row", "side"),
           help="customer: the customer does it; frontstage: the customer sees it; backstage: "
                "the organisation, out of sight; support: systems and other organisations."),
    Column("notes", "Notes", 30, True, wrap=True, aliases=("note", "comments", "comment")),
)

# -- translations ----------------------------------------------------------

# The template's own headers in German, French and Spanish: a workbook whose headers an
# owner translated reads like the English one. Per sheet, column key -> spellings.
_SAME_EVERYWHERE = {  # columns with one meaning on every sheet
    "channel": ("Kanal", "Canal"),
    "moment_of_truth": ("Moment der Wahrheit", "Moment de vérité", "Momento de la verdad"),
    "pain_point": ("Schmerzpunkt", "Point de douleur", "Point de friction", "Punto de dolor"),
    "notes": ("Notizen", "Anmerkungen", "Remarques", "Notas"),
    "model": ("Modell", "Modèle", "Modelo"),
    "pool": ("Teilnehmer", "Participante"),
    "lane": ("Bahn", "Couloir", "Carril"),
    "suggestion": ("Vorschlag", "Sugerencia"),
    "blueprint_row": ("Blueprint-Zeile", "Ligne du blueprint", "Fila del blueprint"),
}
_TRANSLATIONS = {
    "personas": {
        "description": ("Beschreibung", "Descripción"),
        "goals": ("Ziele", "Objectifs", "Objetivos"),
        "frustrations": ("Frustrationen", "Frustraciones"),
        "preferred_channels": ("Bevorzugte Kanäle", "Canaux préférés", "Canales preferidos"),
        "negative": ("Negative Persona?", "Persona négative ?", "Persona negativa?"),
    },
    "touchpoints": {
        "element_id": ("Element-ID", "ID de l'élément", "ID del elemento"),
        "element_name": ("Elementname", "Nom de l'élément", "Nombre del elemento"),
        "type": ("Typ", "Tipo"),
        "customer_facing": ("Kundensichtbar?", "Visible par le client ?",
                            "Visible para el cliente?"),
        "touchpoint": ("Kontaktpunkt", "Point de contact", "Punto de contacto"),
        "stage": ("Journey-Phase", "Phase du parcours", "Etapa del recorrido"),
        "opportunity": ("Chance", "Verbesserungsmöglichkeit", "Opportunité", "Oportunidad"),
    },
    "journey": {
        "step": ("Schritt", "Étape", "Paso"),
        "stage": ("Phase", "Etapa", "Fase"),
        "customer_step": ("Kundenschritt", "Étape client", "Action du client",
                          "Paso del cliente", "Acción del cliente"),
        "emotion": ("Gefühl", "Émotion", "Emoción"),
        "supported_by": ("Unterstützt durch", "Soutenu par", "Pris en charge par",
                         "Soportado por", "Apoyado por"),
        "evidence": ("Nachweis", "Beleg", "Preuve", "Evidencia"),
    },
    "sides": {"band_id": ("Pool/Lane-ID", "ID du pool ou couloir", "ID del pool o carril")},
}


def _translated(columns: Tuple[Column, ...], sheet: str) -> Tuple[Column, ...]:
    table = _TRANSLATIONS[sheet]
    return tuple(replace(c, aliases=c.aliases + table.get(c.key, ())
                         + _SAME_EVERYWHERE.get(c.key, ())) for c in columns)


PERSONA_COLUMNS = _translated(PERSONA_COLUMNS, "personas")
TOUCHPOINT_FIXED = _translated(TOUCHPOINT_FIXED, "touchpoints")
TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS = _translated(TOUCHPOINT_EDITABLE_BEFORE_EMOTIONS,
                                                  "touchpoints")
TOUCHPOINT_EDITABLE_AFTER_EMOTIONS = _translated(TOUCHPOINT_EDITABLE_AFTER_EMOTIONS,
                                                 "touchpoints")
JOURNEY_COLUMNS = _translated(JOURNEY_COLUMNS, "journey")
SIDE_COLUMNS = _translated(SIDE_COLUMNS, "sides")
# -- Event log -------------------------------------------------------------

EVENT_LOG = "Event log"

EVENT_LOG_COLUMNS: Tuple[Column, ...] = (
    Column("activity", "Log activity", 34, True, wrap=True,
           aliases=("activity", "event", "event name", "concept name", "log event"),
           help="The activity exactly as the event log writes it."),
    Column("maps_to", "Maps to", 34, True, wrap=True,
           aliases=("element", "element id", "journey step", "step", "target", "mapped to"),
           help="The BPMN element (id or name) or the journey step (number or text) this "
                "activity stands for. Leave empty to let bpmncx match by id and name."),
    Column("suggestion", "Suggestion", 40, False, wrap=True,
           help="What bpmncx matched it to from the log given to 'template --log' (read-only)."),
    Column("events", "Events", 10, False, help="How often the log has it (read-only)."),
    Column("notes", "Notes", 30, True, wrap=True, aliases=("note", "comments", "comment")),
)

# -- Settings ----------------------------------------------------------------

SETTINGS = "Settings"

SETTING_COLUMNS: Tuple[Column, ...] = (
    Column("setting", "Setting", 20, False, aliases=("threshold", "name")),
    Column("value", "Value", 12, True, help="Leave empty for the default; the command line "
                                           "overrides it."),
    Column("default", "Default", 10, False),
    Column("meaning", "Meaning", 60, False, wrap=True, aliases=("unit", "what")),
)

# -- Lists (hidden) --------------------------------------------------------

LIST_HEADERS = ("Yes/No", "Channels", "Stages", "Emotions", "Blueprint rows", "Devices")

# -- Instructions: the model table -----------------------------------------

MODEL_TABLE_HEADERS = ("Model", "File", "SHA-256")


def normalise_header(text) -> str:
    """What a header says, however it is written: case, spacing, line breaks, punctuation and
    units or notes in brackets do not count. 'Supported by\n(IDs)' -> 'supported by',
    'Customer-facing? ' -> 'customer facing'."""
    if text is None:
        return ""
    text = str(text).replace("\u00a0", " ").casefold()
    text = re.sub(r"[(\[{][^)\]}]*[)\]}]", " ", text)  # "(IDs)", "[-2..+2]"
    text = re.sub(r"[^\w#]+", " ", text)  # "-", "?", ":", "/", line breaks
    return " ".join(text.split())


def header_lookup(columns) -> Dict[str, str]:
    """Normalised header or alias -> column key."""
    table: Dict[str, str] = {}
    for col in columns:
        for spelling in (col.header,) + col.aliases:
            table.setdefault(normalise_header(spelling), col.key)
    return table


GUESS_RATIO = 0.85  # how alike a typed header and a known one must be to be taken for it


def column_key(value, lookup: Dict[str, str], taken=()) -> Tuple[Optional[str], bool]:
    """(column key, exact) for a header cell: exact when it is a known header or alias
    however written; else the known header it is a near miss of (a typo: 'Supprted by'),
    not exact, when that column is not ``taken`` yet; else (None, False)."""
    typed = normalise_header(value)
    if not typed:
        return None, False
    if typed in lookup:
        return lookup[typed], True
    best, score = None, GUESS_RATIO
    for spelling, key in sorted(lookup.items()):
        if key in taken or len(spelling) < 4:
            continue
        ratio = SequenceMatcher(None, typed, spelling).ratio()
        if typo_distance(typed, spelling) <= (1 if len(spelling) <= 6 else 2):
            ratio = max(ratio, 0.99)  # one slip of the finger in a short word
        if ratio >= score:
            best, score = key, ratio
    return best, False


def typo_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from ``a`` to ``b``."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def emotion_persona(header) -> Optional[str]:
    """'Emotion: Busy parent', 'Emotion Busy parent', 'Feeling (Busy parent)' -> 'Busy parent';
    None for other headers."""
    if header is None:
        return None
    text = " ".join(str(header).replace("\u00a0", " ").split())
    # English, and the German, French and Spanish of the template's "Emotion: <persona>"
    match = re.match(r"(?i)^(emotions?|feelings?|gefühl|émotion|emoción|emocion)"
                     r"\s*(?:[:\-\u2013(]\s*|\s+)(.*?)\s*\)?$", text)
    if not match or not match.group(2):
        return None
    return match.group(2)


def emotion_header(persona: str) -> str:
    return f"{EMOTION_PREFIX}{persona}"


def is_kept_status(status) -> bool:
    """A row --update kept for its owners' text but that no longer stands for an element."""
    folded = str(status or "").casefold()
    return any(s in folded for s in (STATUS_REMOVED, STATUS_MODEL_MISSING, STATUS_NO_ID,
                                        "second row for this element", STATUS_BAND_REMOVED))
