"""TimeML reading and writing, the TempEval-3 scorer, and the command line."""

import json

import pytest
from typer.testing import CliRunner

from timeline import tag
from timeline.cli import app
from timeline.evaluate import Scores, score_document
from timeline.timeml import parse_timeml, read_timeml, to_timeml

runner = CliRunner()


def test_read_timeml_takes_dct_text_and_gold_offsets(fixtures):
    parsed = read_timeml(fixtures / "timeml" / "small.tml")
    text = parsed.document.text
    assert parsed.document.dct.isoformat() == "2015-02-17"
    assert "<EVENT" not in text and "&amp;" not in text and "& said" in text
    assert [(g.text, g.value) for g in parsed.gold][:2] == [("February 15", "2015-02-15"), ("Monday", "2015-02-16")]
    for gold in parsed.gold:
        assert text[gold.start:gold.end] == gold.text


def test_missing_and_malformed_dct_become_warnings(fixtures):
    parsed = read_timeml(fixtures / "timeml" / "no_dct.tml")
    assert parsed.document.dct is None and "no_dct.tml" in parsed.warnings[0]
    malformed = parse_timeml('<DCT><TIMEX3 functionInDocument="CREATION_TIME" value="2015-99-01"/></DCT><TEXT>x</TEXT>', "m.tml")
    assert malformed.document.dct is None and "malformed DCT" in malformed.warnings[0]


def test_timeml_output_round_trips(fixtures):
    document = read_timeml(fixtures / "timeml" / "small.tml").document
    expressions = tag(document.text, dct=document.dct)
    reparsed = parse_timeml(to_timeml(document, expressions))
    assert reparsed.document.text == document.text
    assert [(g.start, g.end, g.value) for g in reparsed.gold] == [(e.start, e.end, e.value) for e in expressions]


def test_scorer_counts_relaxed_strict_and_value_matches(fixtures):
    source = read_timeml(fixtures / "timeml" / "small.tml")
    scores = Scores()
    score_document(scores, source, tag(source.document.text, dct=source.document.dct))
    summary = scores.summary()
    # Gold: February 15, Monday, two days, last week, and a bogus "city"; the tagger finds the first four.
    assert (scores.gold, scores.system, scores.relaxed, scores.strict, scores.value) == (5, 4, 4, 4, 4)
    assert summary["relaxed_precision"] == 1.0 and summary["relaxed_recall"] == pytest.approx(0.8)
    assert {e.kind for e in scores.errors} == {"missed"}


def test_cli_tag_writes_one_output_per_input_and_reports_bad_files(tmp_path, fixtures):
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text("Italy closed its embassy on February 15.", encoding="utf-8")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02\xff")
    (tmp_path / "in" / "latin1.txt").write_bytes("caf\xe9 on Monday".encode("latin-1"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["tag", str(good.parent), str(fixtures / "timeml"), "--dct", "2015-02-17",
                                 "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "binary.txt: binary file" in result.output and "latin1.txt" not in result.output
    assert "tagged 4 of 5 inputs; 1 failed" in result.output
    latin = json.loads((out / "latin1.json").read_text())  # a legacy encoding is read, not refused
    assert [(t["text"], t["value"]) for t in latin["timexes"]] == [("Monday", "2015-02-16")]
    payload = json.loads((out / "good.json").read_text())
    assert [(t["text"], t["value"]) for t in payload["timexes"]] == [("February 15", "2015-02-15")]
    assert (out / "small.json").exists() and (out / "no_dct.json").exists()


def test_cli_tag_fails_when_nothing_could_be_read(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")
    result = runner.invoke(app, ["tag", str(bad)])
    assert result.exit_code == 1 and "bad.txt" in result.output


def test_cli_rejects_a_bad_date_naming_the_option(tmp_path):
    result = runner.invoke(app, ["tag", str(tmp_path), "--dct", "2015-13-45"])
    assert result.exit_code == 2 and "--dct" in result.output


def test_cli_csv_neutralises_formulas(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("=cmd|' /C calc'!A0 on Monday", encoding="utf-8")
    result = runner.invoke(app, ["tag", str(path), "--dct", "2015-02-17", "--format", "csv"])
    assert result.exit_code == 0 and "2015-02-16" in result.output


def test_cli_evaluate_prints_tempeval_metrics(fixtures):
    result = runner.invoke(app, ["evaluate", str(fixtures / "timeml"), "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output[result.output.index("{"):])
    assert metrics["gold"] == 6 and 0 < metrics["relaxed_f1"] <= 1
