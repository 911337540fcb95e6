"""ps03_calculus: every reference answer in the built key, verified a second, independent way (finite differences
of the original scalar or vector function, sympy differentiation, brute-force sampling)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from graders.comparators import array
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps03_calculus"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


_calls = reference_calls


def _fd_grad(f, x, h=1e-6):
    """Central-difference gradient of a scalar function of an array of any shape."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        g[idx] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def _fd_jac(F, x, h=1e-6):
    """Central-difference Jacobian (rows: outputs, columns: inputs) of a vector function of a vector."""
    x = np.asarray(x, dtype=float)
    cols = [(F(x + h * e) - F(x - h * e)) / (2 * h) for e in np.eye(len(x))]
    return np.stack(cols, axis=1)


def test_q1_gradient_of_quadratic_form_matches_finite_differences(checks):
    for (A, x), ref in _calls(checks["q1.grad"]):
        assert not np.allclose(A, A.T)  # the point of the problem
        np.testing.assert_allclose(ref, _fd_grad(lambda y: y @ A @ y, x), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("cid", ["q2.grad", "q2.square"])
def test_q2_least_squares_gradient_matches_finite_differences(checks, cid):
    for (A, b, x), ref in _calls(checks[cid]):
        f = lambda y: float(np.sum((A @ y - b) ** 2))
        np.testing.assert_allclose(ref, _fd_grad(f, x), rtol=1e-6, atol=1e-6)
    if cid == "q2.grad":
        assert all(A.shape[0] != A.shape[1] for (A, _b, _x), _r in _calls(checks[cid]))


def test_q3_norm_gradient_matches_sympy_diff_and_finite_differences(checks):
    ref = checks["q3.grad_norm"].reference
    assert ref["shape"] == [3, 1]
    rng = np.random.default_rng(0)
    pts = rng.uniform(-2, 2, size=(20, 3))
    env = {f"v{i + 1}": pts[:, i].astype(complex) for i in range(3)}
    got = np.stack([evaluate(t, env).real for t in ref["items"]], axis=1)  # (20, 3)
    s = sp.symbols("v1 v2 v3", real=True)
    norm = sp.sqrt(sum(si ** 2 for si in s))
    diff = sp.lambdify(s, [sp.diff(norm, si) for si in s], "numpy")
    sym = np.array([diff(*p) for p in pts])
    fd = np.array([_fd_grad(np.linalg.norm, p) for p in pts])
    np.testing.assert_allclose(got, sym, rtol=1e-10)
    np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-8)


def test_q4_jacobian_matches_sympy_and_finite_differences(checks):
    x, y, z = sp.symbols("x y z")
    Fs = sp.Matrix([x ** 2 * y + sp.sin(x * z), sp.exp(x * y) - y * z ** 2])
    Jsym = sp.lambdify((x, y, z), Fs.jacobian([x, y, z]), "numpy")
    F = lambda p: np.array([p[0] ** 2 * p[1] + np.sin(p[0] * p[2]), np.exp(p[0] * p[1]) - p[1] * p[2] ** 2])
    for (p,), ref in _calls(checks["q4.jacobian"]):
        assert ref.shape == (2, 3)
        np.testing.assert_allclose(ref, _fd_jac(F, p), rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(ref, np.array(Jsym(*p), dtype=float), rtol=1e-12)


def test_q5_logdet_gradient_matches_finite_differences(checks):
    for (X,), ref in _calls(checks["q5.grad"]):
        assert np.linalg.det(X) > 0 and not np.allclose(X, X.T)
        f = lambda M: np.linalg.slogdet(M)[1]
        np.testing.assert_allclose(ref, _fd_grad(f, X), rtol=1e-5, atol=1e-7)


def test_q6_logistic_hessian_matches_second_differences_of_the_loss(checks):
    for (X, w), ref in _calls(checks["q6.hessian"]):
        y = (np.arange(len(X)) % 2).astype(float)  # the Hessian does not depend on the labels
        L = lambda v: float(np.sum(np.logaddexp(0.0, X @ v) - y * (X @ v)))
        d, h = len(w), 1e-4
        H = np.zeros((d, d))
        E = np.eye(d) * h
        for i in range(d):
            for j in range(d):
                H[i, j] = (L(w + E[i] + E[j]) - L(w + E[i] - E[j]) - L(w - E[i] + E[j]) + L(w - E[i] - E[j])) / (4 * h * h)
        np.testing.assert_allclose(ref, H, rtol=1e-4, atol=1e-6)
        assert np.linalg.eigvalsh(ref).min() > 0  # PSD (here PD: X has full column rank)


def test_q7_critical_points_and_statements_by_sympy_and_sampling(checks):
    x, y = sp.symbols("x y")
    f = x ** 2 * y + x * y ** 2
    sols = sp.solve([sp.diff(f, x), sp.diff(f, y)], [x, y], dict=True)
    pts = sorted({(float(s[x]), float(s[y])) for s in sols})
    np.testing.assert_allclose(array(checks["q7.points"].reference), np.array(pts), atol=1e-12)
    # the statements, decided independently
    H0 = sp.hessian(f, (x, y)).subs({x: 0, y: 0})
    fn = sp.lambdify((x, y), f, "numpy")
    rng = np.random.default_rng(1)
    truth = {}
    truth["a"] = H0 == sp.zeros(2, 2)
    for r in (1e-1, 1e-3, 1e-5):
        vals = fn(*rng.uniform(-r, r, size=(2, 2000)))
        assert vals.min() < 0 < vals.max()  # both signs in every neighbourhood
    truth["b"] = truth["c"] = False
    truth["d"] = True
    truth["e"] = not truth["a"] and H0.det() != 0  # a zero Hessian: the test is inconclusive
    want = {k for k, v in truth.items() if v}
    got = {i["v"] for i in checks["q7.statements"].reference["items"]}
    assert got == want


def test_q8_taylor_polynomial_matches_sympy_derivatives_and_has_cubic_error(checks):
    tree = checks["q8.taylor"].reference["tree"]
    x, y = sp.symbols("x y")
    f = sp.exp(x) * sp.cos(y)
    at0 = {x: 0, y: 0}
    T = f.subs(at0) + sum(sp.diff(f, v).subs(at0) * v for v in (x, y)) + sp.Rational(1, 2) * sum(
        sp.diff(f, u, v).subs(at0) * u * v for u in (x, y) for v in (x, y))
    Tn = sp.lambdify((x, y), T, "numpy")
    rng = np.random.default_rng(2)
    px, py = rng.uniform(-2, 2, size=(2, 30))
    got = evaluate(tree, {"x": px.astype(complex), "y": py.astype(complex)}).real
    np.testing.assert_allclose(got, Tn(px, py), rtol=1e-12)
    # the remainder is O(r^3): halving r divides the error by about 8
    u = np.array([0.6, -0.8])
    err = []
    for r in (1e-1, 5e-2, 2.5e-2):
        a, b = r * u
        t = evaluate(tree, {"x": np.array([a], complex), "y": np.array([b], complex)}).real[0]
        err.append(abs(np.exp(a) * np.cos(b) - t))
    assert 6 < err[0] / err[1] < 10 and 6 < err[1] / err[2] < 10


def test_q9_softmax_jacobian_matches_finite_differences(checks):
    def softmax(z):
        e = np.exp(z - z.max())
        return e / e.sum()
    for (z,), ref in _calls(checks["q9.jacobian"]):
        np.testing.assert_allclose(ref, _fd_jac(softmax, z), rtol=1e-6, atol=1e-9)


def test_q10_backprop_gradient_matches_finite_differences(checks):
    for (W1, W2, x, t), ref in _calls(checks["q10.grad"]):
        assert ref.shape == W1.shape and W1.shape[0] != W1.shape[1]
        loss = lambda M: 0.5 * float(np.sum((W2 @ np.tanh(M @ x) - t) ** 2))
        np.testing.assert_allclose(ref, _fd_grad(loss, W1), rtol=1e-6, atol=1e-8)
