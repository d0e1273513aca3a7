"""Running the build on a `dask.distributed` cluster: an existing one, or a local one started here.

The work sent to the workers is `timeline.build.process_batch`, the function every other way of
building runs; batches are submitted a few per worker ahead and taken back in input order, so
memory stays bounded and the output is the same as a single-process build.  Dask moves work
between client and workers with pickle: connect only to a cluster you run and trust.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from typing import Callable, Iterator

AHEAD_PER_WORKER = 2  # batches in flight per worker: enough to keep each busy, few enough to bound memory
LOCAL_HOST = "127.0.0.1"  # a local cluster listens on this machine only
SCHEDULER_ADDRESS = re.compile(r"(tcp|tls|inproc|ucx)://[\w.\-\[\]:]+")
CONNECT_TIMEOUT = "20s"


class ClusterError(RuntimeError):
    """The cluster could not be reached or lost the work, with the reason."""


def valid_scheduler(scheduler: str) -> bool:
    """'local', or a scheduler address Dask can connect to ("tcp://10.0.0.5:8786")."""
    return scheduler == "local" or SCHEDULER_ADDRESS.fullmatch(scheduler) is not None


@contextlib.contextmanager
def dask_client(scheduler: str, jobs: int = 1):
    """A client of the cluster at `scheduler` ("tcp://HOST:8786"), or of a local cluster of `jobs`
    single-threaded worker processes when `scheduler` is "local"; closed on exit."""
    from dask.distributed import Client, LocalCluster

    if scheduler == "local":
        with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host=LOCAL_HOST,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"no Dask scheduler answered at {scheduler} ({exc})") from None
    with client:
        yield client


def worker_count(client) -> int:
    """How many workers the cluster has now (at least 1, so work is always submitted)."""
    return max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))


def on_cluster(client, batches: Iterator[list], work: Callable) -> Iterator[tuple]:
    """(item, result) for every item of every batch, in order, `work` run on the cluster's workers."""
    pending: deque = deque()
    limit = AHEAD_PER_WORKER * worker_count(client)
    try:
        for batch in batches:
            pending.append((batch, client.submit(work, [i.document for i in batch], pure=False)))
            if len(pending) >= limit:
                done, future = pending.popleft()
                yield from zip(done, future.result())
        while pending:
            done, future = pending.popleft()
            yield from zip(done, future.result())
    except BaseException as exc:
        client.cancel([future for _, future in pending])  # Ctrl-C or an error: queued work is dropped
        if isinstance(exc, Exception) and not isinstance(exc, ClusterError):
            # Errors inside a document are that document's failure; this is the cluster failing.
            raise ClusterError(f"the cluster stopped the build ({type(exc).__name__}: {exc})") from exc
        raise
