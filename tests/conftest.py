import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT / "samples"
CORPUS = Path(os.environ.get("BPMNCX_CORPUS", ROOT.parent / "shared" / "corpus" / "miwg"))


def corpus_files():
    """Every BPMN file of the shared MIWG corpus (empty when it is absent)."""
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("*/*.bpmn"))


needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"shared MIWG corpus not found at {CORPUS}"
)
