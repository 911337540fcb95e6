"""Kernel-side probes: they report data, never raise, never print, and send a specification only at key build."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

from graders import probes
from graders.probes import KEY_BUILD_ENV, Mistake, report, report_calls


@pytest.fixture
def published(monkeypatch):
    sent = []
    monkeypatch.setattr(probes, "_publish", lambda check, value, spec: sent.append((check, value, spec)))
    return sent


def test_an_undefined_answer_is_reported_not_raised(published, capsys):
    """Is a NameError in the answer reported as missing data, with nothing printed?"""
    report("q", lambda: undefined_name, compare="scalar")  # noqa: F821
    (check, value, spec), = published
    assert value == {"t": "missing", "error": "NameError: name 'undefined_name' is not defined"}
    assert spec is None
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_student_prints_warnings_and_errors_are_captured(published, capsys):
    """Do a student function's prints, warnings and exceptions stay out of stdout/stderr?"""
    def noisy(x):
        print("hello")
        warnings.warn("careful")
        np.log(np.array([0.0]))
        if x > 1:
            raise ValueError("too big")
        return x

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping the probe would raise here
        report_calls("q", lambda: noisy, [(1.0,), (2.0,)], compare="scalar")
    (_c, value, _s), = published
    assert value["results"][0] == {"ok": {"t": "float", "v": 1.0}}
    assert value["results"][1] == {"raised": "ValueError: too big"}
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_inputs_are_copied_before_each_call(published):
    """Can a student function that mutates its input spoil the next input?"""
    a = np.ones(3)

    def mutate(x):
        x[:] = 99
        return x.sum()

    report_calls("q", lambda: mutate, [(a,), (a,)], compare="scalar")
    assert np.all(a == 1)


def test_specification_only_while_building_the_key(published, monkeypatch):
    """Is the comparator specification sent only in key-building mode, with mistakes evaluated?"""
    monkeypatch.delenv(KEY_BUILD_ENV, raising=False)
    report_calls("q", lambda: (lambda x: 2 * x), [(1.0,)], compare="scalar", mistakes=[Mistake("m", fn=lambda x: x)])
    assert published[-1][2] is None
    monkeypatch.setenv(KEY_BUILD_ENV, "1")
    report_calls("q", lambda: (lambda x: 2 * x), [(1.0,)], compare="scalar", rtol=np.float64(1e-3),
                 mistakes=[Mistake("m", fn=lambda x: x)])
    spec = published[-1][2]
    assert spec["compare"] == "scalar" and spec["options"] == {"rtol": 1e-3}
    assert spec["mistakes"][0]["transform"]["value"]["results"] == [{"ok": {"t": "float", "v": 1.0}}]


def test_a_non_function_answer_to_a_function_probe_is_invalid(published):
    """Is a number given where a function is expected reported as invalid data?"""
    report_calls("q", lambda: 3.0, [(1.0,)], compare="scalar")
    assert published[0][1]["t"] == "invalid"


def test_select_on_a_non_tuple_result_is_invalid(published):
    """Is a function that returns one array where a tuple is expected reported as invalid output?"""
    report_calls("q", lambda: (lambda s: np.zeros(2)[0]), [(1.0,)], compare="array", select=1)
    assert published[0][1]["results"][0]["ok"]["t"] == "invalid"


def test_a_probe_survives_a_broken_display_system(monkeypatch):
    """Does a probe stay silent when publishing itself fails (e.g. the student broke IPython.display)?"""
    import IPython.display

    monkeypatch.setattr(IPython.display, "publish_display_data", lambda *a, **k: 1 / 0)
    report("q", lambda: 1.0, compare="scalar")  # must not raise


def test_mistake_requires_exactly_one_transform():
    """Is a Mistake with zero or two transformations refused when the key is written?"""
    with pytest.raises(ValueError):
        Mistake("m")
    with pytest.raises(ValueError):
        Mistake("m", negate=True, scale=2)


def test_symbolic_answers_are_sent_as_trees(published):
    """Is a sympy expression reported as a tree, not as a string to evaluate?"""
    x = sp.Symbol("x")
    report("q", lambda: sp.exp(-x) / (1 + sp.exp(-x)) ** 2, compare="symbolic")
    value = published[0][1]
    assert value["t"] == "expr" and isinstance(value["tree"], list)
