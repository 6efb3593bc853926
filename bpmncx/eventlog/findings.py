"""Findings from a measurement: where the log shows the journey and the process apart.

Kinds (severity rules):

- ``voice-gap``: the median customer clock is more than ``voice_gap`` times the
  median process clock (warning; critical at twice the threshold);
- ``long-wait``: the p90 wait before a step is above ``long_wait`` seconds
  (warning; critical before a moment of truth);
- ``drop-off``: the share of cases reaching a step but not the next observed
  one is above ``drop_off`` (warning; critical when the step not reached is a
  moment of truth);
- ``skipped-support``: a supporting element was skipped, or happened after the
  step, in more than ``skipped_support`` of the cases reaching the step
  (warning; critical at a moment of truth);
- ``emotion-drift``: the measured emotion (survey) differs from the owners'
  stated one by ``emotion_drift`` or more (warning when it is worse than stated,
  critical when that is at a moment of truth; info when it is better).

Shares and waits need ``min_cases`` cases behind them, so a handful of cases
does not raise an alarm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Mapping, Optional, Tuple

from ..analysis.result import Finding
from ..annotations import Annotations
from ..severity import at_moment
from .result import Measurement, StepMeasure

LOG_KINDS = ("voice-gap", "long-wait", "drop-off", "skipped-support", "emotion-drift")


@dataclass(frozen=True)
class Thresholds:
    voice_gap: float = 1.5  # customer clock / process clock (medians)
    long_wait: float = 2 * 86400.0  # seconds, p90 of the wait before a step
    drop_off: float = 0.2  # share of a step's cases not reaching the next step
    skipped_support: float = 0.2  # share of a step's cases without (or late) support
    emotion_drift: float = 1.0  # points on the -2..+2 scale
    min_cases: int = 5


@dataclass(frozen=True)
class Setting:
    """One threshold as the owners set it (command line, workbook Settings sheet)."""

    name: str  # as typed: "long-wait"
    field: str  # Thresholds' attribute
    unit: str  # what the number means, for help texts and the Settings sheet
    factor: float  # user's unit -> Thresholds' unit (days -> seconds)
    low: float
    high: Optional[float]
    whole: bool = False  # a count

    @property
    def default(self) -> float:
        return getattr(Thresholds(), self.field) / self.factor


# Every threshold, in the order the Settings sheet and --help list them.
SETTINGS = (
    Setting("voice-gap", "voice_gap", "times the process clock (median customer clock / "
            "median process clock)", 1.0, 0.0, None),
    Setting("long-wait", "long_wait", "days (p90 of the wait before a step)", 86400.0, 0.0, None),
    Setting("drop-off", "drop_off", "share 0-1 of a step's cases never reaching the next",
            1.0, 0.0, 1.0),
    Setting("skipped-support", "skipped_support", "share 0-1 of a step's cases without "
            "(or with late) support", 1.0, 0.0, 1.0),
    Setting("emotion-drift", "emotion_drift", "points on the -2..+2 scale between measured "
            "and stated emotion", 1.0, 0.0, None),
    Setting("min-cases", "min_cases", "cases a share or wait needs behind it", 1.0, 1.0, None,
            whole=True),
)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}


def setting_problem(setting: Setting, value: float) -> Optional[str]:
    """Why ``value`` (in the user's unit) is no valid ``setting``, or None."""
    if setting.whole and value != int(value):
        return "it must be a whole number"
    if value < setting.low or (setting.high is not None and value > setting.high):
        span = f"from {setting.low:g} to {setting.high:g}" if setting.high is not None \
            else f"{setting.low:g} or more"
        return f"it must be {span}"
    return None


def thresholds_from(*layers: Mapping[str, Optional[float]]) -> Thresholds:
    """Thresholds from settings in the user's units (names as :data:`SETTINGS`), the
    first layer that gives a value winning (command line, then workbook), else the
    default."""
    values = {}
    for setting in SETTINGS:
        for layer in layers:
            value = layer.get(setting.name)
            if value is not None:
                value = value * setting.factor
                values[setting.field] = int(value) if setting.whole else float(value)
                break
    return Thresholds(**values)


HEATS = ("frequency", "duration", "none")


@dataclass(frozen=True)
class Measured:
    """A log measured for one analysis (one persona): what the gap analysis, the picture and
    the reports show of it. ``heat`` is what the picture colours elements by;
    ``heat_limits`` the (low, high) bounds between its three shades (events per case for
    frequency, seconds for duration), None: the measured terciles."""

    measurement: Measurement
    findings: Tuple[Finding, ...]
    thresholds: Thresholds = Thresholds()
    heat: str = "frequency"
    heat_limits: Optional[Tuple[float, float]] = None
    survey: Optional[str] = None


def duration_text(seconds: Optional[float]) -> str:
    """A duration as people say it: 45 s, 12 min, 3.5 h, 2.1 days."""
    if seconds is None:
        return "n/a"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def share_text(share: Optional[float]) -> str:
    """A share as people read it: 82%; "n/a" when unknown."""
    if share is None:
        return "n/a"
    return f"{share * 100:.0f}%"


def number_text(value: Optional[float], digits: int = 1) -> str:
    """A plain figure (events per case, a ratio): 1.4; "n/a" when unknown."""
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}"


def _pct(share: float) -> str:
    return share_text(share)


def _label(step: StepMeasure) -> str:
    return f'step {step.number} "{step.label}"' if step.label else f"step {step.number}"


def log_findings(measurement: Measurement, annotations: Optional[Annotations] = None,
                 thresholds: Thresholds = Thresholds()) -> List[Finding]:
    """The findings ``measurement`` supports, sorted like :func:`bpmncx.analyse` sorts.

    ``annotations`` is accepted for the persona of each step (the finding's
    ``persona``); the measurement itself holds everything else.
    """
    t = thresholds
    persona_of = {}
    if annotations is not None:
        for step in annotations.journey:
            if step.persona.strip():
                persona_of[step.number] = annotations.canonical_persona(step.persona)
    found: List[Finding] = []
    by_number = {s.number: s for s in measurement.steps}

    ratio = measurement.clock_ratio
    if ratio is not None and ratio > t.voice_gap and \
            measurement.customer_clock.count >= t.min_cases:
        found.append(Finding(
            kind="voice-gap", severity="critical" if ratio >= 2 * t.voice_gap else "warning",
            message=(f"Customers wait {duration_text(measurement.customer_clock.median)} from "
                     f"their first to their last step, {ratio:.1f} times the "
                     f"{duration_text(measurement.process_clock.median)} the process clock "
                     "shows (medians): operations measure a shorter journey than customers live."),
            persona=measurement.persona,
        ))

    for step in measurement.steps:
        persona = persona_of.get(step.number, measurement.persona)
        moment = ", a moment of truth," if step.moment_of_truth else ""
        if step.wait.count >= t.min_cases and step.wait.p90 is not None and \
                step.wait.p90 > t.long_wait:
            found.append(Finding(
                kind="long-wait", severity=at_moment(step.moment_of_truth),
                message=(f"Before {_label(step)}{moment} one customer in ten waits "
                         f"{duration_text(step.wait.p90)} or more (median "
                         f"{duration_text(step.wait.median)})."),
                persona=persona, steps=(step.number,), cell=step.cell,
            ))
        if step.lost_share is not None and step.cases >= t.min_cases and \
                step.lost_share > t.drop_off and step.next_step is not None:
            following = by_number[step.next_step]
            critical = following.moment_of_truth
            found.append(Finding(
                kind="drop-off", severity="critical" if critical else "warning",
                message=(f"{_pct(step.lost_share)} of the cases reaching {_label(step)} "
                         f"({step.lost} of {step.cases}) never reach {_label(following)}"
                         f"{', a moment of truth' if critical else ''}."),
                persona=persona, steps=(step.number, following.number), cell=step.cell,
            ))
        if step.cases >= t.min_cases:
            for support in step.support:
                late = support.after_share or 0.0
                skipped = support.skipped_share or 0.0
                if skipped <= t.skipped_support and late <= t.skipped_support:
                    continue
                parts = []
                if skipped > t.skipped_support:
                    parts.append(f"did not happen in {_pct(skipped)} of the cases reaching it")
                if late > t.skipped_support:
                    parts.append(f"happened only after the step in {_pct(late)}")
                found.append(Finding(
                    kind="skipped-support",
                    severity=at_moment(step.moment_of_truth),
                    message=(f'"{support.name}", supporting {_label(step)}{moment}, '
                             f"{' and '.join(parts)}."),
                    persona=persona, steps=(step.number,), elements=(support.element,),
                    cell=step.cell,
                ))
        drift = _drift(step.measured_emotion.mean, step.stated_emotion, t)
        if drift is not None:
            worse = drift < 0
            found.append(Finding(
                kind="emotion-drift",
                severity=at_moment(step.moment_of_truth) if worse else "info",
                message=(f"At {_label(step)}{moment} customers' scores read "
                         f"{step.measured_emotion.mean:+.1f} ({step.measured_emotion.count} "
                         f"scores), the workbook says {step.stated_emotion:+d}: "
                         f"{'worse' if worse else 'better'} than the owners believe."),
                persona=persona, steps=(step.number,), cell=step.cell,
            ))
    for element in measurement.elements:
        drift = _drift(element.measured_emotion.mean, element.stated_emotion, t)
        if drift is None:
            continue
        worse = drift < 0
        found.append(Finding(
            kind="emotion-drift", severity="warning" if worse else "info",
            message=(f'At "{element.name}" customers\' scores read '
                     f"{element.measured_emotion.mean:+.1f} ({element.measured_emotion.count} "
                     f"scores), the workbook says {element.stated_emotion:+d}: "
                     f"{'worse' if worse else 'better'} than the owners believe."),
            persona=measurement.persona, elements=(element.element,),
        ))
    found.sort(key=Finding.sort_key)
    return found


def _drift(measured: Optional[float], stated: Optional[int], t: Thresholds) -> Optional[float]:
    if measured is None or stated is None:
        return None
    drift = measured - stated
    return drift if abs(drift) >= t.emotion_drift else None
