"""End to end, per problem set, through real nbgrader and real kernels: every problem set that has simulated
answers in personas/ is built, and a class of submissions is autograded with the course configuration."""
from __future__ import annotations

import json

import nbformat
import pytest

from conftest import FAST, ROOT, collect_results, make_course, submit
from graders.classroom import answer_ids, fill, load_personas, reference_answers

pytestmark = pytest.mark.e2e
SETS = sorted(p.stem for p in (ROOT / "personas").glob("ps*.py") if (ROOT / "source" / p.stem).is_dir())


def _test_cells(src):
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"]) for c in src.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def _answer_to_test(src):
    """answer grade_id -> test grade_id (the test cell that follows it)."""
    out, last = {}, None
    for c in src.cells:
        meta = c.metadata.get("nbgrader", {})
        if c.cell_type == "code" and meta.get("solution"):
            last = meta["grade_id"]
        elif c.cell_type == "code" and meta.get("grade") and last:
            out[last] = meta["grade_id"]
            last = None
    return out


@pytest.fixture(scope="class")
def graded(request, tmp_path_factory):
    from graders.grade import grade

    ps = request.cls.PS
    course = make_course(tmp_path_factory.mktemp(ps), [ps])
    src = nbformat.read(course / "source" / ps / f"{ps}.ipynb", as_version=4)
    rel = nbformat.read(course / "release" / ps / f"{ps}.ipynb", as_version=4)
    ref, p = reference_answers(src), load_personas(ROOT, ps)
    wrong_ids = sorted(p.WRONG)
    cases = {
        "reference": {**ref}, "blank": {}, "other_forms": {**ref, **p.OTHER_FORMS},
        "wrong_odd": {**ref, **{g: p.WRONG[g] for i, g in enumerate(wrong_ids) if i % 2 == 0}},
        "wrong_even": {**ref, **{g: p.WRONG[g] for i, g in enumerate(wrong_ids) if i % 2 == 1}},
        "warnings": {**ref, **getattr(p, "WARNINGS", {})},
        **{f"mistakes{i}": {**ref, **m} for i, m in enumerate(p.MISTAKES)},
    }
    for student, answers in cases.items():
        submit(course, ps, student, fill(rel, answers))
    outcomes = grade(course, ps, overrides=FAST, progress=False)
    return ps, src, rel, p, course, cases, collect_results(course, ps, outcomes)


class _ProblemSetTests:
    """The end-to-end tests of one problem set (one subclass per set, so test workers can split by set)."""

    PS = ""

    def test_reference_scores_full_marks(self, graded):
        """Does the reference solution earn every auto-graded point, with nothing left for manual grading?"""
        ps, src, *_, results = graded
        r = results["reference"]
        assert r.success, r.message
        for gid, pts in _test_cells(src).items():
            assert r.cells[gid][0] == pts and not r.cells[gid][2], (gid, r.cells[gid])

    def test_unchanged_release_scores_zero(self, graded):
        """Does an unchanged release score 0 on every cell, auto and manual?"""
        *_, results = graded
        r = results["blank"]
        assert r.success
        assert all(score == 0 for score, _mx, _m in r.cells.values()), r.cells

    def test_other_forms_score_full_marks(self, graded):
        """Are correct answers written in other forms (other algorithms, other symbolic forms) accepted?"""
        ps, src, *_, results = graded
        r = results["other_forms"]
        assert all(r.cells[g][0] == pts for g, pts in _test_cells(src).items()), r.cells

    def test_correct_answers_with_numpy_warnings_score_full_marks(self, graded):
        """Does a correct answer that makes numpy warn still score full marks?"""
        ps, src, *_, results = graded
        r = results["warnings"]
        assert all(r.cells[g][0] == pts for g, pts in _test_cells(src).items()), r.cells

    @pytest.mark.parametrize("case", ["wrong_odd", "wrong_even"])
    def test_each_wrong_answer_loses_exactly_its_problem(self, graded, case):
        """Does each wrong answer cost exactly its own problem's points, and no other problem's?"""
        ps, src, rel, p, course, cases, results = graded
        r = results[case]
        tests = _test_cells(src)
        wrong_tests = {_answer_to_test(src)[g] for g in cases[case] if g in p.WRONG and cases[case][g] == p.WRONG[g]}
        assert wrong_tests
        for gid, pts in tests.items():
            expected = 0.0 if gid in wrong_tests else pts
            assert r.cells[gid][0] == expected, (case, gid, r.cells[gid], {k: v for k, v in r.verdicts.items()})

    def test_every_answer_cell_has_a_wrong_and_another_form(self, graded):
        """Do the simulated answers cover every answer cell of the set?"""
        ps, src, rel, p, *_ = graded
        ids = set(answer_ids(rel))
        assert ids <= set(p.WRONG) and ids <= set(p.OTHER_FORMS)

    def test_each_declared_mistake_gives_its_message(self, graded):
        """Does each declared known mistake get its targeted message, and score 0 for that check?"""
        ps, src, rel, p, course, cases, results = graded
        key_msgs = {}
        from graders.keys import ensure_key

        for cell in ensure_key(course, ps, ps).cells.values():
            for chk in cell.checks:
                key_msgs[chk.id] = [m.message for m in chk.mistakes]
        declared = {cid for cid, msgs in key_msgs.items() if msgs}
        covered = set()
        for i, expected in enumerate(p.EXPECTED_HINTS):
            verdicts = results[f"mistakes{i}"].verdicts
            for check_id, fragment in expected.items():
                v = verdicts[check_id]
                assert v["outcome"] == "known_mistake" and fragment in v["hint"], (i, check_id, v)
                covered.add(check_id)
        assert declared <= covered, f"declared mistakes never exercised: {sorted(declared - covered)}"
        # and the personas trigger every declared mistake index at least once
        for cid, msgs in key_msgs.items():
            hints = {results[f"mistakes{i}"].verdicts.get(cid, {}).get("hint") for i in range(len(p.MISTAKES))}
            assert set(msgs) <= hints, (cid, set(msgs) - hints)

    def test_feedback_reveals_no_reference_values_or_hidden_code(self, graded):
        """Does the judged notebook's verdict text stay free of reference values and hidden test code?"""
        ps, src, rel, p, course, cases, results = graded
        from graders.keys import ensure_key
        from tests_leaks import reference_strings

        secrets = reference_strings(ensure_key(course, ps, ps))
        for student, r in results.items():
            for v in r.verdicts.values():
                text = json.dumps(v)
                for s in secrets:
                    assert s not in text, (student, s, text)


    def test_committed_release_is_fresh_and_holds_no_answers(self, graded):
        """Is release/ what nbgrader generates from source/, with no solution line, hidden test or key value?"""
        ps, src, rel, p, course, *_ = graded
        committed_path = ROOT / "release" / ps / f"{ps}.ipynb"
        committed = nbformat.read(committed_path, as_version=4)
        assert [c.source for c in committed.cells] == [c.source for c in rel.cells], "run `psets build`"
        text = committed_path.read_text()
        for code in reference_answers(src).values():
            for line in code.splitlines():
                line = line.strip()
                if len(line) > 15 and not line.startswith(("def ", "#", "import ", "from ")) and \
                        line not in rel_sources(rel):
                    assert json.dumps(line)[1:-1] not in text, line
        for bad in ("BEGIN HIDDEN", "BEGIN SOLUTION", "report(", "report_calls(", "Mistake(", "Rubric"):
            assert bad not in text, bad
        from graders.keys import ensure_key
        from tests_leaks import reference_strings

        for s in reference_strings(ensure_key(course, ps, ps)):
            assert s not in text, s


def rel_sources(rel) -> str:
    """Text a release legitimately shares with the solutions (lines outside the solution regions)."""
    return "\n".join(c.source for c in rel.cells)


for _ps in SETS:  # one test class per problem set: TestPs02LinearAlgebra, ...
    _name = "Test" + "".join(w.capitalize() for w in _ps.split("_"))
    globals()[_name] = type(_name, (_ProblemSetTests,), {"PS": _ps})
