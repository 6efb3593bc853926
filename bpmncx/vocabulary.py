"""The customer-experience vocabulary shared by the workbook, analysis and drawings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple


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
