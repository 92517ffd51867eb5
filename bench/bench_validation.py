"""Full validation of the content: parse every file, SHACL (all shapes), and the OWL consistency check.

Times each part over several runs and reports medians; the SHACL figure (parse + shapes, what `mskg validate
--no-owl` and an edit's validation gate cost) is the one to keep under 3 s. For comparison it also times pyshacl
evaluating the SHACL-SPARQL constraints itself (once: it is slow). Writes `bench/results/validation.json`.

    .venv/bin/python bench/bench_validation.py [--runs 5] [--no-owl] [--no-pure]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
from modernstats_kg.validation.loading import data_files, load_files, shape_files  # noqa: E402
from modernstats_kg.validation.owl import check_consistency, java_executable  # noqa: E402
from modernstats_kg.validation.shacl import load_shapes, validate_shacl  # noqa: E402

TARGET_SECONDS = 3.0


T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-owl", action="store_true", help="skip timing the OWL consistency check")
    parser.add_argument("--no-pure", action="store_true", help="skip the single pure-pyshacl comparison run")
    args = parser.parse_args()

    files, shapes_files = data_files(ROOT), shape_files(ROOT)
    parse_times, shacl_times, total_times, owl_times = [], [], [], []
    conforms = None
    triples = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        parse_seconds, loaded = timed(lambda: (load_files(files), load_shapes(shapes_files)))
        data, shapes = loaded
        shacl_seconds, outcome = timed(partial(validate_shacl, data, shapes))
        total_times.append(time.perf_counter() - start)
        parse_times.append(parse_seconds)
        shacl_times.append(shacl_seconds)
        conforms = outcome.conforms
        triples = len(data.graph)
    owl_summary: dict[str, object] = {}
    if not args.no_owl and java_executable() is not None:
        for _ in range(max(1, min(3, args.runs))):
            seconds, (owl_summary, _results) = timed(partial(check_consistency, data))
            owl_times.append(seconds)
    pure_seconds = None
    if not args.no_pure:
        pure_seconds, _ = timed(partial(validate_shacl, data, shapes, pure_pyshacl=True))

    median = statistics.median(total_times)
    result = {
        "what": "mskg validation of all content: parse + SHACL (all shapes); OWL consistency with HermiT separately",
        "runs": args.runs,
        "files": len(files),
        "shapes_files": len(shapes_files),
        "triples": triples,
        "conforms": conforms,
        "median_seconds": round(median, 3),
        "median_parse_seconds": round(statistics.median(parse_times), 3),
        "median_shacl_seconds": round(statistics.median(shacl_times), 3),
        "all_seconds": [round(t, 3) for t in total_times],
        "target_seconds": TARGET_SECONDS,
        "within_target": median < TARGET_SECONDS,
        "owl_median_seconds": round(statistics.median(owl_times), 3) if owl_times else None,
        "owl": owl_summary or None,
        "pure_pyshacl_shacl_seconds": round(pure_seconds, 3) if pure_seconds is not None else None,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average": list(os.getloadavg()),
    }
    out = ROOT / "bench" / "results" / "validation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"validation (parse + SHACL) of {len(files)} files, {triples} triples: median {median:.2f} s over "
        f"{args.runs} runs (parse {result['median_parse_seconds']} s, SHACL {result['median_shacl_seconds']} s; "
        f"target {TARGET_SECONDS} s)"
    )
    if owl_times:
        print(f"OWL consistency (HermiT): median {result['owl_median_seconds']} s")
    if pure_seconds is not None:
        print(f"pyshacl evaluating the SPARQL constraints itself: {pure_seconds:.1f} s")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
