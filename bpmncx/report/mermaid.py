"""The customer journey as a Mermaid ``journey`` diagram, for Markdown (GitHub,
GitLab and most wikis draw it natively).

Mermaid's journey grammar: ``title TEXT``, ``section TEXT`` and tasks
``TEXT: SCORE: ACTOR, ACTOR`` with SCORE 1..5. ``#`` and ``%%`` start comments,
``;`` and a line break end a statement, ``:`` separates task fields and ``,``
actors, and a task starting with a keyword (``section``, ``title`` ...) would be
read as that keyword. Names come from untrusted files, so those characters are
replaced by look-alikes and every task starts with its step number.
"""

from __future__ import annotations

from typing import List, Optional

from ..annotations import Annotations, JourneyStep
from ..vocabulary import DEFAULT_PERSONA

NO_STAGE = "No stage"
NEUTRAL_SCORE = 3  # a step without an emotion

# Characters that are syntax in a Mermaid journey (or could end the Markdown
# fence, or be HTML), each with a look-alike that is plain text there.
_LOOK_ALIKES = str.maketrans({
    ":": "\uA789",  # modifier letter colon
    ";": "\uFF1B",
    "#": "\uFF03",
    "%": "\uFF05",
    "`": "\u02CB",
    "<": "\u2039",
    ">": "\u203A",
    "&": "\uFF06",
    "\\": "\uFF3C",
    "{": "\uFF5B",
    "}": "\uFF5D",
})


def mermaid_text(value: Optional[str]) -> str:
    """Untrusted text as inert Mermaid text: one line, no syntax characters."""
    return " ".join(("" if value is None else str(value)).split()).translate(_LOOK_ALIKES)


def _actor(name: str) -> str:
    return mermaid_text(name).replace(",", "\u201A")  # actors are separated by commas


def score(emotion: Optional[int]) -> int:
    """Mermaid's 1..5 from the emotion scale -2..+2 (no emotion: 3, neutral)."""
    return NEUTRAL_SCORE if emotion is None else max(1, min(5, emotion + 3))


def mermaid_journey(annotations: Annotations, title: str, persona: Optional[str] = None) -> str:
    """A fenced ```` ```mermaid ```` block of the journey in step order: one
    ``section`` per run of steps in the same stage, each step a task scored by its
    emotion, its actors the step's persona (a step without one: every persona).

    ``persona`` keeps only that persona's steps and the steps without a persona.
    """
    personas = annotations.known_personas() or [DEFAULT_PERSONA]
    steps: List[JourneyStep] = sorted(annotations.journey, key=lambda s: (s.number, s.row))
    if persona is not None:
        wanted = annotations.canonical_persona(persona)
        steps = [s for s in steps
                 if not s.persona.strip() or annotations.canonical_persona(s.persona) == wanted]
    lines = ["```mermaid", "journey", f"  title {mermaid_text(title) or 'Customer journey'}"]
    section = None
    for step in steps:
        stage = mermaid_text(step.stage) or NO_STAGE
        if stage != section:
            lines.append(f"  section {stage}")
            section = stage
        actors = ([annotations.canonical_persona(step.persona)] if step.persona.strip()
                  else personas)
        text = mermaid_text(step.customer_step) or "(no description)"
        lines.append(f"    {step.number}. {text}: {score(step.emotion)}: "
                     + ", ".join(_actor(a) for a in actors))
    lines.append("```")
    return "\n".join(lines) + "\n"
