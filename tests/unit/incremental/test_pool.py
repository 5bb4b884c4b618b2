"""The memory budget that decides which jobs run at once (incremental/pool.py)."""

from __future__ import annotations

import threading
import time

from stufen.incremental.pool import MemoryBudget, threads


def _most_at_once(budget: MemoryBudget, amounts: list[int]) -> int:
    """Run one job per amount on two threads; how many ever held the budget together."""
    lock, running, most = threading.Lock(), [0], [0]

    def job(amount: int) -> None:
        with budget.taking(amount):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.05)  # long enough for the other thread to try to start beside it
            with lock:
                running[0] -= 1
    with threads(2) as pool:
        for future in [pool.submit(job, amount) for amount in amounts]:
            future.result()
    assert budget.used == 0  # every job gave back what it took
    return most[0]


def test_jobs_that_fit_the_budget_together_run_together():
    assert _most_at_once(MemoryBudget(100), [40, 40, 40, 40]) == 2


def test_jobs_that_do_not_fit_together_run_one_at_a_time():
    assert _most_at_once(MemoryBudget(100), [60, 60, 60]) == 1


def test_a_job_larger_than_the_whole_budget_still_runs_alone():
    assert _most_at_once(MemoryBudget(100), [500, 10, 500]) == 1


def test_a_failed_job_gives_its_share_back():
    budget = MemoryBudget(100)
    try:
        with budget.taking(80):
            raise RuntimeError("Pagefind failed")
    except RuntimeError:
        pass
    assert budget.used == 0
    assert _most_at_once(budget, [80]) == 1
