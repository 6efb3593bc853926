"""'Supported by' cells -> element references: by id or by exact name, never guessing.

Pure: models in, references and (severity, message) pairs out.
"""

from __future__ import annotations

import os
import re
from typing import Dict, List, Optional, Sequence, Tuple

from ..annotations import ElementRef
from ..model import Model
from .values import did_you_mean


def quoted(value) -> str:
    return "\u201c" + str(value) + "\u201d"


def model_file(model: Model) -> str:
    return os.path.basename(model.path)


def or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


class Resolver:
    """'Supported by' text -> element references, by id or by exact (case-insensitive) name."""

    def __init__(self, models: List[Model], removed: Dict[str, Tuple[Model, str]],
                 renamed: Dict[str, Tuple[ElementRef, str]],
                 elsewhere: Optional[Dict[str, str]] = None):
        self.models = models
        self.removed = removed
        self.renamed = renamed
        self.elsewhere = elsewhere or {}  # element of a model the workbook covers, not given
        self.model_by_name = {m.name.casefold(): m for m in models}
        self._tables: Dict[Tuple[int, ...], tuple] = {}

    def candidates(self, models: List[Model]):
        key = tuple(id(m) for m in models)
        if key not in self._tables:
            self._tables[key] = self._build(models)
        return self._tables[key]

    @staticmethod
    def _build(models: List[Model]):
        by_id: Dict[str, List[ElementRef]] = {}
        by_id_folded: Dict[str, List[ElementRef]] = {}
        by_name: Dict[str, List[ElementRef]] = {}
        for model in models:
            for node in model.nodes:
                ref = ElementRef(model.name, node.id)
                by_id.setdefault(node.id, []).append(ref)
                by_id_folded.setdefault(node.id.casefold(), []).append(ref)
                name = " ".join(node.name.split()).casefold()
                if name:
                    by_name.setdefault(name, []).append(ref)
        return by_id, by_id_folded, by_name

    def lookup(self, token: str) -> Tuple[List[ElementRef], List[Model]]:
        models = self.models
        prefix, sep, rest = token.partition(":")
        if sep and prefix.strip().casefold() in self.model_by_name and rest.strip():
            models = [self.model_by_name[prefix.strip().casefold()]]
            token = rest.strip()
        by_id, by_id_folded, by_name = self.candidates(models)
        name = " ".join(token.split()).casefold()
        for table, key in ((by_id, token), (by_id_folded, token.casefold()), (by_name, name)):
            if key in table:
                return table[key], models
        return [], models

    def tokens(self, text: str) -> List[str]:
        """Split on line breaks, semicolons and commas, but never inside an element's id or
        name (names may contain them): the split with the fewest unknown parts, then the
        fewest parts, wins."""
        pieces = re.split(r"(\r\n|\n|\r|;|,)", text)
        parts, seps = pieces[0::2], pieces[1::2]
        n = len(parts)
        # best[i] = (unknown parts, parts, tokens) covering parts[:i]
        best: List[Optional[Tuple[int, int, List[str]]]] = [None] * (n + 1)
        best[0] = (0, 0, [])
        for i in range(1, n + 1):
            for j in range(i - 1, -1, -1):
                if best[j] is None:
                    continue
                segment = parts[j]
                for k in range(j + 1, i):
                    segment += seps[k - 1] + parts[k]
                segment = segment.strip()
                unknown, count, tokens = best[j]
                if not segment:
                    if i - j > 1:
                        continue
                    candidate = (unknown, count, tokens)
                elif self.lookup(segment)[0]:
                    candidate = (unknown, count + 1, tokens + [segment])
                elif i - j == 1:
                    candidate = (unknown + 1, count + 1, tokens + [segment])
                else:
                    continue
                if best[i] is None or candidate[:2] < best[i][:2]:
                    best[i] = candidate
        return best[n][2] if best[n] else []

    def resolve(self, typed: str) -> Tuple[List[ElementRef], List[Tuple[str, str]]]:
        """References, and (severity, message) for each part that is not clear."""
        refs: List[ElementRef] = []
        problems: List[Tuple[str, str]] = []
        for token in self.tokens(typed):
            found, models = self.lookup(token)
            if len(found) == 1:
                if found[0] not in refs:
                    refs.append(found[0])
            elif len({r.element_id for r in found}) == 1 and len(found) > 1:
                # one id in several models: the same process in two files, two versions
                models = ", ".join(r.model for r in found)
                problems.append(("error", f"{quoted(token)} is an element of several models "
                                 f"({models}); write {quoted(found[0].model + ': ' + token)} "
                                 "to say which one"))
            elif len(found) > 1:
                listed = ", ".join(f"{r.element_id} in {r.model}" if len(self.models) > 1
                                   else r.element_id for r in found)
                problems.append(("error", f"{quoted(token)} matches {len(found)} elements "
                                 f"({listed}); use the Element ID instead of the name"))
            elif " ".join(token.split()).casefold() in self.renamed:
                ref, new_name = self.renamed[" ".join(token.split()).casefold()]
                if ref not in refs:
                    refs.append(ref)
                problems.append(("warning", f"{quoted(token)} was renamed to {quoted(new_name)} "
                                 f"({ref.element_id}) in the model; read as that element, "
                                 "update the name here"))
            elif self.other_model(token):
                other = self.other_model(token)
                problems.append(("warning", f"{quoted(token)} is in the model {quoted(other)}, "
                                 "which was not given; not counted as support here"))
            else:
                problems.append(("error", self.no_match(token, models)))
        return refs, problems

    def other_model(self, token: str) -> Optional[str]:
        """The not-given model an element named by ``token`` belongs to, if any."""
        key = " ".join(token.split()).casefold()
        if key in self.elsewhere:
            return self.elsewhere[key]
        prefix, sep, _ = token.partition(":")
        others = {m.casefold(): m for m in self.elsewhere.values()}
        if sep and prefix.strip().casefold() in others:
            return others[prefix.strip().casefold()]
        return None

    def no_match(self, token: str, models: List[Model]) -> str:
        gone = self.removed.get(token.casefold())
        if gone:
            model, place = gone
            return (f"{quoted(token)} is an element that no longer exists in {model_file(model)} "
                    f"(see {place}); point to the element that replaced it, or leave it empty")
        files = or_list([model_file(m) for m in models])
        choices = [" ".join(n.name.split()) for m in models for n in m.nodes if n.name.strip()]
        choices += [n.id for m in models for n in m.nodes]
        close = did_you_mean(token, choices)
        suggestion = f" (did you mean {quoted(close[0])}?)" if close else ""
        return f"{quoted(token)} matches no element in {files}{suggestion}"
