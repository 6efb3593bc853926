"""Regenerate the two sample models: python3 samples/_generator/build_samples.py"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import insurance_claim  # noqa: E402
import online_order  # noqa: E402

SAMPLES = HERE.parent


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    print(path)


def main() -> None:
    write(SAMPLES / "insurance-claim" / "insurance-claim.bpmn", insurance_claim.build())
    write(SAMPLES / "online-order" / "online-order.bpmn", online_order.build())


if __name__ == "__main__":
    main()
