"""ps10_harmonic_analysis: every reference answer in the built key, verified a second, independent way (direct
O(N^2) sums, scipy.fft / scipy.signal / scipy.linalg, sympy integration of the square wave, brute-force enumeration
of windows and receptive fields, numerical tests of each equivariance statement)."""
from __future__ import annotations

import cmath
from pathlib import Path

import numpy as np
import pytest
import scipy.fft
import scipy.linalg
import scipy.signal
import sympy as sp

from graders.comparators import array, number
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps10_harmonic_analysis"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


_calls = reference_calls


def _ints(check):
    """Integer arguments (scalars or lists) and the reference output, for the CNN-arithmetic checks."""
    out = []
    for inp, res in zip(check.inputs, check.reference["results"]):
        args = [array(a).real.astype(int) for a in inp["items"]]
        args = [a.tolist() for a in args]
        out.append((args, number(res["ok"]).real))
    return out


def _direct_dft(x):
    N = len(x)
    return np.array([sum(complex(x[n]) * cmath.exp(-2j * cmath.pi * k * n / N) for n in range(N)) for k in range(N)])


def test_q1_dft_matches_direct_sum_and_scipy(checks):
    calls = _calls(checks["q1.dft"])
    assert any(np.iscomplexobj(x) and np.abs(x.imag).max() > 0.1 for (x,), _ in calls)  # complex inputs probed
    assert len({len(x) for (x,), _ in calls}) == len(calls)  # several lengths, odd ones included
    for (x,), ref in calls:
        np.testing.assert_allclose(ref, _direct_dft(x), rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(ref, scipy.fft.fft(x), rtol=1e-10, atol=1e-10)
        # the sign convention: the +i version (N * inverse DFT) differs on these inputs
        assert not np.allclose(ref, len(x) * scipy.fft.ifft(x))


def test_q2_energy_equals_time_domain_energy(checks):
    for (X,), ref in _calls(checks["q2.energy"]):
        N = len(X)
        x = np.array([sum(X[k] * cmath.exp(2j * cmath.pi * k * n / N) for k in range(N)) / N for n in range(N)])
        np.testing.assert_allclose(ref, np.sum(np.abs(x) ** 2), rtol=1e-10)
        assert not np.isclose(ref, np.sum(np.abs(X) ** 2))  # the missing-1/N mistake is distinguishable


def test_q3_circular_convolution_matches_direct_sum_and_scipy(checks):
    for (x, h), ref in _calls(checks["q3.circ_conv"]):
        N = len(x)
        direct = np.array([sum(x[m] * h[(n - m) % N] for m in range(N)) for n in range(N)])
        np.testing.assert_allclose(ref, direct, rtol=1e-10, atol=1e-12)
        # the same thing as a linear convolution of x with one period of h on each side, kept in the middle
        wrapped = scipy.signal.convolve(np.concatenate([x, x]), h)[N: 2 * N]
        np.testing.assert_allclose(ref, wrapped, rtol=1e-10, atol=1e-12)
        assert not np.allclose(ref, np.convolve(x, h)[:N])


def test_q4_circulant_matches_scipy_and_its_eigenpairs(checks):
    for (h,), ref in _calls(checks["q4.matrix"]):
        np.testing.assert_allclose(ref, scipy.linalg.circulant(h), atol=1e-14)
        x = np.linspace(-1.0, 2.0, len(h)) ** 2
        N = len(h)
        np.testing.assert_allclose(ref @ x, [sum(h[m] * x[(n - m) % N] for m in range(N)) for n in range(N)],
                                   rtol=1e-12)
    for (h,), lam in _calls(checks["q4.eigs"]):
        C, N = scipy.linalg.circulant(h), len(h)
        for k in range(N):
            f = np.exp(2j * np.pi * k * np.arange(N) / N)
            np.testing.assert_allclose(C @ f, lam[k] * f, rtol=1e-10, atol=1e-10)
        assert not np.allclose(lam, np.conj(lam))  # order/conjugation matters on these inputs


def test_q5_square_wave_coefficients_by_sympy_integration_and_quadrature(checks):
    tree = checks["q5.b_odd"].reference["tree"]
    t = sp.symbols("t", real=True)
    odd = np.arange(1, 16, 2)
    got = evaluate(tree, {"n": odd.astype(complex)}).real
    for m, g in zip(odd, got):
        exact = (sp.integrate(-sp.sin(m * t), (t, -sp.pi, 0)) + sp.integrate(sp.sin(m * t), (t, 0, sp.pi))) / sp.pi
        assert abs(float(exact) - g) < 1e-12
        # and by a midpoint rule on the square wave itself
        tt = -np.pi + (np.arange(200000) + 0.5) * (2 * np.pi / 200000)
        quad = np.sum(np.sign(np.sin(tt)) * np.sin(m * tt)) * (2 * np.pi / 200000) / np.pi
        assert abs(quad - g) < 1e-6
    # the partial Fourier sum converges to the square wave away from the jumps
    ts = np.array([0.3, 1.0, 2.5, -0.7, -2.0])
    nn = np.arange(1, 4001, 2)
    coeff = evaluate(tree, {"n": nn.astype(complex)}).real
    partial = (coeff[None, :] * np.sin(np.outer(ts, nn))).sum(axis=1)
    np.testing.assert_allclose(partial, np.sign(ts), atol=2e-3)


def test_q6_output_size_by_enumerating_windows(checks):
    calls = _ints(checks["q6.out_size"])
    assert [32, 3, 1, 2, 1] in [a for a, _ in calls]
    for (n, k, p, s, d), ref in calls:
        padded = n + 2 * p
        starts = [i for i in range(0, padded, s) if i + d * (k - 1) <= padded - 1]
        assert ref == len(starts)
        # and by running an actual strided, dilated correlation on a padded signal
        x = np.pad(np.arange(1.0, n + 1), p)
        taps = np.zeros(d * (k - 1) + 1)
        taps[::d] = 1.0
        assert ref == len(scipy.signal.correlate(x, taps, mode="valid")[::s])
    assert dict((tuple(a), r) for a, r in calls)[(32, 3, 1, 2, 1)] == 16  # the catalogue's worked case


def test_q7_receptive_field_by_backtracking_the_inputs(checks):
    for (kernels, strides), ref in _ints(checks["q7.rf"]):
        seen = {0}  # one unit of the last layer
        for k, s in reversed(list(zip(kernels, strides))):
            seen = {s * i + a for i in seen for a in range(k)}
        assert seen == set(range(len(seen)))  # a contiguous block
        assert ref == len(seen)
        # and by an impulse experiment: which inputs change the first output of a random-weight network?
        rng = np.random.default_rng(0)
        net = [(rng.uniform(1, 2, size=k), s) for k, s in zip(kernels, strides)]
        def forward(x):
            for w, s in net:
                x = scipy.signal.correlate(x, w, mode="valid")[::s]
            return x[0]
        L = 200
        base = forward(np.zeros(L))
        moved = [j for j in range(L) if forward(np.eye(L)[j]) != base]
        assert len(moved) == ref


def test_q8_conv2d_matches_scipy_correlate2d(checks):
    calls = _calls(checks["q8.conv2d"])
    for (x, w, b), ref in calls:
        assert w.shape[2] != w.shape[3] and x.shape[1] != x.shape[2]  # shortcuts (transposes) would fail
        want = np.stack([sum(scipy.signal.correlate2d(x[c], w[o, c], mode="valid") for c in range(x.shape[0])) + b[o]
                         for o in range(w.shape[0])])
        np.testing.assert_allclose(ref, want, rtol=1e-10, atol=1e-12)
        flipped = np.stack([sum(scipy.signal.convolve2d(x[c], w[o, c], mode="valid") for c in range(x.shape[0])) + b[o]
                            for o in range(w.shape[0])])
        assert not np.allclose(ref, flipped)


def test_q9_parameter_counts_by_counting_tensor_entries(checks):
    conv = number(checks["q9.conv_params"].reference).real
    dense = number(checks["q9.dense_params"].reference).real
    weight, bias = np.zeros((64, 3, 5, 5)), np.zeros(64)
    assert conv == weight.size + bias.size
    out_hw = scipy.signal.correlate2d(np.zeros((32, 32)), np.zeros((5, 5)), mode="valid").shape
    n_in, n_out = 3 * 32 * 32, 64 * out_hw[0] * out_hw[1]
    assert dense == n_in * n_out + n_out
    assert dense / conv > 3e4  # what weight sharing saves


def test_q10_layer_by_direct_loop_and_statements_by_experiment(checks):
    for (x, w, s), ref in _calls(checks["q10.layer"]):
        s, N = int(s.real), len(x)
        direct = np.array([sum(x[(s * i + a) % N] * w[a] for a in range(len(w))) for i in range(N // s)])
        np.testing.assert_allclose(ref, direct, rtol=1e-12, atol=1e-12)

    def circ(x, w, s):
        N = len(x)
        return np.array([sum(x[(s * i + a) % N] * w[a] for a in range(len(w))) for i in range(N // s)])

    def zero_pad(x, w):
        xp = np.concatenate([x, np.zeros(len(w) - 1)])
        return scipy.signal.correlate(xp, w, mode="valid")

    S = lambda v: np.roll(v, 1)
    rng = np.random.default_rng(10)
    trials = [(rng.normal(size=8), rng.normal(size=3)) for _ in range(20)]
    always = lambda pred: all(pred(x, w) for x, w in trials)
    truth = {
        "a": always(lambda x, w: np.allclose(circ(S(x), w, 1), S(circ(x, w, 1)))),
        "b": always(lambda x, w: np.allclose(zero_pad(S(x), w), S(zero_pad(x, w)))),
        "c": always(lambda x, w: np.allclose(circ(S(x), w, 2), S(circ(x, w, 2)))),
        "d": always(lambda x, w: np.allclose(circ(S(S(x)), w, 2), S(circ(x, w, 2)))),
        "e": always(lambda x, w: np.allclose(np.maximum(circ(S(x), w, 1), 0), S(np.maximum(circ(x, w, 1), 0)))),
        "f": always(lambda x, w: np.isclose(circ(S(x), w, 1).mean(), circ(x, w, 1).mean())),
        "g": always(lambda x, w: np.allclose(circ(S(x), w, 1).reshape(-1, 2).max(1),
                                             circ(x, w, 1).reshape(-1, 2).max(1))),
    }
    got = {i["v"] for i in checks["q10.statements"].reference["items"]}
    assert got == {k for k, v in truth.items() if v}
