"""Salience: each kind of evidence raises an event's score, the score is deterministic, and key
events are chosen by it."""

import datetime as dt
from dataclasses import replace

import pytest

from timeline.models import DateBasis, Event, EventMention, Status, TimeExpression
from timeline.salience import WEIGHTS, evidence, salience
from timeline.table import event_table, key_events

DAY = dt.date(2015, 2, 15)
SUNDAY = TimeExpression("on Sunday", 40, 49, "DATE", "2015-02-15", None, "day", DAY, DAY)


def _mention(doc: str = "a", index: int = 5, **changes) -> EventMention:
    base = EventMention(f"{doc}:m{index}", doc, "closed", 10, 16, "close", "verb",
                        "Italy closed its embassy in Tripoli on Sunday.", 0, "Italy closed its embassy",
                        actors=["Italy"], affected=["embassy"], locations=["Tripoli"], timex=SUNDAY,
                        basis=DateBasis.EXPLICIT, sentence_index=index, published=dt.date(2015, 2, 17))
    return replace(base, **changes)


def _event(*mentions: EventMention, **changes) -> Event:
    fields = {"value": "2015-02-15", "interval_start": DAY, "interval_end": DAY, "granularity": "day",
              "basis": DateBasis.EXPLICIT, "actors": ["Italy"], "affected": ["embassy"]}
    fields.update(changes)
    return Event("E1", list(mentions), **fields)


BASE = _event(_mention())
# (what differs, the event with more evidence, the event with less)
STRONGER = [
    ("reported by three articles", _event(_mention("a"), _mention("b"), _mention("c")), BASE),
    ("told twice in its article", _event(_mention(index=5), _mention(index=9)), BASE),
    ("a stated date over an inferred one", BASE, _event(_mention(), basis=DateBasis.CONTEXT)),
    ("an inferred date over none", _event(_mention(), basis=DateBasis.CONTEXT),
     _event(_mention(timex=None, basis=DateBasis.REPORTED), value=None, interval_start=None, interval_end=None,
            basis=DateBasis.REPORTED)),
    ("an occurrence over a statement", BASE, _event(_mention(kind="reporting", trigger="said"))),
    ("in the headline", _event(_mention(index=0, sentence="Italy closes embassy in Tripoli")), BASE),
    ("in the lead", _event(_mention(index=2)), _event(_mention(index=30))),
    ("named participants", BASE, _event(_mention(actors=["police"], affected=["embassy"], locations=[]),
                                        actors=["police"], affected=["embassy"])),
    ("happened over hypothetical", BASE, _event(_mention(status=Status.HYPOTHETICAL))),
    ("planned over negated", _event(_mention(status=Status.PLANNED)), _event(_mention(status=Status.NEGATED))),
]


@pytest.mark.parametrize("what, stronger, weaker", STRONGER, ids=[c[0] for c in STRONGER])
def test_each_kind_of_evidence_raises_salience(what, stronger, weaker):
    assert 0 <= salience(weaker) < salience(stronger) <= 1


def test_the_evidence_is_weighted_to_a_score_between_0_and_1():
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    best = _event(*[_mention(doc, index=0, sentence="Italy closes embassy") for doc in "abcdefgh"])
    assert set(evidence(best)) == set(WEIGHTS)
    assert salience(best) == 1.0


def test_key_events_are_the_most_salient_in_table_order_and_do_not_depend_on_input_order():
    events = [_event(_mention("a", 30, status=Status.HYPOTHETICAL)), _event(_mention("b"), _mention("c")),
              _event(_mention("d", 0, sentence="Italy closes embassy")), _event(_mention("e", 12))]
    for number, event in enumerate(events):
        event.event_id = f"E{number}"
    table = event_table(events)
    key = key_events(table, 2)
    assert set(key["event_id"]) == {"E1", "E2"}
    assert list(key.index) == sorted(key.index)  # still in table order
    reversed_table = event_table(list(reversed(events)))
    assert set(key_events(reversed_table, 2)["event_id"]) == {"E1", "E2"}
    assert dict(zip(table["event_id"], table["salience"])) == dict(zip(reversed_table["event_id"],
                                                                       reversed_table["salience"]))
