"""Run every benchmark in this folder and print its figures (``make bench``).

Each ``bench_*.py`` module has a ``main()`` that prints what it measured. Each runs in a
process of its own, so that one benchmark's peak memory does not show up in another's. Speed
and memory targets live here, not in timed tests.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem for p in HERE.glob("bench_*.py"))
    failed = 0
    for name in names:
        print(f"== {name} ==", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-c", _RUN.format(path=str(HERE / f"{name}.py"))])
        if code:
            failed += 1
            print(f"FAILED: exit code {code}")
        print(f"({time.perf_counter() - start:.1f} s)\n", flush=True)
    return 1 if failed else 0


_RUN = """
import importlib.util
spec = importlib.util.spec_from_file_location("bench", {path!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
module.main()
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
