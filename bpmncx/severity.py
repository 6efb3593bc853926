"""How bad a finding is: the severities, worst first, and the one comparison every gate uses."""

from __future__ import annotations

from typing import Tuple

SEVERITIES: Tuple[str, ...] = ("critical", "warning", "info")  # worst first
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


def at_or_above(severity: str, limit: str) -> bool:
    """Whether ``severity`` is as bad as ``limit`` or worse (``--fail-on``)."""
    return SEVERITY_RANK[severity] <= SEVERITY_RANK[limit]
