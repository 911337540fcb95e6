"""Simulated students' answers, per problem set, used by `psets demo` and the end-to-end tests.

Not part of the installed package (it holds answers). Each module `personas/<ps>.py` defines answer cells by
grade_id (code that replaces the whole answer cell):

- OTHER_FORMS: correct answers written differently from the reference (another algorithm, another symbolic form);
- WRONG: a plain wrong answer for every answer cell (not one of the declared mistakes);
- MISTAKES: a list of dicts; MISTAKES[i] triggers the i-th declared known mistake of each check that has one,
  together with EXPECTED_HINTS[i]: {check_id: a fragment of the hint the judge must give}.
- WARNINGS: correct answers that make numpy emit warnings (they must still score full marks).
"""
