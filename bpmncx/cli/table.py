"""The gap analysis as a terminal table, worst first, coloured when asked."""

from __future__ import annotations

import textwrap
from typing import List

import click

from ..analysis import Analysis
from ..report.findings import metrics_lines, summary_line
from ..report.terminal import plain

SEVERITY_STYLE = {
    "critical": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow"},
    "info": {"fg": "cyan"},
}

def to_table(analysis: Analysis, width: int = 100, colour: bool = False) -> str:
    """Findings as aligned columns (message wrapped to ``width``), then the metrics."""
    headers = ("SEVERITY", "KIND", "STEP", "CELL")
    rows = [
        (f.severity, f.kind, ",".join(str(s) for s in f.steps) or "-", plain(f.cell) or "-")
        for f in analysis.findings
    ]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    indent = sum(widths) + 2 * len(widths)
    # Narrow terminal: the finding goes on its own lines under its row.
    stacked = width - indent < 40
    if stacked:
        indent = 4
    message_width = max(20, width - indent)
    lines: List[str] = []
    if rows:
        head = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
        head = head.rstrip() if stacked else head + "  FINDING"
        lines.append(click.style(head, bold=True) if colour else head)
        for finding, row in zip(analysis.findings, rows):
            cells = [c.ljust(w) for c, w in zip(row, widths)]
            if colour:
                cells[0] = click.style(cells[0], **SEVERITY_STYLE.get(finding.severity, {}))
            wrapped = textwrap.wrap(plain(finding.message), message_width) or [""]
            if stacked:
                lines.append("  ".join(cells).rstrip())
                lines.extend(" " * indent + line for line in wrapped)
            else:
                lines.append("  ".join(cells) + "  " + wrapped[0])
                lines.extend(" " * indent + more for more in wrapped[1:])
        lines.append("")
    else:
        lines.append("No findings: the journey and the process meet everywhere bpmncx can check.")
        lines.append("")
    lines.append(summary_line(analysis))
    lines.extend(plain(line) for line in metrics_lines(analysis))
    return "\n".join(lines) + "\n"
