"""Forgiving parsing of what business owners type: Yes/No, emotions, channels, stages.

Each parser returns the clean value or raises :class:`ValueProblem` with a
message that says how to fix the cell. Pure functions, no openpyxl.
"""

from __future__ import annotations

import datetime
import difflib
import re
from typing import Iterable, List, Optional, Sequence, Tuple

from ..vocabulary import EMOTION_SCALE, emotion_choice


class ValueProblem(ValueError):
    """A cell value whose meaning is not clear; the message says how to fix it."""


def text(value) -> str:
    """A cell value as the text the owner sees: numbers without '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _key(value: str) -> str:
    """Compare words loosely: case, spaces, dashes and dots do not matter."""
    return re.sub(r"[\s\-_./]+", " ", str(value).casefold()).strip()


def did_you_mean(word: str, choices: Iterable[str], n: int = 1) -> List[str]:
    choices = list(dict.fromkeys(c for c in choices if c))
    by_key = {}
    for c in choices:
        by_key.setdefault(c.casefold(), c)
    found = difflib.get_close_matches(word.casefold(), list(by_key), n=n, cutoff=0.6)
    return [by_key[f] for f in found]


def hint(word: str, choices: Iterable[str]) -> str:
    found = did_you_mean(word, choices)
    return f" (did you mean \u201c{found[0]}\u201d?)" if found else ""


# -- Yes / No --------------------------------------------------------------

YES_WORDS = frozenset({"yes", "y", "x", "true", "1", "ja", "j", "oui", "si", "s\u00ed",
                       "\u2713", "\u2714", "\u2705", "wahr", "vrai", "yes!"})
NO_WORDS = frozenset({"no", "n", "false", "0", "nein", "non", "-", "\u2717", "\u2718",
                      "\u274c", "falsch", "faux", "none"})


def parse_yes_no(value) -> Optional[bool]:
    """True/False, None for an empty cell; raise ValueProblem when unclear."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
        raise ValueProblem(f"\u201c{text(value)}\u201d is not Yes or No; type Yes or No")
    word = _key(value).strip(" !.")
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueProblem(f"\u201c{text(value)}\u201d is not Yes or No; type Yes or No (or leave empty)")


# -- Emotions --------------------------------------------------------------

EMOTION_WORDS = {
    -2: ("very negative", "very bad", "furious", "angry", "outraged", "livid", "desperate",
         "terrible", "awful", "horrible", "hate", "hates it", "very unhappy", "very frustrated",
         "panicked", "panic", "distressed", "helpless", "disgusted"),
    -1: ("negative", "bad", "frustrated", "anxious", "confused", "annoyed", "worried",
         "disappointed", "irritated", "stressed", "unhappy", "sad", "impatient", "nervous",
         "uncertain", "unsure", "upset", "uneasy", "concerned", "bored", "lost", "doubtful",
         "sceptical", "skeptical", "tired", "fed up"),
    0: ("neutral", "ok", "okay", "indifferent", "fine", "meh", "so so", "so-so", "average",
        "calm", "normal", "neither"),
    1: ("positive", "good", "happy", "relieved", "pleased", "satisfied", "confident",
        "reassured", "glad", "content", "hopeful", "comfortable", "informed", "safe",
        "welcome", "valued", "curious", "interested"),
    2: ("very positive", "very good", "very happy", "delighted", "thrilled", "excited",
        "ecstatic", "amazed", "great", "love", "loves it", "wow", "enthusiastic", "grateful",
        "excellent", "fantastic", "overjoyed", "impressed"),
}
EMOTION_EMOJI = {
    -2: ("\U0001F621", "\U0001F620", "\U0001F62D", "\U0001F92C", "\U0001F629", "\U0001F62B",
         "\U0001F631"),
    -1: ("\U0001F641", "\u2639", "\u2639\ufe0f", "\U0001F615", "\U0001F61F", "\U0001F61E",
         "\U0001F612", "\U0001F622", "\U0001F614", "\U0001F623", "\U0001F625", "\U0001F630"),
    0: ("\U0001F610", "\U0001F611", "\U0001F636", "\U0001F928"),
    1: ("\U0001F642", "\U0001F60A", "\U0001F600", "\u263A", "\u263A\ufe0f", "\U0001F44D",
        "\U0001F60C"),
    2: ("\U0001F604", "\U0001F603", "\U0001F601", "\U0001F60D", "\U0001F929", "\U0001F970",
        "\U0001F389", "\U0001F973"),
}
_WORD_TO_SCORE = {_key(w): s for s, words in EMOTION_WORDS.items() for w in words}
_EMOJI_TO_SCORE = {e: s for s, emojis in EMOTION_EMOJI.items() for e in emojis}
_NUMBER = re.compile(r"^\s*([+\-\u2212\u2013]?)\s*(\d+(?:[.,]\d+)?)(?=\s|$|[^\d.,])")


def _range_problem(shown: str) -> ValueProblem:
    return ValueProblem(
        f"emotion \u201c{shown}\u201d is out of range; use -2 (very negative) to +2 (very positive)"
    )


def parse_emotion(value) -> Optional[int]:
    """-2..+2 from a number, the dropdown text, a label, a common word or an emoji."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"\u201c{text(value)}\u201d is not an emotion; pick -2 .. +2 from the list")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and -2 <= value <= 2:
            return int(value)
        raise _range_problem(text(value))
    raw = str(value).strip()
    match = _NUMBER.match(raw)
    if match:
        sign = -1 if match.group(1) in ("-", "\u2212", "\u2013") else 1
        number = float(match.group(2).replace(",", "."))
        if not number.is_integer() or number > 2:
            raise _range_problem(raw)
        return sign * int(number)
    stripped = raw.replace("\ufe0f", "")
    for candidate in (raw, stripped):
        if candidate in _EMOJI_TO_SCORE:
            return _EMOJI_TO_SCORE[candidate]
    key = _key(raw).strip(" !.")
    if key in _WORD_TO_SCORE:
        return _WORD_TO_SCORE[key]
    # "frustrated 😠", "happy :)" : a known word or emoji inside
    found = {s for e, s in _EMOJI_TO_SCORE.items() if e in raw}
    found |= {_WORD_TO_SCORE[w] for w in re.findall(r"[^\W\d_]+", key) if w in _WORD_TO_SCORE
              and w not in ("very",)}
    if "very" in key.split() and found and found <= {-1, 1}:
        found = {2 * s for s in found}
    if len(found) == 1:
        return found.pop()
    choices = [e.label for e in EMOTION_SCALE] + list(_WORD_TO_SCORE)
    return_hint = hint(key, choices)
    raise ValueProblem(
        f"\u201c{raw}\u201d is not an emotion{return_hint}; pick from the list "
        f"({', '.join(emotion_choice(e) for e in EMOTION_SCALE)})"
    )


# -- Channels and stages ---------------------------------------------------

CHANNEL_ALIASES = {
    "Web": ("website", "web site", "online", "internet", "portal", "web portal", "web form",
            "online form", "webshop", "web shop", "browser", "www"),
    "Mobile app": ("app", "mobile", "smartphone", "phone app", "ios", "android", "mobile application"),
    "Email": ("e-mail", "e mail", "mail", "email message", "newsletter"),
    "Phone": ("telephone", "call", "phone call", "hotline", "call centre", "call center",
              "callcenter", "call-centre", "voice", "ivr"),
    "Chat": ("live chat", "chatbot", "chat bot", "webchat", "web chat", "messenger chat"),
    "SMS/messaging": ("sms", "text", "text message", "texting", "whatsapp", "messaging",
                      "sms messaging", "push", "push notification"),
    "In person": ("in-person", "face to face", "face-to-face", "branch", "store", "shop",
                  "counter", "office", "desk"),
    "Field visit": ("field", "home visit", "site visit", "visit", "on site", "onsite"),
    "Post": ("letter", "postal", "mail (post)", "paper", "snail mail"),
    "Social media": ("social", "twitter", "facebook", "instagram", "linkedin"),
    "Self-service kiosk": ("kiosk", "self service", "self-service", "terminal", "atm"),
}


def match_choice(value, choices: Sequence[str], aliases=None) -> Tuple[str, bool]:
    """(canonical choice, True) when the intent is clear, else (typed text, False)."""
    typed = text(value)
    if not typed:
        return "", True
    key = _key(typed)
    for choice in choices:
        if _key(choice) == key:
            return choice, True
    if aliases:
        for canonical, spellings in aliases.items():
            if canonical in choices and key in {_key(s) for s in spellings}:
                return canonical, True
    return typed, False


def parse_channel(value, channels: Sequence[str]) -> Tuple[str, bool]:
    return match_choice(value, channels, CHANNEL_ALIASES)


def split_list(value) -> List[str]:
    """'a, b; c' or lines -> ['a', 'b', 'c'] (empty parts dropped)."""
    return [part.strip() for part in re.split(r"[,;\n\r]+", text(value)) if part.strip()]
