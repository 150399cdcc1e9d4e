"""Where the build's expensive steps run: reading (OCR included), extraction and
embedding, as tasks of an executor.

The setting ``executor`` chooses:

- ``local`` (the default): in this process for a few documents, in forked worker
  processes of this machine for more (``concurrent.futures``);
- ``dask``: a Dask cluster of ``workers`` processes on this machine, started and
  stopped by the build;
- the address of a running Dask scheduler (``tcp://host:8786``): a remote cluster.
  Its workers read the corpus and write originals by path, so the corpus and the
  data directory must be at the same paths on every worker (a shared file system).

Every choice hands the build a ``concurrent.futures.Executor``, so the build's code is
one and the same; the commit stays with the builder, so a worker that dies loses
nothing: Dask runs its tasks again elsewhere, and the generation is committed from
the results as they come, as in a local build.  Embedding tasks ask the cluster for
a GPU when ``executor_gpu`` is on (workers started with ``--resources GPU=1``).

Why Dask and not Ray (measured on this 2-core machine, a cluster of 2 worker
processes, 1,000 small tasks; ``benchmarks/bench_executors.py``): Dask's local cluster
starts in 0.64 s against Ray's 2.4-2.5 s, peaks at 59 MB against 98 MB in the driver,
and installs as 24 MB of pure Python against Ray's 240 MB of native code; Ray's
per-task overhead is lower (1.0-1.1 ms against 1.7-1.9 ms), which at 25 documents per
task is under 0.1 % of the task.  And Dask's client is a ``concurrent.futures``
executor, so the local and the distributed build share their code.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .config import Settings
from .errors import ExecutorUnavailable, SettingsError

# Seconds to wait for a Dask scheduler to answer before the build gives up.
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class ExecutorChoice:
    """What ``executor`` names: ``local``, a local Dask cluster, or a scheduler's address."""

    kind: str  # "local" | "dask" | "address"
    address: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> ExecutorChoice:
        value = str(settings.executor or "local").strip()
        if value == "local":
            return cls("local")
        if value == "dask":
            return cls("dask")
        if "://" in value:
            return cls("address", value)
        raise SettingsError(
            f"setting executor: expected 'local', 'dask' or a Dask scheduler address "
            f"(tcp://host:8786), got {value!r}"
        )

    @property
    def distributed(self) -> bool:
        return self.kind != "local"


class Tasks:
    """An executor, started when first used (a build with nothing to do starts no
    cluster), and how to shut it down; ``gpu``: embedding tasks ask for a GPU."""

    def __init__(self, start: Callable[[], tuple[Executor, Callable[[bool], None], Any]], *, gpu: bool = False) -> None:
        self._start = start
        self._started: tuple[Executor, Callable[[bool], None], Any] | None = None
        self.gpu = gpu

    def _get(self) -> tuple[Executor, Callable[[bool], None], Any]:
        if self._started is None:
            self._started = self._start()
        return self._started

    @property
    def executor(self) -> Executor:
        return self._get()[0]

    def map_in_order(self, fn: Callable[..., Any], batches: list[Any], **kwargs: Any) -> Iterator[Any]:
        """``fn(batch, **kwargs)`` for every batch, as tasks, the results in batch order."""
        if not batches:
            return
        executor, _close, client = self._get()
        if client is not None:
            resources = {"GPU": 1} if self.gpu else None
            futures = [client.submit(fn, b, pure=False, resources=resources, **kwargs) for b in batches]
        else:
            futures = [executor.submit(fn, b, **kwargs) for b in batches]
        for fut in futures:
            yield fut.result()

    def shutdown(self, *, failed: bool) -> None:
        if self._started is not None:
            self._started[1](failed)


@contextmanager
def open_tasks(settings: Settings, *, workers: int, inherited: tuple[int, ...] = ()) -> Iterator[Tasks]:
    """The executor ``settings`` name, with ``workers`` processes where the build starts them;
    ``inherited``: descriptors a forked local worker must close (the build lock)."""
    choice = ExecutorChoice.from_settings(settings)
    if not choice.distributed:
        def start() -> tuple[Executor, Callable[[bool], None], Any]:
            pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                initializer=_worker_init, initargs=(os.getpid(), inherited),
            )
            return pool, lambda failed: pool.shutdown(wait=True, cancel_futures=True), None

        tasks = Tasks(start)
    else:
        gpu = bool(settings.executor_gpu)
        tasks = Tasks(lambda: _start_dask(choice, workers=workers, gpu=gpu), gpu=gpu)
    failed = True
    try:
        yield tasks
        failed = False
    finally:
        tasks.shutdown(failed=failed)


def _start_dask(plan: ExecutorChoice, *, workers: int, gpu: bool) -> tuple[Executor, Callable[[bool], None], Any]:
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if plan.kind == "dask":
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                resources={"GPU": 1} if gpu else None,
            )
            client = Client(cluster)
        else:
            client = Client(plan.address, timeout=f"{CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutorUnavailable(
            f"executor {plan.address or 'dask'}: cannot reach or start the Dask cluster ({exc})"
        ) from None

    executor = client.get_executor(pure=False)

    def close(failed: bool) -> None:
        executor.shutdown(wait=not failed)
        client.close()
        if cluster is not None:
            cluster.close()

    return executor, close, client


def _worker_init(builder: int, inherited: tuple[int, ...]) -> None:
    """In a forked local worker: die with the builder and let go of its lock.

    A worker outliving a killed builder would keep the inherited ``build.lock``
    descriptor, and with it the lock: every later build would be refused.
    """
    for fd in inherited:
        try:
            os.close(fd)
        except OSError:
            pass  # already closed
    die_with_parent(builder)


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (PR_SET_PDEATHSIG); on other
    systems only the check below applies."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
