"""One OpenMP thread while scoring a single firm.

Scoring one firm is a few milliseconds of scikit-learn and torch work. Their OpenMP pools wake one
thread per core for it, and on a small machine those threads fight Neo4j and the other requests for
the cores: single-firm scores then took 100-350 ms now and then instead of 10. A serving process gets
its parallelism from concurrent requests, so each single-firm score runs on its own thread only.

OpenMP's thread count is a per-thread setting (torch's intra-op count follows it), so limiting it
here touches neither other requests nor batch scoring elsewhere in the process. BLAS pools are
process-wide and are left alone: the matrices of one firm are below the size BLAS splits across threads.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

_openmp = None
_modules_seen = 0


def _openmp_pools():
    """The loaded OpenMP runtimes (scikit-learn and torch each bring one). Finding them reads the
    loaded libraries (ms), so it is redone only when modules were imported since."""
    global _openmp, _modules_seen
    if _openmp is None or len(sys.modules) != _modules_seen:
        _modules_seen = len(sys.modules)
        _openmp = ThreadpoolController().select(internal_api="openmp")
    return _openmp


@contextmanager
def one_compute_thread() -> Iterator[None]:
    with _openmp_pools().limit(limits=1):
        yield
