"""How bad a finding is: the severities, worst first, and the one comparison every gate uses."""

from __future__ import annotations

from typing import Tuple

SEVERITIES: Tuple[str, ...] = ("critical", "warning", "info")  # worst first
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


def at_or_above(severity: str, limit: str) -> bool:
    """Whether ``severity`` is as bad as ``limit`` or worse (``--fail-on``)."""
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[limit]


def at_moment(moment_of_truth: bool, usual: str = "warning") -> str:
    """A finding's severity: ``usual``, one level worse at a moment of truth - the rule
    every kind of finding about a step or touchpoint follows."""
    rank = SEVERITY_RANK[usual]
    return SEVERITIES[rank - 1] if moment_of_truth and rank > 0 else usual
