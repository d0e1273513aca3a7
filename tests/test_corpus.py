"""Reading a corpus: formats, manifests, publication dates, and every kind of bad input."""

import csv
import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from timeline.cli import app
from timeline.corpus import iter_corpus

ARTICLE = "Italy closed its embassy in Tripoli on February 15. Officials said the move was temporary.\n"
HTML = """<html><head><title>Embassy closed</title>
<meta property="article:published_time" content="2015-02-17T10:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Embassy closed</h1>
<p>Italy closed its embassy in Tripoli on Sunday, the foreign ministry said in a statement.</p>
<p>The ministry said the staff had left the Libyan capital safely by boat and would return when it was safe.</p>
<p>Officials in Rome said the decision followed weeks of fighting near the embassy compound.</p>
</article><footer>Copyright</footer></body></html>"""


def _items(tmp_path, published=None):
    return {item.name.replace(str(tmp_path) + "/", ""): item for item in iter_corpus([tmp_path], published)}


def test_formats_and_their_dates(tmp_path):
    (tmp_path / "plain.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "page.html").write_text(HTML, "utf-8")
    (tmp_path / "records.jsonl").write_text(
        json.dumps({"id": "r1", "text": ARTICLE.replace("Italy", "Greece"), "published": "2015-02-18", "title": "T"}) + "\n", "utf-8")
    with (tmp_path / "rows.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "published"])
        writer.writerow(["c1", ARTICLE.replace("Italy", "France"), "2015-02-19"])
    items = _items(tmp_path, published=dt.date(2015, 2, 20))
    assert items["plain.txt"].document.dct == dt.date(2015, 2, 20)
    assert items["plain.txt"].document.dct_source == "--published"
    page = items["page.html"].document
    assert page.dct == dt.date(2015, 2, 17) and page.dct_source == "htmldate"
    assert "closed its embassy" in page.text and "Home | World" not in page.text
    assert items["records.jsonl:1"].document.doc_id == "r1"
    assert items["records.jsonl:1"].document.dct == dt.date(2015, 2, 18)
    assert items["rows.csv:2"].document.dct == dt.date(2015, 2, 19)


def test_a_manifest_gives_metadata_and_reports_its_problems(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Italy", "Spain"), "utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,source,url,published,colour\n"
        "a.txt,Embassy,Wire,http://example.org/a,2015-02-17,red\n"
        "b.txt,Other,Wire,,17/02/2015,blue\n"
        "gone.txt,Missing,Wire,,2015-02-17,green\n", "utf-8")
    items = _items(tmp_path)
    assert "colour" in " ".join(items["manifest.csv"].warnings)
    assert items["a.txt"].document.title == "Embassy" and items["a.txt"].document.dct_source == "manifest"
    assert items["b.txt"].ok and items["b.txt"].document.dct is None
    assert "row 3" in " ".join(items["manifest.csv"].warnings) and "17/02/2015" in " ".join(items["manifest.csv"].warnings)
    assert "no such file" in items["gone.txt"].error


def test_an_undated_document_is_dated_by_its_own_full_date_or_flagged(tmp_path):
    (tmp_path / "dateline.txt").write_text("ROME, February 17, 2015 - " + ARTICLE, "utf-8")
    (tmp_path / "undated.txt").write_text("The embassy closed on Sunday.\n", "utf-8")
    items = _items(tmp_path)
    dated = items["dateline.txt"].document
    assert (dated.dct, dated.dct_source) == (dt.date(2015, 2, 17), "inferred")
    undated = items["undated.txt"].document
    assert undated.dct is None and "unresolved" in " ".join(items["undated.txt"].warnings)


@pytest.mark.parametrize("name, content, problem", [
    ("binary.txt", b"\x00\x01\x02binary", "binary"),
    ("empty.txt", b"", "empty"),
    ("nothing.html", b"<html><body><nav>Home</nav></body></html>", "without article text"),
    ("broken.jsonl", b"{not json\n", "not JSON"),
])
def test_bad_inputs_are_named_with_their_problem(tmp_path, name, content, problem):
    (tmp_path / name).write_bytes(content)
    items = list(iter_corpus([tmp_path / name]))
    assert len(items) == 1 and not items[0].ok
    assert name in items[0].error and problem in items[0].error


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    (item,) = iter_corpus([big])
    assert "limit" in item.error


def test_the_same_article_twice_is_read_once(tmp_path):
    (tmp_path / "one.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "two.txt").write_text(ARTICLE, "utf-8")
    items = _items(tmp_path)
    assert items["one.txt"].ok
    assert "duplicate" in items["two.txt"].error


def test_documents_that_share_an_id_are_given_unique_ones(tmp_path):
    """Records reuse ids across files and folders repeat file names; mention ids key on the document id."""
    for number, country in enumerate(("Greece", "Spain")):
        rows = [{"id": "r1", "text": ARTICLE.replace("Italy", f"{country} {n}")} for n in range(2)]
        (tmp_path / f"part{number}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE.replace("Italy", "Malta"), "utf-8")
    items = _items(tmp_path)
    ids = {name: item.document.doc_id for name, item in items.items()}
    assert ids == {"a.txt": "a", "part0.jsonl:1": "r1", "part0.jsonl:2": "r1-2", "part1.jsonl:1": "r1-3",
                   "part1.jsonl:2": "r1-4", "sub/a.txt": "a-2"}
    assert any("document id 'r1' is taken by" in w and "this one is 'r1-3'" in w for w in items["part1.jsonl:1"].warnings)


def test_a_duplicate_does_not_hold_on_to_an_id(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n"
                                      + json.dumps({"id": "a", "text": ARTICLE.replace("Italy", "Malta")}) + "\n", "utf-8")
    items = _items(tmp_path)
    assert "duplicate" in items["b.jsonl:1"].error
    assert items["b.jsonl:2"].document.doc_id == "a-2"


def test_build_command_completes_for_the_good_documents(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLE, "utf-8")
    (corpus / "bad.txt").write_bytes(b"\x00\x00")
    (corpus / "formula.txt").write_text("=HYPERLINK(\"http://x\") said on Monday that talks failed.\n", "utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--published", "2015-02-17"])
    assert result.exit_code == 0, result.output
    assert "built 2 of 3 inputs" in result.output
    with (out / "documents.csv").open(encoding="utf-8") as handle:
        rows = {r["input"].rsplit("/", 1)[-1]: r for r in csv.DictReader(handle)}
    assert rows["bad.txt"]["status"] == "failed" and "binary" in rows["bad.txt"]["problem"]
    assert rows["good.txt"]["status"] == "ok" and rows["good.txt"]["published"] == "2015-02-17"
    events_csv = (out / "events.csv").read_text("utf-8")
    assert "2015-02-15" in events_csv
    assert not any(line.split(",")[7].startswith("=") for line in events_csv.splitlines()[1:] if line.count(",") > 7)
    strict = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--published", "2015-02-17", "--strict"])
    assert strict.exit_code == 1


def test_build_command_fails_only_when_nothing_could_be_built(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "bad.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "documents.csv").exists()


def test_bad_published_option_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["build", str(tmp_path), "-o", str(tmp_path / "o"), "--published", "yesterday"])
    assert result.exit_code == 2 and "--published" in result.output


def test_entity_option_resolves_aliases(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Isis released a video on Sunday. Italy closed its embassy on Sunday.\n", "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(corpus), "-o", str(out), "--published", "2015-02-17",
                                      "--entity", "Islamic State"])
    assert result.exit_code == 0, result.output
    with (out / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all("Islamic State" in r["actors"] for r in rows)
