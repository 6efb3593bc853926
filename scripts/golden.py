"""Golden files: the outputs of a few small inputs, kept in tests/golden/ so that a reviewer
sees every change to a picture, an annotated BPMN file or a gaps document in a diff.

    python scripts/golden.py            # compare; exit 1 and show the first difference
    python scripts/golden.py --update   # write the current outputs as the new golden files
                                        # (make golden); review them with git diff

tests/test_golden.py runs the comparison in the test suite.
"""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path
from typing import Dict

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
sys.path.insert(0, str(ROOT))

ORDER = "samples/online-order/online-order.bpmn"
ORDER_BOOK = "samples/online-order/online-order-cx.xlsx"
CLAIM_FIXTURE = "tests/fixtures/analysis/claim.bpmn"
NO_DIAGRAM = "tests/fixtures/messy/no-diagram.bpmn"


def outputs() -> Dict[str, bytes]:
    """file name -> bytes of every golden output, made now (paths relative to the project)."""
    from bpmncx import load_model
    from bpmncx.pipeline.annotate import annotate
    from bpmncx.pipeline.gaps import gaps
    from bpmncx.render import render_svg
    from bpmncx.report.findings import to_json

    made: Dict[str, bytes] = {}
    cwd = os.getcwd()
    os.chdir(ROOT)  # the documents name their inputs as given: relative, the same everywhere
    try:
        with tempfile.TemporaryDirectory() as out:
            annotate([ORDER], ORDER_BOOK, out, formats="svg,bpmn")
            annotate([ORDER], ORDER_BOOK, out, formats="bpmn", persona="Regular customer")
            for name in sorted(os.listdir(out)):
                made[name] = Path(out, name).read_bytes()
        made["online-order.gaps.json"] = to_json(gaps([ORDER], ORDER_BOOK)).encode("utf-8")
        made["online-order.regular-customer.gaps.json"] = to_json(
            gaps([ORDER], ORDER_BOOK, persona="regular CUSTOMER")).encode("utf-8")
        made["claim.plain.svg"] = render_svg(load_model(CLAIM_FIXTURE))
        made["no-diagram.plain.svg"] = render_svg(load_model(NO_DIAGRAM))
    finally:
        os.chdir(cwd)
    return made


def differences(made: Dict[str, bytes]) -> Dict[str, str]:
    """file name -> a unified diff (or why) for every output unlike its golden file."""
    found = {}
    kept = {p.name for p in GOLDEN.glob("*")} if GOLDEN.is_dir() else set()
    for name in sorted(set(made) | kept):
        if name not in kept:
            found[name] = "new output, no golden file yet"
        elif name not in made:
            found[name] = "golden file no longer made"
        else:
            old = (GOLDEN / name).read_bytes()
            if old != made[name]:
                diff = difflib.unified_diff(
                    old.decode("utf-8", "replace").splitlines(),
                    made[name].decode("utf-8", "replace").splitlines(),
                    f"tests/golden/{name}", f"now/{name}", lineterm="", n=2)
                found[name] = "\n".join(list(diff)[:60])
    return found


def main(argv) -> int:
    made = outputs()
    if "--update" in argv:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for stale in GOLDEN.glob("*"):
            if stale.name not in made:
                stale.unlink()
        for name, data in made.items():
            (GOLDEN / name).write_bytes(data)
        print(f"{len(made)} golden files written to {GOLDEN.relative_to(ROOT)}; review: git diff tests/golden")
        return 0
    found = differences(made)
    for name, text in found.items():
        print(f"== {name}\n{text}")
    if found:
        print(f"{len(found)} output(s) differ from tests/golden; if intended: make golden")
        return 1
    print(f"{len(made)} outputs equal their golden files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
