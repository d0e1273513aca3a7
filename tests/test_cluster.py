"""Builds on a Dask cluster: a real local cluster of two worker processes gives the same bytes as one
process, merging by partition gives the events one pass gives, and a bad scheduler is a clear error."""

import copy
import random
import shutil

import pytest

from timeline.build import build
from timeline.cluster import ClusterError, dask_client, valid_scheduler
from timeline.corpus import seeds_dir
from timeline.merge import merge_all, merge_partitions
from timeline.outputs import render_outputs

pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seeds and enough copies of them under other names to fill several batches."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in seeds_dir().iterdir():
        shutil.copy(path, folder / path.name)
    for path in sorted(seeds_dir().glob("*.txt"))[:3]:
        for copy in range(8):
            (folder / f"copy{copy}_{path.name}").write_text(f"Copy {copy}.\n\n" + path.read_text("utf-8"), "utf-8")
    return folder


def test_a_local_cluster_of_two_workers_builds_the_same_bytes_as_one_process(corpus):
    alone = render_outputs(build([corpus]))
    with dask_client("local", 2) as client:
        assert len(client.scheduler_info(n_workers=-1)["workers"]) == 2
        clustered = render_outputs(build([corpus], client=client))
    assert clustered == alone
    assert alone["events.csv"][1] > 100


@pytest.mark.parametrize("address, valid", [
    ("local", True), ("tcp://10.0.0.5:8786", True), ("tcp://scheduler.example.org:8786", True),
    ("tls://[::1]:8786", True), ("10.0.0.5:8786", False), ("tcp://", False), ("local; rm -rf /", False),
    ("http://host:8786", False),
])
def test_scheduler_addresses(address, valid):
    assert valid_scheduler(address) is valid


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    import timeline.cluster

    monkeypatch.setattr(timeline.cluster, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(ClusterError, match="no Dask scheduler answered at tcp://127.0.0.1:9"):
        with dask_client("tcp://127.0.0.1:9"):
            pass


def _signature(events):
    return [(e.event_id, [m.mention_id for m in e.mentions], e.value, e.basis, e.actors) for e in events]


def test_merging_partitions_in_any_order_gives_the_same_events(corpus):
    mentions = [m for e in build([corpus]).events for m in e.mentions]
    expected = _signature(merge_all(copy.deepcopy(mentions)))
    shuffled = copy.deepcopy(mentions)
    random.Random(7).shuffle(shuffled)
    assert _signature(merge_all(shuffled)) == expected
    partitions = merge_partitions(mentions)
    assert all(len({m.lemma for m in p}) == 1 for p in partitions)
    assert sum(map(len, partitions)) == len(mentions)
