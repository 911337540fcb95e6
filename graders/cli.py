"""The `psets` command: parse arguments, call one workflow module, print its result. Heavy imports are lazy."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EPILOG = """
student / self-learner:  psets check release/ps02_linear_algebra/ps02_linear_algebra.ipynb
instructor:              psets build ; nbgrader release_assignment ps02_linear_algebra ; nbgrader collect ... ;
                         psets grade ps02_linear_algebra ; nbgrader generate_feedback ps02_linear_algebra
whole lifecycle demo:    psets demo
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="psets", description="Auto-graded problem sets for the Mathematical Foundations "
                                "of Deep Learning (nbgrader).", epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--course", type=Path, help="course directory (default: found from the current directory)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="lint source notebooks, generate release/ with nbgrader, build answer keys")
    b.add_argument("sets", nargs="*", metavar="PS", help="problem sets (default: all)")
    b.add_argument("--lint-only", action="store_true", help="only check the source notebooks")
    c = sub.add_parser("check", help="grade one notebook with the hidden tests; shows verdicts and hints, never answers")
    c.add_argument("notebook", type=Path)
    c.add_argument("--ps", help="problem set of the notebook (default: from its file name)")
    g = sub.add_parser("grade", help="autograde every submission of a problem set (nbgrader pipeline)")
    g.add_argument("ps")
    g.add_argument("--student", action="append", help="grade only this student (repeatable)")
    g.add_argument("--workers", type=int, default=None,
                   help="submissions executed in parallel (default: one per core; 1 = sequential)")
    g.add_argument("--wait", action="store_true", help="if the course is being graded already, wait for that run "
                   "instead of refusing")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="execute on the workers of this Dask scheduler (tcp://HOST:PORT) instead of local processes")
    r = sub.add_parser("report", help="class report: one self-contained HTML file with plots, and a short summary")
    r.add_argument("ps")
    r.add_argument("--to", type=Path, help="HTML file (default: <ps>-report.html)")
    r.add_argument("--png", type=Path, metavar="DIR", help="also write the figures as PNG files in DIR")
    e = sub.add_parser("export", help="write grades as nbgrader's CSV or a Canvas gradebook import file")
    e.add_argument("sets", nargs="*", metavar="PS", help="problem sets (default: all in the gradebook)")
    e.add_argument("--format", choices=["canvas", "csv"], default="csv")
    e.add_argument("--to", type=Path, help="output file (default: grades.csv or canvas.csv)")
    sub.add_parser("doctor", help="which sandbox level grading kernels get here, and how to get the full one")
    d = sub.add_parser("demo", help="run the whole course lifecycle on a simulated class in a scratch course")
    d.add_argument("--dir", type=Path, default=Path("demo-course"), help="scratch course folder (recreated)")
    d.add_argument("sets", nargs="*", metavar="PS", help="problem sets to include (default: all)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.command:
        _parser().print_help()
        return 0
    from .course import CourseError

    try:
        if args.command == "build":
            return _build(args)
        if args.command == "check":
            return _check(args)
        if args.command == "grade":
            return _grade(args)
        if args.command == "report":
            return _report(args)
        if args.command == "export":
            return _export(args)
        if args.command == "doctor":
            from .sandbox import doctor_lines

            print("\n".join(doctor_lines()))
            return 0
        if args.command == "demo":
            from .demo import run_demo

            return run_demo(args.dir, args.sets, repo=_root(args))
    except CourseError as exc:
        print(f"psets: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("psets: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (`psets check ... | head`)
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _root(args) -> Path:
    from .course import find_root

    return find_root(args.course) if args.course else find_root()


def _build(args) -> int:
    from .build import build, lint_sets
    from .course import resolve_sets

    root = _root(args)
    sets = resolve_sets(root, args.sets)
    report = lint_sets(root, sets) if args.lint_only else build(root, sets)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for e in report.errors:
        print(f"error: {e}", file=sys.stderr)
    if report.errors:
        print(f"psets build: {len(report.errors)} problem(s); nothing was released for the sets named above.",
              file=sys.stderr)
        return 1
    print(f"psets build: {len(sets)} problem set(s) {'lint clean' if args.lint_only else 'built'}.")
    return 0


def _check(args) -> int:
    from .check import check_notebook
    from .report_text import print_check

    result = check_notebook(args.notebook, course=args.course, assignment=args.ps)
    print_check(result)
    return 0


def _grade(args) -> int:
    from .course import resolve_sets
    from .grade import grade
    from .report_text import print_grades

    root = _root(args)
    ps = resolve_sets(root, [args.ps])[0]
    import os

    outcomes = grade(root, ps, args.student, workers=args.workers or os.cpu_count() or 1, wait=args.wait,
                     scheduler=args.scheduler)
    print_grades(ps, outcomes)
    return 0 if all(o.success for o in outcomes) else 1


def _report(args) -> int:
    from .course import resolve_sets
    from .report import report, summary_lines

    root = _root(args)
    ps = resolve_sets(root, [args.ps])[0]
    dest = args.to or Path(f"{ps}-report.html")
    data = report(root, ps, dest, args.png)
    print("\n".join(summary_lines(data)))
    print(f"psets report: {dest}")
    return 0


def _export(args) -> int:
    from .course import resolve_sets
    from .export import export, in_gradebook

    root = _root(args)
    sets = resolve_sets(root, args.sets)
    if not args.sets:  # by default, every set the gradebook knows; a named set without grades is an error
        sets = in_gradebook(root, sets)
    dest = export(root, sets, args.format, args.to or Path("canvas.csv" if args.format == "canvas" else "grades.csv"))
    print(f"psets export: {args.format} grades for {len(sets)} problem set(s) written to {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
