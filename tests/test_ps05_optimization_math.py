"""ps05_optimization: every reference answer in the built key, verified a second, independent way (simulation of
gradient descent and of the heavy-ball method, scipy.optimize for the constrained problems, brute-force
minimisation for the proximal operator, random sampling of Jensen's inequality for convexity)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar

from graders.comparators import array, number
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps05_optimization"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


def _arg(enc):
    a = array(enc)
    return float(a.real) if a.ndim == 0 else a


def _calls(check):
    """(decoded argument list, decoded reference output) for each input of a function check."""
    return reference_calls(check, arg=_arg)


def _scalar(check):
    return number(check.reference).real


# ---------------------------------------------------------------- Q1: simulate GD on diag(1, 10)

_CURV = np.array([1.0, 10.0])


def _empirical_rate(eta, steps=200):
    """Worst contraction per step of ‖x_k‖, measured by running GD from each coordinate direction."""
    worst = 0.0
    for x0 in np.eye(2):
        x = x0.copy()
        for _ in range(steps):
            x = x - eta * (_CURV * x)  # gradient of ½(x1² + 10 x2²)
        worst = max(worst, np.linalg.norm(x) ** (1.0 / steps))
    return worst


def test_q1_step_sizes_and_rate_match_simulated_gradient_descent(checks):
    eta_max, eta_best, rate = (_scalar(checks[f"q1.{n}"]) for n in ("eta_max", "eta_best", "rate"))
    # the stability boundary: bisection on "the simulated GD contracts"
    lo, hi = 1e-3, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _empirical_rate(mid) < 1 else (lo, mid)
    assert abs(eta_max - lo) < 1e-6
    assert _empirical_rate(0.999 * eta_max) < 1 < _empirical_rate(1.001 * eta_max)
    # the best step: minimise the simulated rate over (0, eta_max)
    res = minimize_scalar(_empirical_rate, bounds=(1e-3, eta_max), method="bounded", options={"xatol": 1e-10})
    assert abs(res.x - eta_best) < 1e-6
    assert abs(_empirical_rate(eta_best) - rate) < 1e-9
    assert abs(res.fun - rate) < 1e-6
    # and the distance to 0 really shrinks by `rate` per step from a generic start
    x = np.array([0.7, -1.3])
    for _ in range(50):
        x = x - eta_best * _CURV * x
    assert np.linalg.norm(x) <= rate ** 50 * np.linalg.norm([0.7, -1.3]) * (1 + 1e-9)


# ---------------------------------------------------------------- Q2: closed form of the GD trajectory

def test_q2_trajectory_matches_the_closed_form_in_the_eigenbasis(checks):
    for (A, b, x0, eta, T), ref in _calls(checks["q2.traj"]):
        T = int(T)
        assert ref.shape == (T + 1, len(b))
        lam, V = np.linalg.eigh(A)
        xs = V @ ((V.T @ b) / lam)  # A⁻¹b through the eigenbasis
        want = np.array([xs + V @ ((1 - eta * lam) ** k * (V.T @ (x0 - xs))) for k in range(T + 1)])
        np.testing.assert_allclose(ref, want, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(ref[0], x0)


# ---------------------------------------------------------------- Q3: spectral radius of the heavy-ball matrices

def _hb_params(kappa, mu=1.0):
    L = kappa * mu
    eta = 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    return mu, L, eta, beta


def test_q3_heavy_ball_rate_matches_the_largest_spectral_radius(checks):
    tree = checks["q3.rate"].reference["tree"]
    kappas = np.array([1.5, 2.0, 10.0, 37.0, 100.0, 900.0])
    got = evaluate(tree, {"kappa": kappas.astype(complex)}).real
    for k, g in zip(kappas, got):
        mu, L, eta, beta = _hb_params(k)
        radius = max(np.abs(np.linalg.eigvals(np.array([[1 + beta - eta * lam, -beta], [1.0, 0.0]]))).max()
                     for lam in np.linspace(mu, L, 801))
        assert abs(g - radius) < 1e-6 * max(1.0, radius), (k, g, radius)


def test_q3_heavy_ball_rate_matches_a_simulation(checks):
    tree = checks["q3.rate"].reference["tree"]
    k = 100.0
    want = evaluate(tree, {"kappa": np.array([k], complex)}).real[0]
    mu, L, eta, beta = _hb_params(k)
    curv = np.linspace(mu, L, 7)
    x_prev = x = np.ones_like(curv)
    log_norm, start, n0, n1 = 0.0, 0.0, 2000, 5000
    for k in range(1, n1 + 1):
        x, x_prev = x - eta * curv * x + beta * (x - x_prev), x
        s = np.linalg.norm(x)  # renormalise (the error underflows otherwise)
        x, x_prev, log_norm = x / s, x_prev / s, log_norm + np.log(s)
        if k == n0:
            start = log_norm
    measured = np.exp((log_norm - start) / (n1 - n0))
    assert abs(measured - want) < 2e-3
    # and momentum beats the best plain GD rate
    assert want < (k - 1) / (k + 1)


# ---------------------------------------------------------------- Q4: Adam, written the way PyTorch arranges it

def test_q4_adam_step_matches_pytorch_arrangement_and_the_first_step_limit(checks):
    th_calls, v_calls = _calls(checks["q4.theta"]), _calls(checks["q4.v"])
    for ((theta, g, m, v, t, lr, b1, b2, eps), ref_th), (_args, ref_v) in zip(th_calls, v_calls):
        t = int(t)
        m1 = m.copy()
        v1 = v.copy()
        m1 *= b1
        m1 += (1 - b1) * g  # torch: exp_avg.lerp_(grad, 1 - beta1)
        v1 *= b2
        v1 += (1 - b2) * g * g  # torch: exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
        denom = np.sqrt(v1) / np.sqrt(bc2) + eps
        want = theta - (lr / bc1) * m1 / denom
        np.testing.assert_allclose(ref_th, want, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(ref_v, v1, rtol=1e-12, atol=1e-16)
        if t == 1 and not m.any() and not v.any():
            # the first step from zero state: m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g)
            np.testing.assert_allclose(ref_th, theta - lr * g / (np.abs(g) + eps), rtol=1e-12)
            np.testing.assert_allclose(ref_th, theta - lr * np.sign(g), atol=lr * 1e-6)
    assert any(args[4] == 1 for args, _ in th_calls) and any(args[4] > 1 for args, _ in th_calls)
    assert any(args[8] >= 1e-4 for args, _ in th_calls)  # one input where the place of ε matters


# ---------------------------------------------------------------- Q5: scipy.optimize for the constrained problem

def _solve_constrained(c):
    res = minimize(lambda z: z @ z, np.array([3.0, -1.0]), jac=lambda z: 2 * z, method="SLSQP",
                   constraints=[{"type": "eq", "fun": lambda z: z[0] + 2 * z[1] - c,
                                 "jac": lambda z: np.array([1.0, 2.0])}],
                   options={"ftol": 1e-14, "maxiter": 200})
    assert res.success
    return res.x, res.fun


def test_q5_lagrange_solution_matches_slsqp_and_the_envelope_theorem(checks):
    x_ref = array(checks["q5.x"].reference)
    lam_ref = _scalar(checks["q5.lam"])
    x_num, _ = _solve_constrained(5.0)
    np.testing.assert_allclose(x_ref, x_num, atol=1e-6)
    # stationarity of L = f − λ(g − c): ∇f = λ∇g, so λ is the least-squares coefficient of ∇g in ∇f
    grad_f, grad_g = 2 * x_num, np.array([1.0, 2.0])
    assert abs(lam_ref - grad_f @ grad_g / (grad_g @ grad_g)) < 1e-5
    # envelope theorem with this sign convention: dp*/dc = λ
    h = 1e-3
    dp = (_solve_constrained(5.0 + h)[1] - _solve_constrained(5.0 - h)[1]) / (2 * h)
    assert abs(lam_ref - dp) < 1e-5


def test_q5_optimal_value_matches_slsqp_for_several_c(checks):
    tree = checks["q5.value"].reference["tree"]
    cs = np.array([-5.5, -2.0, -0.3, 0.0, 1.0, 3.7, 5.0])
    got = evaluate(tree, {"c": cs.astype(complex)}).real
    want = np.array([_solve_constrained(c)[1] for c in cs])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)


# ---------------------------------------------------------------- Q6: projection by a constrained solver

def test_q6_projection_matches_slsqp_and_the_variational_inequality(checks):
    rng = np.random.default_rng(6)
    calls = _calls(checks["q6.proj"])
    assert any(np.linalg.norm(x) < r for (x, r), _ in calls) and any(np.linalg.norm(x) > r for (x, r), _ in calls)
    for (x, r), ref in calls:
        res = minimize(lambda z: (z - x) @ (z - x), np.zeros_like(x), jac=lambda z: 2 * (z - x), method="SLSQP",
                       constraints=[{"type": "ineq", "fun": lambda z: r * r - z @ z, "jac": lambda z: -2 * z}],
                       options={"ftol": 1e-14, "maxiter": 200})
        np.testing.assert_allclose(ref, res.x, atol=1e-6)
        assert np.linalg.norm(ref) <= r * (1 + 1e-12)
        z = rng.normal(size=(2000, len(x)))
        z *= (r * rng.uniform(0, 1, size=(2000, 1)) ** (1 / len(x))) / np.linalg.norm(z, axis=1, keepdims=True)
        assert np.all((z - ref) @ (x - ref) <= 1e-10)
        # no point of the ball is closer to x
        assert np.all(np.linalg.norm(z - x, axis=1) >= np.linalg.norm(ref - x) - 1e-12)


# ---------------------------------------------------------------- Q7: brute-force minimisation of the prox objective

def _prox_brute(vi, lam):
    grid = np.linspace(-abs(vi) - 1, abs(vi) + 1, 40001)
    z0 = grid[np.argmin(lam * np.abs(grid) + 0.5 * (grid - vi) ** 2)]
    step = grid[1] - grid[0]
    res = minimize_scalar(lambda z: lam * abs(z) + 0.5 * (z - vi) ** 2, bounds=(z0 - 2 * step, z0 + 2 * step),
                          method="bounded", options={"xatol": 1e-12})
    return res.x


def test_q7_prox_matches_brute_force_minimisation(checks):
    for (v, lam), ref in _calls(checks["q7.prox"]):
        assert ref.shape == v.shape
        want = np.vectorize(lambda vi: _prox_brute(vi, lam))(v)
        np.testing.assert_allclose(ref, want, atol=1e-7)
        # the whole objective (over all entries at once) is not improved by random perturbations
        obj = lambda z: lam * np.abs(z).sum() + 0.5 * ((z - v) ** 2).sum()
        rng = np.random.default_rng(7)
        assert all(obj(ref) <= obj(ref + 1e-3 * rng.normal(size=v.shape)) for _ in range(200))


# ---------------------------------------------------------------- Q8: convexity by sampling Jensen's inequality

def _violates_jensen(f, sample, rng, trials=1500):
    for _ in range(trials):
        x, y = sample(rng), sample(rng)
        t = rng.uniform()
        if f(t * x + (1 - t) * y) > t * f(x) + (1 - t) * f(y) + 1e-9 * (1 + abs(f(x)) + abs(f(y))):
            return True
    return False


def test_q8_convex_set_matches_random_jensen_tests(checks):
    rng = np.random.default_rng(8)
    A, bvec = rng.normal(size=(5, 3)), rng.normal(size=5)

    def spd(r):
        M = r.normal(size=(3, 3))
        return M @ M.T + 0.05 * np.eye(3)

    cases = {
        "a": (lambda x: np.log(np.sum(np.exp(x))), lambda r: 3 * r.normal(size=4)),
        "b": (lambda x: x ** 3, lambda r: 3 * r.normal()),
        "c": (lambda x: np.abs(x).sum(), lambda r: r.normal(size=4)),
        "d": (lambda X: -np.linalg.slogdet(X)[1], spd),
        "e": (lambda x: 1 / (1 + np.exp(-x)), lambda r: 4 * r.normal()),
        "f": (lambda x: np.max(A @ x + bvec), lambda r: 2 * r.normal(size=3)),
        "g": (lambda p: (p[0] * p[1] - 1) ** 2, lambda r: 2 * r.normal(size=2)),
    }
    nonconvex = {k for k, (f, s) in cases.items() if _violates_jensen(f, s, rng)}
    convex = set(cases) - nonconvex
    got = {i["v"] for i in checks["q8.convex"].reference["items"]}
    assert got == convex, (got, convex)


# ---------------------------------------------------------------- Q9: minimise the quadratic model numerically

def test_q9_newton_step_minimises_or_is_stationary_for_the_model(checks):
    for (H, g), ref in _calls(checks["q9.newton"]):
        model = lambda d: g @ d + 0.5 * d @ H @ d
        # stationarity of the model by central differences (exact for a quadratic up to rounding)
        h = 1e-4
        fd = np.array([(model(ref + h * e) - model(ref - h * e)) / (2 * h) for e in np.eye(len(g))])
        np.testing.assert_allclose(fd, 0, atol=1e-7)
        if np.linalg.eigvalsh(H).min() > 0:
            res = minimize(model, np.zeros_like(g), jac=lambda d: g + H @ d, method="BFGS",
                           options={"gtol": 1e-12, "maxiter": 1000})
            np.testing.assert_allclose(ref, res.x, rtol=1e-5, atol=1e-7)
            # one Newton step on the quadratic lands where a long gradient-descent run ends
            x = np.zeros_like(g)
            eta = 1 / np.linalg.eigvalsh(H).max()
            for _ in range(20000):
                x = x - eta * (H @ x + g)
            np.testing.assert_allclose(ref, x, rtol=1e-6, atol=1e-8)
        else:
            assert not np.allclose(H, np.diag(np.diag(H)))  # the indefinite case is not diagonal either
