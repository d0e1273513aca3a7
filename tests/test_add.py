"""`timeline add`: only the new articles are parsed, the result is the build of all the articles
together, event ids are kept, and an article already in the build is accounted for as a duplicate."""

import json
import re
import shutil

import pytest

from tests.conftest import run_cli

from timeline.corpus import seeds_dir

DATA_FILES = ("events.csv", "mentions.csv", "documents.csv", "events.json", "timelinejs.json")


def said(result) -> str:
    """The command's output as one line of words (typer draws errors in a box)."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


@pytest.fixture(scope="module")
def new_articles(tmp_path_factory):
    """Articles on other places (the seeds with names changed) and one exact copy of a seed article."""
    folder = tmp_path_factory.mktemp("new")
    for path in sorted(seeds_dir().glob("*.txt")):
        text = path.read_text("utf-8").replace("Rome", "Milan").replace("Italy", "Austria")
        (folder / f"x_{path.name}").write_text(text, "utf-8")
    shutil.copy(sorted(seeds_dir().glob("*.txt"))[0], folder / "copy.txt")
    # Records whose id a seed article has, twice: the added ones must be renamed as a full build would.
    first = sorted(seeds_dir().glob("*.txt"))[2]
    rows = [{"id": first.stem, "text": first.read_text("utf-8").replace("Rome", city)} for city in ("Naples", "Turin")]
    (folder / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return folder


@pytest.fixture(scope="module")
def added_and_full(new_articles, tmp_path_factory):
    root = tmp_path_factory.mktemp("builds")
    assert run_cli("build", seeds_dir(), "-o", root / "first").exit_code == 0
    shutil.copytree(root / "first", root / "added")
    result = run_cli("add", root / "added", new_articles, "--published", "2015-03-01")
    assert result.exit_code == 0, result.output
    assert run_cli("build", seeds_dir(), new_articles, "--published", "2015-03-01", "-o", root / "full").exit_code == 0
    return root, result.output


def test_adding_articles_gives_the_build_of_all_of_them(added_and_full):
    root, _ = added_and_full
    for name in DATA_FILES:
        assert (root / "added" / name).read_bytes() == (root / "full" / name).read_bytes(), name
    first, added = (json.loads((root / f / "events.json").read_text("utf-8"))["events"] for f in ("first", "added"))
    assert len(added) > len(first)


def test_added_documents_get_the_ids_a_full_build_gives_them(added_and_full):
    root, _ = added_and_full
    documents = (root / "added" / "documents.csv").read_text("utf-8")
    stem = sorted(seeds_dir().glob("*.txt"))[2].stem
    assert f"{stem}-2" in documents and f"{stem}-3" in documents


def test_every_event_keeps_its_id_when_articles_on_other_events_are_added(added_and_full):
    root, _ = added_and_full
    first, added = (json.loads((root / f / "events.json").read_text("utf-8"))["events"] for f in ("first", "added"))
    assert {e["event_id"] for e in first} <= {e["event_id"] for e in added}


def test_an_article_already_in_the_build_is_a_named_duplicate(added_and_full):
    root, output = added_and_full
    assert "added 6 of 7 inputs (1 failed" in output
    documents = (root / "added" / "documents.csv").read_text("utf-8")
    assert "copy.txt" in documents and "skipped as a duplicate" in documents


def test_add_refuses_a_folder_that_is_not_a_build_or_holds_one_entity(tmp_path, new_articles):
    (tmp_path / "notes").mkdir()
    result = run_cli("add", tmp_path / "notes", new_articles)
    assert result.exit_code == 2 and "no build.json here" in said(result)
    assert run_cli("build", seeds_dir(), "-o", tmp_path / "isis", "--entity", "ISIS").exit_code == 0
    result = run_cli("add", tmp_path / "isis", new_articles)
    assert result.exit_code == 2 and "built with --entity, so it holds only some events" in said(result)


def test_an_upload_of_an_article_already_shown_adds_nothing(tmp_path):
    """Dashboard uploads merge through add_to, which accounts for a copy as a duplicate too."""
    from timeline.build import add_to, build

    current = build([seeds_dir()])
    shutil.copy(sorted(seeds_dir().glob("*.txt"))[1], tmp_path / "upload.txt")
    merged = add_to(current, build([tmp_path], published=None))
    assert [e.event_id for e in merged.events] == [e.event_id for e in current.events]
    assert "skipped as a duplicate" in (merged.documents[-1].error or "")


def test_a_build_read_back_keeps_the_warnings_of_its_articles(tmp_path):
    """`add` writes the documents it read back: a built article's warnings must survive the round trip."""
    from timeline.build import build
    from timeline.outputs import load_build, render_outputs, write_outputs

    text = sorted(seeds_dir().glob("*.txt"))[0].read_text("utf-8")
    rows = [{"id": "a", "text": text}, {"id": "a", "text": text.replace("Rome", "Bari")}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    result = build([tmp_path / "in.jsonl"], published=None)
    assert any("this one is 'a-2'" in w for i in result.documents for w in i.warnings)
    write_outputs(result, tmp_path / "out")
    again = load_build(tmp_path / "out")
    assert render_outputs(again)["documents.csv"] == render_outputs(result)["documents.csv"]
