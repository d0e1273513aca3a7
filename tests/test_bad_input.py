"""Bad input never crashes the tagger and never yields a silently wrong date."""

import datetime as dt

from hypothesis import given, settings, strategies as st

from timeline import Document, tag
from timeline.tagger import default_tagger


def test_empty_and_blank_text():
    assert tag("", dct="2015-02-17") == []
    assert tag("   \n\t ", dct="2015-02-17") == []


def test_impossible_dates_are_skipped_with_a_warning():
    result = default_tagger().tag_document(Document("d", "It was February 30 and 2015-02-30.", dt.date(2015, 2, 17)))
    assert [e.value for e in result.expressions] == []
    assert any("February 30" in w for w in result.warnings)
    assert tag("2015-13-45", dct="2015-02-17") == []


def test_far_out_reference_dates_do_not_crash():
    assert [e.value for e in tag("He left on Sunday and returns next year.", dct="9999-12-31")][0] == "9999-12-26"
    assert tag("He left on Dec. 31.", dct="0001-01-01")[0].text == "Dec. 31"


def test_far_out_years_are_not_taken_as_dates():
    assert tag("In 3015 and 0999 nothing happened.", dct="2015-02-17") == []


def test_large_single_line_text_is_tagged():
    text = "Officials said on Monday that talks would resume in March. " * 20000  # ~1.2 MB, one line
    expressions = tag(text, dct="2015-02-17")
    assert len(expressions) == 40000
    assert {e.value for e in expressions} == {"2015-02-16", "2015-03"}


@settings(deadline=5000, max_examples=60)
@given(st.text(alphabet=" .,-:/0123456789aAdeMmnorsTWy'", max_size=3000))
def test_adversarial_strings_finish_in_bounded_time(text):
    for expression in tag(text, dct="2015-02-17"):
        assert text[expression.start:expression.end] == expression.text


@settings(deadline=5000, max_examples=40)
@given(st.lists(st.sampled_from(["May ", "1 ", "May 1 ", "last ", "week ", "2015 ", "- ", "the ", "days "]), max_size=800))
def test_repetitive_temporal_words_finish_in_bounded_time(words):
    text = "".join(words)
    for expression in tag(text, dct="2015-02-17"):
        assert expression.start < expression.end
