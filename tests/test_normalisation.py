"""Normalisation against a pinned publication date: the mission's cases, at their granularity."""

import datetime as dt

import pytest

from timeline import tag

# (text, dct, extent, value, mod, granularity, interval start, interval end)
CASES = [
    ("Italy closed its embassy in Tripoli on February 15.", "2015-02-17", "February 15",
     "2015-02-15", None, "day", "2015-02-15", "2015-02-15"),
    ("Rome stepped up security after last weekend's slaughter.", "2015-02-17", "last weekend",
     "2015-W07-WE", None, "weekend", "2015-02-14", "2015-02-15"),
    ("The Islamic State released a video on Sunday showing the killings.", "2015-02-17", "Sunday",
     "2015-02-15", None, "day", "2015-02-15", "2015-02-15"),
    ("Gentiloni said on Monday that Italy was ready.", "2015-02-17", "Monday",
     "2015-02-16", None, "day", "2015-02-16", "2015-02-16"),
    ("The ministers will meet on Sunday.", "2015-02-17", "Sunday",
     "2015-02-22", None, "day", "2015-02-22", "2015-02-22"),
    ("He requested 500 more officers earlier this year.", "2015-02-17", "earlier this year",
     "2015", "START", "year", "2015-01-01", "2015-02-17"),
    ("The talks are due later this year.", "2015-02-17", "later this year",
     "2015", "END", "year", "2015-02-17", "2015-12-31"),
    # Honest intervals: a period holding the publication date is cut at it on the side tense rules out.
    ("He visited earlier this month.", "2015-02-17", "earlier this month",
     "2015-02", "START", "month", "2015-02-01", "2015-02-17"),
    ("Prices fell sharply this week.", "2015-02-17", "this week",
     "2015-W08", None, "week", "2015-02-16", "2015-02-17"),
    ("The talks will resume this month.", "2015-02-17", "this month",
     "2015-02", None, "month", "2015-02-17", "2015-02-28"),
    ("Profits fell late this year.", "2015-11-18", "late this year",
     "2015", "END", "year", "2015-09-01", "2015-11-18"),
    ("Police made arrests this morning.", "2015-02-17", "this morning",
     "2015-02-17TMO", None, "part_of_day", "2015-02-17", "2015-02-17"),
    ("Gaddafi was toppled in 2011.", "2015-02-19", "2011", "2011", None, "year", "2011-01-01", "2011-12-31"),
    # A vague reference reaches a conventional stretch from the publication date (vocabulary.toml
    # vaguewindow), so what it dates has a place; "the past" reaches nowhere.
    ("The growing danger was highlighted in recent days.", "2015-02-18", "recent days",
     "PAST_REF", None, "week", "2015-02-11", "2015-02-18"),
    ("Magna recently cut its dividend.", "1989-11-02", "recently",
     "PAST_REF", None, "month", "1989-10-02", "1989-11-02"),
    ("The Fed may cut rates in the coming weeks.", "1989-11-02", "the coming weeks",
     "FUTURE_REF", None, "month", "1989-11-02", "1989-12-02"),
    ("In the past, Russia has claimed that.", "1998-01-08", "the past", "PAST_REF", None, None, None, None),
    ("In the future, prices will rise.", "1998-01-08", "the future", "FUTURE_REF", None, None, None, None),
    # "now" is the publication day: what it dates has a place on the timeline.
    ("The threat is now real.", "2015-02-17", "now", "PRESENT_REF", None, "day", "2015-02-17", "2015-02-17"),
    ("Officials are currently reviewing the plan.", "2015-02-17", "currently", "PRESENT_REF", None, "day",
     "2015-02-17", "2015-02-17"),
    ("Last week, more than 300 died.", "2015-02-18", "Last week",
     "2015-W07", None, "week", "2015-02-09", "2015-02-15"),
    ("Sales fell in March.", "2015-05-18", "March", "2015-03", None, "month", "2015-03-01", "2015-03-31"),
    ("the release of the video on Sunday night", "2015-02-18", "Sunday night",
     "2015-02-15TNI", None, "part_of_day", "2015-02-15", "2015-02-15"),
    ("There were reports tonight.", "2015-02-18", "tonight", "2015-02-18TNI", None, "part_of_day",
     "2015-02-18", "2015-02-18"),
    ("Three years ago the war began.", "2015-02-18", "Three years ago", "2012", None, "year",
     "2012-01-01", "2012-12-31"),
    ("Profits rose in the third quarter.", "2015-11-18", "the third quarter", "2015-Q3", None, "quarter",
     "2015-07-01", "2015-09-30"),
    ("It happened in the 1990s.", "2015-11-18", "the 1990s", "199", None, "decade", "1990-01-01", "1999-12-31"),
    ("Next month the law changes.", "2015-12-18", "Next month", "2016-01", None, "month", "2016-01-01", "2016-01-31"),
    ("The fair runs from 2001 to 2009.", "2015-12-18", "2009", "2009", None, "year", "2009-01-01", "2009-12-31"),
]


@pytest.mark.parametrize("text, dct, extent, value, mod, granularity, start, end", CASES, ids=[c[2] for c in CASES])
def test_normalisation(text, dct, extent, value, mod, granularity, start, end):
    found = {e.text: e for e in tag(text, dct=dct)}
    assert extent in found, f"{extent!r} not found in {text!r}: {list(found)}"
    expression = found[extent]
    assert expression.value == value
    assert expression.mod == mod
    assert expression.granularity == granularity
    as_date = lambda s: dt.date.fromisoformat(s) if s else None  # noqa: E731
    assert (expression.interval_start, expression.interval_end) == (as_date(start), as_date(end))


# Weekdays take their direction from the clause; DCT Wednesday 1998-09-30.
TENSE_CASES = [
    ("The team planned to leave Nairobi on Thursday.", "Thursday", "1998-10-01"),
    ("Protesters planned a large demonstration on Saturday.", "Saturday", "1998-10-03"),
    ("A meeting scheduled for Monday will discuss it.", "Monday", "1998-10-05"),
    ("The talks, set to resume Monday, were delayed again.", "Monday", "1998-10-05"),
    ("Officials postponed until Tuesday any action on the permit.", "Tuesday", "1998-10-06"),
    ("He could return as soon as Friday.", "Friday", "1998-10-02"),
    ("Until Thursday, they had not called him a suspect.", "Thursday", "1998-09-24"),
    ("A memorial service planned for Saturday was canceled.", "Saturday", "1998-09-26"),
    ("On Friday, the government planned to pay the first claims.", "Friday", "1998-09-25"),
    ("The offer had been due to expire Friday.", "Friday", "1998-09-25"),
    ("They set fire to the building on Monday.", "Monday", "1998-09-28"),
    ("Officials said on Tuesday that the team had left.", "Tuesday", "1998-09-29"),
    ("It declared a dividend payable Feb. 1 to holders of record.", "Feb. 1", "1999-02-01"),
    ("The new pact, effective June 1, was signed.", "June 1", "1999-06-01"),
    ("It will dominate a summit set for Washington in April.", "April", "1999-04"),
    ("The index stayed near its record high set on Aug. 6.", "Aug. 6", "1998-08-06"),
]


@pytest.mark.parametrize("text, extent, value", TENSE_CASES, ids=[c[0][:40] for c in TENSE_CASES])
def test_weekday_direction_follows_the_clause(text, extent, value):
    found = {e.text: e.value for e in tag(text, dct="1998-09-30")}
    assert found.get(extent) == value, found


def test_offsets_point_at_the_extent():
    text = "On Sunday, February 15, 2015, the video was released; the vote is next week."
    for expression in tag(text, dct="2015-02-17"):
        assert text[expression.start:expression.end] == expression.text


def test_without_a_dct_relative_values_stay_unresolved():
    expressions = {e.text: e for e in tag("They met on Sunday and again last week.", dct=None)}
    assert expressions["Sunday"].value == "XXXX-WXX-7"
    assert expressions["last week"].value == "XXXX-WXX"
    assert expressions["Sunday"].interval_start is None


def test_narrative_mode_anchors_on_the_last_mentioned_date():
    text = "On September 1, 1939, Germany attacked Poland. On 17 September, the Soviets invaded. The following year France fell."
    found = {e.text: e.value for e in tag(text, dct="2009-12-19", mode="narrative")}
    assert found["17 September"] == "1939-09-17"
    assert found["The following year"] == "1940"
    news = {e.text: e.value for e in tag(text, dct="2009-12-19", mode="news")}
    assert news["17 September"] == "2009-09-17"


# (text, expression, value): what moves the narrative's time and what does not (DCT 2009-12-19)
NARRATIVE_REFERENCE_CASES = [
    # A winter is named by the year it ends in; the next date keeps that year.
    ("The siege lasted through the winter of 1918. On 10 September the army withdrew.", "10 September", "1918-09-10"),
    # A decade in passing gives no year to a later month.
    ("On 8 March 1965 the Marines landed, as the French had two decades earlier. More came in June.", "June", "1965-06"),
    # A quotation does not move the story's time.
    ('On 2 May 1915 the line broke. He wrote: "We met in April 1912." On 9 May the line held.', "9 May", "1915-05-09"),
    # ... unless the narrative has no time of its own yet.
    ('He wrote: "Relations soured until in March 1980, Iran withdrew its envoy." Tension rose in April.', "April", "1980-04"),
    # Nor does a plan.
    ("On 10 March 1975 the offensive began, for a campaign planned for 1976. It collapsed on 11 March.", "11 March", "1975-03-11"),
    # A future season after the last date is the coming one.
    ("On 13 August 1918 the council met. The army will not hold out over the winter.", "the winter", "1919-WI"),
    # A past winter: from an autumn the coming one, from a spring the one just ended.
    ("In October 1777 the army reached the valley. Over the winter, 2,500 men died.", "the winter", "1778-WI"),
    ("In April 1777 the army left the valley. Over the winter, 2,500 men had died.", "the winter", "1777-WI"),
]


@pytest.mark.parametrize("text, expression, value", NARRATIVE_REFERENCE_CASES)
def test_the_narrative_time_moves_only_with_what_the_narrative_tells(text, expression, value):
    found = {e.text: e.value for e in tag(text, dct="2009-12-19", mode="narrative")}
    assert found[expression] == value


# (text, expression, value): a narrative before the common era counts its years backwards
BC_CASES = [
    ("In 491 BC Darius sent envoys. The following year, Datis sailed.", "The following year", "BC0490"),
    ("In 491 BC Darius sent envoys. In the summer the fleet sailed.", "the summer", "BC0491-SU"),
    ("Xerxes crossed in April 480 BC. Two days later the army marched.", "Two days later", "BC0480-04-03"),
    ("Caesar died on 15 March 44 BC.", "15 March 44 BC", "BC0044-03-15"),
]


@pytest.mark.parametrize("text, expression, value", BC_CASES)
def test_years_before_the_common_era_count_backwards_and_show_no_date(text, expression, value):
    found = {e.text: e for e in tag(text, dct="2009-12-19", mode="narrative")}
    assert found[expression].value == value
    # Python's dates begin in AD 1: a date BC has no interval rather than a wrong one.
    assert found[expression].interval_start is None and found[expression].interval_end is None


def test_unknown_mode_is_an_error():
    with pytest.raises(ValueError, match="mode"):
        tag("today", dct="2015-02-17", mode="poetry")
