import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "samples"
# The MIWG exports shipped with the tests (tests/corpus/NOTICE.md); BPMNCX_CORPUS points
# the corpus tests at another copy with the same folders.
CORPUS = Path(os.environ.get("BPMNCX_CORPUS", Path(__file__).resolve().parent / "corpus"))


def corpus_files():
    """Every BPMN file of the MIWG corpus (empty when it is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("*/*.bpmn"))


needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"MIWG corpus not found at {CORPUS}"
)
