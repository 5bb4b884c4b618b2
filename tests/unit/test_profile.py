"""`stufen build --profile`: CPU by stage over every process, wall time by phase, and the same site."""

from __future__ import annotations

import time

from conftest import files, post
from stufen.incremental.pool import parallel_map
from stufen.report import phase, stage, start_profile, taken


def _spin(seconds: float) -> None:
    """Spend `seconds` of this thread's CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_a_nested_stage_counts_for_itself_not_for_the_stage_around_it():
    start_profile()
    with stage("markdown"):
        _spin(0.03)
        with stage("highlighting"):
            _spin(0.05)
    counts = taken()
    assert 0.05 <= counts["highlighting"] < 0.07
    assert 0.03 <= counts["markdown"] < 0.05  # its own 30 ms, not the 80 ms spent inside it


def test_a_phase_records_wall_time_and_counts_cpu_only_under_a_stage_name():
    from stufen.report import _wall

    start_profile()
    with phase("publish"):  # not a stage: its CPU is left to "other"
        with stage("writes"):
            _spin(0.02)
        time.sleep(0.05)
    counts = taken()
    assert set(counts) == {"writes"}
    assert _wall["publish"] >= 0.07


def _staged_work(n: int) -> int:
    with stage("math"):
        _spin(0.002)
    return n * n


def test_workers_send_their_cpu_time_back_with_their_results(monkeypatch):
    monkeypatch.setenv("STUFEN_WORKERS", "2")
    start_profile()
    assert list(parallel_map(_staged_work, list(range(100)), ms_each=10)) == [n * n for n in range(100)]
    assert taken()["math"] >= 0.19  # 100 × 2 ms, spent in two other processes


GOOD = {"content/posts/a.md": post("Alpha", description="A.", body="Some `code`:\n\n```python\nx = 1\n```\n"),
        "content/posts/b.md": post("Beta", date="2024-06-01", description="B.", tags="[x, y]",
                                   body="Math: $e^{i\\pi} = -1$."),
        "stufen.toml": "search = false\n"}


def test_profile_prints_stages_and_phases_and_builds_the_same_site(site, stufen):
    root = site(GOOD)
    assert stufen(root, "build", "--out", "plain")[0] == 0
    code, out, err = stufen(root, "build", "--profile", "--no-cache", "--out", "profiled")
    assert code == 0, err
    assert files(root / "plain") == files(root / "profiled")
    table = out[out.index("Profile: 2 posts"):]
    stages = {line.split()[0] for line in table.splitlines()[2:]}
    assert {"markdown", "highlighting", "math", "render", "total", "phase", "load", "plan"} <= stages


def test_profile_builds_even_when_nothing_changed(site, stufen):
    root = site(GOOD)
    assert stufen(root, "build")[0] == 0
    assert stufen(root, "build")[1].startswith("Nothing changed")
    code, out, _ = stufen(root, "build", "--profile")
    assert code == 0 and out.startswith("Built 2 posts") and "Profile: 2 posts" in out
