"""Event mentions: triggers, arguments, status and the time expression anchoring each.

Works on a spaCy Doc (tagger, parser, NER, lemmatizer) and the document's time expressions.
The vocabulary is data (resources/<language>/events.toml); this module is the engine.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass, fields, replace

import regex

from timeline.models import (
    DAY_GRANULARITIES, VAGUE_VALUES, DateBasis, Document, EventMention, Status, TimeExpression, TimeNote,
)
from timeline.resources import load_words
from timeline.tense import cues, verb_tense

ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")
LOCATION_LABELS = ("GPE", "LOC", "FAC")
CLAUSE_DEPS = ("ccomp", "advcl", "relcl", "acl", "csubj", "parataxis")
# Dates, times and durations placed in time ("the past two months"): whatever has an interval.
ANCHOR_TYPES = ("DATE", "TIME", "DURATION")
# The dates a bare event noun needs to be a row: linked to it, not its sentence's.
OWN_DATES = (DateBasis.EXPLICIT, DateBasis.CLAUSE)
# How a time expression modifies a verb, not a noun: "said Tuesday", "said on Tuesday".
ADVERBIAL_DEPS = ("npadvmod", "pobj", "advmod", "tmod")
# Clauses that describe a thing ("lows not seen since 1982"): their dates are not the event's.
DESCRIBING_CLAUSES = ("acl", "relcl")
# The dependents that make a coordinated verb a clause of its own.
CLAUSE_OWNERS = ("nsubj", "nsubjpass", "aux", "auxpass")
WHOLE_DAYS = re.compile(r"P([0-9]+)D")
MAX_DESCRIPTION_WORDS = 18
# Longer than any sentence of news (TBAQ's longest has 593 characters): a text without sentence ends.
MAX_SENTENCE_CHARS = 2000
# Parts of speech a description must not end on: a phrase cut after them is not whole.
DANGLING_POS = ("ADP", "DET", "CCONJ", "SCONJ", "PART", "PUNCT", "AUX")
MAX_HEAD_STEPS = 6
# A time expression this few tree steps from a trigger in the same sentence dates it (TBAQ: d=2
# agrees with the gold link 87% of the time, d=3 75%, d=4 71%, d=5 75%, d=6 44%).
MAX_ROUTE_STEPS = 5
# What a route into the phrase of another event noun adds: its time is that event's first.
NOUN_PHRASE_STEPS = 2
# Routes down into these dependents lead to another clause's time: "said that ... on Monday",
# "X and then Y in May" (on TBAQ such routes disagreed with the gold link 9 times in 11),
# "rebels who toppled Gaddafi in 2011".
CLAUSAL_COMPLEMENT = "ccomp"
FOREIGN_BRANCHES = (CLAUSAL_COMPLEMENT, "conj") + DESCRIBING_CLAUSES
# Verb tags that carry a tense by themselves (others need an auxiliary: "will send", "was killed").
FINITE_TAGS = ("VBD", "VBZ", "VBP", "MD")
# What gives a participle a time of its own: "after leaving", "while he was visiting", "having left".
PARTICIPLE_OWNERS = ("mark", "aux", "auxpass", "nsubj", "nsubjpass")


@dataclass(frozen=True)
class Lexicon:
    """The event vocabulary of one language."""

    light_verbs: frozenset
    state_verbs: frozenset
    prepositional_participles: frozenset
    depiction_verbs: frozenset
    reporting_verbs: frozenset
    step_verbs: frozenset
    event_nouns: frozenset
    noun_suffixes: tuple
    non_event_nouns: frozenset
    derivation: dict
    threat: frozenset
    plan: frozenset
    hypothetical_aux: frozenset
    future_aux: frozenset
    claim_verbs: frozenset
    claim_words: frozenset
    negation_words: frozenset
    person_pronouns: frozenset
    group_pronouns: frozenset
    thing_pronouns: frozenset
    referring_nouns: dict
    reference_window: int
    definite_determiners: frozenset
    present_modals: frozenset
    reported_future_aux: frozenset
    durative_prepositions: frozenset
    contrast_marks: frozenset
    relative_pronouns: frozenset
    articles: tuple
    condition_marks: frozenset
    attribution_words: frozenset
    relation_words: dict
    agent_prepositions: frozenset
    patient_prepositions: frozenset
    description_prepositions: frozenset
    description_never_starts: frozenset
    completed_aux: frozenset
    day_prepositions: frozenset
    support_verbs: frozenset
    comparison_words: frozenset
    range_words: frozenset
    figure_words: frozenset
    relative_time_words: frozenset
    occasion_prepositions: frozenset
    sequence_adverbs: frozenset
    loose_prepositions: frozenset


@functools.cache
def load_lexicon(language: str = "en") -> Lexicon:
    """Read resources/<language>/events.toml and words.toml: each field of Lexicon is the list,
    table or number of that name in them, converted to the field's type."""
    data, words = load_words(language, "events"), load_words(language, "words")
    sources = {**words, **data["triggers"], **data["status"], "derivation": data["derivation"]}
    convert = {"frozenset": frozenset, "tuple": tuple, "dict": dict, "int": int}
    return Lexicon(**{f.name: convert[f.type](sources[f.name]) for f in fields(Lexicon)})


# A line longer than this is article text, whatever it starts with.
MAX_BOILERPLATE_LINE = 300


@functools.cache
def boilerplate_patterns(language: str = "en") -> tuple:
    """The line patterns of resources/<language>/boilerplate.toml, compiled."""
    return tuple(regex.compile(line["pattern"], regex.IGNORECASE) for line in load_words(language, "boilerplate")["line"])


def boilerplate_spans(text: str, language: str = "en") -> list[tuple[int, int]]:
    """(start, end) of the lines that are page furniture, not article: bylines, credits, "Follow us"."""
    spans = []
    for line in regex.finditer(r"[^\n]+", text):
        stripped = line.group().strip()
        if stripped and len(stripped) <= MAX_BOILERPLATE_LINE and any(
                p.fullmatch(stripped) for p in boilerplate_patterns(language)):
            spans.append((line.start(), line.end()))
    return spans


def extract_mentions(document: Document, doc, expressions: list[TimeExpression],
                     lexicon: Lexicon | None = None, offset: int = 0, first_number: int = 1) -> list[EventMention]:
    """Every event mention of a parsed text, anchored to its time expressions.

    `doc` and `expressions` may cover a part of a long document starting at character `offset`;
    the mentions' offsets are the document's, and their ids are numbered from `first_number`.
    """
    lexicon = lexicon or load_lexicon()
    anchors = [e for e in expressions if e.type in ANCHOR_TYPES and e.interval_start is not None]
    timex_tokens = _timex_token_map(doc, expressions)
    furniture = _tokens_in(doc, boilerplate_spans(doc.text))
    mentions: list[EventMention] = []
    by_token: dict[int, EventMention] = {}
    described: dict[int, frozenset] = {}  # trigger index -> the token indexes its description tells
    timed_sentences: set[int] = set()  # numbers of the sentences with a time expression of their own
    for sentence_index, sentence in enumerate(doc.sents):
        for token in sentence:
            if token.i in timex_tokens:
                timed_sentences.add(sentence_index)
                continue
            if token.i in furniture:
                continue
            kind = trigger_kind(token, lexicon)
            if kind is None or _supported_noun(token, lexicon):
                continue
            mention, described[token.i] = _mention(document, token, kind, sentence, sentence_index, lexicon,
                                                   timex_tokens)
            _name_by_supported_noun(mention, token, lexicon)
            mention.mention_id = f"{document.doc_id}:m{len(mentions) + first_number}"
            mentions.append(mention)
            by_token[token.i] = mention
    roots = _expression_roots(doc, anchors)
    roles = _time_roles(doc, anchors, roots, by_token)
    _anchor(doc, anchors, roots, by_token, roles)
    _anchor_to_frames(anchors, roots, by_token, document.dct, roles)
    _anchor_to_occasions(doc, by_token, lexicon)
    _anchor_nearby(doc, anchors, roots, by_token, document.dct, roles)
    _anchor_from_discourse(doc, by_token, timed_sentences)
    _anchor_participles(doc, by_token)
    _relate(doc, expressions, by_token)
    _attach_time_notes(doc, expressions, by_token)
    _corefer(mentions, {id(m) for i, m in by_token.items() if m.kind == "noun" and _is_definite(doc[i], lexicon)})
    kept_by_token = {i: m for i, m in by_token.items() if _keep(m) or _acted_by_pronoun(doc[i], m)}
    kept_by_token.update(_told_in_clauses(doc, by_token, kept_by_token, described, lexicon))
    kept = [m for i, m in by_token.items() if i in kept_by_token]  # by_token holds the mentions in text order
    _attribute(doc, kept_by_token, lexicon)
    _fold_steps(doc, kept_by_token, described)
    if document.dct_source == "inferred":
        _mark_inferred(kept)
    return [_at_offset(m, offset) for m in kept] if offset else kept


def _keep(mention: EventMention) -> bool:
    """A mention is kept when it says who or what took part, or when: a bare "talks" is not a row,
    nor a bare "is observing" that only "now" dates, nor a bare noun that only shares its sentence's
    date ("the surge in migrant arrivals, up 60% in the first six weeks": the surge, not the arrivals)."""
    dated = mention.dated and mention.timex.value not in VAGUE_VALUES
    if (mention.kind == "noun" and mention.basis not in OWN_DATES) or mention.basis == DateBasis.CONTEXT:
        dated = False  # a date inferred from the sentences before says nothing of whether this is an event
    return bool(mention.actors or mention.affected or dated or mention.relative_to)


def _acted_by_pronoun(token, mention: EventMention) -> bool:
    """A verb whose subject is a pronoun no name could be found for still tells that someone acted
    ("we will withdraw", "it filed with the regulators"); a bare verb tells nothing."""
    if mention.kind != "verb" or any(c.dep_ == "acomp" for c in token.children):
        return False  # "it has become urgent": a state described, not an act
    return any(s.pos_ == "PRON" for s in _subjects(token))


def _told_in_clauses(doc, by_token: dict, kept: dict, described: dict[int, frozenset], lexicon: Lexicon) -> dict:
    """Bare event nouns ("monitor a ceasefire", "address the summit") told by the clause of a kept
    event: mentions of their own, found and shown in that event's sentence, but no rows (a bare
    "ceasefire" says neither who nor when), so each is told with that event.  Index -> mention."""
    found = {}
    for index, mention in by_token.items():
        token = doc[index]
        if index in kept or mention.kind != "noun" or not _is_named_argument(token, lexicon):
            continue
        governor = _governing_mention(token, by_token)
        if governor in kept and index in described.get(governor, ()) and kept[governor].told_with is None:
            mention.told_with = kept[governor].mention_id
            found[index] = mention
    return found


def _is_named_argument(token, lexicon: Lexicon) -> bool:
    """"the summit", "a ceasefire", "their offensive" as a subject, object or prepositional object
    (not "the threat of", "with", "as"): a determined noun a clause tells something of."""
    determined = any(c.dep_ in ("det", "poss") and c.lower_ not in lexicon.negation_words for c in token.children)
    if not determined:
        return False
    if token.dep_ == "pobj":
        return token.head.lower_ not in lexicon.loose_prepositions
    return token.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")


def _fold_steps(doc, by_token: dict, described: dict[int, frozenset]) -> None:
    """An event told inside the description of the event it depends on, with no date or actor of its
    own, is a step of that event, not a row: "died attempting the crossing" is one death toll."""
    for index, mention in by_token.items():
        if mention.told_with is not None or mention.kind == "reporting":
            continue
        governor = _governing_mention(doc[index], by_token)
        if governor is None or index not in described.get(governor, ()) or not _is_step(doc[index], governor):
            continue
        owner = by_token[governor]
        own_date = mention.timex is not None and mention.timex is not owner.timex
        if own_date or owner.told_with == mention.mention_id or not set(mention.actors) <= set(owner.actors):
            continue
        if mention.status in (Status.THREATENED, Status.PLANNED) and owner.told_with is None:
            owner.told_with = mention.mention_id  # "threatened to send": the sending, threatened, is the event
        else:
            mention.told_with = owner.mention_id
    by_id = {m.mention_id: m for m in by_token.values()}
    for mention in by_token.values():  # a step of a step belongs to the event at the top
        seen = {mention.mention_id}
        while mention.told_with in by_id and by_id[mention.told_with].told_with not in (None, *seen):
            seen.add(mention.told_with)
            mention.told_with = by_id[mention.told_with].told_with


def _is_step(token, governor: int) -> bool:
    """Whether the token hangs from the governor as a step of its action ("helped topple", "attempting
    the crossing", "died attempting"), not as another event it is related to ("after the beheadings")."""
    current = token
    while current.i != governor:
        step = (current.dep_ == "xcomp" or (current.dep_ == "advcl" and current.tag_ == "VBG")
                or (current.dep_ == "dobj" and current.head.lemma_.lower() in load_lexicon().step_verbs))
        if not step:
            return False
        current = current.head
    return True


def _governing_mention(token, by_token: dict, steps: int = 3) -> int | None:
    """The nearest trigger above this one in the parse tree (within a few steps)."""
    current = token
    for _ in range(steps):
        if current.head.i == current.i:
            return None
        current = current.head
        if current.i in by_token:
            return current.i
    return None


def _attribute(doc, by_token: dict, lexicon: Lexicon) -> None:
    """"X said (that) Y" and "Y, according to X": Y is attributed to X (a claim while only
    attributed), and a reporting act whose content is an event is told with that event."""
    for index, mention in by_token.items():
        if mention.kind != "reporting":
            continue
        content_index = _reported_content(doc[index], by_token)
        if content_index is None:
            continue
        content = by_token[content_index]
        mention.told_with = content.mention_id
        _attribute_to(content, mention.actors[0] if mention.actors else None)
        if content.status == Status.HYPOTHETICAL and _is_reported_future(doc[content_index], lexicon):
            content.status = Status.PLANNED
        if content.timex is None and mention.dated and _is_present(doc[content_index], lexicon):
            # "said on Sunday that the risk is imminent": a state that holds when it is told.
            content.timex, content.basis = mention.timex, DateBasis.CLAUSE
    for token in doc:
        if token.lower_ in lexicon.attribution_words and token.head.i in by_token:
            source = next((o for c in token.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"), None)
            if source is not None:
                _attribute_to(by_token[token.head.i], _phrase(source))


def _attribute_to(mention: EventMention, source: str | None) -> None:
    """Mark a mention as told by someone else: a claim while only attributed."""
    mention.attributed_to = mention.attributed_to or source
    if mention.status in (Status.HAPPENED, Status.ONGOING):
        mention.status = Status.CLAIM


def _is_reported_future(token, lexicon: Lexicon) -> bool:
    """"(said) it would release": "would" as the past of "will", outside any condition."""
    return not _in_condition(token) and any(
        c.dep_ == "aux" and c.lower_ in lexicon.reported_future_aux for c in token.children)


def _is_present(token, lexicon: Lexicon) -> bool:
    """"poses", "is exploiting", "cannot be ruled out": present tense, not perfect, not future."""
    auxiliaries = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    if token.tag_ in ("VBZ", "VBP"):
        return not auxiliaries
    first = auxiliaries[0] if auxiliaries else None
    if first is None or first.lemma_ == "have":
        return False
    return first.tag_ in ("VBZ", "VBP") or first.lower_ in lexicon.present_modals


def _reported_content(token, by_token: dict) -> int | None:
    """The event a reporting verb reports: its clausal complement ("said the army attacked"), or the
    clause it follows ("The army attacked, officials said"), following "began to attack" down."""
    complement = next((c for c in token.children if c.dep_ == "ccomp"), None)
    if complement is None and any(c.dep_ == "auxpass" for c in token.children):
        complement = next((c for c in token.children if c.dep_ == "xcomp"), None)  # "were reported to have died"
    if complement is None and token.dep_ in ("ccomp", "parataxis") and token.head.i < token.i:
        complement = token.head
    for _ in range(3):
        if complement is None:
            return None
        content = by_token.get(complement.i)
        if content is not None:
            return complement.i if content.kind != "reporting" else None
        complement = next((c for c in complement.children if c.dep_ == "xcomp"), None)
    return None


def _corefer(mentions: list[EventMention], definite: set[int]) -> None:
    """"The bombing" with no participants of its own is the bombing the article reported before:
    it takes that mention's participants, and its date when it has none.  `definite`: the ids of
    mentions whose noun has a definite determiner (only those point back)."""
    latest: dict[str, EventMention] = {}
    for mention in mentions:
        antecedent = latest.get(mention.lemma)
        bare = not (mention.actors or mention.affected)
        if id(mention) in definite and bare and antecedent is not None:
            mention.actors, mention.affected = list(antecedent.actors), list(antecedent.affected)
            mention.locations = mention.locations or list(antecedent.locations)
            mention.key_terms = mention.key_terms | antecedent.key_terms
            if mention.timex is None and antecedent.dated:
                mention.timex, mention.basis = antecedent.timex, DateBasis.CONTEXT
        if mention.actors or mention.affected:
            latest[mention.lemma] = mention


def _is_definite(token, lexicon: Lexicon) -> bool:
    """"the bombing", "this attack": a noun that refers back."""
    return any(c.dep_ == "det" and c.lower_ in lexicon.definite_determiners for c in token.children)


def _tokens_in(doc, spans: list[tuple[int, int]]) -> set[int]:
    """Indexes of the tokens inside these character spans."""
    tokens = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tokens.update(range(span.start, span.end))
    return tokens


def _mark_inferred(mentions: list[EventMention]) -> None:
    """Dates resolved against an inferred publication date are only as good as that inference."""
    for mention in mentions:
        if mention.timex is not None and mention.timex.anchor != "absolute" and mention.dated:
            mention.basis = DateBasis.INFERRED


def _at_offset(mention: EventMention, offset: int) -> EventMention:
    """A mention found in a part of a document, with the document's character offsets."""
    timex, note = mention.timex, mention.time_note
    if timex is not None:
        timex = replace(timex, start=timex.start + offset, end=timex.end + offset)
    if note is not None:
        note = replace(note, start=note.start + offset, end=note.end + offset)
    return replace(mention, trigger_start=mention.trigger_start + offset, trigger_end=mention.trigger_end + offset,
                   sentence_start=mention.sentence_start + offset, timex=timex, time_note=note)


def trigger_kind(token, lexicon: Lexicon) -> str | None:
    """'verb', 'reporting', 'noun' or None: whether this token names an event."""
    lemma = token.lemma_.lower()
    if not token.text[:1].isalpha():  # a clitic ("’s", "’re") is an auxiliary, never the event
        return None
    if token.pos_ == "VERB":
        if token.lower_ in cues()["going"] and any(c.dep_ == "xcomp" for c in token.children):
            return None  # "is going to announce": the auxiliary of a near future, not a going
        if lemma in lexicon.light_verbs or lemma in lexicon.state_verbs or token.dep_ in ("amod", "compound", "aux", "auxpass"):
            return None
        if lemma in lexicon.prepositional_participles and _used_as_preposition(token):
            return None
        if lemma in lexicon.depiction_verbs and _describes_a_thing(token):
            return None  # "a video showing the militants": what the video shows is the event
        return "reporting" if lemma in lexicon.reporting_verbs else "verb"
    if token.pos_ != "NOUN" or lemma in lexicon.non_event_nouns or token.lower_ in lexicon.non_event_nouns:
        return None
    if token.dep_ == "compound":  # "sales figures", "death toll": the noun modifies a thing
        return None
    if lemma in lexicon.event_nouns or token.lower_ in lexicon.event_nouns:
        return "noun"
    if len(lemma) > 5 and lemma.endswith(lexicon.noun_suffixes):
        # A suffix alone is weak evidence: require "the X of ..." to call it an event.
        if any(c.dep_ == "prep" and c.lower_ in lexicon.patient_prepositions for c in token.children):
            return "noun"
    return None


def _describes_a_thing(token) -> bool:
    """"a video showing ...", "released a video on Sunday showing ...": a participle with no subject."""
    return token.dep_ == "acl" or (token.tag_ == "VBG" and token.dep_ == "advcl" and not any(
        c.dep_ in ("nsubj", "nsubjpass", "mark") for c in token.children))


def _used_as_preposition(token) -> bool:
    """"compared with", "following the vote": a participle with no subject, heading a modifier."""
    return (token.tag_ in ("VBN", "VBG") and token.dep_ in ("prep", "acl", "advcl", "pcomp", "ROOT")
            and not any(c.dep_ in CLAUSE_OWNERS for c in token.children))


def _supported_event(token, lexicon: Lexicon):
    """The event noun a support verb carries ("made a decision", "held talks"), or None."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in lexicon.support_verbs:
        return None
    return next((c for c in token.children if c.dep_ == "dobj" and trigger_kind(c, lexicon) == "noun"), None)


def _supported_noun(token, lexicon: Lexicon) -> bool:
    """Whether a noun is the event its support verb carries: the verb's mention names it."""
    if token.dep_ != "dobj" or token.head.i == token.i:
        return False
    carried = _supported_event(token.head, lexicon)  # the cheap test first: most heads carry nothing
    return carried is not None and carried.i == token.i and trigger_kind(token.head, lexicon) is not None


def _name_by_supported_noun(mention: EventMention, token, lexicon: Lexicon) -> None:
    """"Mesa made an offer for StatesWest": the event is the offer; the verb's clause tells it."""
    noun = _supported_event(token, lexicon) if mention.kind == "verb" else None
    if noun is not None:
        mention.trigger, mention.trigger_start, mention.trigger_end = noun.text, noun.idx, noun.idx + len(noun.text)
        mention.lemma = event_lemma(noun.lemma_.lower(), lexicon)


def event_lemma(token_lemma: str, lexicon: Lexicon) -> str:
    """The verb lemma an event is known by ("closure" -> "close")."""
    return lexicon.derivation.get(token_lemma, token_lemma)


def _mention(document, token, kind, sentence, sentence_index, lexicon, timex_tokens) -> tuple[EventMention, frozenset]:
    """The mention a trigger makes, and the token indexes its description tells."""
    actors, affected = _arguments(token, kind, timex_tokens)
    status = event_status(token, kind, lexicon)
    lemma = event_lemma(token.lemma_.lower(), lexicon)
    description, told = describe(token, kind, timex_tokens)
    told_in = _told_in(sentence, token)
    return EventMention(
        mention_id="", doc_id=document.doc_id, trigger=token.text, trigger_start=token.idx,
        trigger_end=token.idx + len(token.text), lemma=lemma, kind=kind, sentence=told_in.text,
        sentence_start=told_in.start_char, description=description,
        actors=actors, affected=affected, locations=_locations(token), status=status,
        sentence_index=sentence_index, key_terms=_key_terms(token, affected, timex_tokens),
        published=document.dct,
        recent_past=status == Status.HAPPENED and _is_recent_past(token, lexicon, timex_tokens),
    ), told


def _told_in(sentence, token):
    """The sentence a mention quotes as its provenance; of a "sentence" no news text has (a dump with
    no sentence ends), only the words around the trigger, or each of its thousands of mentions
    would carry a copy of it (a 1 MB file wrote 190 MB of mentions)."""
    if len(sentence.text) <= MAX_SENTENCE_CHARS:
        return sentence
    half = MAX_SENTENCE_CHARS // 2
    start, end = max(sentence.start_char, token.idx - half), min(sentence.end_char, token.idx + half)
    window = sentence.doc.char_span(start, end, alignment_mode="contract")
    return window if window is not None else sentence.doc[token.i:token.i + 1]  # words longer than the window


def _is_recent_past(token, lexicon: Lexicon, timex_tokens) -> bool:
    """"has stepped up", "have arrived": the present perfect of news with no time cue of its own,
    not a durative one ("has unravelled since 2011", "since Western forces ...", "over the past year")."""
    perfect = token.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in token.children)
    if not perfect:
        return False
    for child in token.children:
        if child.lower_ in lexicon.durative_prepositions or any(
                m.dep_ == "mark" and m.lower_ in lexicon.durative_prepositions for m in child.children):
            return False
        if child.dep_ in ("prep", "npadvmod", "advmod") and any(t.i in timex_tokens for t in child.subtree):
            return False
    return True


# ---------------------------------------------------------------- arguments


def _arguments(token, kind: str, timex_tokens) -> tuple[list[str], list[str]]:
    """(actors, affected) as text, for a verbal or nominal trigger."""
    lexicon = load_lexicon()
    actors, affected = [], []
    if kind == "noun":
        for child in token.children:
            if child.dep_ == "poss" and child.i not in timex_tokens:
                # "Italy's closure", "his arrest": who acts; "the video's release": what was acted on.
                agent = child.pos_ == "PRON" or child.ent_type_ in ACTOR_LABELS
                (actors if agent else affected).append(_referent(child))
            elif child.dep_ == "compound" and child.ent_type_ in ACTOR_LABELS:
                actors.append(_phrase(child))
            elif child.dep_ == "prep" and child.lower_ in lexicon.agent_prepositions | lexicon.patient_prepositions:
                objects = [c for c in child.children if c.dep_ == "pobj" and c.i not in timex_tokens]
                (actors if child.lower_ in lexicon.agent_prepositions else affected).extend(_phrase(o) for o in objects)
        return _unique(actors), _unique(affected)
    subjects = _subjects(token)
    for subject in subjects:
        name = _referent(subject)
        if name:
            (affected if subject.dep_ == "nsubjpass" else actors).append(name)
    if token.dep_ == "acl" and not subjects:
        # "a bomb planted in a car": the noun is what the participle acts on; "troops fighting": who acts.
        (affected if token.tag_ == "VBN" else actors).append(_referent(token.head))
    for child in token.children:
        if child.dep_ in ("dobj", "dative", "attr", "oprd") and child.i not in timex_tokens:
            affected.append(_phrase(child))
        elif child.dep_ == "agent":
            actors.extend(_phrase(c) for c in child.children if c.dep_ == "pobj")
    return _unique(actors), _unique(affected)


def _entities(doc) -> list:
    """doc.ents, computed once per document (spaCy builds new spans on every access)."""
    if "timeline_ents" not in doc.user_data:
        entities = list(doc.ents)
        doc.user_data["timeline_ents"] = entities
        doc.user_data["timeline_ent_at"] = {i: e for e in entities for i in range(e.start, e.end)}
    return doc.user_data["timeline_ents"]


def _entity_at(token):
    """The named entity a token is part of, or None."""
    _entities(token.doc)
    return token.doc.user_data["timeline_ent_at"].get(token.i)


def _referent(token) -> str | None:
    """The name a subject or possessor stands for: itself, or what a pronoun, relative pronoun or
    definite description ("the company") refers to."""
    lexicon = load_lexicon()
    lower = token.lower_
    if lower in lexicon.relative_pronouns and token.head.dep_ == "relcl":
        return _phrase(token.head.head)  # "the man who shot": the man
    if token.pos_ == "PRON":
        if lower in lexicon.person_pronouns:
            # The last person named as a subject (the one the text is about), else the last named.
            return _name_before(token, ("PERSON",), subjects_only=True) or _name_before(token, ("PERSON",))
        if lower in lexicon.group_pronouns:
            return _name_before(token, ("ORG", "GPE", "NORP"), subjects_only=True)
        # "It was reported that ...": an extraposed subject stands for nothing.
        extraposed = token.dep_ == "nsubjpass" and any(c.dep_ == "ccomp" for c in token.head.children)
        if lower in lexicon.thing_pronouns and token.dep_ in ("nsubj", "nsubjpass") and not extraposed:
            return _subject_name_before(token, ("ORG", "GPE", "NORP"))
        return None
    label = lexicon.referring_nouns.get(lower)
    if label and not token.ent_type_ and _is_definite(token, lexicon):
        return _name_before(token, (label,)) or _phrase(token)
    return _phrase(token)


def _name_before(token, labels: tuple, subjects_only: bool = False) -> str | None:
    """The last name with one of these labels before a token, within a few sentences (a recency
    heuristic, as a reader resolves "he" or "the company"); None when there is none."""
    window = load_lexicon().reference_window
    doc = token.doc
    if "timeline_sentence_starts" not in doc.user_data:
        doc.user_data["timeline_sentence_starts"] = [s.start for s in doc.sents]
        doc.user_data["timeline_ent_starts"] = [e.start for e in _entities(doc)]
    sentence_starts, entity_starts = doc.user_data["timeline_sentence_starts"], doc.user_data["timeline_ent_starts"]
    here = bisect.bisect_right(sentence_starts, token.i) - 1
    earliest = sentence_starts[max(0, here - window)]
    # Only the names between the window's start and the token are looked at (long texts stay linear).
    entities = _entities(doc)[bisect.bisect_left(entity_starts, earliest):bisect.bisect_left(entity_starts, token.i)]
    names = [e for e in entities if e.label_ in labels and e.end <= token.i
             and (not subjects_only or e.root.dep_ in ("nsubj", "nsubjpass"))]
    return _strip_article(names[-1].text) if names else None


def _subject_name_before(token, labels: tuple) -> str | None:
    """The subject just before a token (in its sentence or the one before), when it is a name with
    one of these labels and no singular thing named since could be meant instead ("released a video. It")."""
    sentence = token.sent
    start = sentence.start if sentence.start == 0 else token.doc[sentence.start - 1].sent.start
    subject = next((t for t in reversed(token.doc[start:token.i]) if t.dep_ in ("nsubj", "nsubjpass")), None)
    # A name: of one of these kinds, or a proper noun the model gave no kind ("the newest iPhone").
    unlabelled_name = subject is not None and subject.tag_ in ("NNP", "NNPS") and not subject.ent_type_
    if subject is None or not (subject.ent_type_ in labels or unlabelled_name):
        return None
    if any(t.tag_ == "NN" and t.dep_ in ("dobj", "pobj", "attr") and not t.ent_type_
           for t in token.doc[subject.i + 1:token.i]):
        return None
    entity = _entity_at(subject) if subject.ent_type_ else None
    return _strip_article(entity.text) if entity is not None else _phrase(subject)


def _subjects(token) -> list:
    """The subject of a verb, inherited through xcomp and conj ("threatened to send") and by a
    clause with none of its own from the clause it modifies ("..., killing 12"; "after meeting X")."""
    current = token
    for _ in range(MAX_HEAD_STEPS):
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            return subjects
        if current.head.i == current.i:
            return []
        if current.dep_ == "conj":
            current = current.head
        elif current.dep_ == "xcomp" or (current.dep_ == "acomp" and current.pos_ == "ADJ"):
            # "Iraq was ready to withdraw": ready's subject withdraws; in "it is hard to say" "it" is no one.
            current = current.head
            if _is_extraposed_it(current):
                return []
        elif current.dep_ in ("advcl", "pcomp") and current.tag_ in ("VBG", "VB", "VBN"):
            head = current.head
            current = head.head if head.dep_ == "prep" else head
        else:
            return []
    return []


def _is_extraposed_it(verb) -> bool:
    """"It is hard to say", "it is not realistic to talk": "it" stands for the clause that follows."""
    return any(c.dep_ == "acomp" for c in verb.children) and any(
        c.dep_ == "nsubj" and c.lower_ in load_lexicon().thing_pronouns for c in verb.children)


def _phrase(token) -> str:
    """The name or noun phrase a token heads, without determiners, clauses or trailing commas."""
    if token.ent_type_ and token.ent_iob_ in ("B", "I"):
        entity = _entity_at(token)
        if entity is not None:
            return _strip_article(entity.text)
    outside = _pruned_subtree(token, lambda t: t.dep_ in CLAUSE_DEPS + ("prep",) and t.i > token.i)
    keep = [t for t in outside if t.i <= token.i or t.dep_ in ("compound", "amod", "nummod", "poss")]
    words = [t for t in keep if t.dep_ not in ("det", "punct", "cc", "case") or t.i == token.i]
    text = _span_text(words[-8:])
    return _strip_article(text) if text else token.text


def _span_text(tokens, replaced: dict[int, str] | None = None) -> str:
    """Tokens as written ("3G", "al-Sisi"), with one space wherever tokens were skipped (and
    `replaced` token indexes written as given)."""
    parts = []
    for index, token in enumerate(tokens):
        text = (replaced or {}).get(token.i, token.text)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.i == token.i + 1:
            parts.append(text + token.whitespace_)
        else:
            parts.append(text + " ")
    return " ".join("".join(parts).split())


def _pruned_subtree(token, cut) -> list:
    """The token's subtree in text order, without the dependents `cut` rejects and all below them
    (one walk: linear in the subtree, where testing each token's ancestors was quadratic)."""
    found, stack = [], [token]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(c for c in current.children if not cut(c))
    return sorted(found, key=lambda t: t.i)


def _strip_article(text: str) -> str:
    first, _, rest = text.partition(" ")
    if rest and first.lower() in load_lexicon().articles:
        return rest
    return text.strip(" ,;:'\"’”“")


def _unique(items: list[str]) -> list[str]:
    relative = load_lexicon().relative_pronouns
    return list(dict.fromkeys(i for i in items if i and i.lower() not in relative))


def _locations(token) -> list[str]:
    """Places attached to the trigger's own clause (not to clauses nested in it)."""
    places = []
    for child in token.children:
        if child.dep_ in CLAUSE_DEPS:
            continue
        # Not inside a clause nested in the phrase: "a video in which militants are shown on a Mediterranean beach".
        for descendant in _pruned_subtree(child, lambda t: t.dep_ in CLAUSE_DEPS):
            if descendant.ent_type_ in LOCATION_LABELS and descendant.ent_iob_ == "B":
                entity = _entity_at(descendant)
                places.append(_strip_article(entity.text))
    return _unique(places)


def _key_terms(token, affected: list[str], timex_tokens) -> frozenset:
    """Content lemmas of the trigger's objects: what tells two releases apart."""
    terms = set()
    for child in token.children:
        patient = child.dep_ == "prep" and child.lower_ in load_lexicon().patient_prepositions
        if child.dep_ in ("dobj", "nsubjpass", "attr", "pobj") or patient:
            for t in child.subtree:
                if t.pos_ in ("NOUN", "PROPN") and t.i not in timex_tokens and t.dep_ != "poss":
                    terms.add(t.lemma_.lower())
                if t.dep_ in CLAUSE_DEPS:
                    break
    return frozenset(terms)


# ---------------------------------------------------------------- description


def describe(token, kind: str, timex_tokens) -> tuple[str, frozenset]:
    """A short, self-contained phrase for the event (who did what to whom, and where), and the
    indexes of the tokens it tells (an event told inside another's is folded into it)."""
    picked: set[int] = {token.i}
    named: list[str] = []
    if kind == "noun":
        picked |= {c.i for c in token.lefts if c.dep_ in ("amod", "compound", "poss", "nummod")}
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ in load_lexicon().description_prepositions:
                picked |= _bounded_subtree(child, timex_tokens, 7)
    else:
        subjects = _subjects(token)
        for subject in subjects:
            referent = _referent(subject)
            if subject.head.i != token.i:  # inherited ("after meeting X, the envoy ..."): named first
                named.extend(filter(None, [referent]))
            elif referent == _phrase(subject):  # a name, a noun phrase, a description nothing resolves
                picked |= _bounded_subtree(subject, timex_tokens, 6)
            elif referent is None:  # a pronoun nothing resolves: as written
                picked.add(subject.i)
            elif subject.i < token.i:  # "who shot", "he said": the name it stands for, in its place
                named.append(referent)
        if token.dep_ == "acl" and not subjects:  # "a bomb planted in a car"
            head = token.head
            picked |= {head.i} | {c.i for c in head.lefts if c.dep_ in ("amod", "compound", "nummod", "poss", "det")}
        if token.dep_ == "xcomp":
            picked |= {token.head.i} | {c.i for c in token.head.children if c.dep_ in ("neg", "aux")}
        picked |= {c.i for c in token.children if c.dep_ in ("neg", "aux", "auxpass", "prt")}
        for child in token.rights:  # "agreed to pay $4.3 billion": the act agreed to
            if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
                picked |= {c.i for c in child.children if c.dep_ in ("aux", "neg", "prt")} | {child.i}
                picked |= {i for c in child.rights if c.dep_ in ("dobj", "dative", "attr", "oprd")
                           for i in _bounded_subtree(c, timex_tokens, 5)}
        preps = 0
        for child in token.rights:
            if child.dep_ in ("dobj", "dative", "attr", "oprd", "acomp"):
                picked |= _bounded_subtree(child, timex_tokens, 7)
            elif (child.dep_ in ("prep", "agent") and preps < 1 and not _is_time_phrase(child, timex_tokens)
                  and child.lower_ not in load_lexicon().attribution_words):  # the source has its own column
                picked |= _bounded_subtree(child, timex_tokens, 6)
                preps += 1
    words = [token.doc[i] for i in sorted(picked) if i not in timex_tokens and not token.doc[i].is_space]
    told = frozenset(w.i for w in words)
    words = words[:MAX_DESCRIPTION_WORDS - len(named)]
    while len(words) > 1 and words[-1].pos_ in DANGLING_POS and words[-1].dep_ != "prt" and words[-1].i != token.i:
        words.pop()  # a cut phrase never ends on "for", "the" or "and"
    never_starts = load_lexicon().description_never_starts
    while not named and len(words) > 1 and words[0].i != token.i and (
            words[0].lower_ in never_starts or words[0].pos_ in ("CCONJ", "SCONJ", "PART", "PUNCT")):
        words.pop(0)  # "’s a clear risk" (from "There’s a clear risk"): start where the clause stands alone
    return _balance_quotes(" ".join(named + [_join(words, _possessors_named(words, named))]).strip()), told


def _balance_quotes(text: str) -> str:
    """Without the quotation marks a cut phrase left unpaired: "took place in a timely and orderly”
    fashion" -> "... orderly fashion"."""
    unpaired, opened = set(), []
    for index, char in enumerate(text):
        if char == "“":
            opened.append(index)
        elif char == "”":
            if opened:
                opened.pop()
            else:
                unpaired.add(index)
    unpaired.update(opened)
    if text.count('"') % 2:  # straight quotes cannot tell opening from closing: drop them all
        unpaired.update(i for i, char in enumerate(text) if char == '"')
    return " ".join("".join(c for i, c in enumerate(text) if i not in unpaired).split()) if unpaired else text


def _possessors_named(words: list, named: list[str]) -> dict[int, str]:
    """"its vaccine" -> "Pfizer’s vaccine" when the description does not name its owner already."""
    lexicon = load_lexicon()
    present = " ".join(named + [w.text for w in words])
    replaced = {}
    for word in words:
        if word.dep_ != "poss":
            continue
        # "their" is left as written: plural owners are too often not the last group named.
        owner = (_referent(word) if word.lower_ in lexicon.person_pronouns
                 else _subject_name_before(word, ("ORG", "GPE", "NORP")) if word.lower_ in lexicon.thing_pronouns
                 else None)
        if owner and owner not in present:
            replaced[word.i] = f"{owner}’s"
    return replaced


def _bounded_subtree(token, timex_tokens, limit: int) -> set[int]:
    """A phrase's tokens without nested clauses or time expressions, cut to `limit` words."""
    keep = []
    for t in _pruned_subtree(token, lambda t: t.dep_ in CLAUSE_DEPS):
        if t.i in timex_tokens or (t.dep_ == "case" and t.head.i in timex_tokens):
            continue
        keep.append(t.i)
    # A comma that opened or closed a dropped clause goes with it ("Microsoft, which was founded ..., announced").
    dropped = {t.i for t in token.subtree} - set(keep)
    keep = [i for i in keep if not (token.doc[i].is_punct and (i - 1 in dropped or i + 1 in dropped))]
    words = 0
    for cut, i in enumerate(keep):  # the limit counts words, not hyphens or commas ("cashier-less")
        words += not token.doc[i].is_punct
        if words > limit:
            keep = keep[:cut]
            break
    kept = set(keep)
    # Never cut a name in half ("Abdel Fattah al-Sisi").
    for i in list(kept):
        entity = _entity_at(token.doc[i]) if token.doc[i].ent_iob_ in ("B", "I") else None
        if entity is not None:
            kept |= set(range(entity.start, entity.end))
    return kept


def _is_time_phrase(prep, timex_tokens) -> bool:
    return any(c.i in timex_tokens for c in prep.children)


def _join(words: list, replaced: dict[int, str] | None = None) -> str:
    text = _span_text(words, replaced)
    for before, after in ((" 's", "'s"), (" ’s", "’s"), (" ,", ","), (" .", "."), (" n't", "n't"), ("( ", "("), (" )", ")")):
        text = text.replace(before, after)
    return text.strip(" ,;:")


# ---------------------------------------------------------------- status


def event_status(token, kind: str, lexicon: Lexicon) -> str:
    """happened, ongoing, planned, threatened, hypothetical, negated or claim."""
    auxiliaries = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    if any(c.dep_ == "neg" for c in token.children) or any(
        c.lower_ in lexicon.negation_words and c.dep_ in ("neg", "det") for c in token.children
    ):
        return Status.NEGATED
    governing = _governing_lemmas(token)
    if governing & lexicon.threat and kind != "reporting":
        return Status.THREATENED
    if auxiliaries & lexicon.hypothetical_aux or _in_condition(token):
        return Status.HYPOTHETICAL
    near_future = token.dep_ == "xcomp" and token.head.lower_ in cues()["going"]  # "is going to announce"
    if auxiliaries & lexicon.future_aux or auxiliaries & cues()["going"] or near_future or governing & lexicon.plan:
        return Status.PLANNED
    if _is_claim(token, lexicon):
        return Status.CLAIM
    if token.tag_ in ("VBZ", "VBP", "VBG") and not auxiliaries & lexicon.completed_aux:
        return Status.ONGOING
    return Status.HAPPENED


def _governing_lemmas(token) -> set[str]:
    """Lemmas of the verbs/adjectives this trigger is the complement of ("threatened to send")."""
    lemmas, current = set(), token
    for _ in range(3):
        if current.dep_ not in ("xcomp", "ccomp", "acl", "pobj", "dobj", "conj") or current.head.i == current.i:
            break
        current = current.head
        if current.dep_ == "prep":
            continue
        lemmas.add(current.lemma_.lower())
    return lemmas


def _in_condition(token) -> bool:
    """Inside an "if"/"unless" clause."""
    current = token
    for _ in range(MAX_HEAD_STEPS):
        if any(c.dep_ == "mark" and c.lower_ in load_lexicon().condition_marks for c in current.children):
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def _sentence_words(token) -> set[str]:
    """The lower-cased words of the token's sentence, computed once per sentence."""
    cache = token.doc.user_data.setdefault("timeline_sentence_words", {})
    sentence = token.sent
    if sentence.start not in cache:
        cache[sentence.start] = {t.lower_ for t in sentence}
    return cache[sentence.start]


def _is_claim(token, lexicon: Lexicon) -> bool:
    sentence_words = _sentence_words(token)
    if sentence_words & lexicon.claim_words:
        return True
    if sentence_words & lexicon.attribution_words and token.dep_ != "ROOT":
        return True
    head = token.head
    return token.dep_ == "ccomp" and head.lemma_.lower() in lexicon.claim_verbs


# ---------------------------------------------------------------- anchoring


def _timex_token_map(doc, expressions: list[TimeExpression]) -> dict[int, TimeExpression]:
    """Token index -> the time expression covering it."""
    covered = {}
    for expression in expressions:
        span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
        if span is not None:
            for token in span:
                covered[token.i] = expression
    return covered


def _expression_roots(doc, expressions: list[TimeExpression]) -> dict[int, object]:
    """id of each time expression -> the token heading it in the parse (when its span aligns)."""
    roots = {}
    for expression in expressions:
        span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
        if span is not None:
            roots[id(expression)] = span.root
    return roots


@dataclass
class TimeRoles:
    """What some time expressions of a text date instead of the event the parse hangs them on."""

    baselines: set[int]  # ids of expressions dating a compared figure ("from $99 million a year earlier")
    tellers: dict[int, int]  # id of a "said on Tuesday" expression -> the saying's token index
    modifiers: dict[int, int]  # id of an expression inside an event noun's phrase -> the noun's token index


def _time_roles(doc, anchors: list[TimeExpression], roots: dict, by_token: dict) -> TimeRoles:
    """Each expression's role, found once for both anchoring passes."""
    roles = TimeRoles(set(), {}, {})
    for expression in anchors:
        if id(expression) not in roots:
            continue
        if (noun := _modified_event_noun(doc, expression, by_token)) is not None:
            roles.modifiers[id(expression)] = noun
        if _is_comparison_baseline(doc, roots[id(expression)], by_token):
            roles.baselines.add(id(expression))
        if (teller := _reporting_verb_before(doc, expression, by_token)) is not None:
            roles.tellers[id(expression)] = teller
    return roles


def _anchor(doc, anchors: list[TimeExpression], roots: dict, by_token: dict, roles: TimeRoles) -> None:
    """Give each mention its time: linked by syntax, else its clause, else its sentence."""
    linked: dict[int, TimeExpression] = {}
    attached: list[tuple] = []  # (steps, start, trigger, expression)
    nested: set[int] = set()  # expressions that date a thing named in a phrase, not an event
    for expression in anchors:
        if id(expression) not in roots:
            continue
        if id(expression) in roles.baselines:
            nested.add(id(expression))
            continue
        trigger, steps, inside_phrase = _governing_trigger(roots[id(expression)], by_token)
        if id(expression) in roles.modifiers:
            trigger, steps, inside_phrase = roles.modifiers[id(expression)], 0, False
        teller = roles.tellers.get(id(expression))
        if teller is not None:
            # "police said on Tuesday they had arrested ...": the day is the saying's (news style),
            # though the parse hangs it on the clause told.
            trigger, steps, inside_phrase = teller, 1, False
        if inside_phrase:
            nested.add(id(expression))
        elif trigger is not None:
            attached.append((steps, expression.start, trigger, expression))
    # The expression attached most closely wins: "died last June", not "the 1953 team".
    for steps, _, trigger, expression in sorted(attached, key=lambda a: a[:2]):
        if trigger in linked:
            trigger = _displaced_to(doc[trigger], by_token)
            if trigger is None or trigger in linked:
                continue
        linked[trigger] = expression
    for index, mention in by_token.items():
        if index in linked:
            mention.timex, mention.basis = linked[index], DateBasis.EXPLICIT
    # A time expression already linked to one trigger does not date the rest of its sentence.
    linked_ids = {id(e) for e in linked.values()}
    free = [e for e in anchors if id(e) not in linked_ids and id(e) not in nested]
    sentences_with_a_link = {doc[i].sent.start for i in linked}
    for index, expression in _shared_back(doc, linked, by_token).items():
        by_token[index].timex, by_token[index].basis = expression, DateBasis.CLAUSE
    for index, mention in by_token.items():
        if mention.timex is not None:
            continue
        inherited = _clause_anchor(doc[index], linked)
        if inherited is not None:
            mention.timex, mention.basis = inherited, DateBasis.CLAUSE
            continue
        if doc[index].sent.start in sentences_with_a_link:
            continue  # the sentence's date belongs to another of its events
        sentence_end = mention.sentence_start + len(mention.sentence)
        in_sentence = [e for e in free if mention.sentence_start <= e.start < sentence_end]
        if len(in_sentence) == 1:
            mention.timex, mention.basis = in_sentence[0], DateBasis.SENTENCE


def _modified_event_noun(doc, expression: TimeExpression, by_token: dict) -> int | None:
    """The event noun a time stands before inside one noun phrase ("the Dec. 21, 1988, bombing", "Iraq's
    August invasion"), whatever the parse made of the phrase."""
    span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
    if span is None or span.start == 0 or span.end >= len(doc):
        return None
    opener, after = doc[span.start - 1], doc[span.end]
    if after.is_punct and after.text == "," and span.end + 1 < len(doc):
        after = doc[span.end + 1]
    phrase_opener = opener.dep_ in ("det", "poss", "case") or opener.tag_ in ("DT", "PRP$", "POS")
    noun = after.i in by_token and by_token[after.i].kind == "noun"
    return after.i if phrase_opener and noun else None


def _shared_back(doc, linked: dict[int, TimeExpression], by_token: dict) -> dict[int, TimeExpression]:
    """A time closing a coordination dates its first verb too: "six were killed and 58 injured in
    an attack on Friday", "The FBI put Bin Laden on its list and accused Kopp Monday"."""
    shared, sequence_adverbs = {}, load_lexicon().sequence_adverbs
    for index, expression in linked.items():
        token, through_conjunction = doc[index], False
        if expression.start < token.idx or any(c.dep_ in CLAUSE_OWNERS or c.lower_ in sequence_adverbs
                                                 for c in token.children):
            # "arrested, and on Friday released"; "was spotted ..., and was found in December";
            # "arrived and then signed on Friday": a time before the second verb, a second verb with
            # a subject or auxiliary of its own, or one told as coming next, is a later step's.
            continue
        for _ in range(3):
            if token.dep_ not in ("conj", "acl") or token.head.i == token.i:
                break
            through_conjunction |= token.dep_ == "conj"
            token = token.head
            if token.i in by_token:
                first = by_token[token.i]
                if through_conjunction and first.timex is None and first.kind != "noun":  # not linked itself
                    shared[token.i] = expression
                break
    return shared


def _displaced_to(trigger, by_token: dict) -> int | None:
    """Where a second time expression on a describing clause's verb belongs: the event the clause's
    noun takes part in ("paid tribute to the men who launched the revolution four decades ago in a
    rally Saturday": the parse hangs both times on "launched"; one event has one time)."""
    return _governing_trigger(trigger, by_token)[0] if trigger.dep_ in DESCRIBING_CLAUSES else None


def _reporting_verb_before(doc, expression: TimeExpression, by_token: dict) -> int | None:
    """The reporting verb a time expression directly follows ("said Tuesday", "said on Tuesday"),
    unless the expression names a thing's time ("said Tuesday's attack ...", "said third-quarter profit")."""
    span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
    if span is None or span.start == 0 or span.root.dep_ not in ADVERBIAL_DEPS:
        return None
    before = doc[span.start - 1]
    if before.lower_ in load_lexicon().day_prepositions and before.i > 0:
        before = doc[before.i - 1]
    mention = by_token.get(before.i)
    return before.i if mention is not None and mention.kind == "reporting" and before.tag_ == "VBD" else None


def _is_comparison_baseline(doc, root, by_token: dict) -> bool:
    """Whether a time expression dates the figure a change is measured against ("rose to $155 million from
    $99 million a year earlier", "compared with a loss a year ago"), not an event."""
    lexicon = load_lexicon()
    token, figure = root, False
    while token.head.i != token.i and token.head.i not in by_token:
        token = token.head
        figure |= _is_figure(token)
        if token.lower_ in lexicon.comparison_words and (token.lower_ != "from" or (
                (figure or _measures_a_change(token.head, token)) and not _opens_a_range(token, lexicon))):
            return True
    return _follows_a_figure(doc, root, lexicon)


def _measures_a_change(verb, besides) -> bool:
    """"grew 19% from a year ago", "fell to $5 million from ...": the verb states an amount."""
    return any(_is_figure(child) or any(_is_figure(g) for g in child.children)
               for child in verb.children if child is not besides)


def _describes_time(token, root) -> bool:
    """Whether the token's clause tells about the time just before it: "a year ago, when demand was strong"."""
    if root in token.ancestors:
        return True
    last_of_time = root.right_edge.i
    for clause in [token, *token.ancestors]:
        first = clause.left_edge
        if 0 < first.i - last_of_time <= 2 and first.lower_ in load_lexicon().relative_time_words:
            return True
    return False


def _is_figure(token) -> bool:
    """A number or an amount: "$99 million", "19%" (not an ordinal: "the third flight")."""
    return token.tag_ in ("CD", "$") or token.text == "%"


def _opens_a_range(preposition, lexicon: Lexicon) -> bool:
    """"from 1991 to 1997": a start, not a compared figure's time."""
    return any(c.lower_ in lexicon.range_words for c in [*preposition.head.children, *preposition.subtree]
               if c.i > preposition.i)


def _follows_a_figure(doc, root, lexicon: Lexicon) -> bool:
    """"from $8 million in the year-ago quarter": the time closes the phrase of a compared figure."""
    start = root.left_edge.i
    numbers = 0
    for index in range(start - 1, max(start - 13, root.sent.start - 1), -1):
        word = doc[index]
        if word.dep_ == "quantmod":
            continue  # "more than 13%" sizes a figure; it compares it with nothing
        if word.lower_ in lexicon.comparison_words:
            return numbers > 0
        if _is_figure(word):
            numbers += 1
        elif word.lower_ not in lexicon.figure_words:
            return False
    return False


def _told_by(token, teller: int | None) -> bool:
    """Whether the token lies in the clause a reporting verb tells ("said ... they had arrested")."""
    return teller is not None and any(a.dep_ == CLAUSAL_COMPLEMENT and a.head.i == teller
                                      for a in [token, *token.ancestors])


def _anchor_nearby(doc, anchors: list[TimeExpression], roots: dict, by_token: dict, dct: dt.date | None,
                   roles: TimeRoles) -> None:
    """An undated mention takes the time expression closest to it in its sentence's tree, if close
    enough, not in another clause below it, and not contradicting its tense."""
    by_sentence: dict[int, list] = {}
    for expression in anchors:
        if id(expression) in roots:
            root = roots[id(expression)]
            by_sentence.setdefault(root.sent.start, []).append((expression, root))
    nouns = {index for index in by_token if doc[index].pos_ == "NOUN"}
    reports = {index for index, mention in by_token.items() if mention.kind == "reporting"}
    for index, mention in by_token.items():
        token = doc[index]
        if mention.timex is not None or token.sent.start not in by_sentence:
            continue
        # Before the clause around it ("had attacked"), or told by it ("said that ... attacked"): the
        # time of that clause is not its own.
        reported = token.head.i in reports and _is_content_clause(token)
        upward = not (_is_pluperfect(token) or reported)
        # "said on Tuesday they had arrested ...": the day is the saying's, not the clause told; a
        # compared figure's time ("from $99 million a year ago, when demand was strong") dates only its own clause.
        routes = [(steps, expression) for expression, root in by_sentence[token.sent.start]
                  if _tense_agrees(token, expression, dct) and not _told_by(token, roles.tellers.get(id(expression)))
                  and (id(expression) not in roles.baselines or _describes_time(token, root))
                  and (steps := _route_steps(token, root, nouns, upward)) is not None]
        if routes:
            steps, expression = min(routes, key=lambda route: route[0])  # ties: the first in the text
            if steps <= MAX_ROUTE_STEPS:
                mention.timex, mention.basis = expression, DateBasis.SENTENCE


def _anchor_to_frames(anchors: list[TimeExpression], roots: dict, by_token: dict, dct: dt.date | None,
                      roles: TimeRoles) -> None:
    """A time that opens its sentence ("In the past three months, stocks have plunged, rates have
    soared and ...") sets the frame of every clause of the sentence's main line, however the
    parse hangs them together."""
    for expression in anchors:
        root = roots.get(id(expression))
        if root is None or id(expression) in roles.baselines or not _opens_sentence(root):
            continue
        for token in root.sent:
            mention = by_token.get(token.i)
            if (mention is not None and mention.timex is None and token.pos_ in ("VERB", "AUX")
                    and _on_main_line(token, by_token) and not _is_pluperfect(token)
                    and _tense_agrees(token, expression, dct)):
                mention.timex, mention.basis = expression, DateBasis.SENTENCE


def _anchor_to_occasions(doc, by_token: dict, lexicon: Lexicon) -> None:
    """"were killed in the attack on Friday": what happened in a dated event happened at its time; so did
    a verb coordinated before it ("six were killed and 58 injured in an attack on Friday")."""
    dated = {}
    for index, mention in by_token.items():
        if mention.timex is not None or mention.kind == "noun":
            continue
        for preposition in doc[index].children:
            if preposition.dep_ != "prep" or preposition.lower_ not in lexicon.occasion_prepositions:
                continue
            occasion = next((by_token[c.i] for c in preposition.children if c.dep_ == "pobj" and c.i in by_token), None)
            if occasion is not None and occasion.basis == DateBasis.EXPLICIT:
                mention.timex, mention.basis = occasion.timex, DateBasis.CLAUSE
                dated[index] = occasion.timex
    for index, expression in _shared_back(doc, dated, by_token).items():
        by_token[index].timex, by_token[index].basis = expression, DateBasis.CLAUSE


def _opens_sentence(root) -> bool:
    """"But in the past three months, ...": the phrase of a time comes first, closed by a comma."""
    phrase = root.head if root.dep_ == "pobj" and root.head.dep_ == "prep" else root
    first, last = phrase.left_edge, phrase.right_edge
    opening = all(t.is_punct or t.pos_ == "CCONJ" for t in root.doc[root.sent.start:first.i])
    after = root.doc[last.i + 1] if last.i + 1 < len(root.doc) else None
    return opening and after is not None and after.text == ","


def _on_main_line(token, by_token: dict) -> bool:
    """The sentence's root, a clause coordinated with it, or a clause the parse hangs before a verb
    that tells nothing ("stocks have plunged, rates have soared": not "stocks fell, he said")."""
    current = token
    while current.dep_ != "ROOT":
        hung_before = current.dep_ == CLAUSAL_COMPLEMENT and current.i < current.head.i
        if not (current.dep_ == "conj" or (hung_before and not _tells(current.head, by_token))):
            return False
        current = current.head
    return True


def _tells(token, by_token: dict) -> bool:
    """A reporting verb: "said", "told"."""
    mention = by_token.get(token.i)
    return (mention is not None and mention.kind == "reporting") or token.lemma_.lower() in load_lexicon().reporting_verbs


def _anchor_from_discourse(doc, by_token: dict, timed_sentences: set[int]) -> None:
    """An event with no time of its own takes the time stated for the last main-clause event of the
    same tense in the preceding discourse: the narrative goes on at that time (basis "context",
    shown as inferred).  Each tense keeps its own time ("the talks will resume on Friday" does not
    date what was agreed next, nor "met on Monday" what will follow).  The next sentence takes any
    such date; later ones only a day's ("on Tuesday": the news day the article tells), and only when
    they name no time of their own (a year said in passing is background, and a sentence with its
    own time is about that time)."""
    narrative: dict[str, tuple[int, TimeExpression]] = {}  # tense -> (sentence number, the expression)
    for index in sorted(by_token):
        mention, token = by_token[index], doc[index]
        tense = _narrative_tense(token)
        if tense in (None, "pluperfect"):
            continue  # a noun or a lone participle has no tense; "had attacked" is before the narrative
        number = mention.sentence_index
        if mention.timex is not None:
            # Only a main clause sets the time of the narrative ("who toppled Gaddafi in 2011" does not),
            # and only with a date ("now" places nothing the report date does not).
            if (mention.basis == DateBasis.EXPLICIT and _in_main_clause(token)
                    and mention.timex.value not in VAGUE_VALUES):
                narrative[tense] = (number, mention.timex)
            continue
        # Paragraph breaks do not stop it: agency news gives each sentence its own paragraph.
        told = narrative.get(tense)
        if told is not None and number > told[0] and _tense_agrees(token, told[1], mention.published) and (
                number == told[0] + 1 or (told[1].granularity in DAY_GRANULARITIES and number not in timed_sentences)):
            mention.timex, mention.basis = told[1], DateBasis.CONTEXT


def _anchor_participles(doc, by_token: dict) -> None:
    """A participle told alongside a dated event happened at its time: "Addressing a ceremony, Orban
    said ...", "accepted the papers, marking their entry", "people fleeing Cuba drowned"."""
    for index, mention in by_token.items():
        if mention.timex is None and (governor := _participle_governor(doc[index], by_token)) is not None:
            basis = DateBasis.CLAUSE if governor.basis == DateBasis.EXPLICIT else governor.basis
            mention.timex, mention.basis = governor.timex, basis


def _participle_governor(token, by_token: dict) -> EventMention | None:
    """The dated event an adverbial participle ("addressing", "saying") or a noun's "-ing" describer
    goes with; None for a participle with a subject, auxiliary or marker of its own ("after he left")."""
    if token.tag_ not in ("VBG", "VBN") or any(c.dep_ in PARTICIPLE_OWNERS for c in token.children):
        return None
    if token.dep_ == "advcl":
        governor = token.head.i
    elif token.dep_ == "acl" and token.tag_ == "VBG":  # not "the men killed in 1995": done before
        governor = _governing_mention(token, by_token, steps=4)  # "hundreds of people fleeing ... drowned"
    else:
        return None
    mention = by_token.get(governor)
    return mention if mention is not None and mention.timex is not None else None


def _narrative_tense(token) -> str | None:
    """A finite verb's tense as the narrative keeps time: past, perfect ("has warned": news of the recent
    past, not of the day the story tells), pluperfect, present, future; None for a noun or an infinitive."""
    if token.pos_ not in ("VERB", "AUX"):
        return None
    verb = token
    for _ in range(3):  # "has threatened to send": an infinitive is told in the tense of the verb above
        if not (verb.tag_ == "VB" and any(c.tag_ == "TO" for c in verb.children)) or verb.head.i == verb.i:
            break
        verb = verb.head
    if not (verb.tag_ in FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") and c.tag_ != "TO" for c in verb.children)):
        return None  # "signed with blood": a participle alone has no tense of its own
    tense = verb_tense(token)
    perfect = any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in ("VBZ", "VBP") for c in verb.children)
    return "perfect" if tense == "past" and perfect else tense


def _in_main_clause(token) -> bool:
    """The sentence's root, or a verb coordinated with it."""
    return token.dep_ == "ROOT" or (token.dep_ == "conj" and token.head.dep_ == "ROOT")


def _route_steps(trigger, time_root, nouns: set[int], upward: bool = True) -> int | None:
    """Tree steps from a trigger to a time expression's root, None when the route goes down into
    another clause on the way to the expression (or, unless `upward`, leaves the trigger's own
    phrase); a step into another event noun's phrase counts extra."""
    depth = {}
    current, steps = trigger, 0
    while upward or not depth:
        depth[current.i] = steps
        # Nor up out of a clause that the trigger sits inside of: "said on Sunday that Isis is
        # exploiting the crisis" does not date the crisis (the trigger's own clause is judged by the caller).
        if current.head.i == current.i or (steps and _is_content_clause(current)):
            break
        current, steps = current.head, steps + 1
    current, down = time_root, 0
    while current.i not in depth:
        if current.dep_ in FOREIGN_BRANCHES or current.head.i == current.i or _is_contrasted(current):
            return None
        current, down = current.head, down + 1
        if current.i in nouns and current.i not in depth:
            # "in the wake of last weekend's slaughter": the slaughter's time before the trigger's.
            down += NOUN_PHRASE_STEPS
    return depth[current.i] + down


def _is_contrasted(token) -> bool:
    """A clause set against the one above it ("although there were reports tonight ...")."""
    return token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in load_lexicon().contrast_marks for c in token.children)


def _is_content_clause(token) -> bool:
    """A clause told by the word above it: "said that ...", "reports tonight that ..."."""
    return token.dep_ == CLAUSAL_COMPLEMENT or (
        token.dep_ == "acl" and token.head.lemma_.lower() in load_lexicon().reporting_verbs)


def _is_pluperfect(token) -> bool:
    """"had attacked": before the time of the clause around it, so it does not share its date."""
    return any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ == "VBD" for c in token.children)


def _tense_agrees(token, expression: TimeExpression, dct: dt.date | None) -> bool:
    """A past-tense verb is not dated after the publication date, a future one not before it."""
    if dct is None or expression.interval_start is None or expression.interval_end is None:
        return True
    if token.tag_ in ("VBD", "VBN") and expression.interval_start > dct:
        return False
    future = any(c.dep_ == "aux" and c.lower_ in load_lexicon().future_aux for c in token.children)
    return not (future and expression.interval_end < dct)


def _governing_trigger(root, by_token: dict) -> tuple[int | None, int, bool]:
    """(the trigger a time expression attaches to, steps up the tree to it, whether a clause describing
    a thing lies between), from the token heading the expression.

    Up the tree from the expression to the first trigger.  An expression inside a clause that
    describes a thing dates that thing, not the event: "fell to lows not seen since October 1982".
    """
    token, inside_phrase = root, False
    for steps in range(1, MAX_HEAD_STEPS + 1):
        if token.head.i == token.i:
            return None, steps, inside_phrase
        inside_phrase |= token.dep_ in DESCRIBING_CLAUSES and token.i not in by_token
        token = token.head
        if token.i in by_token:
            return token.i, steps, inside_phrase
    return None, MAX_HEAD_STEPS, inside_phrase


def _clause_anchor(token, linked: dict[int, TimeExpression]) -> TimeExpression | None:
    """A date from the trigger this one complements ("reported to have died" takes "reported"'s)."""
    current = token
    for _ in range(3):
        if current.dep_ not in ("xcomp", "conj", "pobj", "dobj", "nsubjpass", "nsubj") or current.head.i == current.i:
            return None
        current = current.head
        if current.i in linked:
            return linked[current.i]
    return None


def _attach_time_notes(doc, expressions: list[TimeExpression], by_token: dict) -> None:
    """Give each mention the time said of it that is no date: "clung on for two days", "daily
    rallies", "a four-day visit", "will seek an indictment in the future"."""
    dating = {id(m.timex) for m in by_token.values() if m.timex is not None}
    for expression in expressions:  # in text order: a mention keeps the first said of it
        if id(expression) in dating or (expression.interval_start is not None and expression.value not in VAGUE_VALUES):
            continue  # a date: it dates an event or is another thing's ("a year earlier" of a compared figure)
        span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
        if span is None or _relation_word(doc, span) is not None:
            continue  # "two days after the attack": a gap between two events, not either's length
        root = span.root
        trigger = _noted_trigger(root, by_token)
        if trigger is not None and by_token[trigger].time_note is None:
            by_token[trigger].time_note = TimeNote(_note_phrase(doc, span, root), expression.start, expression.end,
                                                   expression.value)


def _noted_trigger(root, by_token: dict) -> int | None:
    """The trigger a time expression is said of: its head, or the head of its preposition ("clung on
    for two days"), not a word further up ("wallowing below their 52-week high")."""
    head = root.head
    if head.i != root.i and head.pos_ == "ADP" and root.dep_ == "pobj":
        head = head.head
    return head.i if head.i in by_token and head.i != root.i else None


def _note_phrase(doc, span, root) -> str:
    """The expression with the preposition that joins it to its event ("for two days")."""
    preposition = root.head if root.dep_ == "pobj" else None
    start = preposition.i if preposition is not None and preposition.i == span.start - 1 else span.start
    return doc[start:span.end].text  # not doc.text: spaCy joins the whole document's tokens for it


def _relation_word(doc, span):
    """The word after a span that relates two events by it ("two days after"), or None."""
    word = doc[span.end] if span.end < len(doc) else None
    return word if word is not None and word.lower_ in load_lexicon().relation_words else None


def _relate(doc, expressions: list[TimeExpression], by_token: dict) -> None:
    """"X, two days after Y": X's date is Y's plus two days (resolved once Y has a date)."""
    for expression in expressions:
        whole_days = WHOLE_DAYS.fullmatch(expression.value) if expression.type == "DURATION" else None
        if whole_days is None:
            continue
        span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
        word = _relation_word(doc, span) if span is not None else None
        if word is None:
            continue
        days = int(whole_days.group(1)) * load_lexicon().relation_words[word.lower_]
        if word.dep_ == "mark":  # "after Cairo bombed ...": the clause's verb is the other event
            other = word.head.i if word.head.i in by_token else None
        else:  # "after the attack"
            other = next((c.i for c in word.subtree if c.i in by_token and c.i != word.i), None)
        # The event the phrase dates is the one just before it ("as he toured ..., two days after"):
        # parses of such appositive phrases are too unreliable to follow.
        before = [i for i in by_token if span.sent.start <= i < span.start]
        main = max(before) if before else None
        if other is not None and main is not None and main != other:
            # The later event is known from the earlier: relate both ways, resolve whichever is dated.
            # The main event may take a date from the other only if that one is really dated;
            # the other may count from the main event's report date ("toured" is news of today).
            by_token[main].relative_to = (by_token[other].mention_id, days, False)
            if by_token[other].relative_to is None:
                by_token[other].relative_to = (by_token[main].mention_id, -days, True)
