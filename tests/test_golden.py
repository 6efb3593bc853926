"""The golden files in tests/golden/ are what bpmncx makes today for a few small inputs:
the annotated diagram, the annotated BPMN file (default view and one persona's), the gaps
document (all personas and one) and two plain pictures (with and without a layout in the
file). An intended change is accepted with `make golden` and reviewed in the diff."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import golden  # noqa: E402


def test_outputs_equal_their_golden_files():
    found = golden.differences(golden.outputs())
    assert not found, "\n".join(f"== {name}\n{text}" for name, text in found.items()) + \
        "\n(if intended: make golden, then review git diff tests/golden)"


def test_a_changed_output_is_reported_with_its_diff(tmp_path, monkeypatch):
    made = golden.outputs()
    name = "online-order.gaps.json"
    (tmp_path / name).write_bytes(made[name].replace(b'"coverage"', b'"kover"'))
    monkeypatch.setattr(golden, "GOLDEN", tmp_path)
    found = golden.differences({name: made[name]})
    assert list(found) == [name]
    assert '-    "kover"' in found[name] and '+    "coverage"' in found[name]
