"""Round-trip timings: `mskg fmt` (canonical Turtle) and `mskg export` (store -> files), on the real content and on
the synthetic content with N mappings (`bench/synthetic.py`, 100 000 by default: about 1.3 M triples).

Times in-process calls (no process start-up), median of `--runs` runs for the real content, one run for the large
one. Writes `bench/results/roundtrip.json`.

    .venv/bin/python bench/bench_roundtrip.py [--mappings 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
sys.path.insert(0, str(ROOT / "bench"))
from modernstats_kg.canonical import format_turtle  # noqa: E402
from modernstats_kg.content import content_files  # noqa: E402
from modernstats_kg.loader import load_content  # noqa: E402
from modernstats_kg.roundtrip.commands import export_store  # noqa: E402
from modernstats_kg.store import EmbeddedStore  # noqa: E402
from synthetic import generate  # noqa: E402


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def fmt_all(root: Path) -> None:
    for path in content_files(root):
        format_turtle(path.read_text(encoding="utf-8"))


def measure(root: Path, runs: int, work: Path) -> dict[str, float | int]:
    store = EmbeddedStore()
    outcome = load_content(store, root=root)
    result: dict[str, float | int] = {"triples": outcome.triples, "files": len(content_files(root))}
    result["fmt_s"] = median_seconds(lambda: fmt_all(root), runs)
    result["export_s"] = median_seconds(lambda: export_store(store, work / "export", root), runs)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mappings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    results: dict[str, object] = {"machine": f"{platform.machine()}, {platform.python_version()}"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results["real"] = measure(ROOT, args.runs, work / "real")
        print("real content:", results["real"], flush=True)
        large = work / "large"
        generate(args.mappings, large)
        results[f"synthetic_{args.mappings}"] = measure(large, 1, work / "synthetic")
        print(f"synthetic {args.mappings}:", results[f"synthetic_{args.mappings}"], flush=True)
    out = ROOT / "bench" / "results" / "roundtrip.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
