"""ps02_linear_algebra: every reference answer in the key, verified a second way (not by the solution's method)."""
from __future__ import annotations


import numpy as np
import pytest
import sympy as sp

from conftest import key_checks, reference_calls
from graders.comparators import array, number
from graders.expressions import evaluate

PS = "ps02_linear_algebra"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


def _calls(check):
    """(decoded arguments, raw reference output) for each input of a function check."""
    return reference_calls(check, arg=lambda a: array(a) if a["t"] in ("array", "seq") else number(a).real,
                           result=lambda enc: enc)


def test_q1_angle_from_the_law_of_cosines(checks):
    """θ from |u - v|² = |u|² + |v|² - 2|u||v|cos θ, in exact arithmetic."""
    u, v = sp.Matrix([1, 0, -1, 2]), sp.Matrix([3, 1, 0, 1])
    cos = (u.norm() ** 2 + v.norm() ** 2 - (u - v).norm() ** 2) / (2 * u.norm() * v.norm())
    assert number(checks["q1.angle"].reference).real == pytest.approx(float(sp.acos(cos)), rel=1e-12)


def test_q2_area_by_the_shoelace_formula(checks):
    """100 times the shoelace area of the image of the unit square."""
    A = np.array([[1.0, 3.0], [2.0, 1.0]])
    corners = (A @ np.array([[0, 1, 1, 0], [0, 0, 1, 1]], dtype=float)).T
    x, y = corners[:, 0], corners[:, 1]
    shoelace = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    assert number(checks["q2.area"].reference).real == pytest.approx(100 * shoelace)


def test_q3_largest_eigenvalue_against_numpy_at_random_points(checks):
    """The symbolic reference equals numpy's largest eigenvalue of [[a, b], [b, c]] at random points."""
    rng = np.random.default_rng(3)
    pts = rng.uniform(-3, 3, size=(200, 3))
    env = {n: pts[:, i].astype(complex) for i, n in enumerate("abc")}
    ref = evaluate(checks["q3.lam_max"].reference["tree"], env)
    want = [np.linalg.eigvalsh(np.array([[a, b], [b, c]]))[-1] for a, b, c in pts]
    assert np.allclose(ref.real, want) and np.allclose(ref.imag, 0)


def test_q4_eigenpairs_satisfy_the_definition(checks):
    """S v = λ v, V orthonormal, λ descending, and the λ are the roots of the characteristic polynomial."""
    for (S,), w_enc in _calls(checks["q4.values"]):
        w = array(w_enc)
        assert np.all(np.diff(w) < 0)
        roots = np.sort(np.roots(np.poly(S)).real)[::-1]
        assert np.allclose(w, roots)
    for (S,), V_enc in _calls(checks["q4.vectors"]):
        V = array(V_enc)
        w = np.array([v @ S @ v for v in V.T])  # Rayleigh quotients
        assert np.allclose(V.T @ V, np.eye(len(S))) and np.allclose(S @ V, V * w)


def test_q5_null_space_basis_by_rank(checks):
    """A N = 0, the columns are independent, and there are n - rank A of them (rank by Gaussian elimination)."""
    for (A,), N_enc in _calls(checks["q5.null_space"]):
        N = array(N_enc)
        rank = sp.Matrix(np.round(A, 12)).rank(iszerofunc=lambda x: abs(x) < 1e-9)
        assert N.shape == (A.shape[1], A.shape[1] - rank)
        assert np.allclose(A @ N, 0, atol=1e-9)
        if N.shape[1]:
            assert np.linalg.matrix_rank(N) == N.shape[1]


def test_q6_projector_is_symmetric_idempotent_and_fixes_col_b(checks):
    """P² = P, Pᵀ = P, P B = B, and P x - x is orthogonal to col(B) for random x."""
    rng = np.random.default_rng(6)
    for (B,), P_enc in _calls(checks["q6.projector"]):
        P = array(P_enc)
        x = rng.normal(size=B.shape[0])
        assert np.allclose(P @ P, P) and np.allclose(P, P.T) and np.allclose(P @ B, B)
        assert np.allclose(B.T @ (P @ x - x), 0)


def test_q7_rank_k_error_is_the_eckart_young_bound(checks):
    """Rank ≤ k and ‖A - A_k‖_F² = Σ_{i>k} σ_i², with σ from the eigenvalues of AᵀA."""
    for (A, k), Ak_enc in _calls(checks["q7.rank_k"]):
        Ak, k = array(Ak_enc), int(k)
        sigma2 = np.sort(np.clip(np.linalg.eigvalsh(A.T @ A), 0, None))[::-1]
        assert np.linalg.matrix_rank(Ak, tol=1e-8) <= k
        assert np.linalg.norm(A - Ak) ** 2 == pytest.approx(sigma2[k:].sum(), rel=1e-9, abs=1e-12)


def test_q8_pseudoinverse_satisfies_the_four_penrose_identities(checks):
    """The four Moore–Penrose identities hold (they characterise A⁺ uniquely)."""
    for (A,), X_enc in _calls(checks["q8.pinv"]):
        X = array(X_enc)
        assert X.shape == A.T.shape
        assert np.allclose(A @ X @ A, A) and np.allclose(X @ A @ X, X)
        assert np.allclose((A @ X).T, A @ X) and np.allclose((X @ A).T, X @ A)


def test_q9_einsum_gives_the_sum_of_fourth_powers_of_eigenvalues(checks):
    """tr(A⁴) = Σ λ_i⁴ over the (complex) eigenvalues."""
    for (A,), t_enc in _calls(checks["q9.einsum"]):
        assert number(t_enc).real == pytest.approx(np.sum(np.linalg.eigvals(A) ** 4).real, rel=1e-9)


def test_q10_true_statements_by_example_and_counterexample(checks):
    """(a), (b), (d) hold on random instances; (c) and (e) fail on explicit counterexamples."""
    assert {i["v"] for i in checks["q10.true"].reference["items"]} == {"a", "b", "d"}
    rng = np.random.default_rng(10)
    M = rng.normal(size=(4, 4))
    S = M + M.T
    w, V = np.linalg.eigh(S)
    assert np.allclose(V.T @ V, np.eye(4))  # (a)
    A = rng.normal(size=(3, 5))
    big, small = np.linalg.eigvalsh(A.T @ A), np.linalg.eigvalsh(A @ A.T)
    assert np.allclose(np.sort(big)[-3:], np.sort(small))  # (b)
    N = np.array([[0.0, 1.0], [0.0, 0.0]])
    assert np.linalg.matrix_rank(N) == 1 and np.allclose(np.linalg.eigvals(N), 0)  # (c) fails
    assert np.allclose(np.linalg.pinv(M), np.linalg.inv(M))  # (d)
    I2 = np.eye(2)
    assert np.linalg.det(I2 + I2) != np.linalg.det(I2) + np.linalg.det(I2)  # (e) fails


def test_every_key_check_is_verified_here(checks):
    """Does this file cover every check of the set?"""
    import inspect

    text = inspect.getsource(inspect.getmodule(test_every_key_check_is_verified_here))
    assert all(f'"{cid}"' in text for cid in checks), [c for c in checks if f'"{c}"' not in text]
