"""Compare two versions of bpmncx's pictures, pixel by pixel, over a corpus.

Renders every corpus file to PNG at --scale 1 with the bpmncx of this work tree
("new") and with the one at another git revision ("old", default main, taken
with ``git archive`` into a scratch folder), then diffs each pair:

* two pixels differ when their colours are more than --threshold apart (0-255,
  largest channel) and no pixel within one pixel of it in the other picture is
  that close (anti-aliasing and sub-pixel text placement are not differences);
* differing pixels within --gap pixels of each other form a region; each
  region's bounding box is listed, largest first. A region no larger than a
  glyph (--glyph, 12 x 14 pixels: a capital of the 12-point label font) is
  noise; larger ones are listed as findings to look at;
* the worst pictures are written side by side with their differences in red
  into OUT (old | new | differences) to look at.

    python scripts/compare_renders.py [--old main] [--corpus DIR ...] [-o OUT] [--top 15]

The diff needs numpy and Pillow, which are kept out of the project's .venv on purpose
(openpyxl imports numpy whenever it is installed, which would slow every command):

    python3 -m venv /tmp/diffenv && /tmp/diffenv/bin/pip install numpy pillow
    /tmp/diffenv/bin/python scripts/compare_renders.py --old "$(git merge-base HEAD main)"

The pictures themselves are drawn by the project's .venv/bin/python ($BPMNCX_PYTHON).
Exit 0; it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = [ROOT / "tests" / "corpus", ROOT.parent / "shared" / "corpus" / "miwg"]

try:
    import numpy as np
    from PIL import Image
except ImportError:  # pragma: no cover - a developer tool
    sys.exit("compare_renders.py needs numpy and Pillow (see its docstring)")

PYTHON = os.environ.get("BPMNCX_PYTHON") or (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists()
    else sys.executable)


def corpus_files(dirs):
    seen, files = set(), []
    for directory in dirs:
        for path in sorted(Path(directory).glob("**/*.bpmn")):
            key = path.relative_to(directory)
            if key in seen:  # the same corpus in two places
                continue
            seen.add(key)
            files.append(path)
    return files


def old_tree(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "bpmncx"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def render(files, out: Path, source: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # cwd outside both trees: `python -m` puts the cwd first on sys.path
    env = dict(os.environ, PYTHONPATH=str(source))
    done = subprocess.run([PYTHON, "-m", "bpmncx", "render", *map(str, files), "-o",
                           str(out), "--format", "png", "--scale", "1"],
                          capture_output=True, text=True, env=env, cwd=out)
    if done.returncode not in (0, 1):
        sys.exit(f"render failed ({source or 'new'}): {done.stderr[-500:]}")


def pixels(path: Path):
    image = Image.open(path).convert("RGBA")
    rgba = np.asarray(image).astype(np.int32)
    alpha = rgba[..., 3:4]
    return (rgba[..., :3] * alpha + 255 * (255 - alpha)) // 255  # over white


def differing(a, b, threshold: int):
    """Mask of pixels of ``a`` with no pixel within one pixel in ``b`` closer than threshold."""
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    a, b = a[:h, :w], b[:h, :w]
    pad = np.pad(b, ((1, 1), (1, 1), (0, 0)), mode="edge")
    best = None
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            d = np.abs(a - pad[dy:dy + h, dx:dx + w]).max(axis=2)
            best = d if best is None else np.minimum(best, d)
    return best > threshold


def regions(mask, gap: int):
    """Bounding boxes (x0, y0, x1, y1, pixels) of groups of differing pixels."""
    ys, xs = np.nonzero(mask)
    if not len(xs):
        return []
    cell = max(1, gap)
    cells = {}
    for x, y in zip(xs.tolist(), ys.tolist()):
        key = (x // cell, y // cell)
        box = cells.get(key)
        if box is None:
            cells[key] = [x, y, x, y, 1]
        else:
            box[0], box[1] = min(box[0], x), min(box[1], y)
            box[2], box[3] = max(box[2], x), max(box[3], y)
            box[4] += 1
    found, seen = [], set()
    for start in cells:
        if start in seen:
            continue
        seen.add(start)
        stack, box = [start], list(cells[start])
        while stack:
            cx, cy = stack.pop()
            for nx in (cx - 1, cx, cx + 1):
                for ny in (cy - 1, cy, cy + 1):
                    key = (nx, ny)
                    if key in cells and key not in seen:
                        seen.add(key)
                        stack.append(key)
                        other = cells[key]
                        box[0], box[1] = min(box[0], other[0]), min(box[1], other[1])
                        box[2], box[3] = max(box[2], other[2]), max(box[3], other[3])
                        box[4] += other[4]
        found.append(tuple(box))
    return sorted(found, key=lambda r: -((r[2] - r[0] + 1) * (r[3] - r[1] + 1)))


def side_by_side(a, b, mask, path: Path) -> None:
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    faded = (a[:h, :w] * 0.3 + 178).astype(np.int16)
    faded[mask] = (255, 0, 0)
    row = np.concatenate([a[:h, :w], b[:h, :w], faded], axis=1).clip(0, 255).astype(np.uint8)
    Image.fromarray(row).save(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="main", help="git revision to compare with (for a "
                        "branch: its merge base, `git merge-base HEAD main`)")
    parser.add_argument("--corpus", nargs="*", type=Path, default=None)
    parser.add_argument("-o", "--output", type=Path, default=Path("out") / "compare-renders")
    parser.add_argument("--threshold", type=int, default=64)
    parser.add_argument("--gap", type=int, default=3)
    parser.add_argument("--glyph", default="12x14", help="largest region that is noise, WxH")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--pictures", type=Path, default=None,
                        help="keep the rendered pictures in this folder (old/, new/); the ones "
                             "there already are diffed without rendering them again")
    args = parser.parse_args()
    glyph_w, glyph_h = (int(v) for v in args.glyph.split("x"))
    files = corpus_files([d for d in (args.corpus or DEFAULT_CORPORA) if d.is_dir()])
    if not files:
        print("no corpus found")
        return 0
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bpmncx-compare-") as scratch:
        tmp = args.pictures or Path(scratch)
        if not (tmp / "old").is_dir():
            (Path(scratch) / "src").mkdir()
            render(files, tmp / "old", old_tree(args.old, Path(scratch) / "src"))
        if not (tmp / "new").is_dir():
            render(files, tmp / "new", ROOT)
        findings, per_file, sizes = [], [], []
        for png in sorted((tmp / "new").glob("*.png")):
            before = tmp / "old" / png.name
            if not before.exists():
                findings.append((png.name, "no old picture", 0, 0))
                continue
            a, b = pixels(before), pixels(png)
            if a.shape != b.shape:
                sizes.append((png.name, a.shape[1::-1], b.shape[1::-1]))
            mask = differing(a, b, args.threshold) | differing(b, a, args.threshold)
            found = regions(mask, args.gap)
            big = [r for r in found if r[2] - r[0] + 1 > glyph_w or r[3] - r[1] + 1 > glyph_h]
            per_file.append((len(big), int(mask.sum()), png.name, found, big, a, b, mask))
        per_file.sort(key=lambda f: (-f[0], -f[1]))
        total = sum(f[1] for f in per_file)
        print(f"{len(per_file)} pictures compared ({args.old} vs this tree), scale 1; "
              f"threshold {args.threshold}, 1-pixel tolerance; {total} differing pixels in all")
        print(f"pictures with a region larger than a glyph ({glyph_w}x{glyph_h} px): "
              f"{sum(1 for f in per_file if f[0])}")
        for name, old_size, new_size in sizes:
            print(f"  size differs: {name}: {old_size[0]}x{old_size[1]} -> "
                  f"{new_size[0]}x{new_size[1]}")
        largest = sorted(((r, f[2]) for f in per_file for r in f[3]),
                         key=lambda item: -((item[0][2] - item[0][0] + 1)
                                            * (item[0][3] - item[0][1] + 1)))
        print(f"largest differing regions (x0,y0-x1,y1 in pixels of the new picture):")
        for (x0, y0, x1, y1, count), name in largest[:args.top]:
            print(f"  {name}: {x1 - x0 + 1}x{y1 - y0 + 1} at {x0},{y0}-{x1},{y1} "
                  f"({count} pixels)")
        for count, pixels_off, name, _, big, a, b, mask in per_file[:args.top]:
            if pixels_off:
                side_by_side(a, b, mask, args.output / name)
        print(f"worst {min(args.top, len(per_file))} side by side (old | new | differences "
              f"in red): {args.output}")
        for line in findings:
            print(f"  {line[0]}: {line[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
