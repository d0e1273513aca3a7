"""The tense of the clause a time expression sits in: past, future or unknown."""

from __future__ import annotations

import functools

import regex

from timeline.nlp import load_nlp
from timeline.resources import load_words, phrase_pattern

WINDOW_CHARS = 300
LEXICAL_CHARS = 60
MAX_PARSED_WINDOWS = 400
SENTENCE_END = regex.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z\"“‘'(])|\n\s*\n")


@functools.cache
def cues(language: str = "en") -> dict:
    """The tense cue words of a language (resources/<language>/tense.toml), as sets and patterns."""
    words = load_words(language, "tense")
    lemmas = frozenset(words["future_lemmas"])
    return {
        "future_aux": frozenset(words["future_aux"]), "future_lemmas": lemmas,
        "future_forms": lemmas | frozenset(words["future_forms"]),
        "ambiguous": frozenset(words["ambiguous_future_forms"]),
        "back_mods": frozenset(words["looking_back_mods"]), "ahead_mods": frozenset(words["looking_ahead_mods"]), "perfect": frozenset(words["perfect_aux"]),
        "pluperfect": frozenset(words["pluperfect_aux"]), "present": frozenset(words["present_aux"]),
        "going": frozenset(words["going_aux"]), "infinitive": frozenset(words["infinitive_markers"]),
        "purpose": frozenset(words["purpose_prepositions"]),
        "future_cues": phrase_pattern(words["future_cues"], after=r"\s+(?:on\s+)?\Z"),
        "weak_future_cues": phrase_pattern(words["weak_future_cues"], after=r"\s+(?:on\s+)?\Z"),
        "lexical_future": phrase_pattern(words["lexical_future"], after=r"\b"),
        # Besides the listed words, any regular past form ("closed") is a past cue.
        "lexical_past": phrase_pattern(words["lexical_past"], after=r"\b", extra=(r"\w{3,}ed",)),
    }


class TenseOracle:
    """Answers the tense at a character span, parsing only the sentences it is asked about."""

    def __init__(self, text: str, doc=None):
        self.text = text
        self.doc = doc
        self._windows: dict[tuple[int, int], object] = {}

    def prepare(self, spans: list[tuple[int, int]]) -> None:
        """Parse the sentences around these spans in one batch (up to the cap)."""
        if self.doc is not None:
            return
        windows = list(dict.fromkeys(self._window(start, end) for start, end in spans))
        windows = [w for w in windows if w not in self._windows][: MAX_PARSED_WINDOWS - len(self._windows)]
        if not windows:
            return
        texts = (self.text[left:right] for left, right in windows)
        for window, parsed in zip(windows, load_nlp("syntax").pipe(texts, batch_size=64)):
            self._windows[window] = parsed

    def tense_at(self, start: int, end: int) -> str | None:
        """'past', 'present', 'future' or None for the clause around text[start:end]."""
        if cues()["future_cues"].search(self.text, max(0, start - 30), start):
            return "future"
        tense = self._parsed_tense(start, end)
        if tense != "pluperfect" and cues()["weak_future_cues"].search(self.text, max(0, start - 30), start):
            return "future"
        return "past" if tense == "pluperfect" else tense

    def _parsed_tense(self, start: int, end: int) -> str | None:
        if self.doc is not None:
            return tense_in_doc(self.doc, start, end)
        window = self._window(start, end)
        if window not in self._windows and len(self._windows) >= MAX_PARSED_WINDOWS:
            return lexical_tense(self.text[max(window[0], start - LEXICAL_CHARS):start])
        if window not in self._windows:
            self._windows[window] = load_nlp("syntax")(self.text[window[0]:window[1]])
        return tense_in_doc(self._windows[window], start - window[0], end - window[0])

    def _window(self, start: int, end: int) -> tuple[int, int]:
        left = max(0, start - WINDOW_CHARS)
        right = min(len(self.text), end + WINDOW_CHARS)
        before = [m.end() for m in SENTENCE_END.finditer(self.text, left, start)]
        after = SENTENCE_END.search(self.text, end, right)
        return (before[-1] if before else left, after.start() + 1 if after else right)


def direction_of(tense: str | None, mod_word: str | None = None) -> int:
    """-1 if an expression looks back from the publication date, +1 if ahead, 0 if unknown."""
    words = cues()
    if mod_word in words["back_mods"]:
        return -1
    if mod_word in words["ahead_mods"]:
        return 1
    return {"past": -1, "pluperfect": -1, "future": 1}.get(tense or "", 0)


def tense_in_doc(doc, start: int, end: int) -> str | None:
    """The tense of the verb governing the span [start, end) of a parsed doc."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    modifier = token.dep_ in ("poss", "compound", "nmod", "amod")
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return None
    tense = verb_tense(token)
    # "Friday's purchases are ...": a date modifying a noun is not in the verb's present.
    return None if modifier and tense == "present" else tense


def verb_tense(verb, depth: int = 0) -> str | None:
    """Past, present or future from a verb's tag and its auxiliaries."""
    words = cues()
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = {a.lower_ for a in auxiliaries}
    if aux_words & words["future_aux"] or verb.lower_ in words["future_aux"]:
        return "future"
    if aux_words & words["going"]:
        return "future"
    planned = planning_tense(verb, aux_words, depth)
    if planned:
        return planned
    tags = {verb.tag_} | {a.tag_ for a in auxiliaries}
    if verb.tag_ == "VBN" and aux_words & words["pluperfect"]:
        return "pluperfect"
    if "VBD" in tags:
        return "past"
    if verb.tag_ == "VBN" and (not auxiliaries or aux_words & words["perfect"]):
        return "past"
    if verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ in words["infinitive"] for c in verb.children):
        # "plans to meet on Sunday" looks ahead; "tried to meet on Sunday" does not.
        head = verb.head
        if head.i == verb.i or depth >= 4:
            return None
        if is_future_verb(head):
            # "had been due to expire Friday": the auxiliary hangs on "been", above "due".
            holders = [head, head.head] if head.dep_ == "acomp" else [head]
            head_aux = {c.lower_ for h in holders for c in h.children if c.dep_ in ("aux", "auxpass")}
            return "pluperfect" if head_aux & words["pluperfect"] else "future"
        return verb_tense(head, depth + 1)
    if verb.tag_ in ("VBZ", "VBP") or aux_words & words["present"]:
        return "present"
    return None


def planning_tense(verb, aux_words: set[str], depth: int) -> str | None:
    """The tense a planning verb ("scheduled", "planned") gives the date attached to it."""
    # "set" alone is as often past ("set fire on Monday"); "set to ...", "a summit set for" look ahead.
    if not is_future_verb(verb) or (verb.lower_ in cues()["ambiguous"] and not _set_for(verb)):
        return None
    if aux_words & cues()["pluperfect"]:
        return "pluperfect"
    if verb.dep_ == "acl" and verb.head.head.i != verb.head.i and depth < 4:
        # "the service planned for Saturday was canceled": the main clause decides.
        main = verb_tense(verb.head.head, depth + 1)
        return "past" if main in ("past", "pluperfect") else "future"
    if verb.tag_ == "VBD" and any(c.dep_ == "xcomp" for c in verb.children):
        # "On Friday, the government planned to pay ...": Friday is when it planned.
        return "past"
    return "future"


def _set_for(verb) -> bool:
    """"a summit set for April" looks ahead; "a record set on Aug. 6" does not."""
    return verb.dep_ == "acl" and any(c.lower_ in cues()["purpose"] for c in verb.children)


def is_future_verb(verb) -> bool:
    """Whether a verb looks ahead ("scheduled", "plans"), with or without lemmas."""
    words = cues()
    return (verb.lemma_ or verb.lower_) in words["future_lemmas"] or verb.lower_ in words["future_forms"]


def lexical_tense(before: str) -> str | None:
    """A cheap guess from the cue word nearest before the expression, past the parse cap."""
    found = [(m.start(), "future") for m in cues()["lexical_future"].finditer(before)]
    found += [(m.start(), "past") for m in cues()["lexical_past"].finditer(before)]
    return max(found)[1] if found else None
