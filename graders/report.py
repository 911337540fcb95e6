"""`psets report PS`: the class report for instructors, as one self-contained HTML file (opens offline).

Built from the gradebook (scores) and the autograded notebooks (the judge's verdicts): score distribution, success
rate per problem, the most frequent diagnosed mistakes per problem, time-outs, crashes and submissions that could
not be graded. Figures are embedded as PNG data; `--png DIR` also writes them as files.
"""
from __future__ import annotations

import base64
import html
import io
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .course import load_config
from .model import VERDICT_MIME


@dataclass
class ClassData:
    ps: str
    max_score: float
    totals: dict[str, float]  #: student -> total score (auto and manual)
    cells: dict[str, dict[str, float]]  #: test cell -> student -> score
    points: dict[str, float]  #: test cell -> points
    mistakes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  #: cell -> hint -> count
    failures: Counter = field(default_factory=Counter)  #: "timeout" / "kernel crash" / "not graded" -> count


def collect(root: Path, ps: str) -> ClassData:
    import nbformat
    from nbgrader.api import Gradebook

    cfg = load_config(root)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        a = gb.find_assignment(ps)
        points = {gc.name: float(gc.max_score) for nb in a.notebooks for gc in nb.grade_cells
                  if gc.cell_type == "code"}
        data = ClassData(ps, float(a.max_score), {}, {c: {} for c in points}, points)
        for sub in a.submissions:
            sid = sub.student.id
            data.totals[sid] = float(sub.score)
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.name in points:
                        data.cells[g.name][sid] = float(g.score or 0)
    for path in sorted((root / "autograded").glob(f"*/{ps}/*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001
            continue
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                grade = out.get("data", {}).get(VERDICT_MIME)
                if not grade:
                    continue
                for v in grade["verdicts"]:
                    if v["outcome"] == "known_mistake":
                        data.mistakes[grade["grade_id"]][v["hint"]] += 1
                    elif v["reason"] in ("timeout", "answer_timeout"):
                        data.failures["time-out"] += 1
                    elif v["reason"] in ("kernel_died", "answer_kernel_died"):
                        data.failures["kernel crash"] += 1
    graded = {p.parent.parent.name for p in (root / "autograded").glob(f"*/{ps}/*.ipynb")}
    submitted = {p.parent.name for p in (root / "submitted").glob(f"*/{ps}")}
    data.failures["not graded"] = len(submitted - graded)
    return data


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def figures(d: ClassData) -> dict[str, bytes]:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {}
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(list(d.totals.values()), bins=min(20, max(5, len(d.totals))), range=(0, d.max_score), color="#4c72b0")
    ax.set(xlabel=f"total score (of {d.max_score:g})", ylabel="students", title=f"{d.ps}: score distribution")
    out["scores"] = _png(fig)
    plt.close(fig)
    names = list(d.points)
    rates = [_success(d, c) for c in names]
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(names) + 1))
    ax.barh([n.removesuffix("_test") for n in names], rates, color="#55a868")
    ax.invert_yaxis()
    ax.set(xlim=(0, 100), xlabel="% of students with full points", title="success rate per problem")
    out["success"] = _png(fig)
    plt.close(fig)
    top = [(f"{c.removesuffix('_test')}: {h[:50]}", n) for c in names for h, n in d.mistakes[c].most_common(2)]
    if top:
        top.sort(key=lambda t: -t[1])
        fig, ax = plt.subplots(figsize=(7, 0.35 * len(top[:12]) + 1))
        ax.barh([t[0] for t in top[:12]], [t[1] for t in top[:12]], color="#c44e52")
        ax.invert_yaxis()
        ax.set(xlabel="students", title="most frequent diagnosed mistakes")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        out["mistakes"] = _png(fig)
        plt.close(fig)
    return out


def _success(d: ClassData, cell: str) -> float:
    scores = d.cells[cell]
    return 100.0 * sum(1 for s in scores.values() if s >= d.points[cell]) / len(scores) if scores else 0.0


def render(d: ClassData, figs: dict[str, bytes]) -> str:
    e = html.escape
    imgs = "".join(f'<img alt="{k}" src="data:image/png;base64,{base64.b64encode(v).decode()}">' for k, v in figs.items())
    totals = list(d.totals.values())
    summary = (f"{len(totals)} submissions; mean {statistics.mean(totals):.2f}, median {statistics.median(totals):g} "
               f"of {d.max_score:g}" if totals else "no submissions")
    rows = "".join(
        f"<tr><td>{e(c.removesuffix('_test'))}</td><td>{d.points[c]:g}</td><td>{_success(d, c):.0f}%</td><td>"
        + ("<br>".join(f"{n} × {e(h)}" for h, n in d.mistakes[c].most_common(3)) or "–") + "</td></tr>"
        for c in d.points)
    fails = ", ".join(f"{k}: {v}" for k, v in d.failures.items()) or "none"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(d.ps)} class report</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:4px 8px;"
            "border-bottom:1px solid #ddd;text-align:left;vertical-align:top}img{max-width:100%;margin:1em 0}</style>"
            f"</head><body><h1>{e(d.ps)}: class report</h1><p>{e(summary)}</p>"
            f"<p>Time-outs, crashes and ungradable submissions: {e(fails)}</p>{imgs}"
            "<h2>Per problem</h2><table><tr><th>problem</th><th>points</th><th>full marks</th>"
            f"<th>most frequent diagnosed mistakes</th></tr>{rows}</table></body></html>")


def report(root: Path, ps: str, dest: Path, png_dir: Path | None = None) -> ClassData:
    d = collect(root, ps)
    figs = figures(d)
    dest.write_text(render(d, figs))
    if png_dir:
        png_dir.mkdir(parents=True, exist_ok=True)
        for name, data in figs.items():
            (png_dir / f"{ps}_{name}.png").write_bytes(data)
    return d


def summary_lines(d: ClassData) -> list[str]:
    totals = list(d.totals.values())
    lines = [f"{d.ps}: {len(totals)} submissions, mean {statistics.mean(totals):.2f} / {d.max_score:g}" if totals
             else f"{d.ps}: no submissions"]
    by_rate = sorted(d.points, key=lambda c: _success(d, c))
    for c in by_rate[:3]:
        top = d.mistakes[c].most_common(1)
        lines.append(f"  hardest: {c.removesuffix('_test')} ({_success(d, c):.0f}% full marks)"
                     + (f"; most frequent mistake ({top[0][1]}×): {top[0][0][:70]}" if top else ""))
    lines.append("  time-outs, crashes, not graded: " + (", ".join(f"{k} {v}" for k, v in d.failures.items()) or "none"))
    return lines
