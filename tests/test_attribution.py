"""Attribution (issue 10): in "X said (that) Y" the event is Y, told as X's claim; the report is no row of its own."""

import datetime as dt

import pytest

from timeline.build import build_from_items
from timeline.models import CorpusItem, Document

DCT = dt.date(2015, 2, 17)

# (text, the row's trigger, according to, status, date value or "" when undated)
CASES = [
    ("The army attacked the town on Sunday, officials said.", "attacked", "officials", "claim", "2015-02-15"),
    ("Officials said on Monday that the army had attacked the town.", "attacked", "Officials", "claim", ""),
    ("The minister said on Sunday that the army attacked the town.", "attacked", "minister", "claim", ""),
    ("The minister said on Sunday that Isis is exploiting the crisis.", "exploiting", "minister", "claim",
     "2015-02-15"),
    ("The minister said on Sunday that the town is being attacked.", "attacked", "minister", "claim", "2015-02-15"),
    ("The minister said on Sunday that the army will attack the town.", "attack", "minister", "planned", ""),
    ("Troops killed 40 militants on Sunday, according to witnesses.", "killed", "witnesses", "claim", "2015-02-15"),
    ("Apple announced on Monday that it would release a new phone.", "release", "Apple", "planned", ""),
]


def _build(text: str):
    return build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])


@pytest.mark.parametrize("text, trigger, according_to, status, value", CASES, ids=[c[0] for c in CASES])
def test_a_reported_event_is_the_row_with_its_source(text, trigger, according_to, status, value):
    result = _build(text)
    rows = result.table
    assert len(rows) == 1, f"one row, not the report and its content: {rows['description'].tolist()}"
    event = result.events[0]
    assert event.lead.trigger == trigger
    assert (rows.iloc[0]["according_to"], rows.iloc[0]["status"], rows.iloc[0]["value"]) == (according_to, status, value)
    assert any(m.told_with == event.lead.mention_id for m in event.mentions if m.trigger != trigger) or "according" in text


def test_a_report_whose_content_is_no_event_stays_a_row():
    rows = _build("Gentiloni said Italy was ready.").table
    assert rows["description"].tolist() == ["Gentiloni said"]
    assert rows.iloc[0]["status"] == "happened" and rows.iloc[0]["according_to"] == ""


def test_an_event_told_without_attribution_elsewhere_is_no_longer_a_claim():
    items = [CorpusItem(d, Document(d, text, DCT, "manifest")) for d, text in (
        ("a", "Italy closed its embassy in Tripoli on Sunday, officials said."),
        ("b", "Italy closed its embassy in Tripoli on Sunday."))]
    result = build_from_items(items)
    closing = [e for e in result.events if e.lead.lemma == "close"]
    assert len(closing) == 1 and closing[0].status == "happened" and closing[0].according_to == ["officials"]


# Steps of one happening told in one clause are one row; an event with a date of its own stays a row.
# (text, number of rows, the triggers told in the first row)
STEP_CASES = [
    ("Last week more than 300 were reported to have died attempting the crossing.", 1,
     {"reported", "died", "attempting", "crossing"}),
    ("Western forces helped topple Gaddafi in 2011.", 1, {"helped", "topple"}),
    ("ISIS has threatened to send 500 thousand immigrants into Italy.", 1, {"threatened", "send"}),
    ("Rebels seized the airport on Tuesday, killing 12 soldiers.", 2, {"seized"}),
    ("The crisis heightened fears after this week's beheadings.", 2, {"heightened", "crisis"}),
]

# A bare event noun a kept event's clause tells of is a mention of that row, never a row of its own;
# after "of", "with" or "as", or with no event to tell it, it is no event at all.
# (text, rows, the row's triggers, the noun's trigger or None when it is left out)
TOLD_NOUN_CASES = [
    ("Italy offered to monitor a ceasefire.", 1, {"offered", "monitor", "ceasefire"}, "ceasefire"),
    ("Obama addressed the summit.", 1, {"addressed", "summit"}, "summit"),
    ("Troops arrived with the ceasefire.", 1, {"arrived"}, None),
    ("The summit.", 0, set(), None),
]


@pytest.mark.parametrize("text, rows, told, noun", TOLD_NOUN_CASES, ids=[c[0] for c in TOLD_NOUN_CASES])
def test_a_bare_event_noun_is_told_with_the_event_whose_clause_names_it(text, rows, told, noun):
    result = _build(text)
    assert len(result.table) == rows, result.table["description"].tolist()
    assert {m.trigger for e in result.events for m in e.mentions} == told
    if noun is not None:
        part = next(m for e in result.events for m in e.mentions if m.trigger == noun)
        assert part.told_with is not None and part not in result.events[0].told


@pytest.mark.parametrize("text, rows, told", STEP_CASES, ids=[c[0] for c in STEP_CASES])
def test_the_steps_of_one_happening_are_one_row(text, rows, told):
    result = _build(text)
    assert len(result.table) == rows, result.table["description"].tolist()
    first = min(result.events, key=lambda e: e.mentions[0].trigger_start)
    assert {m.trigger for m in first.mentions} == told


# (sentence, a word that names no event there, a word that does)
NOT_EVENTS = [
    ("The Islamic State released a video showing militants beheading 21 Christians.", "showing", "beheading"),
    ("The agency released pictures depicting the damaged embassy.", "depicting", "released"),
    ("State television aired footage showing soldiers storming the building.", "showing", "storming"),
]


@pytest.mark.parametrize("text, not_event, event", NOT_EVENTS, ids=[c[0] for c in NOT_EVENTS])
def test_what_a_thing_shows_is_not_an_event_of_its_own(text, not_event, event):
    triggers = {m.trigger for e in _build(text).events for m in e.mentions}
    assert event in triggers and not_event not in triggers


# "is going to": the auxiliary of a near future, no event of its own. (text, triggers with their status)
NEAR_FUTURE_CASES = [
    ("The company is going to announce layoffs.", {"announce": "planned"}),
    ("Apple is going to release a new phone in March.", {"release": "planned"}),
    ("The troops are going home.", {"going": "ongoing"}),
]


@pytest.mark.parametrize("text, statuses", NEAR_FUTURE_CASES, ids=[c[0] for c in NEAR_FUTURE_CASES])
def test_going_to_is_a_near_future_not_an_event(text, statuses):
    result = _build(text)
    assert {m.trigger: str(m.status) for e in result.events for m in e.mentions} == statuses
