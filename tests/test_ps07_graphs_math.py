"""ps07_graphs: every reference answer in the built key, verified a second, independent way (quadratic forms and
polarisation, graph search, brute-force enumeration of spanning trees, characteristic polynomials, power iteration
and Monte Carlo simulation of random walks and of the random surfer). networkx is not used."""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from graders.comparators import array, number
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps07_graphs"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


_calls = reference_calls


def _edges(A):
    """The undirected edges (i < j) with their weights."""
    n = len(A)
    return [(i, j, A[i, j]) for i in range(n) for j in range(i + 1, n) if A[i, j] != 0]


def _components(A):
    """Connected components by union-find over the edge list."""
    parent = list(range(len(A)))

    def find(u):
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for i, j, _w in _edges(A):
        parent[find(i)] = find(j)
    return len({find(u) for u in range(len(A))})


def _spanning_trees_brute(A):
    """Count the (n-1)-edge subsets that connect all n nodes (and are therefore trees)."""
    n = len(A)
    E = _edges(A)
    count = 0
    for sub in itertools.combinations(E, n - 1):
        B = np.zeros_like(A)
        for i, j, _w in sub:
            B[i, j] = B[j, i] = 1.0
        count += _components(B) == 1
    return count


def test_q1_laplacian_is_the_matrix_of_the_edge_quadratic_form(checks):
    for (A,), L in _calls(checks["q1.laplacian"]):
        def q(x):
            return sum(w * (x[i] - x[j]) ** 2 for i, j, w in _edges(A))
        n = len(A)
        E = np.eye(n)
        # polarisation: a symmetric matrix is determined by its quadratic form
        polar = np.array([[(q(E[i] + E[j]) - q(E[i]) - q(E[j])) / 2 for j in range(n)] for i in range(n)])
        np.testing.assert_allclose(L, L.T, atol=1e-14)
        np.testing.assert_allclose(L, polar, rtol=1e-12, atol=1e-12)
        x = np.random.default_rng(0).normal(size=n)
        assert np.isclose(x @ L @ x, q(x))
        assert len(set(A.sum(axis=1))) > 1  # irregular, so the normalised Laplacian differs


def test_q2_components_match_union_find(checks):
    counts = []
    for (A,), ref in _calls(checks["q2.components"]):
        counts.append(_components(A))
        assert int(ref.real) == counts[-1]
    assert len(set(counts)) > 1 and max(counts) >= 3


def test_q3_path_spectrum_from_the_characteristic_polynomial(checks):
    ref = sorted(array(checks["q3.path"].reference).real)
    lam = sp.symbols("lam")
    L = sp.Matrix([[1, -1, 0], [-1, 2, -1], [0, -1, 1]])
    roots = sorted(float(r) for r in sp.solve((L - lam * sp.eye(3)).det(), lam))
    np.testing.assert_allclose(ref, roots, atol=1e-10)


def test_q3_cycle_eigenvalue_matches_the_laplacian_of_C_n(checks):
    tree = checks["q3.cycle"].reference["tree"]
    for n in range(3, 13):
        L = 2 * np.eye(n) - np.roll(np.eye(n), 1, axis=1) - np.roll(np.eye(n), -1, axis=1)
        ks = np.arange(n)
        lam = evaluate(tree, {"k": ks.astype(complex), "n": np.full(n, n, dtype=complex)})
        np.testing.assert_allclose(lam.imag, 0, atol=1e-12)
        # each formula value is the eigenvalue of the Fourier vector v_k ...
        for k in ks:
            v = np.exp(2j * np.pi * np.arange(n) * k / n)
            np.testing.assert_allclose(L @ v, lam[k] * v, atol=1e-10)
        # ... and together they are the whole spectrum
        np.testing.assert_allclose(np.sort(lam.real), np.linalg.eigvalsh(L), atol=1e-10)


def test_q4_gcn_matrix_entrywise_and_its_perron_vector(checks):
    for (A,), H in _calls(checks["q4.propagation"]):
        n = len(A)
        dt = [1 + sum(A[i, j] for j in range(n)) for i in range(n)]
        want = np.array([[((i == j) + A[i, j]) / np.sqrt(dt[i] * dt[j]) for j in range(n)] for i in range(n)])
        np.testing.assert_allclose(H, want, rtol=1e-12)
        np.testing.assert_allclose(H @ np.sqrt(dt), np.sqrt(dt), rtol=1e-12)  # eigenvalue 1, eigenvector D̃^{1/2}1
        w = np.linalg.eigvalsh(H)
        assert w.max() == pytest.approx(1.0) and w.min() > -1


def test_q5_spanning_trees_by_brute_force_enumeration(checks):
    K4 = np.ones((4, 4)) - np.eye(4)
    assert number(checks["q5.K4"].reference).real == pytest.approx(_spanning_trees_brute(K4))
    assert _spanning_trees_brute(K4) == 4 ** 2  # Cayley
    counts = []
    for (A,), ref in _calls(checks["q5.count"]):
        counts.append(_spanning_trees_brute(A))
        assert float(ref.real) == pytest.approx(counts[-1], abs=1e-6)
    assert 0 in counts and len(set(counts)) == len(counts)


def _walk(A):
    return A / A.sum(axis=1)[:, None]


def test_q6_stationary_distribution_by_power_iteration_and_simulation(checks):
    A = np.zeros((6, 6))
    for i, j in [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (4, 5)]:
        A[i, j] = A[j, i] = 1.0
    pi = array(checks["q6.pi"].reference)
    P = _walk(A)
    p = np.eye(6)[5]
    for _ in range(2000):  # the graph has a triangle (not bipartite): the walk itself converges
        p = p @ P
    np.testing.assert_allclose(pi, p, rtol=1e-10)
    # simulation: occupation frequencies and excursion lengths from node 3
    rng = np.random.default_rng(6)
    nbrs = [np.nonzero(A[i])[0] for i in range(6)]
    steps = 300_000
    u = rng.random(steps)
    visits = np.zeros(6)
    node, last3, excursions = 3, 0, []
    for t in range(steps):
        nb = nbrs[node]
        node = nb[int(u[t] * len(nb))]
        visits[node] += 1
        if node == 3:
            excursions.append(t + 1 - last3)
            last3 = t + 1
    np.testing.assert_allclose(visits / steps, pi, atol=0.01)
    rt = number(checks["q6.return_time"].reference).real
    assert np.mean(excursions) == pytest.approx(rt, rel=0.04)
    assert rt != pytest.approx(6.0)  # not the uniform answer


def _mp_loop(X, A, Ws, Wn):
    out = []
    for i in range(len(X)):
        nb = [j for j in range(len(X)) if A[i, j] != 0]
        if nb:
            m = sum(A[i, j] * X[j] for j in nb) / sum(A[i, j] for j in nb)
        else:
            m = np.zeros(X.shape[1])
        out.append([max(t, 0.0) for t in X[i] @ Ws + m @ Wn])
    return np.array(out)


def test_q7_message_passing_layer_node_by_node(checks):
    isolated = False
    for (X, A, Ws, Wn), ref in _calls(checks["q7.layer"]):
        np.testing.assert_allclose(ref, _mp_loop(X, A, Ws, Wn), rtol=1e-12, atol=1e-14)
        isolated |= bool(np.any(A.sum(axis=1) == 0))
        assert Ws.shape[0] != Ws.shape[1] or X.shape[1] == Ws.shape[0]
    assert isolated


def test_q7_equivariance_reference_is_the_layer_on_the_original_labels(checks):
    for (X, A, Ws, Wn, perm), ref in _calls(checks["q7.equivariance"]):
        perm = perm.astype(int)
        assert sorted(perm) == list(range(len(X))) and not np.array_equal(perm, np.arange(len(X)))
        np.testing.assert_allclose(ref, _mp_loop(X, A, Ws, Wn), rtol=1e-12, atol=1e-14)
        # and directly: the layer on the relabelled graph is the relabelled output
        Pm = np.eye(len(X))[perm]
        np.testing.assert_allclose(_mp_loop(Pm @ X, Pm @ A @ Pm.T, Ws, Wn), Pm @ ref, rtol=1e-12, atol=1e-14)


def _surfer_step(A, alpha, r):
    """One step of the random surfer, written from the description (links i -> j, dangling pages jump)."""
    n = len(A)
    new = np.full(n, 0.0)
    for i in range(n):
        links = np.nonzero(A[i])[0]
        if len(links) == 0:
            new += r[i] / n
        else:
            new[links] += alpha * r[i] / len(links)
            new += (1 - alpha) * r[i] / n
    return new


def test_q8_pagerank_by_power_iteration_of_the_surfer(checks):
    dangling = False
    for args, ref in _calls(checks["q8.pagerank"]):
        A = args[0]
        alpha = float(args[1].real) if len(args) > 1 else 0.85  # the default damping when the probe omits it
        r = np.full(len(A), 1.0 / len(A))
        for _ in range(300):
            r = _surfer_step(A, alpha, r)
        np.testing.assert_allclose(ref, r, rtol=1e-9)
        assert not np.allclose(A, A.T)
        dangling |= bool(np.any(A.sum(axis=1) == 0))
    assert dangling


def test_q8_pagerank_by_monte_carlo_surfer(checks):
    (A, *rest), ref = _calls(checks["q8.pagerank"])[0]
    alpha = float(rest[0].real) if rest else 0.85
    rng = np.random.default_rng(8)
    n, steps = len(A), 200_000
    links = [np.nonzero(A[i])[0] for i in range(n)]
    u, v = rng.random(steps), rng.random(steps)
    node, visits = 0, np.zeros(n)
    for t in range(steps):
        if len(links[node]) == 0 or u[t] >= alpha:
            node = int(v[t] * n)
        else:
            node = links[node][int(v[t] * len(links[node]))]
        visits[node] += 1
    np.testing.assert_allclose(visits / steps, ref, atol=0.01)


def test_q9_statements_decided_numerically(checks):
    rng = np.random.default_rng(9)
    graphs = []
    while len(graphs) < 30:
        n = int(rng.integers(3, 8))
        A = np.triu((rng.random((n, n)) < 0.5).astype(float), 1)
        A = A + A.T
        if np.all(A.sum(axis=1) > 0):
            graphs.append(A)
    lap = lambda A: np.diag(A.sum(axis=1)) - A
    truth = {}
    truth["a"] = all(np.linalg.eigvalsh(lap(A)).min() > -1e-10 for A in graphs)
    truth["b"] = all(np.sum(np.abs(np.linalg.eigvalsh(A)) < 1e-9) == _components(A) for A in graphs)
    C4 = np.roll(np.eye(4), 1, axis=1) + np.roll(np.eye(4), -1, axis=1)  # the counterexample named in the hint
    assert np.sum(np.abs(np.linalg.eigvalsh(C4)) < 1e-9) == 2 != _components(C4)

    def converges(A):
        P = _walk(A)
        Pt = np.linalg.matrix_power(P, 500)
        return np.allclose(Pt, (A.sum(axis=1) / A.sum())[None, :], atol=1e-8)

    def bipartite(A):
        return np.isclose(np.linalg.eigvalsh(A).min(), -np.linalg.eigvalsh(A).max())

    cand = [A for A in graphs if _components(A) == 1 and not bipartite(A)]
    assert len(cand) >= 5
    truth["c"] = all(converges(A) for A in cand)
    truth["d"] = all(np.allclose(_walk(A), _walk(A).T) for A in graphs)

    def same_spectrum(A):
        At = A + np.eye(len(A))
        dt = At.sum(axis=1)
        H = At / np.sqrt(np.outer(dt, dt))
        return np.allclose(np.sort(np.linalg.eigvals(At / dt[:, None]).real), np.linalg.eigvalsh(H), atol=1e-9)

    truth["e"] = all(same_spectrum(A) for A in graphs)
    want = {k for k, v in truth.items() if v}
    got = {i["v"] for i in checks["q9.true"].reference["items"]}
    assert got == want
