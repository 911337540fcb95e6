"""ps13_learning_theory: every reference answer in the built key, verified a second, independent way (linear-programming
feasibility of every labelling for the VC dimensions, a grid search over rectangles, popcount enumeration for
Sauer-Shelah, high-precision inequality checks for the PAC sizes, exact enumeration and Monte Carlo for the
Rademacher complexities, the exact hat matrix of polynomial least squares for the bias-variance simulation,
entropies with scipy.stats for the information quantities)."""
from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.stats import entropy

from graders.comparators import array, number
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps13_learning_theory"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


_calls = reference_calls  # a np.random.Generator argument decodes as None


# ---------------------------------------------------------------- Q1: shattering by linear programming / enumeration
def _halfspace_realisable(X, y, bias):
    """Is there (w, b) with w.x + b >= 0 on y = 1 and < 0 on y = 0 (b = 0 if not bias)? LP: maximise the margin t
    on the negatives, with a box on (w, b)."""
    n, d = X.shape
    nv = d + (1 if bias else 0) + 1                      # variables (w, [b], t)
    A, ub = [], []
    for x, lab in zip(X, y):
        row = np.concatenate([x, [1.0] if bias else [], [0.0]])
        if lab:
            A.append(-row); ub.append(0.0)               # -(w.x + b) <= 0
        else:
            r = row.copy(); r[-1] = 1.0; A.append(r); ub.append(0.0)   # w.x + b + t <= 0
    bounds = [(-1, 1)] * (nv - 1) + [(0, 1)]
    c = np.zeros(nv); c[-1] = -1.0
    res = linprog(c, A_ub=np.array(A), b_ub=np.array(ub), bounds=bounds, method="highs")
    return (not any(lab == 0 for lab in y)) or (res.status == 0 and -res.fun > 1e-9)


def _shattered_linear(X, bias):
    return all(_halfspace_realisable(X, y, bias) for y in itertools.product([0, 1], repeat=len(X)))


def _labellings_1d(points, k_intervals=None, threshold=False):
    """Labellings of sorted 1-D points by thresholds or by unions of <= k intervals (only the order matters)."""
    n = len(points)
    out = set()
    for y in itertools.product([0, 1], repeat=n):
        if threshold:
            ok = all(y[i] <= y[i + 1] for i in range(n - 1))   # 1[x >= t] is monotone along the line
        else:
            runs = sum(1 for i in range(n) if y[i] == 1 and (i == 0 or y[i - 1] == 0))
            ok = runs <= k_intervals
        if ok:
            out.add(y)
    return out


def _rect_labellings_grid(P):
    """Labellings of P realised by closed rectangles whose edges lie on a grid of candidate values."""
    P = np.asarray(P, float)
    cand = []
    for j in range(2):
        v = np.unique(P[:, j])
        cand.append(np.concatenate([[v[0] - 1], v, (v[:-1] + v[1:]) / 2, [v[-1] + 1]]))
    out = set()
    for a1, b1 in itertools.combinations_with_replacement(sorted(cand[0]), 2):
        for a2, b2 in itertools.combinations_with_replacement(sorted(cand[1]), 2):
            inside = (P[:, 0] >= a1) & (P[:, 0] <= b1) & (P[:, 1] >= a2) & (P[:, 1] <= b2)
            out.add(tuple(inside.astype(int)))
    out.add((0,) * len(P))
    return out


def test_q1_vc_dimensions_by_shattering(checks):
    ref = array(checks["q1.vc_dims"].reference).real.astype(int).tolist()
    rng = np.random.default_rng(0)
    a, b, c, d, e, f, g = ref
    # (a), (b), (g) on the line: only the order of the points matters, so one set of each size decides
    for dim, kw in [(a, dict(threshold=True)), (b, dict(k_intervals=1)), (g, dict(k_intervals=3))]:
        assert len(_labellings_1d(range(dim), **kw)) == 2 ** dim
        assert len(_labellings_1d(range(dim + 1), **kw)) < 2 ** (dim + 1)
    # (c) half-planes: 3 points in general position are shattered; random 4-point sets are not (Radon)
    assert _shattered_linear(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), bias=True) and c == 3
    for _ in range(5):
        assert not _shattered_linear(rng.normal(size=(c + 1, 2)), bias=True)
    # (e) affine classifiers on R^7: 0 and the basis vectors are shattered; random 9-point sets are not
    X8 = np.vstack([np.zeros(7), np.eye(7)])
    assert e == 8 and _shattered_linear(X8, bias=True)
    assert not _shattered_linear(rng.normal(size=(9, 7)), bias=True)
    # (f) homogeneous classifiers on R^7: the basis is shattered; 8 random points are not
    assert f == 7 and _shattered_linear(np.eye(7), bias=False)
    assert not _shattered_linear(rng.normal(size=(8, 7)), bias=False)
    # (d) rectangles: a diamond is shattered; random 5-point sets are not
    assert d == 4
    assert len(_rect_labellings_grid([[0, 1], [1, 0], [0, -1], [-1, 0]])) == 16
    for _ in range(20):
        assert len(_rect_labellings_grid(rng.normal(size=(5, 2)))) < 32


# ---------------------------------------------------------------- Q2
def test_q2_reference_points_are_shattered_and_mistake_counts(checks):
    assert int(number(checks["q2.labellings"].reference).real) == 16
    # the mistake values quoted in the probe: corners of a rectangle and collinear points
    assert len(_rect_labellings_grid([[0, 0], [1, 0], [0, 1], [1, 1]])) == 10
    assert len(_rect_labellings_grid([[0, 0], [1, 1], [2, 2], [3, 3]])) == 11
    # the reference configuration itself (read from the notebook's solution) shattered by the grid search
    import nbformat
    src = nbformat.read(ROOT / "source" / PS / f"{PS}.ipynb", 4)
    code = next(c.source for c in src.cells if c.get("id") == "q2_answer")
    ns = {"np": np}
    exec(code.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), ns)
    assert len(_rect_labellings_grid(ns["rect_points"])) == 16


# ---------------------------------------------------------------- Q3
def test_q3_sauer_shelah_by_counting_subsets(checks):
    for (m, d), ref in _calls(checks["q3.sauer"]):
        m, d = int(m.real), int(d.real)
        masks = np.arange(2 ** m, dtype=np.int64)
        pop = np.zeros_like(masks)
        for i in range(m):
            pop += (masks >> i) & 1
        assert int(ref.real) == int(np.sum(pop <= d)), (m, d)
    ref10 = [int(r.real) for (m, d), r in _calls(checks["q3.sauer"]) if (int(m.real), int(d.real)) == (10, 3)]
    assert ref10 == [176]
    # intervals (VC dimension 2) attain the bound: 1 + m(m+1)/2 labellings on m points of a line
    for m in range(1, 8):
        assert len(_labellings_1d(range(m), k_intervals=1)) == sum(1 for k in range(m + 1) for _ in
                                                                    itertools.combinations(range(m), k) if k <= 2)


# ---------------------------------------------------------------- Q4
def test_q4_pac_sizes_are_the_smallest_integers(checks):
    mpmath.mp.dps = 50
    for name, lhs in [("q4.realizable", lambda H, e, d, m: H * mpmath.e ** (-e * m) <= d),
                      ("q4.agnostic", lambda H, e, d, m: 2 * H * mpmath.e ** (-2 * m * e ** 2) <= d)]:
        for (H, eps, delta), ref in _calls(checks[name]):
            H, eps, delta = mpmath.mpf(int(H.real)), mpmath.mpf(str(eps.real)), mpmath.mpf(str(delta.real))
            m = int(ref.real)
            assert lhs(H, eps, delta, m) and not lhs(H, eps, delta, m - 1), (name, m)
    # the catalogue's case |H| = 1000, eps = 0.1, delta = 0.05
    for name, want in [("q4.realizable", 100), ("q4.agnostic", 530)]:
        got = [int(ref.real) for (H, eps, delta), ref in _calls(checks[name])
               if (int(H.real), float(eps.real), float(delta.real)) == (1000, 0.1, 0.05)]
        assert got == [want], (name, got)


# ---------------------------------------------------------------- Q5
def test_q5_rademacher_by_loop_and_monte_carlo(checks):
    rng = np.random.default_rng(5)
    for (A,), ref in _calls(checks["q5.rademacher"]):
        A = A.real
        k, m = A.shape
        exact = 0.0
        for code in range(2 ** m):
            s = [(-1) ** ((code >> i) & 1) for i in range(m)]
            exact += max(sum(s[i] * A[j, i] for i in range(m)) for j in range(k))
        exact /= (2 ** m * m)
        np.testing.assert_allclose(ref.real, exact, rtol=1e-10, atol=1e-12)
        S = rng.choice([-1.0, 1.0], size=(100000, m))
        vals = np.max(S @ A.T, axis=1) / m
        assert abs(vals.mean() - ref.real) < 5 * vals.std() / np.sqrt(len(vals)) + 1e-12
        # Massart's lemma
        assert ref.real <= np.max(np.linalg.norm(A, axis=1)) * np.sqrt(2 * np.log(max(k, 1))) / m + 1e-12
    # exact rational check on the ±1 input
    (A,), ref = _calls(checks["q5.rademacher"])[0]
    A = A.real.astype(int)
    m = A.shape[1]
    tot = sum(max(int(np.dot(s, row)) for row in A) for s in itertools.product([-1, 1], repeat=m))
    assert abs(float(Fraction(tot, 2 ** m * m)) - ref.real) < 1e-12


# ---------------------------------------------------------------- Q6
def test_q6_monte_carlo_matches_exact_enumeration_and_bound(checks):
    for (X, B, _rng, n), ref in _calls(checks["q6.mc"]):
        X, B = X.real, float(B.real)
        m = X.shape[0]
        S = np.array(list(itertools.product([-1.0, 1.0], repeat=m)))
        exact = B * np.mean(np.linalg.norm(S @ X, axis=1)) / m
        np.testing.assert_allclose(ref.real, exact, rtol=0.015)
        assert exact <= B * np.sqrt(np.trace(X @ X.T)) / m  # Jensen
    for (X, B), ref in _calls(checks["q6.bound"]):
        X, B = X.real, float(B.real)
        frob = np.sqrt(sum(float(np.dot(x, x)) for x in X))
        np.testing.assert_allclose(ref.real, B * frob / X.shape[0], rtol=1e-12)


# ---------------------------------------------------------------- Q7
def test_q7_decomposition_by_loops_and_identity(checks):
    for (P, f, nv), ref in _calls(checks["q7.decomposition"]):
        P, f, nv = P.real, f.real, float(nv.real)
        T, n = P.shape
        b2 = sum((sum(P[t, j] for t in range(T)) / T - f[j]) ** 2 for j in range(n)) / n
        var = sum(sum((P[t, j] - P[:, j].mean()) ** 2 for t in range(T)) / T for j in range(n)) / n
        np.testing.assert_allclose(ref.real, [b2, var, b2 + var + nv], rtol=1e-10, atol=1e-12)
        # the decomposition identity: bias² + variance = the mean squared error of the predictions
        np.testing.assert_allclose(ref.real[2], np.mean((P - f) ** 2) + nv, rtol=1e-10)


# ---------------------------------------------------------------- Q8
def _exact_bias_var(deg, sigma=0.3):
    xa, xb = np.linspace(0, 1, 20), np.linspace(0.025, 0.975, 20)
    H = np.vander(xb, deg + 1) @ np.linalg.pinv(np.vander(xa, deg + 1))   # predictions = H y (linear smoother)
    b2 = np.mean((H @ np.sin(2 * np.pi * xa) - np.sin(2 * np.pi * xb)) ** 2)
    return b2, sigma ** 2 * np.mean(np.sum(H ** 2, axis=1))


def test_q8_simulation_matches_hat_matrix(checks):
    for (deg, seed, T), ref in _calls(checks["q8.simulation"]):
        b2, var = _exact_bias_var(int(deg.real))
        T = int(T.real)
        # bias² of the simulated mean is inflated by variance / T on average
        np.testing.assert_allclose(ref.real[0], b2 + var / T, rtol=0.05, atol=3e-4)
        np.testing.assert_allclose(ref.real[1], var, rtol=0.04)


def test_q8_best_degree_from_exact_risk(checks):
    risks = [sum(_exact_bias_var(d)) + 0.09 for d in range(10)]
    best = int(np.argmin(risks))
    assert int(number(checks["q8.best_degree"].reference).real) == best
    second = sorted(risks)[1]
    assert second - risks[best] > 5e-4  # a clear margin over the Monte Carlo error of 2000 trials


# ---------------------------------------------------------------- Q9
def test_q9_mutual_information_by_entropies(checks):
    for (p,), ref in _calls(checks["q9.mutual_information"]):
        p = p.real
        mi = entropy(p.sum(1), base=2) + entropy(p.sum(0), base=2) - entropy(p.ravel(), base=2)
        np.testing.assert_allclose(ref.real, mi, rtol=1e-10, atol=1e-12)
    info = array(checks["q9.info"].reference).real
    pxy = np.array([[0.22, 0.08], [0.06, 0.14], [0.03, 0.07], [0.25, 0.15]])
    hx, hy = entropy(pxy.sum(1), base=2), entropy(pxy.sum(0), base=2)
    pty = np.array([pxy[0] + pxy[3], pxy[1] + pxy[2]])
    ht = entropy(pty.sum(1), base=2)
    np.testing.assert_allclose(info[0], hx + hy - entropy(pxy.ravel(), base=2), rtol=1e-10)
    np.testing.assert_allclose(info[1], ht + hy - entropy(pty.ravel(), base=2), rtol=1e-10)
    np.testing.assert_allclose(info[2], ht, rtol=1e-10)          # I(X;T) = H(T) for a deterministic encoder
    assert info[1] <= info[0] and info[2] <= hx                  # data processing
