"""The time expression an event is anchored to is the one of its own clause or phrase (issue 10)."""

import datetime as dt

import pytest

from timeline.build import build_from_items
from timeline.models import CorpusItem, Document

DCT = dt.date(2015, 2, 17)

# (sentence, trigger, the expression it must be anchored to, or None for no date of its own)
CASES = [
    ("A member of the 1953 team died last June.", "died", "last June"),
    ("Stocks fell on Monday to lows not seen since October 1982.", "fell", "Monday"),
    ("Kopp's 1987 Chevrolet was discovered last month.", "discovered", "last month"),
    ("The release of the video on Sunday night shocked Italy.", "release", "Sunday night"),
    ("Italy closed its embassy in Tripoli on Sunday.", "closed", "Sunday"),
    ("Friday's attack killed 20 people.", "attack", "Friday"),
    # A time standing before an event noun in its phrase dates the noun, however the parse joins them.
    ("Two agents were charged in the Dec. 21, 1988, bombing of Pan Am Flight 103.", "bombing", "Dec. 21, 1988"),
    ("The evidence in the October slaying of the doctor is strong.", "slaying", "October"),
    ("Fourth-quarter profit rose 5%.", "rose", "Fourth-quarter"),
    ("The company, founded in 1976, cut 300 jobs on Tuesday.", "cut", "Tuesday"),
    ("The fund now holds 15% of the shares.", "holds", "now"),
    # News style: the day right after a reporting verb is the saying's, though parses hang it on the clause told.
    ("Tanzanian police said on Tuesday they had arrested 14 foreigners.", "said", "Tuesday"),
    ("President Fidel Castro said Tuesday his government told U.S. officials.", "said", "Tuesday"),
    ("Castro said Tuesday's attack killed five people.", "said", None),
    ("The company said third-quarter profit rose 5%.", "said", None),
    # The time of a compared figure dates the figure, not the change.
    ("Profit soared to $155 million from $99 million a year earlier.", "soared", None),
    ("Net income fell to $5 million from $8 million in the year-ago quarter.", "fell", None),
    ("Sales fell 5%, compared with a rise of 3% a year ago.", "fell", None),
    # "more than" sizes a figure: nothing is compared, the time is the event's.
    ("Program trading amounted to more than 13% in September.", "amounted", "September"),
    ("Sales rose by less than 2% in the third quarter.", "rose", "the third quarter"),
    ("Du Pont said its profit grew 19% from a year ago.", "grew", None),
    ("The third flight will depart each Thursday from August 6.", "depart", "August 6"),
]

# Dates found near the trigger in its sentence (basis "sentence"), and routes that must not date it:
# (sentence, trigger, expression or None, basis or None)
NEARBY_CASES = [
    ("Rebels seized the airport on Tuesday, killing 12 soldiers.", "killing", "Tuesday", "sentence"),
    ("Prices fell sharply after Monday's announcement of new tariffs.", "fell", "Monday", "sentence"),
    ("Officials said on Monday that the army had attacked the town.", "attacked", None, None),
    ("The minister arrived in Cairo and then signed the agreement on Friday.", "arrived", None, None),
    ("The company cut jobs, which will reopen talks in March.", "cut", None, None),
    # Not down into a relative clause, nor far into another event noun's phrase.
    ("Two governments, each backed by rebels who toppled Gaddafi in 2011, are battling for power.",
     "backed", None, None),
    ("Rome stepped up its security in the wake of last weekend's slaughter of Christians.", "stepped", None, None),
    ("The bomb exploded in the January 1998 attack on the clinic that killed a guard.", "killed", "January 1998",
     "sentence"),
    ("Tanzanian police said on Tuesday they had arrested 14 foreigners.", "arrested", None, None),
    ("Albright said Monday before leaving for Kenya.", "leaving", "Monday", "sentence"),
    # A time opening the sentence frames every clause of its main line, however the parse joins them.
    ("During the third quarter, the bank charged about $46 million against earnings in reducing goodwill, added "
     "$20 million to its loan loss reserves and established a $30 million reserve for its bond portfolio.",
     "established", "the third quarter", "sentence"),
    ("Last week, the rebels seized the airport, the army shelled the town and thousands of people fled to the "
     "border.", "fled", "Last week", "sentence"),
    ("But in the past three months, stocks have plunged, interest rates have soared and the downturn means that "
     "people are not spending.", "soared", "the past three months", "sentence"),
    ("On Friday, the police said the gunman had fled.", "fled", None, None),
    # What happened in a dated event happened at its time.
    ("Six people were killed in the attack on Friday outside the embassy.", "killed", "Friday", "clause"),
    ("The leader was arrested during the raid on Tuesday.", "arrested", "Tuesday", "clause"),
    ("The minister spoke at a rally on Saturday in the capital.", "spoke", "Saturday", "clause"),
    ("Six people were killed and at least 58 injured in a car bomb attack on Friday.", "killed", "Friday", "clause"),
    ("The minister was questioned about the attack on Friday.", "questioned", None, None),
    # A time closing a coordination dates its first verb too, unless the second is a later step.
    ("More than 100 people have been killed and more than 1,000 others wounded in the blasts on Friday.",
     "killed", "Friday", "clause"),
    ("The police arrested the man and charged him with murder on Monday.", "arrested", "Monday", "clause"),
    ("The boy clung to an inner tube for two days and was plucked from the sea on Thursday.", "clung", None, None),
    # One event has one time: a second one the parse hangs on a relative clause belongs higher up.
    ("Thousands paid tribute to the men who launched the revolution four decades ago in a rally Saturday.",
     "paid", "Saturday", "explicit"),
    ("Thousands paid tribute to the men who launched the revolution four decades ago in a rally Saturday.",
     "launched", "four decades ago", "explicit"),
    # A vague reference dates what it modifies, roughly: "recently" is the month before publication.
    ("Magna recently cut its quarterly dividend in half.", "cut", "recently", "explicit"),
    ("In the past, Russia has often claimed that Ukraine was undermining the talks.", "claimed", None, None),
    # A compared figure's time still dates the clause that tells about that time.
    ("Profit dropped to $58.6 million from $186.4 million a year ago, when the industry enjoyed strong demand.",
     "enjoyed", "a year ago", "sentence"),
]


def _anchor_of(text: str, trigger: str) -> tuple:
    """(the expression dating the trigger's mention, how it was found), (None, None) when undated."""
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    mentions = [m for e in result.events for m in e.mentions if m.trigger == trigger]
    assert mentions, f"no event for {trigger!r}"
    dated = mentions[0].dated
    return (mentions[0].timex.text, mentions[0].basis) if dated else (None, None)


@pytest.mark.parametrize("sentence, trigger, expression", CASES, ids=[c[0] for c in CASES])
def test_an_event_takes_the_time_of_its_own_clause(sentence, trigger, expression):
    assert _anchor_of(sentence, trigger)[0] == expression


@pytest.mark.parametrize("sentence, trigger, expression, basis", NEARBY_CASES, ids=[c[0] for c in NEARBY_CASES])
def test_a_nearby_time_dates_an_event_only_on_a_close_route_that_agrees_with_its_tense(sentence, trigger,
                                                                                         expression, basis):
    assert _anchor_of(sentence, trigger) == (expression, basis)


# A duration placed in time dates what happens in it: (text, trigger, value, interval start, interval end)
STRETCH_CASES = [
    ("Sales rose 5% in the past two months.", "rose", "2014-12-17/2015-02-17", dt.date(2014, 12, 17),
     dt.date(2015, 2, 17)),
    ("The army will hold talks over the next three weeks.", "talks", "2015-02-17/2015-03-10", dt.date(2015, 2, 17),
     dt.date(2015, 3, 10)),
    ("Prices rose 3% in the last 24 hours.", "rose", "2015-02-16/2015-02-17", dt.date(2015, 2, 16),
     dt.date(2015, 2, 17)),
    ("Rebels fought the army for five years.", "fought", "", None, None),  # no place in time
    # A vague count of units is taken as three: a place in time, however rough.
    ("Sales fell in recent months.", "fell", "2014-11-17/2015-02-17", dt.date(2014, 11, 17), dt.date(2015, 2, 17)),
    ("Sales will fall over the coming years.", "fall", "2015-02-17/2018-02-17", dt.date(2015, 2, 17),
     dt.date(2018, 2, 17)),
    ("Profit rose 19% in the first nine months.", "rose", "2014-01-01/2014-09-30", dt.date(2014, 1, 1),
     dt.date(2014, 9, 30)),  # the latest nine months opening a year that are over
    ("Sales rose 60% in the first six weeks of the year.", "rose", "2015-01-01/2015-02-11", dt.date(2015, 1, 1),
     dt.date(2015, 2, 11)),
    ("Sales rose in the first two weeks of the month.", "rose", "", None, None),  # not placed by the year
]


@pytest.mark.parametrize("text, trigger, value, start, end", STRETCH_CASES, ids=[c[0] for c in STRETCH_CASES])
def test_a_duration_up_to_or_from_publication_dates_its_events(text, trigger, value, start, end):
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    event = next(e for e in result.events if any(m.trigger == trigger for m in e.mentions))
    assert (event.value or "", event.interval_start, event.interval_end) == (value, start, end)


# The narrative time of the sentence before: (text, trigger, expression or None, basis or None)
DISCOURSE_CASES = [
    ("Rebels seized the airport on Tuesday. Troops attacked them.", "attacked", "Tuesday", "context"),
    ("Rebels seized the airport on Tuesday. The army will attack them.", "attack", None, None),
    ("Rebels seized the airport on Tuesday.\n\nTroops attacked them.", "attacked", "Tuesday", "context"),
    ("Rebels, who seized the airport in 2011, hold the town. Troops attacked them.", "attacked", None, None),
    # Further on, a day carries (the news day the article tells), a coarser time said in passing does not,
    # nor does any time into a sentence that names its own.
    ("Rebels seized the airport on Tuesday. Officials met. Troops attacked them.", "attacked", "Tuesday", "context"),
    ("Rebels seized the airport in 2011. Officials met. Troops attacked them.", "attacked", None, None),
    ("Rebels seized the airport on Tuesday. Officials met. Troops attacked them for two days.", "attacked",
     None, None),
    ("Rebels seized the airport on Tuesday. Officials met. Troops will attack them.", "attack", None, None),
    # The simple past passive tells the narrative too, in either sentence; the pluperfect steps back from it.
    ("Rebels seized the airport on Tuesday. Two soldiers were killed.", "killed", "Tuesday", "context"),
    ("Two soldiers were killed on Tuesday. Rebels seized the airport.", "seized", "Tuesday", "context"),
    ("Rebels seized the airport on Tuesday. Two soldiers had been killed.", "killed", None, None),
    # Each tense keeps its own time: the future goes on at the future's date, the past at the past's.
    ("The talks will resume on Friday. The ministers will sign the treaty.", "sign", "Friday", "context"),
    ("Rebels seized the airport on Tuesday. The talks will resume on Friday. Troops attacked them.", "attacked",
     "Tuesday", "context"),
    ("The talks will resume on Friday. Rebels seized the airport on Tuesday. Officials will sign the treaty.",
     "sign", "Friday", "context"),
    ("The talks will resume on Friday. Rebels seized the airport.", "seized", None, None),
    # The past told in the past progressive goes on at the narrative's time too.
    ("Rebels seized the airport on Tuesday. Troops were shelling the town.", "shelling", "Tuesday", "context"),
    # The present perfect is news of the recent past, not of the day the story tells; nor is an
    # infinitive under it ("has threatened to send"); "now" places nothing the report date does not.
    ("Rebels seized the airport on Tuesday. Troops have attacked them.", "attacked", None, None),
    ("Rebels seized the airport on Tuesday. The army has threatened to bomb the town.", "bomb", None, None),
    ("Rebels now hold the airport. Troops are shelling the town.", "shelling", None, None),
    # A participle told alongside an event the narrative dates happened at its time, whatever its own form.
    ("Orban arrived in The Hague on Friday. Addressing a ceremony at the embassy, he said the mission had "
     "ended.", "Addressing", "Friday", "context"),
    ("Rebels seized the airport on Tuesday. Hundreds of people fleeing the town drowned.", "fleeing", "Tuesday",
     "context"),
    ("Rebels seized the airport on Tuesday. Officials met, saying the talks would go on.", "saying", "Tuesday",
     "context"),
    ("Rebels seized the airport on Tuesday. Officials met after hearing the news.", "hearing", None, None),
]


@pytest.mark.parametrize("text, trigger, expression, basis", DISCOURSE_CASES, ids=[c[0] for c in DISCOURSE_CASES])
def test_a_past_event_takes_the_narrative_time_of_the_sentence_before(text, trigger, expression, basis):
    assert _anchor_of(text, trigger) == (expression, basis)


# Recent-past news with no other cue: the week before publication, as an inference.
# (text, value, interval start, basis)
PUBLICATION_CASES = [
    ("Rome has stepped up its security.", "PAST_REF", dt.date(2015, 2, 11), "publication"),
    ("Machine guns have appeared in the hands of guards.", "PAST_REF", dt.date(2015, 2, 11), "publication"),
    ("Rome stepped up its security.", "", None, "reported"),  # simple past: could be any time
    ("Rome has stepped up its security since 2011.", "2011", dt.date(2011, 1, 1), "explicit"),
    ("Rome has stepped up its security since the attacks began.", "", None, "reported"),  # durative
    # A time cue of its own: the year up to publication, stated.
    ("Rome has stepped up its security over the past year.", "2014-02-17/2015-02-17", dt.date(2014, 2, 17),
     "explicit"),
    ("Rome has stepped up its security on Monday.", "2015-02-16", dt.date(2015, 2, 16), "explicit"),
    ("Rome would have stepped up its security.", "", None, "reported"),
]


@pytest.mark.parametrize("text, value, start, basis", PUBLICATION_CASES, ids=[c[0] for c in PUBLICATION_CASES])
def test_recent_past_news_is_dated_in_the_week_before_publication(text, value, start, basis):
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    row = result.table.iloc[0]
    assert (row["value"], row["interval_start"], row["date_basis"]) == (value, start, basis)
    if basis == "publication":
        assert row["interval_end"] == DCT and row["granularity"] == "week"


# A support verb's event noun is the event, told by the verb's clause: (text, trigger, lemma, description)
SUPPORT_CASES = [
    ("Mesa made an offer for StatesWest on Monday.", "offer", "offer", "Mesa made an offer for StatesWest"),
    ("The two leaders held talks in Cairo on Sunday.", "talks", "talk", "The two leaders held talks in Cairo"),
    ("The board made a decision to sell the unit.", "decision", "decide", "The board made a decision"),
]


@pytest.mark.parametrize("text, trigger, lemma, description", SUPPORT_CASES, ids=[c[0] for c in SUPPORT_CASES])
def test_a_support_verb_event_is_named_by_its_noun(text, trigger, lemma, description):
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    mentions = [m for e in result.events for m in e.mentions]
    carried = [m for m in mentions if m.trigger == trigger]
    assert len(carried) == 1 and carried[0].lemma == lemma
    assert carried[0].description.startswith(description)
    assert not [m for m in mentions if m.trigger in ("made", "held")]


def test_a_bare_noun_dated_only_by_its_sentence_is_no_row():
    text = ("Mr Gentiloni said the surge in migrant arrivals, up nearly 60 per cent in the first six weeks "
            "of the year, was connected with the situation in Libya.")
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    triggers = {m.trigger: m for e in result.events for m in e.mentions}
    assert "arrivals" not in triggers  # its date is the surge's
    assert triggers["surge"].timex.text == "the first six weeks of the year"


# Who acted, when a pronoun says it or an adjective carries the subject: (text, trigger, kept, actors)
PARTICIPANT_CASES = [
    ("Iraq was ready to withdraw from Kuwait.", "withdraw", True, ["Iraq"]),
    ("The rebels said the army was able to retake the town.", "retake", True, ["army"]),
    ("\u201cWe will withdraw our troops,\u201d the minister said.", "withdraw", True, []),
    ("It filed a complaint with the regulators.", "filed", True, []),
    # An extraposed "it" is no one; a copula with an adjective describes a state.
    ("It is not realistic to talk about a mission.", "talk", False, []),
    ("It has become urgent.", "become", False, []),
]


@pytest.mark.parametrize("text, trigger, kept, actors", PARTICIPANT_CASES, ids=[c[0] for c in PARTICIPANT_CASES])
def test_a_verb_is_an_event_when_someone_acts_even_when_only_a_pronoun_says_who(text, trigger, kept, actors):
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    mentions = [m for e in result.events for m in e.mentions if m.trigger == trigger]
    assert bool(mentions) == kept
    if kept:
        assert mentions[0].actors == actors


# A time said of an event that gives no date is its time note, with the preposition that joins it;
# a date, a compared figure's date, a time of another word and a gap between two events are not.
# (text, trigger, the note or "")
NOTE_CASES = [
    ("Thousands rallied daily in the capital.", "rallied", "daily"),
    ("He has run the company for 13 years.", "run", "for 13 years"),
    ("The talks lasted an hour.", "lasted", "an hour"),
    ("Iraq must withdraw its troops within a week.", "withdraw", "within a week"),
    ("Rebels seized the airport on Tuesday and held it for three days.", "held", "for three days"),
    ("Rebels seized the airport on Tuesday and held it for three days.", "seized", ""),
    ("Italy closed its embassy on Sunday.", "closed", ""),
    ("Profit fell to $5 million from $8 million a year earlier.", "fell", ""),
    ("The company's shares are wallowing below their 52-week high.", "wallowing", ""),
    ("Two days after the attack, troops withdrew from the town.", "withdrew", ""),
]


@pytest.mark.parametrize("text, trigger, note", NOTE_CASES, ids=[f"{c[0]} {c[1]}" for c in NOTE_CASES])
def test_a_time_said_of_an_event_that_is_no_date_is_its_time_note(text, trigger, note):
    result = build_from_items([CorpusItem("x", Document("x", text, DCT, "manifest"))])
    mention = next(m for e in result.events for m in e.mentions if m.trigger == trigger)
    assert (mention.time_note.phrase if mention.time_note else "") == note
    if note:
        assert text[mention.time_note.start:mention.time_note.end] in note
        assert note in set(result.table["time_note"])
