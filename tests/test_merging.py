"""Merging (issue 10): the same happening reported twice is one event; different happenings that
share words (a closure, a video, an arrest) stay apart. Hand-written pairs, one article each."""

import datetime as dt

import pytest

from timeline.build import build_from_items
from timeline.models import CorpusItem, Document

DCT = dt.date(2015, 2, 17)

# (first article, second article, the trigger both use, whether they are one event)
PAIRS = [
    ('Italy closed its embassy in Tripoli on Sunday.',
     'Spain closed its embassy in Baghdad on Sunday.', 'closed', False),
    ('Italy closed its embassy in Tripoli on Sunday.',
     'Italy closed its embassy in Tripoli on Sunday, officials said.', 'closed', True),
    ('Italy closed its embassy in Tripoli on Sunday.',
     'Italy closed its embassy in Tripoli on February 15.', 'closed', True),
    ('The Italian tourism board released a video on Sunday.',
     'The Islamic State released a video on Sunday.', 'released', False),
    ('Rebels seized the airport in Tripoli on Tuesday.',
     'Rebels seized the airport in Tripoli on Tuesday, witnesses said.', 'seized', True),
    ('Police arrested two men in Manchester on Saturday.',
     'Police arrested a woman in London on Saturday.', 'arrested', False),
    ('Boeing cut 5,000 jobs in March.',
     'Airbus cut 5,000 jobs in March.', 'cut', False),
    ('Egypt bombed Islamic State targets in Libya on Monday.',
     'Egypt bombed Islamic State targets in Libya on Monday, the army said.', 'bombed', True),
    ('Apple released the iPhone in June 2007.',
     'Apple released the iPhone 3G in July 2008.', 'released', False),
    ('Apple released the iPhone in June 2007.',
     'Apple released the iPhone on June 29, 2007.', 'released', True),
    ('The army killed 40 militants in Sinai on Sunday.',
     'The army killed 12 civilians in Sinai on Sunday.', 'killed', False),
    ('Gentiloni said on Monday that Italy was ready to fight.',
     'Pinotti said on Monday that Italy was ready to fight.', 'said', False),
]


def _events_of(texts: list[str], trigger: str) -> set[str]:
    items = [CorpusItem(f"d{n}", Document(f"d{n}", text, DCT, "manifest")) for n, text in enumerate(texts)]
    result = build_from_items(items)
    return {e.event_id for e in result.events for m in e.mentions if m.trigger == trigger}


@pytest.mark.parametrize("first, second, trigger, same", PAIRS, ids=[f"{p[0][:40]} | {p[1][:40]}" for p in PAIRS])
def test_reports_merge_only_when_participants_and_places_agree(first, second, trigger, same):
    assert (len(_events_of([first, second], trigger)) == 1) == same


def test_a_verb_and_its_nominalisation_in_one_article_are_one_event():
    text = "The Islamic State released a video on Sunday. The video's release shocked Italy."
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    release = [e for e in result.events if any(m.lemma == "release" for m in e.mentions)]
    assert len(release) == 1 and len(release[0].mentions) == 2
    assert release[0].value == "2015-02-15"
