"""ps08_differential_geometry: every reference answer in the built key, verified a second, independent way
(small-step walks along curves, numerical integration of the geodesic equation, finite-difference Christoffel
symbols from second derivatives of the embedding, quadrature and Monte Carlo Fisher information as
E[score scoreᵀ], Möbius translation in the Poincaré ball, numerical minimisation of the natural-gradient model)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp
from scipy.linalg import null_space
from scipy.optimize import minimize
from scipy.stats import norm

from graders.comparators import array, number
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps08_differential_geometry"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


def _calls(check):
    """(decoded argument list, decoded reference output) for each input of a function check."""
    decode = lambda enc: number(enc).real if enc.get("t") in ("int", "float") else array(enc)
    return reference_calls(check, arg=decode, result=decode)


def _matrix(ref, env):
    """Evaluate a symbolic-matrix reference at the points in env: array of shape (npoints, rows, cols)."""
    rows, cols = ref["shape"]
    vals = [np.broadcast_to(evaluate(t, env), (len(next(iter(env.values()))),)).real for t in ref["items"]]
    return np.stack(vals, axis=1).reshape(-1, rows, cols)


def _unit(v):
    return v / np.linalg.norm(v)


# ---------------------------------------------------------------- Q1
def test_q1_great_circle_distance_is_the_length_of_the_projected_chord_and_the_frame_angle(checks):
    for (x, y), ref in _calls(checks["q1.dist"]):
        ref = float(ref)
        # an orthonormal frame (x, e2) of the plane of x and y: the angle of y in it
        w = y - (y @ x) * x
        if np.linalg.norm(w) < 1e-12:
            angle = 0.0 if x @ y > 0 else np.pi
        else:
            e2 = _unit(w)
            angle = np.arctan2(y @ e2, y @ x)
        np.testing.assert_allclose(ref, angle, atol=1e-9)
        # small-step walk: the radial projection of the chord is the minimising great-circle arc
        t = np.linspace(0.0, 1.0, 200001)[:, None]
        pts = (1 - t) * x + t * y
        pts /= np.linalg.norm(pts, axis=1, keepdims=True)
        walk = float(np.sum(np.linalg.norm(np.diff(pts, axis=0), axis=1)))
        np.testing.assert_allclose(ref, walk, rtol=1e-6, atol=1e-9)
        assert np.linalg.norm(x - y) - 1e-12 <= ref <= np.pi


# ---------------------------------------------------------------- Q2
def test_q2_riemannian_gradient_matches_directional_derivatives_along_the_sphere(checks):
    h = 1e-6
    for (A, x), ref in _calls(checks["q2.rgrad"]):
        assert np.allclose(A, A.T)
        f = lambda z: z @ A @ z
        U = null_space(x[None, :])  # orthonormal basis of the tangent space at x
        derivs = []
        for u in U.T:
            plus, minus = _unit(x + h * u), _unit(x - h * u)  # curves on the sphere with velocity ±u
            derivs.append((f(plus) - f(minus)) / (2 * h))
        np.testing.assert_allclose(ref, U @ np.array(derivs), rtol=1e-6, atol=1e-7)
        assert abs(ref @ x) < 1e-10


# ---------------------------------------------------------------- Q3
def test_q3_exponential_map_matches_integrating_the_geodesic_equation(checks):
    for (x, v), ref in _calls(checks["q3.exp"]):
        # geodesics of the round sphere in ambient coordinates: x'' = -|x'|^2 x
        rhs = lambda t, s: np.concatenate([s[len(x):], -np.dot(s[len(x):], s[len(x):]) * s[:len(x)]])
        sol = solve_ivp(rhs, (0.0, 1.0), np.concatenate([x, v]), rtol=1e-11, atol=1e-13, method="DOP853")
        y = sol.y[:len(x), -1]
        np.testing.assert_allclose(ref, y, atol=1e-8)
        np.testing.assert_allclose(np.linalg.norm(ref), 1.0, atol=1e-12)
        # and the geodesic distance travelled is |v| (all hidden cases have |v| < pi)
        np.testing.assert_allclose(np.arccos(np.clip(x @ ref, -1, 1)), np.linalg.norm(v), atol=1e-7)
    assert max(np.linalg.norm(v) for (x, v), _ in _calls(checks["q3.exp"])) > np.pi / 2  # past a quarter circle


# ---------------------------------------------------------------- Q4
def _phi(r, th):
    return np.array([r * np.cos(th), r * np.sin(th)])


def _fd_jacobian(r, th, h=1e-6):
    return np.stack([(_phi(r + h, th) - _phi(r - h, th)) / (2 * h),
                     (_phi(r, th + h) - _phi(r, th - h)) / (2 * h)], axis=1)


def test_q4_polar_metric_matches_finite_difference_jacobian(checks):
    ref = checks["q4.metric"].reference
    assert ref["shape"] == [2, 2]
    rng = np.random.default_rng(8)
    pts = np.column_stack([rng.uniform(0.2, 3.0, 25), rng.uniform(-3.0, 3.0, 25)])
    G = _matrix(ref, {"r": pts[:, 0].astype(complex), "theta": pts[:, 1].astype(complex)})
    for (r, th), g in zip(pts, G):
        J = _fd_jacobian(r, th)
        np.testing.assert_allclose(g, J.T @ J, rtol=1e-7, atol=1e-8)


def test_q4_spiral_length_matches_a_polyline_in_the_plane(checks):
    L = number(checks["q4.length"].reference).real

    def polyline(n):
        t = np.linspace(0.0, 1.0, n)
        xy = _phi(1 + t, 2 * t)
        return float(np.sum(np.hypot(*np.diff(xy, axis=1))))

    a, b = polyline(20001), polyline(40001)
    richardson = b + (b - a) / 3  # the polyline error is O(h^2)
    np.testing.assert_allclose(L, richardson, rtol=1e-10)


# ---------------------------------------------------------------- Q5
def test_q5_christoffel_symbols_match_second_derivatives_of_the_embedding(checks):
    # For a metric pulled back from flat R^2 by Phi: Gamma^k_ij = (J^-1)_ka d_i d_j Phi^a.
    rng = np.random.default_rng(5)
    pts = np.column_stack([rng.uniform(0.3, 3.0, 15), rng.uniform(-3.0, 3.0, 15)])
    env = {"r": pts[:, 0].astype(complex), "theta": pts[:, 1].astype(complex)}
    Gr = _matrix(checks["q5.gamma_r"].reference, env)
    Gt = _matrix(checks["q5.gamma_theta"].reference, env)
    h = 1e-4
    E = np.eye(2) * h
    for (r, th), gr, gt in zip(pts, Gr, Gt):
        u = np.array([r, th])
        d2 = np.zeros((2, 2, 2))  # d2[i, j] = d_i d_j Phi
        for i in range(2):
            for j in range(2):
                d2[i, j] = (_phi(*(u + E[i] + E[j])) - _phi(*(u + E[i] - E[j]))
                            - _phi(*(u - E[i] + E[j])) + _phi(*(u - E[i] - E[j]))) / (4 * h * h)
        Jinv = np.linalg.inv(_fd_jacobian(r, th))
        gamma = np.einsum("ka,ija->kij", Jinv, d2)
        np.testing.assert_allclose(gr, gamma[0], atol=1e-6)
        np.testing.assert_allclose(gt, gamma[1], atol=1e-6)


def test_q5_straight_lines_satisfy_the_geodesic_equation_with_the_reference_symbols(checks):
    t = np.linspace(-1.0, 1.0, 2001)
    p0, d = np.array([1.0, 0.5]), np.array([-0.7, 1.3])
    xy = p0[:, None] + d[:, None] * t  # a straight line, which never passes through the origin
    r, th = np.hypot(*xy), np.unwrap(np.arctan2(xy[1], xy[0]))
    dt = t[1] - t[0]
    u = np.stack([r, th])
    ud = np.gradient(u, dt, axis=1, edge_order=2)
    udd = np.gradient(ud, dt, axis=1, edge_order=2)
    env = {"r": r.astype(complex), "theta": th.astype(complex)}
    G = np.stack([_matrix(checks["q5.gamma_r"].reference, env), _matrix(checks["q5.gamma_theta"].reference, env)],
                 axis=1)  # (n, k, i, j)
    resid = udd + np.einsum("nkij,in,jn->kn", G, ud, ud)
    assert np.abs(resid[:, 5:-5]).max() < 1e-4


# ---------------------------------------------------------------- Q6
def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def test_q6_bernoulli_fisher_is_the_variance_of_the_score_by_enumeration(checks):
    tree = checks["q6.bernoulli"].reference["tree"]
    ps = np.linspace(0.05, 0.95, 19)
    got = evaluate(tree, {"p": ps.astype(complex)}).real
    for p, g in zip(ps, got):
        logpmf = lambda q, y: np.log(q if y == 1 else 1 - q)
        fisher = sum((p if y == 1 else 1 - p) * _fd(lambda q: logpmf(q, y), p) ** 2 for y in (0, 1))
        np.testing.assert_allclose(g, fisher, rtol=1e-7)


def _gauss_fisher_quadrature(mu, sigma, param="sigma", n=60):
    """E[score scoreᵀ] by Gauss-Hermite quadrature, scores by finite differences of scipy's log-density."""
    z, w = np.polynomial.hermite_e.hermegauss(n)
    w = w / w.sum()
    y = mu + sigma * z
    if param == "sigma":
        lp = lambda m, s: norm.logpdf(y, m, s)
        second = sigma
    else:  # the variance v = sigma^2
        lp = lambda m, v: norm.logpdf(y, m, np.sqrt(v))
        second = sigma ** 2
    s1 = _fd(lambda m: lp(m, second), mu)
    s2 = _fd(lambda s: lp(mu, s), second)
    S = np.stack([s1, s2])
    return (S * w) @ S.T


def test_q6_gaussian_fisher_matches_quadrature_and_monte_carlo(checks):
    ref = checks["q6.gauss"].reference
    rng = np.random.default_rng(6)
    pts = np.column_stack([rng.uniform(-2, 2, 6), rng.uniform(0.3, 3.0, 6)])
    G = _matrix(ref, {"mu": pts[:, 0].astype(complex), "sigma": pts[:, 1].astype(complex)})
    for (mu, sigma), g in zip(pts, G):
        np.testing.assert_allclose(g, _gauss_fisher_quadrature(mu, sigma), rtol=1e-6, atol=1e-6 / sigma ** 2)
    # Monte Carlo E[score scoreᵀ] at one point, with the analytic score of N(mu, sigma^2) in (mu, sigma)
    mu, sigma = pts[0]
    y = rng.normal(mu, sigma, size=400_000)
    S = np.stack([(y - mu) / sigma ** 2, (y - mu) ** 2 / sigma ** 3 - 1 / sigma])
    mc = S @ S.T / len(y)
    np.testing.assert_allclose(G[0], mc, rtol=0.03, atol=0.02 / sigma ** 2)


# ---------------------------------------------------------------- Q7
def test_q7_natural_step_minimises_the_local_quadratic_model(checks):
    for (theta, g, F, lr), ref in _calls(checks["q7.step"]):
        assert not np.allclose(F, np.diag(np.diag(F)))  # a non-diagonal Fisher matrix
        model = lambda t: g @ (t - theta) + (t - theta) @ F @ (t - theta) / (2 * lr)
        grad = lambda t: g + F @ (t - theta) / lr
        res = minimize(model, theta, jac=grad, method="BFGS", options={"gtol": 1e-13, "maxiter": 1000})
        np.testing.assert_allclose(ref, res.x, rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------- Q8
def _mobius_add(a, b):
    ab, aa, bb = a @ b, a @ a, b @ b
    return ((1 + 2 * ab + bb) * a + (1 - aa) * b) / (1 + 2 * ab + aa * bb)


def test_q8_poincare_distance_by_mobius_translation_and_integration_of_the_metric(checks):
    for (u, v), ref in _calls(checks["q8.dist"]):
        ref = float(ref)
        # isometry x -> (-u) (+) x moves u to 0; then d(0, w) = 2 artanh |w| (integral of 2/(1-t^2))
        w = _mobius_add(-u, v)
        np.testing.assert_allclose(ref, 2 * np.arctanh(np.linalg.norm(w)), rtol=1e-9)
        np.testing.assert_allclose(ref, quad(lambda t: 2 / (1 - t * t), 0, np.linalg.norm(w), epsabs=1e-13)[0],
                                   rtol=1e-9)
        # the straight segment from u to v is a curve, so its hyperbolic length is an upper bound
        seg = quad(lambda t: 2 * np.linalg.norm(v - u) / (1 - np.sum((u + t * (v - u)) ** 2)), 0, 1,
                   epsabs=1e-12, epsrel=1e-12)[0]
        assert ref <= seg + 1e-9
        if np.allclose(u, 0):  # through the origin the segment is the geodesic
            np.testing.assert_allclose(ref, seg, rtol=1e-9)


# ---------------------------------------------------------------- Q9
def test_q9_fisher_rao_distance_matches_quadrature_of_sqrt_fisher(checks):
    for (p, q), ref in _calls(checks["q9.dist"]):
        integral = quad(lambda t: 1 / np.sqrt(t * (1 - t)), min(p, q), max(p, q), epsabs=1e-13, epsrel=1e-12)[0]
        np.testing.assert_allclose(float(ref), integral, rtol=1e-8, atol=1e-10)


# ---------------------------------------------------------------- Q10
def test_q10_statements_decided_independently(checks):
    truth = {}
    # (a) reparametrisation rule, checked on the Gaussian with (mu, v) -> (mu, sigma): J = diag(1, 2 sigma)
    mu, sigma = 0.3, 1.7
    J = np.diag([1.0, 2 * sigma])
    Fv = _gauss_fisher_quadrature(mu, sigma, param="v")
    Fs = _gauss_fisher_quadrature(mu, sigma, param="sigma")
    truth["a"] = np.allclose(Fs, J.T @ Fv @ J, rtol=1e-6)
    # (b) a gradient step on L(sigma) = (sigma - 2)^2 at sigma = 0.5, run in sigma and in s = log sigma
    eps, s0 = 1e-6, 0.5
    dL = lambda s: 2 * (s - 2)
    step_sigma = -eps * dL(s0)
    step_via_log = np.exp(np.log(s0) - eps * s0 * dL(s0)) - s0
    truth["b"] = bool(np.isclose(step_sigma, step_via_log, rtol=1e-3))
    # (c) the plane: Christoffel symbols vanish in Cartesian coordinates (constant metric), not in polar ones
    env = {"r": np.array([1.5 + 0j]), "theta": np.array([0.4 + 0j])}
    polar = np.concatenate([_matrix(checks["q5.gamma_r"].reference, env).ravel(),
                            _matrix(checks["q5.gamma_theta"].reference, env).ravel()])
    truth["c"] = bool(np.allclose(polar, 0))
    # (d) angle sum of random geodesic triangles on the unit sphere
    rng = np.random.default_rng(10)
    sums = []
    for _ in range(20):
        P = [_unit(rng.normal(size=3)) for _ in range(3)]
        total = 0.0
        for i in range(3):
            a, b, c = P[i], P[(i + 1) % 3], P[(i + 2) % 3]
            tb, tc = _unit(b - (b @ a) * a), _unit(c - (c @ a) * a)  # tangent directions of the sides at a
            total += np.arccos(np.clip(tb @ tc, -1, 1))
        sums.append(total)
    truth["d"] = min(sums) > np.pi
    # (e) d(0, x) = integral of 2/(1-t^2) from 0 to |x| grows without bound
    ds = [quad(lambda t: 2 / (1 - t * t), 0, 1 - 10.0 ** -k)[0] for k in (2, 4, 6, 8)]
    truth["e"] = all(b > a + 4 for a, b in zip(ds, ds[1:]))
    want = {k for k, v in truth.items() if v}
    got = {i["v"] for i in checks["q10.statements"].reference["items"]}
    assert got == want
