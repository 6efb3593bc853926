"""Run every benchmark script in bench/ (``make bench``), one process each.

Each ``bench/*.py`` other than this driver is run with the same Python; a
script skips on its own (exit 0, saying why) when what it needs is absent.
``bench/scale.py`` runs its quick sizes (500 to 5,000 tasks, about two
minutes) unless ``--full`` is given (1,000 to 50,000 tasks; ``make bench-full``).
``--dry-run`` prints the commands without running them. Exits 1 if any script failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


# Extra arguments per script: the full sizes of scale.py take long on a 2-core machine.
QUICK = {"scale.py": ["--quick"]}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    full, dry_run = "--full" in argv, "--dry-run" in argv
    scripts = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name
                     and not p.name.startswith("_"))
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        extra = [] if full else QUICK.get(script.name, [])
        if dry_run:
            print(" ".join([script.name, *extra]))
            continue
        result = subprocess.run([sys.executable, str(script), *extra], cwd=HERE.parent)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    print(f"{len(scripts)} benchmark(s) done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
