"""TempEval-3 Task A scoring of the tagger against TimeML gold files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from timeline.models import TimeExpression
from timeline.timeml import GoldTimex, TimeMLDocument, TimeMLError, read_timeml


@dataclass
class ErrorRecord:
    """One disagreement between the tagger and the gold annotation."""

    doc_id: str
    kind: str  # missed, spurious, extent, value, type
    gold: str = ""
    system: str = ""
    context: str = ""


@dataclass
class Scores:
    """Pooled TempEval-3 Task A counts and the metrics derived from them."""

    gold: int = 0
    system: int = 0
    relaxed: int = 0
    strict: int = 0
    value: int = 0
    type: int = 0
    documents: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def precision(self, matches: int) -> float:
        return matches / self.system if self.system else 0.0

    def recall(self, matches: int) -> float:
        return matches / self.gold if self.gold else 0.0

    def f1(self, matches: int) -> float:
        p, r = self.precision(matches), self.recall(matches)
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict[str, float]:
        """Strict, relaxed, value and type F1 with precision and recall (TempEval-3)."""
        relaxed_f1 = self.f1(self.relaxed)
        value_accuracy = self.value / self.relaxed if self.relaxed else 0.0
        type_accuracy = self.type / self.relaxed if self.relaxed else 0.0
        return {
            "documents": self.documents, "gold": self.gold, "system": self.system,
            "strict_precision": self.precision(self.strict), "strict_recall": self.recall(self.strict),
            "strict_f1": self.f1(self.strict),
            "relaxed_precision": self.precision(self.relaxed), "relaxed_recall": self.recall(self.relaxed),
            "relaxed_f1": relaxed_f1,
            "value_accuracy": value_accuracy, "value_f1": relaxed_f1 * value_accuracy,
            "type_accuracy": type_accuracy, "type_f1": relaxed_f1 * type_accuracy,
        }


def align(gold: Iterable[GoldTimex], system: Iterable[TimeExpression]) -> list[tuple[GoldTimex, TimeExpression]]:
    """One-to-one pairs of overlapping gold and system timexes, largest overlap first."""
    pairs = []
    for g in gold:
        for s in system:
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                pairs.append((overlap, g, s))
    pairs.sort(key=lambda p: (-p[0], p[1].start))
    used_gold, used_system, matched = set(), set(), []
    for _, g, s in pairs:
        if id(g) in used_gold or id(s) in used_system:
            continue
        used_gold.add(id(g))
        used_system.add(id(s))
        matched.append((g, s))
    return matched


def score_document(scores: Scores, source: TimeMLDocument, system: list[TimeExpression]) -> None:
    """Add one document's counts (and its errors) to the pooled scores."""
    text = source.document.text
    doc_id = source.document.doc_id
    scores.documents += 1
    scores.gold += len(source.gold)
    scores.system += len(system)
    matched = align(source.gold, system)
    for g, s in matched:
        scores.relaxed += 1
        scores.strict += (g.start, g.end) == (s.start, s.end)
        scores.value += g.value == s.value
        scores.type += g.type == s.type
        context = _context(text, g.start, g.end)
        if (g.start, g.end) != (s.start, s.end):
            scores.errors.append(ErrorRecord(doc_id, "extent", g.text, s.text, context))
        if g.value != s.value:
            scores.errors.append(ErrorRecord(doc_id, "value", f"{g.text} = {g.value}", f"{s.value} [{s.rule}]", context))
        if g.type != s.type:
            scores.errors.append(ErrorRecord(doc_id, "type", f"{g.text} = {g.type}", s.type, context))
    matched_gold = {id(g) for g, _ in matched}
    matched_system = {id(s) for _, s in matched}
    for g in source.gold:
        if id(g) not in matched_gold:
            scores.errors.append(ErrorRecord(doc_id, "missed", f"{g.text} = {g.value}", "", _context(text, g.start, g.end)))
    for s in system:
        if id(s) not in matched_system:
            scores.errors.append(ErrorRecord(doc_id, "spurious", "", f"{s.text} = {s.value} [{s.rule}]",
                                             _context(text, s.start, s.end)))


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def gold_files(gold_dir: str | Path) -> list[Path]:
    """The .tml files below a folder, sorted."""
    return sorted(Path(gold_dir).rglob("*.tml"))


def evaluate(gold_dir: str | Path, mode: str = "news", tagger=None, progress=None) -> Scores:
    """Tag the raw text of each gold file with its DCT and score it (TempEval-3 Task A)."""
    from timeline.tagger import default_tagger

    tagger = tagger or default_tagger()
    scores = Scores()
    files = gold_files(gold_dir)
    for path in progress(files) if progress else files:
        try:
            source = read_timeml(path)
        except (TimeMLError, OSError) as exc:
            scores.skipped.append(str(exc))
            continue
        result = tagger.tag_document(source.document, mode=mode)
        score_document(scores, source, result.expressions)
    return scores
