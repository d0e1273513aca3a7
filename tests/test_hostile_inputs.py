"""Hostile inputs, generated at test time: no input sinks a build, and every input is accounted for.

Each case makes its input in a temporary folder (no binary fixtures), builds it beside a good
article, and checks that the good article is built and the bad one is a `documents.csv` row
naming the file and the problem.
"""

import csv
import datetime as dt
import os
import socket
import stat

import pytest
from typer.testing import CliRunner

from timeline.cli import app
from timeline.corpus import iter_corpus
from timeline.events import MAX_SENTENCE_CHARS

GOOD = "Italy closed its embassy in Tripoli on February 15, officials said.\n"


def _documents(out) -> dict[str, dict]:
    with (out / "documents.csv").open(encoding="utf-8") as handle:
        return {os.path.basename(r["input"].rstrip("/")): r for r in csv.DictReader(handle)}


def _build(paths, out, *options):
    result = CliRunner().invoke(app, ["build", *map(str, paths), "-o", str(out), "--published", "2015-02-17",
                                      *options])
    return result


# ---------------------------------------------------------------- paths that are not files


def _missing(tmp):
    return tmp / "missing.txt", "no such file"


def _broken_link(tmp):
    link = tmp / "broken.txt"
    link.symlink_to(tmp / "nowhere.txt")
    return link, "broken symbolic link"


def _fifo(tmp):
    fifo = tmp / "pipe.txt"
    os.mkfifo(fifo)
    return fifo, "FIFO"


def _socket(tmp):
    path = tmp / "sock.txt"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    _socket.keep = server  # bound while the test runs
    return path, "socket"


def _device(tmp):
    return type(tmp)("/dev/zero"), "character device"


def _folder_named_like_a_file(tmp):
    folder = tmp / "folder.txt"
    folder.mkdir()
    return folder, "no articles"


PATH_CASES = [_missing, _broken_link, _fifo, _socket, _device, _folder_named_like_a_file]


@pytest.mark.parametrize("make", PATH_CASES, ids=lambda f: f.__name__.strip("_"))
def test_a_path_that_is_not_an_article_is_a_row_and_never_opened(tmp_path, make):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, "utf-8")
    bad, problem = make(tmp_path)
    result = _build([good, bad], tmp_path / "out")
    assert result.exit_code == 0, result.output
    rows = _documents(tmp_path / "out")
    assert rows["good.txt"]["status"] == "ok"
    row = rows[os.path.basename(str(bad))]
    assert row["status"] == "failed" and problem in row["problem"] and str(bad) in row["problem"]


def test_special_files_inside_a_folder_are_reported_not_opened(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.html").symlink_to(tmp_path / "gone.html")
    items = {os.path.basename(i.name): i for i in iter_corpus([tmp_path])}
    assert items["good.txt"].ok
    assert "FIFO" in items["pipe.txt"].error and "broken symbolic link" in items["dangling.html"].error


def test_an_unreadable_file_is_a_row(tmp_path, monkeypatch):
    good, secret = tmp_path / "good.txt", tmp_path / "secret.txt"
    good.write_text(GOOD, "utf-8")
    secret.write_text(GOOD.replace("Italy", "Spain"), "utf-8")
    secret.chmod(0)
    real_open = open

    def refusing_open(path, *args, **kwargs):  # root reads anything: refuse as a non-root user would be
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing_open)
    items = {os.path.basename(i.name): i for i in iter_corpus([good, secret])}
    assert items["good.txt"].ok
    assert "cannot be read" in items["secret.txt"].error and "Permission denied" in items["secret.txt"].error
    secret.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_tag_never_opens_a_fifo_or_a_device(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    result = CliRunner().invoke(app, ["tag", str(tmp_path / "pipe.txt"), "/dev/zero"])
    assert result.exit_code == 1
    assert "FIFO" in result.output and "character device" in result.output


# ---------------------------------------------------------------- contents


ENCODED = [
    ("utf8.txt", GOOD.encode("utf-8"), "utf-8"),
    ("utf8bom.txt", b"\xef\xbb\xbf" + GOOD.encode("utf-8"), "utf-8"),
    ("utf16.txt", GOOD.encode("utf-16"), "utf-16"),
    ("utf16be.txt", b"\xfe\xff" + GOOD.encode("utf-16-be"), "utf-16"),
    ("latin1.txt", ("Caf\xe9 owners in S\xe3o Paulo said the embassy in Tripoli closed on February 15, "
                    "ap\xf3s a week of clashes, according to the ministry's r\xe9sum\xe9.\n").encode("latin-1"),
     "cp1252"),  # Latin-1's letters are Windows-1252's
    ("cp1252.txt", "Officials said \u201cthe embassy closed on February 15\u201d \u2013 a \u20ac5m loss.\n"
     .encode("cp1252"), "cp1252"),
    ("cp1251.txt", ("\u041f\u043e\u0441\u043e\u043b\u044c\u0441\u0442\u0432\u043e \u0437\u0430\u043a\u0440\u044b\u043b\u043e "
                    "\u0441\u0432\u043e\u0438 \u0434\u0432\u0435\u0440\u0438 \u0432 \u0422\u0440\u0438\u043f\u043e\u043b\u0438. " * 6
                    + "It closed on February 15.\n").encode("cp1251"), None),
]


@pytest.mark.parametrize("name, data, encoding", ENCODED, ids=[c[0] for c in ENCODED])
def test_encodings_are_read_and_recorded(tmp_path, name, data, encoding):
    (tmp_path / name).write_bytes(data)
    (item,) = iter_corpus([tmp_path / name], dt.date(2015, 2, 17))
    assert item.ok, item.error
    assert "February 15" in item.document.text and "\ufffd" not in item.document.text
    assert "\x00" not in item.document.text
    if encoding:
        assert item.document.encoding == encoding
    else:
        assert item.document.encoding not in ("utf-8", "cp1252", "")
    expected = data.decode(item.document.encoding if item.document.encoding != "utf-16" else "utf-16")
    assert item.document.text == expected.lstrip("\ufeff")  # decoded as it was written


@pytest.mark.parametrize("name, data, problem", [
    ("binary.txt", bytes(range(256)) * 40, "binary"),
    ("random.txt", os.urandom(4096).replace(b"\x00", b"\x01"), "binary"),
    ("empty.txt", b"", "empty"),
    ("spaces.txt", b" \n\t \n", "empty"),
    ("bad-utf16.txt", b"\xff\xfe" + b"\x00\xd8" * 10, "not valid utf-16"),
    ("no-text.html", b"<html><body><nav>Home</nav><script>alert(1)</script></body></html>", "without article text"),
    ("broken.tml", b"<TimeML><TEXT>unterminated", "no <TEXT>"),
])
def test_contents_that_are_not_articles_are_named(tmp_path, name, data, problem):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    items = {os.path.basename(i.name): i for i in iter_corpus([tmp_path], dt.date(2015, 2, 17))}
    assert items["good.txt"].ok
    assert not items[name].ok and name in items[name].error
    assert problem.lower() in items[name].error.lower(), items[name].error


def test_a_text_longer_than_spacy_takes_is_built_in_parts_with_offsets_kept(tmp_path):
    # Long "words" keep spaCy's work small; real sentences sit in every part, the last one at the end.
    filler = ("x" * 999 + "\n") * 100
    sentence = "The committee met on Monday to discuss the 2014 budget of 1,234,567 dollars.\n\n"
    text = (filler + sentence) * 11 + "Italy closed its embassy in Tripoli on February 15.\n"
    assert len(text) > 1_000_000
    (tmp_path / "long.txt").write_text(text, "utf-8")
    (tmp_path / "good.txt").write_text(GOOD.replace("Italy", "Greece"), "utf-8")
    out = tmp_path / "out"
    result = _build([tmp_path], out)
    assert result.exit_code == 0, result.output
    rows = _documents(out)
    assert rows["long.txt"]["status"] == "ok" and rows["good.txt"]["status"] == "ok"
    assert "parsed in" in rows["long.txt"]["warnings"]
    with (out / "mentions.csv").open(encoding="utf-8") as handle:
        mentions = [m for m in csv.DictReader(handle) if m["doc_id"] == "long"]
    closing = [m for m in mentions if m["trigger"] == "closed"]
    assert closing and closing[0]["timex_value"] == "2015-02-15"
    assert len([m for m in mentions if m["trigger"] == "met"]) == 11
    for mention in mentions:  # offsets are the document's, not a part's
        start, end = int(mention["trigger_start"]), int(mention["trigger_end"])
        assert text[start:end] == mention["trigger"]
        if mention["timex_start"]:
            assert text[int(mention["timex_start"]):int(mention["timex_end"])] == mention["timex_text"]
    assert len({m["mention_id"] for m in mentions}) == len(mentions)


def test_a_text_without_sentence_ends_gives_each_mention_a_bounded_sentence(tmp_path):
    # A dump with no sentence end is one "sentence": each mention quotes only the words around it.
    text = "rebels seized the airport and troops shelled the port " * 2000
    (tmp_path / "dump.txt").write_text(text, "utf-8")
    out = tmp_path / "out"
    result = _build([tmp_path], out)
    assert result.exit_code == 0, result.output
    with (out / "mentions.csv").open(encoding="utf-8") as handle:
        mentions = [m for m in csv.DictReader(handle) if m["doc_id"] == "dump"]
    assert len(mentions) > 1000
    for mention in mentions:
        start, sentence = int(mention["sentence_start"]), mention["sentence"]
        assert len(sentence) <= MAX_SENTENCE_CHARS and text[start:start + len(sentence)] == sentence
        offset = int(mention["trigger_start"]) - start
        assert sentence[offset:offset + len(mention["trigger"])] == mention["trigger"]


def test_an_error_inside_one_document_fails_that_document_only(tmp_path, monkeypatch):
    import timeline.build as pipeline

    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    (tmp_path / "poison.txt").write_text("POISON: the embassy closed on February 16.\n", "utf-8")
    real = pipeline.extract_mentions

    def failing(document, *args, **kwargs):
        if "POISON" in document.text:
            raise RuntimeError("boom in the extractor")
        return real(document, *args, **kwargs)

    monkeypatch.setattr(pipeline, "extract_mentions", failing)
    result = pipeline.build([tmp_path], dt.date(2015, 2, 17))
    by_name = {os.path.basename(i.name): i for i in result.documents}
    assert by_name["good.txt"].ok and result.events
    assert "poison.txt" in by_name["poison.txt"].error and "boom in the extractor" in by_name["poison.txt"].error


# ---------------------------------------------------------------- manifests


def test_a_latin1_manifest_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, "utf-8")
    (tmp_path / "manifest.csv").write_bytes("file,title,source,published\na.txt,Caf\xe9 news,Le Monde,2015-02-17\n"
                                            .encode("latin-1"))
    items = {os.path.basename(i.name): i for i in iter_corpus([tmp_path])}
    assert items["a.txt"].document.title == "Café news" and items["a.txt"].document.dct == dt.date(2015, 2, 17)


@pytest.mark.parametrize("value, accepted, note", [
    ("2015-02-17", dt.date(2015, 2, 17), None),
    ("2015-02-17T10:30:00Z", dt.date(2015, 2, 17), None),
    ("2015-02-17 10:30", dt.date(2015, 2, 17), None),
    ("2015-02-17T10:30:00+01:00", dt.date(2015, 2, 17), None),
    ("2015-02-17junk", None, "not an ISO date"),
    ("2015-W08", None, "not an ISO date"),
    ("2015-02-30", None, "not an ISO date"),
    ("17/02/2015", None, "not an ISO date"),
    ("1712-05-01", dt.date(1712, 5, 1), "before 1800"),
    ("2999-01-01", dt.date(2999, 1, 1), "in the future"),
])
def test_manifest_dates_are_validated_with_the_row_named(tmp_path, value, accepted, note):
    (tmp_path / "a.txt").write_text("The talks ended.\n", "utf-8")
    (tmp_path / "manifest.csv").write_text(f"file,published\na.txt,{value}\n", "utf-8")
    items = {os.path.basename(i.name): i for i in iter_corpus([tmp_path])}
    document = items["a.txt"].document
    assert (document.dct if document.dct_source == "manifest" else None) == accepted
    notes = " ".join(items["manifest.csv"].warnings)
    if note:
        assert note in notes and "row 2" in notes and value in notes
    else:
        assert not notes


def test_two_manifest_rows_for_one_file_are_a_reported_conflict(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, "utf-8")
    (tmp_path / "manifest.csv").write_text("file,title,published\na.txt,First,2015-02-17\na.txt,Second,2015-03-01\n",
                                           "utf-8")
    items = {os.path.basename(i.name): i for i in iter_corpus([tmp_path])}
    assert items["a.txt"].document.title == "First"
    notes = " ".join(items["manifest.csv"].warnings)
    assert "row 3" in notes and "listed again" in notes and "row 2" in notes


# ---------------------------------------------------------------- duplicates


@pytest.mark.parametrize("dated_first", [True, False])
def test_of_two_copies_of_a_text_the_better_dated_one_is_kept(tmp_path, dated_first):
    dated, undated = ("a.txt", "b.txt") if dated_first else ("b.txt", "a.txt")
    (tmp_path / dated).write_text(GOOD, "utf-8")
    (tmp_path / undated).write_text(GOOD, "utf-8")
    (tmp_path / "manifest.csv").write_text(f"file,published\n{dated},2015-02-17\n", "utf-8")
    out = tmp_path / "out"
    assert _build([tmp_path], out).exit_code == 0
    rows = _documents(out)
    assert rows[dated]["status"] == "ok" and rows[dated]["published_from"] == "manifest"
    assert rows[undated]["status"] == "failed" and "same text" in rows[undated]["problem"]
    assert dated in rows[undated]["problem"]
    with (out / "mentions.csv").open(encoding="utf-8") as handle:
        sources = {m["doc_id"] for m in csv.DictReader(handle)}
    assert sources == {dated[0]}


def test_every_input_is_accounted_for(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "records.jsonl").write_text('{"text": "Spain closed its embassy on Monday."}\n{oops\n', "utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    paths = [tmp_path, tmp_path / "absent.html"]
    items = list(iter_corpus(paths, dt.date(2015, 2, 17)))
    names = sorted(os.path.basename(i.name) for i in items)
    assert names == ["absent.html", "empty.txt", "good.txt", "pipe.txt", "records.jsonl:1", "records.jsonl:2"]
    assert all(i.ok or i.error for i in items)


def test_mention_ids_stay_unique_across_the_parts_of_a_long_text(monkeypatch):
    import timeline.build as pipeline
    from timeline.nlp import text_chunks

    monkeypatch.setattr(pipeline, "text_chunks", lambda text: text_chunks(text, limit=300))
    # Each paragraph starts with an event that is dropped (no participant, no date): ids must still not repeat.
    text = "It rained. It snowed. It poured. Rebels attacked Misrata on Monday.\n\n" * 12
    result = pipeline.build_from_items([pipeline.CorpusItem("x", pipeline.Document("x", text, dt.date(2015, 2, 17)))])
    mentions = [m for e in result.events for m in e.mentions]
    assert len(mentions) >= 12
    assert len({m.mention_id for m in mentions}) == len(mentions)
    assert all(text[m.trigger_start:m.trigger_end] == m.trigger for m in mentions)
