"""How much an event matters to a briefing: a 0-1 score from documented, deterministic evidence.

The score is a weighted sum of seven kinds of evidence, each read from the event's mentions and
scaled to 0-1 (the weights sum to 1):

| evidence      | weight | 1.0 when ...                                   | lower when ...                              |
|---------------|--------|------------------------------------------------|---------------------------------------------|
| articles      | 0.25   | 8 or more articles report it                   | log2(articles) / 3; one article: 0          |
| mentions      | 0.10   | it is told 8 or more times                     | log2(mentions) / 3                          |
| date          | 0.15   | the text states its date                       | inferred 0.5; only a report date 0          |
| kind          | 0.10   | an occurrence or a decision                    | a statement ("said") 0.2                    |
| position      | 0.15   | a headline tells it                            | the lead 0.8, then less the later it comes  |
| participants  | 0.10   | a named actor, target or place                 | unnamed participants 0.5; none 0            |
| status        | 0.15   | it happened                                    | ongoing 0.8, planned 0.7, claim/threat 0.6, |
|               |        |                                                | hypothetical 0.2, negated 0.1               |

Nothing in it depends on the machine, the clock or the order events are scored in.
"""

from __future__ import annotations

import math

from timeline.models import STATED_BASES, DateBasis, Event, EventMention, Status

WEIGHTS = {"articles": 0.25, "mentions": 0.10, "date": 0.15, "kind": 0.10, "position": 0.15,
           "participants": 0.10, "status": 0.15}
SATURATION = 8  # articles or mentions at which that evidence counts in full
STATUS_SCORE = {Status.HAPPENED: 1.0, Status.ONGOING: 0.8, Status.PLANNED: 0.7, Status.THREATENED: 0.6,
                Status.CLAIM: 0.6, Status.HYPOTHETICAL: 0.2, Status.NEGATED: 0.1}
STATEMENT_SCORE = 0.2
INFERRED_DATE_SCORE = 0.5
LEAD_SENTENCES = 3  # sentences after the headline that make an article's lead
LEAD_SCORE = 0.8
POSITION_DECAY = 10  # sentences past the lead over which the position score halves
UNNAMED_PARTICIPANTS_SCORE = 0.5


def salience(event: Event) -> float:
    """The event's 0-1 salience (rounded to 3 places, so ties are exact and stable)."""
    return round(sum(WEIGHTS[name] * score for name, score in evidence(event).items()), 3)


def evidence(event: Event) -> dict[str, float]:
    """Each kind of evidence for the event, scaled to 0-1."""
    told = event.told
    return {
        "articles": _saturating(len(event.sources)),
        "mentions": _saturating(len(told)),
        "date": _date_score(event),
        "kind": STATEMENT_SCORE if all(m.kind == "reporting" for m in told) else 1.0,
        "position": max(_position_score(m) for m in event.mentions),
        "participants": _participant_score(event),
        "status": STATUS_SCORE.get(event.status, 0.5),
    }


def _saturating(count: int) -> float:
    """0 for one, 1 from SATURATION on, logarithmic between."""
    return min(1.0, math.log2(max(count, 1)) / math.log2(SATURATION))


def _date_score(event: Event) -> float:
    if event.basis == DateBasis.REPORTED or not event.value:
        return 0.0
    return 1.0 if event.basis in STATED_BASES else INFERRED_DATE_SCORE


def _position_score(mention: EventMention) -> float:
    """1 in a headline, LEAD_SCORE in the lead, then halving every POSITION_DECAY sentences."""
    if mention.in_headline:
        return 1.0
    if mention.sentence_index <= LEAD_SENTENCES:
        return LEAD_SCORE
    return LEAD_SCORE * 0.5 ** ((mention.sentence_index - LEAD_SENTENCES) / POSITION_DECAY)


def _participant_score(event: Event) -> float:
    named = [p for p in event.actors + event.affected + event.locations if p[:1].isupper()]
    if named:
        return 1.0
    return UNNAMED_PARTICIPANTS_SCORE if event.actors or event.affected else 0.0
