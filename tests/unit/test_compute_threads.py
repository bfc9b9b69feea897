"""A single-firm score runs OpenMP (scikit-learn, torch) on one thread; other threads keep every core."""

import threading

import pytest
import sklearn.ensemble  # noqa: F401  (loads scikit-learn's OpenMP runtime beside torch's)
import torch
from threadpoolctl import threadpool_info, threadpool_limits

from graph_service.runtime.compute_threads import one_compute_thread


def _openmp_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["internal_api"] == "openmp"}


@pytest.fixture
def two_threads():
    """Pools of two threads even on a one-core machine, so the limit is visible."""
    with threadpool_limits(limits=2, user_api="openmp"):
        torch_threads = torch.get_num_threads()
        assert _openmp_threads() == {2} and torch_threads == 2
        yield


def test_one_thread_inside_and_the_pools_restored_after(two_threads):
    with one_compute_thread():
        assert _openmp_threads() == {1}
        assert torch.get_num_threads() == 1
    assert _openmp_threads() == {2}
    assert torch.get_num_threads() == 2


def test_the_limit_is_lifted_when_scoring_fails(two_threads):
    with pytest.raises(ValueError):
        with one_compute_thread():
            raise ValueError("boom")
    assert _openmp_threads() == {2}


def test_a_score_in_one_thread_leaves_other_threads_their_pools(two_threads):
    inside, seen = threading.Event(), []

    def other_request():
        with threadpool_limits(limits=2, user_api="openmp"):
            seen.append(torch.get_num_threads())
            inside.wait(10)  # the main thread is scoring now
            seen.append(torch.get_num_threads())

    thread = threading.Thread(target=other_request)
    thread.start()
    with one_compute_thread():
        inside.set()
        thread.join(10)
    assert seen == [2, 2]
