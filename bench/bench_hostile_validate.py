"""`mskg validate` on hostile files: wall time and peak memory of the command, each run under a memory cap.

The files come from `bench/hostile_files.py`: a 25 KB blank-node "billion laughs" and 50,000 mappings that each
break nine rules (1.8 MB, 450,003 violations). Each run is a real `mskg validate --no-owl --format json` process
under `prlimit`-style caps (address space, wall time). The target for the 50,000 mappings is under 30 s.
Also times `/dev/zero` and a FIFO, which must be refused at once. Writes `bench/results/hostile_validate.json`.

    .venv/bin/python bench/bench_hostile_validate.py [--mappings 50000]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TARGET_SECONDS = 30.0
MEMORY_CAP_BYTES = 2 * 1024**3


def _hostile_files() -> object:
    spec = importlib.util.spec_from_file_location("hostile_files", ROOT / "hostile_files.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(target: Path, timeout: float = 600.0) -> dict[str, object]:
    """One capped `mskg validate` run in a fresh process (so the children's peak RSS is this run's alone)."""
    code = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        f"p = subprocess.run([{str(Path(sys.executable).parent / 'mskg')!r}, 'validate', '--no-owl', '--format', "
        f"'json', {str(target)!r}], capture_output=True, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, "
        f"({MEMORY_CAP_BYTES}, {MEMORY_CAP_BYTES})), timeout={timeout}); "
        "print(p.returncode, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
        "len(p.stdout), repr(p.stderr.decode()[-200:]), sep='\\t')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    returncode, seconds, peak_kib, stdout_bytes, stderr_tail = out.rstrip("\n").split("\t")
    return {
        "exit_code": int(returncode),
        "seconds": round(float(seconds), 2),
        "peak_rss_mib": round(int(peak_kib) / 1024, 1),
        "stdout_bytes": int(stdout_bytes),
        "stderr_tail": stderr_tail,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mappings", type=int, default=50_000)
    args = parser.parse_args()
    files = _hostile_files()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        laughs = files.write_blank_node_laughs(Path(folder) / "laughs.ttl")  # type: ignore[attr-defined]
        many = files.write_failing_mappings(Path(folder) / "many.ttl", args.mappings)  # type: ignore[attr-defined]
        fifo = Path(folder) / "fifo.ttl"
        os.mkfifo(fifo)
        for name, target in [
            ("blank_node_laughs", laughs),
            ("failing_mappings", many),
            ("dev_zero", Path("/dev/zero")),
            ("fifo", fifo),
        ]:
            results[name] = {"file_bytes": target.stat().st_size if target.is_file() else None, **run(target)}
            print(name, results[name])
    payload = {
        "when": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average": os.getloadavg()},
        "memory_cap_bytes": MEMORY_CAP_BYTES,
        "mappings": args.mappings,
        "target_seconds_failing_mappings": TARGET_SECONDS,
        "runs": results,
    }
    (ROOT / "results" / "hostile_validate.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
