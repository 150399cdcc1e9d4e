"""The build's reading, extraction and embedding as tasks of a Dask cluster: a local
cluster and a cluster given by its scheduler's address build the same facts as the
in-process build, also when a worker dies mid-build."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
import pytest
from support import CORPUS, corpus_with_devset, free_port

from beslutsgraf.build import BuildEvent, build
from beslutsgraf.config import load_settings
from beslutsgraf.errors import ExecutorUnavailable, SettingsError
from beslutsgraf.executors import ExecutorChoice


def _facts(data: Path) -> dict[str, bytes]:
    """Every graph file and passage file of a build, by name."""
    files = sorted((data / "graphs").glob("*.nq")) + sorted((data / "chunks").glob("*.jsonl"))
    return {p.name: p.read_bytes() for p in files} | {"ontology.nq": (data / "ontology.nq").read_bytes()}


def _vectors(data: Path) -> np.ndarray:
    index = max(data.glob("index-*"))
    return np.load(index / "vectors" / "vectors.npy")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The corpus built in this one process."""
    tmp = tmp_path_factory.mktemp("inprocess")
    corpus = corpus_with_devset(tmp)
    settings = load_settings(data_dir=str(tmp / "data"))
    report = build(corpus, settings=settings, workers=1)
    assert not report.failed
    return corpus, settings.data_path


def test_a_local_dask_cluster_builds_the_same_facts(reference, tmp_path):
    corpus, ref = reference
    settings = load_settings(data_dir=str(tmp_path / "data"), executor="dask")
    report = build(corpus, settings=settings, workers=2)
    assert not report.failed and report.committed
    assert _facts(settings.data_path) == _facts(ref)
    assert len(_facts(ref)) == 2 * 65 + 1
    np.testing.assert_allclose(_vectors(settings.data_path), _vectors(ref), atol=1e-5)


def test_a_worker_that_dies_loses_nothing(reference, tmp_path):
    """A cluster given by its address; one worker is killed when the first result
    arrives, its tasks run again on the others, and the facts are the same."""
    from distributed import Client, LocalCluster

    corpus, ref = reference
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        pids = sorted(client.run(os.getpid).values())
        killed: list[int] = []

        def kill_one(event: BuildEvent) -> None:
            if event.stage == "extract" and not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        settings = load_settings(data_dir=str(tmp_path / "data"), executor=cluster.scheduler_address)
        report = build(corpus, settings=settings, progress=kill_one)
        assert killed and not report.failed and report.committed
        assert pids[0] not in client.run(os.getpid).values()  # the nanny started a new one
    assert _facts(settings.data_path) == _facts(ref)


def test_an_unreachable_cluster_is_named_and_nothing_is_built(tmp_path):
    url = f"tcp://127.0.0.1:{free_port()}"
    settings = load_settings(data_dir=str(tmp_path / "data"), executor=url)
    with pytest.raises(ExecutorUnavailable, match=f"executor {url}: cannot reach"):
        build(CORPUS, settings=settings)
    assert not (tmp_path / "data" / "CURRENT").exists()


def test_an_unknown_executor_is_refused(tmp_path):
    with pytest.raises(SettingsError, match="expected 'local', 'dask' or a Dask scheduler address"):
        ExecutorChoice.from_settings(load_settings(executor="ray"))
