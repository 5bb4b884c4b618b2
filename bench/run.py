"""`make bench`: run every benchmark in bench/ (each a script printing its own results).

Add a benchmark by dropping a `bench/<name>.py` with a `__main__` block; it is
run with this Python, from the repository root, one after the other.
`make bench ARGS="builds reload"` runs only those.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Not benchmarks: this runner, ab.py (two source trees, given by hand) and floor.py (run by builds.py).
TOOLS = {"run", "ab", "floor"}


def main(names: list[str]) -> int:
    scripts = [HERE / f"{n}.py" for n in names] or sorted(p for p in HERE.glob("*.py") if p.stem not in TOOLS)
    failed = 0
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        failed += subprocess.call([sys.executable, str(script)], cwd=HERE.parent) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
