"""Latency of one judge call (decode + compare + known mistakes) over a table of realistic checks.

    .venv/bin/python benchmarks/judge_latency.py [--repeat 200]

Prints the median, 99th percentile and maximum of `judge_value` per comparator. Not a test: run it by hand.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from graders.encoding import encode  # noqa: E402
from graders.judge import judge_value  # noqa: E402
from graders.model import Check, Mistake  # noqa: E402


def cases():
    z = sp.Symbol("z")
    sig = 1 / (1 + sp.exp(-z))
    rng = np.random.default_rng(0)
    A = rng.normal(size=(30, 20))
    big = sum(sp.sin(k * z) / (k + 1) for k in range(200))
    calls = lambda outs: {"t": "calls", "results": [{"ok": encode(o)} for o in outs]}  # noqa: E731
    yield "symbolic", Check("s", "c", "symbolic", {"symbols": {"z": [-4, 4]}}, 1.0, encode(sig * (1 - sig)),
                            (Mistake("m", {"kind": "value", "value": encode(sp.exp(-z) / (1 + sp.exp(-z)))}),)), \
        encode(1 / (4 * sp.cosh(z / 2) ** 2))
    yield "symbolic (200 terms)", Check("s", "c", "symbolic", {"symbols": {"z": [-4, 4]}}, 1.0, encode(big)), \
        encode(sp.expand(big))
    yield "scalar", Check("n", "c", "scalar", {}, 1.0, encode(0.9078), (Mistake("m", {"kind": "scale",
                                                                                      "factor": encode(57.3)}),)), \
        encode(52.0)
    yield "array 30x20", Check("a", "c", "array", {}, 1.0, encode(A), (Mistake("m", {"kind": "transpose"}),)), \
        encode(A.T.copy())
    yield "span", Check("p", "c", "span", {}, 1.0, encode(A[:, :5])), encode(A[:, :5] @ rng.normal(size=(5, 5)))
    yield "function (3 calls)", Check("f", "c", "array", {}, 1.0, calls([A, A, A])), calls([A, A, A + 1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    every = []
    print(f"{'comparator':22s} {'median ms':>10s} {'p99 ms':>8s} {'max ms':>8s}")
    for name, check, value in cases():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            judge_value(check, value)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        every += times
        print(f"{name:22s} {statistics.median(times):10.2f} {times[int(0.99 * len(times)) - 1]:8.2f} {times[-1]:8.2f}")
    every.sort()
    print(f"{'all':22s} {statistics.median(every):10.2f} {every[int(0.99 * len(every)) - 1]:8.2f} {every[-1]:8.2f}")


if __name__ == "__main__":
    main()
