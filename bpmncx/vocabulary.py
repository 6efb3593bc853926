"""The customer-experience vocabulary shared by the workbook, analysis and drawings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Tuple


@dataclass(frozen=True)
class Emotion:
    score: int
    label: str
    emoji: str
    colour: str  # fill, #RRGGBB
    text_colour: str  # readable on the fill


# Diverging red-yellow-blue (ColorBrewer RdYlBu): readable for the common
# colour-vision deficiencies; the emoji and the number carry it too.
EMOTION_SCALE: Tuple[Emotion, ...] = (
    Emotion(-2, "very negative", "\U0001F621", "#D7191C", "#FFFFFF"),
    Emotion(-1, "negative", "\U0001F641", "#FDAE61", "#000000"),
    Emotion(0, "neutral", "\U0001F610", "#FFFFBF", "#000000"),
    Emotion(1, "positive", "\U0001F642", "#ABD9E9", "#000000"),
    Emotion(2, "very positive", "\U0001F604", "#2C7BB6", "#FFFFFF"),
)
EMOTION_BY_SCORE = {e.score: e for e in EMOTION_SCALE}


def emotion(score: int) -> Emotion:
    return EMOTION_BY_SCORE[score]


def emotion_choice(e: Emotion) -> str:
    """The text offered in the workbook dropdown, e.g. ``-1 negative 🙁``."""
    sign = "+" if e.score > 0 else ""
    return f"{sign}{e.score} {e.label} {e.emoji}"


DEFAULT_CHANNELS: Tuple[str, ...] = (
    "Web",
    "Mobile app",
    "Email",
    "Phone",
    "Chat",
    "SMS/messaging",
    "In person",
    "Field visit",
    "Post",
    "Social media",
    "Self-service kiosk",
    "Other",
)

# What the customer holds or stands at during a journey step: the Journey sheet's
# Device column. Channels say how the organisation is reached; the device says what
# the customer uses, so "Mobile app" on a desktop or a call centre for someone
# standing at a counter shows up as a channel mismatch (see
# bpmncx.analysis.result.channel_usable_on, the one rule).
DEVICES: Tuple[str, ...] = (
    "Desktop",
    "Tablet",
    "Mobile",
    "Phone call",
    "In person",
    "Paper",
    "Kiosk",
    "Other",
)

# How owners type a device (English, German, French, Spanish), folded: lower case,
# letters and digits only. Matching is tolerant of case, spacing and punctuation.
_DEVICE_SPELLINGS = {
    "Desktop": ("desktop", "desktop computer", "computer", "pc", "laptop", "notebook",
                "browser", "web browser", "ordinateur", "ordenador", "rechner"),
    "Tablet": ("tablet", "ipad", "tablette", "tableta"),
    "Mobile": ("mobile", "mobile phone", "smartphone", "smart phone", "cell phone",
               "cellphone", "handy", "mobiltelefon", "iphone", "android", "mobil", "movil",
               "móvil", "portable", "téléphone portable", "celular"),
    "Phone call": ("phone", "phone call", "call", "telephone", "landline", "voice",
                   "telefon", "anruf", "téléphone", "telefono", "teléfono", "llamada"),
    "In person": ("in person", "in-person", "face to face", "face-to-face", "counter",
                  "branch", "store", "shop", "on site", "onsite", "vor ort", "persönlich",
                  "en personne", "en persona", "presencial"),
    "Paper": ("paper", "letter", "post", "mail", "form", "paper form", "papier", "brief",
              "papel", "carta", "courrier"),
    "Kiosk": ("kiosk", "terminal", "self-service kiosk", "self service kiosk", "atm",
              "automat", "borne", "quiosco"),
    "Other": ("other", "sonstige", "andere", "autre", "otro"),
}


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", str(text or "").casefold())


@lru_cache(maxsize=None)
def _device_lookup():
    table = {}
    for device in DEVICES:
        for spelling in (device,) + _DEVICE_SPELLINGS.get(device, ()):
            table.setdefault(_fold(spelling), device)
    return table


def device(typed) -> Optional[str]:
    """An owner's spelling of a device -> the device of :data:`DEVICES` ('smartphone',
    'Mobile phone', 'PC', 'face-to-face' ...); None when it is not one (or blank)."""
    return _device_lookup().get(_fold(typed)) if _fold(typed) else None


# Which channels (of DEFAULT_CHANNELS) a customer can use on each device. A channel
# not listed here (an owner's own channel, "Other") is never judged.
DEVICE_CHANNELS = {
    "Desktop": ("Web", "Email", "Chat", "Social media"),
    "Tablet": ("Web", "Mobile app", "Email", "Chat", "SMS/messaging", "Social media"),
    "Mobile": ("Web", "Mobile app", "Email", "Phone", "Chat", "SMS/messaging",
               "Social media"),
    "Phone call": ("Phone",),
    "In person": ("In person", "Field visit", "Self-service kiosk"),
    "Paper": ("Post",),
    "Kiosk": ("Self-service kiosk",),
}

DEFAULT_STAGES: Tuple[str, ...] = (
    "Discover",
    "Choose",
    "Buy/Apply",
    "Onboard",
    "Use",
    "Get help",
    "Renew/Leave",
)

DEFAULT_PERSONA = "Customer"

# Words that make a pool or lane look like the customer's side (en, de, fr, es).
CUSTOMER_WORDS: Tuple[str, ...] = (
    "customer", "client", "patient", "applicant", "citizen", "guest", "member",
    "buyer", "policyholder", "passenger", "student", "tenant", "user", "consumer",
    "claimant", "insured", "shopper", "traveller", "traveler", "visitor",
    # German
    "kunde", "kundin", "kunden", "klient", "patientin", "antragsteller", "bürger",
    "buerger", "gast", "mitglied", "käufer", "kaeufer", "versicherungsnehmer",
    "fahrgast", "passagier", "mieter", "nutzer", "benutzer", "student",
    # French
    "cliente", "usager", "utilisateur", "demandeur", "citoyen", "invité", "membre",
    "acheteur", "assuré", "passager", "étudiant", "locataire",
    # Spanish
    "paciente", "solicitante", "ciudadano", "huésped", "miembro", "comprador",
    "asegurado", "pasajero", "estudiante", "inquilino", "usuario",
)

# Words next to a customer word that turn it into the organisation's own team:
# "Customer service", "Client support team", "Kundenservice" is one word and never matches.
_TEAM_WORDS_AFTER: Tuple[str, ...] = (
    "service", "services", "support", "care", "success", "relations", "desk",
    "management", "team", "centre", "center", "experience", "onboarding", "operations",
    "advisor", "advisors", "agent", "agents", "department", "office", "helpdesk", "hotline",
)
_TEAM_WORDS_BEFORE: Tuple[str, ...] = (
    "service", "atención al", "atencion al", "relation", "relations",
)


@lru_cache(maxsize=None)
def _customer_patterns():
    words = sorted({w.casefold() for w in CUSTOMER_WORDS}, key=len, reverse=True)
    # Whole words (a plural 's' allowed), so "Customer service" matches but "Usership" not.
    customer = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")s?(?!\w)")
    after = re.compile(
        r"\s*[-\s]?(" + "|".join(re.escape(w) for w in _TEAM_WORDS_AFTER) + r")(?!\w)"
    )
    before = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in _TEAM_WORDS_BEFORE) + r")\s+$"
    )
    return customer, after, before


def customer_word(name: Optional[str]) -> Optional[str]:
    """The customer word in a pool, lane or element name (case-insensitive, whole
    word, plural allowed), else None.

    A word that only names a team serving customers ("Customer service",
    "Service client", "Atención al cliente") does not count.
    """
    if not name:
        return None
    customer, after, before = _customer_patterns()
    folded = " ".join(name.casefold().split())
    for match in customer.finditer(folded):
        if after.match(folded, match.end()) or before.search(folded[:match.start()]):
            continue
        return match.group(1)
    return None


# -- the service blueprint ---------------------------------------------------------

# The rows of a service blueprint, top to bottom: what the customer does, what the
# customer sees the organisation do (line of interaction above, line of visibility
# below), what the organisation does out of sight, and the processes and systems that
# support it (below the line of internal interaction).
BLUEPRINT_ROWS: Tuple[str, ...] = ("customer", "frontstage", "backstage", "support")

# Words that make a lane look like a system or IT department: support, not staff.
SYSTEM_WORDS: Tuple[str, ...] = (
    "it", "ict", "system", "systems", "erp", "crm", "backend", "back-end", "back end",
    "server", "servers", "database", "platform", "software", "application", "applications",
    "automation", "automated", "computer", "sap", "mainframe", "edv", "informatik",
    "informatique", "système", "systèmes", "sistema", "sistemas", "informática",
)


@lru_cache(maxsize=None)
def _system_pattern():
    words = sorted({w.casefold() for w in SYSTEM_WORDS}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def system_word(name: Optional[str]) -> Optional[str]:
    """The system/IT word in a lane or pool name (case-insensitive, whole word), else None."""
    if not name:
        return None
    match = _system_pattern().search(" ".join(name.casefold().split()))
    return match.group(1) if match else None


def blueprint_row(typed) -> Optional[str]:
    """An owner's spelling of a blueprint row -> the row ('Front stage', 'onstage',
    'Back-stage', 'Support processes' ...); None when it is not one."""
    folded = re.sub(r"[^a-z]", "", str(typed or "").casefold())
    for row in BLUEPRINT_ROWS:
        if folded == row:
            return row
    return _ROW_SPELLINGS.get(folded)


_ROW_SPELLINGS = {
    "onstage": "frontstage", "front": "frontstage", "frontoffice": "frontstage",
    "onstageactions": "frontstage", "frontstageactions": "frontstage",
    "offstage": "backstage", "back": "backstage", "backoffice": "backstage",
    "backstageactions": "backstage",
    "supportprocesses": "support", "supportprocess": "support", "supporting": "support",
    "system": "support", "systems": "support",
    "customeractions": "customer", "customers": "customer", "client": "customer",
}
