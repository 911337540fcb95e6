"""ps11_dynamical_systems: every reference answer in the built key, verified a second, independent way (sympy
roots and simulation for the fixed points, eigendecomposition / Taylor series / solve_ivp for the matrix
exponential, simulated Euler iterations for the stability bounds, an independent RK4 and the log-log slope of its
global error, central finite differences for the BPTT Jacobian and the adjoint gradient, Gelfand's formula for the
spectral radius, the invariant density and long orbits for the Lyapunov exponents)."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad, solve_ivp

from graders.comparators import array, number
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps11_dynamical_systems"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


def _calls(check):
    """(decoded argument list, raw reference output) for each input of a function check."""
    return reference_calls(check, arg=_arg, result=lambda enc: enc)


def _arg(enc):
    """A decoded probe argument: a real array, or a float for a scalar."""
    a = array(enc)
    a = a.real if np.iscomplexobj(a) and not np.abs(a.imag).any() else a
    return float(a) if a.ndim == 0 else a


def _numbers(enc):
    return sorted(number(i).real for i in enc["items"])


def test_q1_fixed_points_by_sympy_and_stability_by_simulation(checks):
    x = sp.symbols("x", real=True)
    f = x - x ** 3
    roots = sorted(float(r) for r in sp.solve(f, x))
    np.testing.assert_allclose(_numbers(checks["q1.fixed"].reference), roots, atol=1e-12)
    stable = []
    for p in roots:  # start next to each fixed point on both sides and see whether the flow returns
        ends = [solve_ivp(lambda t, y: y - y ** 3, (0, 30), [p + d], rtol=1e-10, atol=1e-12).y[0, -1]
                for d in (-1e-3, 1e-3)]
        if all(abs(e - p) < 1e-6 for e in ends):
            stable.append(p)
    np.testing.assert_allclose(_numbers(checks["q1.stable"].reference), stable, atol=1e-12)


def _expm_series(M, terms=80):
    """e^M by scaling and squaring a Taylor series (independent of scipy.linalg.expm)."""
    s = max(0, int(np.ceil(np.log2(max(np.abs(M).sum(axis=1).max(), 1e-16)))) + 1)
    Ms = M / 2 ** s
    E, term = np.eye(len(M)), np.eye(len(M))
    for k in range(1, terms):
        term = term @ Ms / k
        E = E + term
    for _ in range(s):
        E = E @ E
    return E


def test_q2_flow_matches_eigendecomposition_series_and_ode_solver(checks):
    calls = _calls(checks["q2.flow"])
    assert all(not np.allclose(A, A.T) for (A, _, _), _ in calls)  # non-symmetric inputs only
    for (A, x0, t), ref in calls:
        ref, t = array(ref), float(t)
        w, V = np.linalg.eig(A)
        np.testing.assert_allclose(ref, np.real(V @ (np.exp(w * t) * np.linalg.solve(V, x0))), rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(ref, _expm_series(A * t) @ x0, rtol=1e-9, atol=1e-10)
        sol = solve_ivp(lambda _, y: A @ y, (0, t), x0, method="DOP853", rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(ref, sol.y[:, -1], rtol=1e-8, atol=1e-9)
        assert not np.allclose(ref, np.exp(A * t) @ x0)  # the elementwise mistake is distinguishable


def _euler_decays(lam, h, steps=4000):
    z = 1.0 + 0j
    for _ in range(steps):
        z *= 1 + h * lam
    return abs(z) < 1e-3


def test_q3_stability_bounds_by_simulating_euler(checks):
    h_max = number(checks["q3.h_max"].reference).real
    assert _euler_decays(-10.0, 0.999 * h_max) and not _euler_decays(-10.0, 1.001 * h_max)
    tree = checks["q3.h_max_complex"].reference["tree"]
    rng = np.random.default_rng(0)
    for a, b in zip(rng.uniform(-3, -0.2, 12), rng.uniform(-3, 3, 12)):
        hc = evaluate(tree, {"a": np.array([a]), "b": np.array([b])})[0].real
        lam = complex(a, b)
        assert _euler_decays(lam, 0.99 * hc, 20000) and not _euler_decays(lam, 1.01 * hc, 20000)
        # bisection on |1 + h lam| = 1, independent of the closed form
        lo, hi = 1e-9, 50.0
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if abs(1 + mid * lam) < 1 else (lo, mid)
        assert abs(hc - lo) < 1e-9 * max(1.0, lo)


def _rk4_tableau(f, t, y, h):
    c, b = [0, 0.5, 0.5, 1], [1 / 6, 1 / 3, 1 / 3, 1 / 6]
    a = [[], [0.5], [0, 0.5], [0, 0, 1]]
    ks = []
    for i in range(4):
        ks.append(f(t + c[i] * h, y + h * sum(aij * k for aij, k in zip(a[i], ks))))
    return y + h * sum(bi * k for bi, k in zip(b, ks))


def _driven(t, y):
    return np.array([y[1], -np.sin(y[0]) - 0.2 * y[1] + 0.5 * np.cos(1.3 * t)])


def test_q4_step_matches_a_butcher_tableau_and_is_close_to_the_exact_flow(checks):
    for (t, y, h), ref in _calls(checks["q4.step"]):
        ref, t, h = array(ref), float(t), float(h)
        np.testing.assert_allclose(ref, _rk4_tableau(_driven, t, y, h), rtol=1e-12, atol=1e-14)
        exact = solve_ivp(_driven, (t, t + h), y, method="DOP853", rtol=1e-13, atol=1e-14).y[:, -1]
        euler = y + h * _driven(t, y)
        assert np.abs(ref - exact).max() < 1e-2 * h ** 4 + 1e-12  # local error O(h^5)
        assert np.abs(ref - exact).max() < 0.01 * np.abs(euler - exact).max()


def test_q4_global_error_falls_like_h_to_the_fourth(checks):
    B = np.array([[-0.4, 1.7], [-1.3, -0.2]])
    w, V = np.linalg.eig(B)
    exact = np.real(V @ (np.exp(2.0 * w) * np.linalg.solve(V, np.array([1.0, 0.5]))))
    hs, errs = [], []
    for (N,), ref in _calls(checks["q4.global"]):
        hs.append(2.0 / float(N))
        errs.append(np.linalg.norm(array(ref) - exact))
    slope = np.polyfit(np.log(hs), np.log(errs), 1)[0]
    assert 3.7 < slope < 4.3, slope


def _rnn_final(W, U, xs, h0):
    h = h0
    for x in xs:
        h = np.tanh(W @ h + U @ x)
    return h


def test_q5_bptt_jacobian_matches_finite_differences(checks):
    calls = _calls(checks["q5.jacobian"])
    assert all(U.shape[0] != U.shape[1] and not np.allclose(W, W.T) and len(xs) >= 3
               for (W, U, xs, _), _ in calls)
    for (W, U, xs, h0), ref in calls:
        ref, eps = array(ref), 1e-6
        fd = np.column_stack([(_rnn_final(W, U, xs, h0 + eps * e) - _rnn_final(W, U, xs, h0 - eps * e)) / (2 * eps)
                              for e in np.eye(len(h0))])
        np.testing.assert_allclose(ref, fd, rtol=1e-6, atol=1e-9)
        assert not np.allclose(ref, ref.T, atol=1e-9)  # the transpose mistake is distinguishable


def test_q6_spectral_radius_by_gelfand_and_regime_by_iteration(checks):
    rho_calls = _calls(checks["q6.rho"])
    regimes = [r["ok"]["v"] for r in checks["q6.regime"].reference["results"]]
    assert set(regimes) == {"vanishing", "exploding"}
    for ((W,), ref), regime in zip(rho_calls, regimes):
        rho = number(ref).real
        k = 400
        Wk = np.linalg.matrix_power(W / rho, k)  # Gelfand: ||W^k||^(1/k) -> rho; scaled to avoid overflow
        assert abs(np.linalg.norm(Wk, 2) ** (1 / k) - 1) < 0.02
        growth = np.linalg.norm(np.linalg.matrix_power(W, 2000) @ np.ones(len(W)))
        assert regime == ("vanishing" if growth < 1e-3 else "exploding")
    # at least one input separates the spectral radius from the spectral norm in the regime it predicts
    assert any((np.linalg.norm(W, 2) > 1) != (number(ref).real > 1) for (W,), ref in rho_calls)


def test_q7_lyapunov_exponents_by_invariant_density_and_long_orbits(checks):
    lam4 = number(checks["q7.r4"].reference).real
    # average of log|g'(x)| = log|4(1 - 2x)| over the invariant density 1 / (pi sqrt(x(1-x)))
    integrand = lambda x: np.log(abs(4 * (1 - 2 * x))) / (np.pi * np.sqrt(x * (1 - x)))
    val = sum(quad(integrand, lo, hi, limit=200)[0] for lo, hi in ((0, 0.5), (0.5, 1)))
    assert abs(lam4 - val) < 1e-6
    x, acc, n = 0.1234567, 0.0, 200_000
    for _ in range(n):
        acc += math.log(abs(4 * (1 - 2 * x)))
        x = 4 * x * (1 - x)
    assert abs(lam4 - acc / n) < 0.02
    lam32 = number(checks["q7.r32"].reference).real
    x = 0.3
    for _ in range(2000):  # converge onto the 2-cycle
        x = 3.2 * x * (1 - x)
    acc = 0.0
    for _ in range(1000):
        acc += math.log(abs(3.2 * (1 - 2 * x)))
        x = 3.2 * x * (1 - x)
    assert abs(lam32 - acc / 1000) < 1e-9


def test_q8_adjoint_gradient_matches_finite_differences_of_the_forward_flow(checks):
    calls = _calls(checks["q8.adjoint"])
    assert all(not np.allclose(A, A.T) for (A, _, _), _ in calls)
    for (A, T, g), ref in calls:
        ref, T = array(ref), float(T)

        def loss(h0):
            sol = solve_ivp(lambda _, y: A @ y, (0, T), h0, method="DOP853", rtol=1e-12, atol=1e-13)
            return float(g @ sol.y[:, -1])

        eps = 1e-4  # the loss is linear in h0, so central differences are exact up to the solver's error
        fd = np.array([(loss(e * eps) - loss(-e * eps)) / (2 * eps) for e in np.eye(len(g))])
        np.testing.assert_allclose(ref, fd, rtol=1e-7, atol=1e-8)
        assert not np.allclose(ref, _expm_series(A * T) @ g)  # the missing transpose is distinguishable
