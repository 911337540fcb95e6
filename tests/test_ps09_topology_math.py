"""ps09_topology: every reference answer in the built key, verified a second, independent way: ranks over GF(2)
by sympy's DomainMatrix and by brute-force enumeration of row spaces, integral homology by Smith normal form
(universal coefficients for Z2 and Q), Euler-Poincare, H0 deaths by scipy's minimum spanning tree and by counting
connected components, and invariants that separate the non-homeomorphic pairs."""
from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.spatial.distance import pdist, squareform
from sympy import GF, ZZ
from sympy.matrices.normalforms import smith_normal_form
from sympy.polys.matrices import DomainMatrix

from graders.comparators import array, number
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps09_topology"

RP2 = [(0, 1, 2), (0, 2, 3), (0, 3, 4), (0, 4, 5), (0, 1, 5), (1, 2, 4), (2, 3, 5), (1, 3, 4), (2, 4, 5), (1, 3, 5)]
TORUS7 = sorted([tuple(sorted({i % 7, (i + 1) % 7, (i + 3) % 7})) for i in range(7)]
                + [tuple(sorted({i % 7, (i + 2) % 7, (i + 3) % 7})) for i in range(7)])
OCTAHEDRON = [(0, 2, 4), (0, 2, 5), (0, 3, 4), (0, 3, 5), (1, 2, 4), (1, 2, 5), (1, 3, 4), (1, 3, 5)]


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


def _py(enc):
    """Decode an encoded probe input into plain Python / numpy objects (ragged lists of tuples included)."""
    t = enc["t"]
    if t == "int":
        return int(enc["v"])
    if t == "float":
        return float(number(enc).real)
    if t == "array":
        return array(enc)
    if t == "seq":
        items = [_py(i) for i in enc["items"]]
        return tuple(items) if enc.get("kind") == "tuple" else items
    raise AssertionError(f"unexpected encoding {t}")


def _calls(check):
    return reference_calls(check, arg=_py, result=lambda enc: enc)


def _int(enc):
    return int(number(enc).real)


# ---------------------------------------------------------------- independent tools

def gf2_rank(M) -> int:
    """Rank over GF(2) with sympy's DomainMatrix (not the Gaussian elimination of the reference)."""
    M = np.asarray(M, dtype=np.int64) % 2
    if M.size == 0:
        return 0
    return DomainMatrix([[ZZ(int(x)) for x in r] for r in M], M.shape, ZZ).convert_to(GF(2)).rank()


def brute_rank(M) -> int:
    """Rank over GF(2) by enumerating the row space: it has 2**rank elements."""
    M = np.asarray(M, dtype=np.int64) % 2
    m = M.shape[0]
    if M.size == 0:
        return 0
    coeffs = (np.arange(2 ** m)[:, None] >> np.arange(m)[None, :]) & 1  # all subsets of rows
    span = (coeffs @ M) % 2
    words = {row.tobytes() for row in span.astype(np.uint8)}
    r = int(np.log2(len(words)))
    assert 2 ** r == len(words)
    return r


def levels(simplices):
    faces = {f for s in simplices for r in range(1, len(s) + 1) for f in combinations(tuple(sorted(s)), r)}
    top = max(len(f) for f in faces)
    return [sorted(f for f in faces if len(f) == k + 1) for k in range(top)]


def oriented(simps, faces):
    row = {f: i for i, f in enumerate(faces)}
    D = sp.zeros(len(faces), len(simps))
    for j, s in enumerate(simps):
        for i in range(len(s)):
            D[row[s[:i] + s[i + 1:]], j] = (-1) ** i
    return D


def integral_homology(simplices):
    """(free ranks, invariant factors) of H_k(K; Z) from Smith normal forms of the oriented boundaries."""
    lev = levels(simplices)
    n = [len(x) for x in lev]
    inv = [[]]  # invariant factors of d_0 = 0
    for k in range(1, len(lev)):
        S = smith_normal_form(oriented(lev[k], lev[k - 1]), domain=ZZ)
        inv.append([abs(int(S[i, i])) for i in range(min(S.shape)) if S[i, i] != 0])
    inv.append([])
    free = [n[k] - len(inv[k]) - len(inv[k + 1]) for k in range(len(n))]
    torsion = [[d for d in inv[k + 1] if d > 1] for k in range(len(n))]
    return free, torsion


def betti_by_uct(simplices, p=None):
    """Betti numbers over Q (p=None) or over Z_p from integral homology (universal coefficient theorem)."""
    free, tor = integral_homology(simplices)
    if p is None:
        return free
    t = [sum(1 for d in ts if d % p == 0) for ts in tor]
    return [free[k] + t[k] + (t[k - 1] if k > 0 else 0) for k in range(len(free))]


# ---------------------------------------------------------------- tests

def test_independent_tools_agree():
    rng = np.random.default_rng(0)
    for shape in [(3, 5), (6, 4), (8, 8), (1, 3)]:
        M = rng.integers(0, 3, size=shape)
        assert gf2_rank(M) == brute_rank(M)
    assert betti_by_uct(TORUS7, 2) == [1, 2, 1] and betti_by_uct(TORUS7) == [1, 2, 1]


def test_q1_euler_characteristic_by_euler_poincare_and_known_surfaces(checks):
    calls = _calls(checks["q1.chi"])
    for (simplices,), ref in calls:
        # Euler-Poincare with rational Betti numbers from Smith normal forms
        b = betti_by_uct(simplices)
        assert _int(ref) == sum((-1) ** k * x for k, x in enumerate(b))
    got = {tuple(map(tuple, s[0])): _int(r) for s, r in calls}
    assert got[tuple(OCTAHEDRON)] == 2 and got[tuple(TORUS7)] == 0 and got[tuple(RP2)] == 1


def test_q2_rank_mod2_by_sympy_gf2_and_by_enumerating_the_row_space(checks):
    differs = 0
    for (M,), ref in _calls(checks["q2.rank"]):
        assert _int(ref) == gf2_rank(M) == brute_rank(M)
        differs += _int(ref) != np.linalg.matrix_rank(M)
    assert differs >= 2  # the hidden inputs separate Z2 rank from real rank


def test_q3_boundary_entries_by_set_difference_and_d_squared_zero(checks):
    for (simps, faces), ref in _calls(checks["q3.boundary"]):
        D = array(ref)
        assert D.shape == (len(faces), len(simps))
        for i, f in enumerate(faces):
            for j, s in enumerate(simps):
                assert D[i, j] == (1 if len(set(s) - set(f)) == 1 and set(f) <= set(s) else 0)
        assert np.all(D.sum(axis=0) == len(simps[0]))
    # dd = 0 mod 2 on the RP2 pair of inputs (edges -> vertices, triangles -> edges)
    calls = {len(c[0][0][0]): c for c in _calls(checks["q3.boundary"]) if len(c[0][0]) in (10, 15)}
    (tri, edges_shuffled), D2 = calls[3][0], array(calls[3][1])
    (edges, verts), D1 = calls[2][0], array(calls[2][1])
    perm = [edges.index(e) for e in edges_shuffled]  # D1's columns follow `edges`, D2's rows `edges_shuffled`
    assert np.all((D1[:, perm] @ D2) % 2 == 0)


def test_q4_betti_by_sympy_gf2_ranks_and_smith_normal_form(checks):
    expected = {}
    for name, cx in [("torus", TORUS7), ("rp2", RP2), ("s3", list(combinations(range(5), 4))),
                     ("union", [(0, 1, 2), (3, 4), (4, 5), (5, 6), (3, 6), (7,)]),
                     ("graph", [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (2, 4), (4, 5)])]:
        expected[name] = betti_by_uct(cx, 2)
    assert expected["s3"] == [1, 0, 0, 1] and expected["union"] == [3, 1, 0] and expected["graph"] == [1, 2]
    got = []
    for (Ds,), ref in _calls(checks["q4.betti"]):
        b = [int(x) for x in array(ref)]
        n = [Ds[0].shape[0]] + [D.shape[1] for D in Ds]
        r = [0] + [gf2_rank(D) for D in Ds] + [0]
        assert b == [n[k] - r[k] - r[k + 1] for k in range(len(n))]
        assert sum((-1) ** k * x for k, x in enumerate(b)) == sum((-1) ** k * x for k, x in enumerate(n))
        got.append(b)
    assert got == [expected[k] for k in ("torus", "rp2", "union", "s3", "graph")]


def test_q5_rp2_betti_numbers_by_universal_coefficients(checks):
    free, torsion = integral_homology(RP2)
    assert free == [1, 0, 0] and torsion == [[], [2], []]  # H1(RP2; Z) = Z/2
    np.testing.assert_array_equal(array(checks["q5.z2"].reference), betti_by_uct(RP2, 2))
    np.testing.assert_array_equal(array(checks["q5.q"].reference), betti_by_uct(RP2))


def _components(points, eps):
    A = squareform(pdist(points)) <= eps
    return connected_components(A, directed=False)[0]


def test_q6_bars_by_counting_components(checks):
    x = np.array([[0.0], [1.0], [3.0], [7.0]])
    bars = array(checks["q6.bars"].reference)
    assert np.all(bars[:, 0] == 0)
    deaths = []
    for e in np.unique(pdist(x)):
        drop = _components(x, e - 1e-9) - _components(x, e)
        deaths += [e] * drop
    assert _components(x, 1e9) == 1  # one component survives: one infinite bar
    np.testing.assert_allclose(bars[:, 1], deaths + [np.inf])


def test_q7_deaths_are_scipy_mst_edge_lengths_and_component_drops(checks):
    shortcut_fails = 0
    for (X,), ref in _calls(checks["q7.deaths"]):
        d = array(ref)
        mst = np.sort(minimum_spanning_tree(squareform(pdist(X))).data)
        np.testing.assert_allclose(d, mst, rtol=1e-12)
        drops = [e for e in np.unique(pdist(X)) if _components(X, e - 1e-12) > _components(X, e)]
        np.testing.assert_allclose(d, drops, rtol=1e-12)
        shortcut_fails += not np.allclose(d, np.sort(pdist(X))[: len(X) - 1])
    assert shortcut_fails >= 2  # "the n - 1 shortest distances" is wrong on the hidden clouds


def _rips_betti_independent(X, eps):
    """(beta0, beta1): beta0 from scipy's connected components, beta1 from GF(2) ranks (sympy)."""
    n = len(X)
    D = squareform(pdist(X))
    E = [(i, j) for i, j in combinations(range(n), 2) if D[i, j] <= eps]
    T = [t for t in combinations(range(n), 3) if all(D[a, b] <= eps for a, b in combinations(t, 2))]
    pos = {e: k for k, e in enumerate(E)}
    D1 = np.zeros((n, len(E)), dtype=int)
    for k, (i, j) in enumerate(E):
        D1[[i, j], k] = 1
    D2 = np.zeros((len(E), len(T)), dtype=int)
    for k, t in enumerate(T):
        D2[[pos[e] for e in combinations(t, 2)], k] = 1
    r1, r2 = gf2_rank(D1), gf2_rank(D2)
    b0 = _components(X, eps)
    assert b0 == n - r1
    return [b0, len(E) - r1 - r2], D


def test_q8_rips_betti_by_components_and_sympy_ranks(checks):
    seen_loop = False
    for (X, eps), ref in _calls(checks["q8.betti"]):
        b, D = _rips_betti_independent(X, eps)
        assert [int(v) for v in array(ref)] == b
        gaps = np.abs(pdist(X) - eps)
        assert gaps.min() > 1e-2  # no pairwise distance near a probed scale: robust to rounding
        seen_loop |= b[1] >= 1
    assert seen_loop


def test_q8_h1_bar_by_scanning_rational_ranks(checks):
    X = np.array([[0.973, 0.003], [0.827, 0.64], [0.571, 0.782], [-0.133, 0.984], [-0.424, 0.841],
                  [-0.841, 0.512], [-0.948, -0.093], [-0.846, -0.458], [-0.507, -0.908], [-0.136, -0.955],
                  [0.563, -0.824], [0.939, -0.528]])
    b, d = array(checks["q8.bar"].reference)
    dist = np.unique(pdist(X))
    assert np.isclose(dist, b, rtol=0, atol=1e-12).any() and np.isclose(dist, d, rtol=0, atol=1e-12).any()
    # beta1 over Q with oriented matrices and numpy ranks (another field, another rank algorithm)
    def beta1_q(eps):
        E = [(i, j) for i, j in combinations(range(12), 2) if np.linalg.norm(X[i] - X[j]) <= eps]
        T = [t for t in combinations(range(12), 3) if all(np.linalg.norm(X[a] - X[c]) <= eps
                                                          for a, c in combinations(t, 2))]
        A1 = np.array(oriented(E, [(i,) for i in range(12)]), dtype=float) if E else np.zeros((12, 0))
        A2 = np.array(oriented(T, E), dtype=float) if T else np.zeros((len(E), 0))
        r1 = np.linalg.matrix_rank(A1) if E else 0
        r2 = np.linalg.matrix_rank(A2) if T else 0
        return len(E) - r1 - r2
    for e in dist:
        assert beta1_q(e) == (1 if b - 1e-12 <= e < d - 1e-12 else 0)


def test_q9_homeomorphism_classes_by_invariants(checks):
    ref = {i["v"] for i in checks["q9.homeo"].reference["items"]}
    # (b) Moebius strip vs cylinder: number of boundary circles (edges in exactly one triangle)
    def boundary_components(tris):
        edges = [e for t in tris for e in combinations(sorted(t), 2)]
        bd = [e for e in set(edges) if edges.count(e) == 1]
        verts = sorted({v for e in bd for v in e})
        A = np.zeros((len(verts), len(verts)))
        for a, c in bd:
            A[verts.index(a), verts.index(c)] = 1
        return connected_components(A, directed=False)[0]
    moebius = [(i % 5, (i + 1) % 5, (i + 2) % 5) for i in range(5)]  # 5-vertex Moebius strip
    cylinder = [(0, 1, 3), (1, 3, 4), (1, 2, 4), (2, 4, 5), (0, 2, 5), (0, 3, 5)]
    assert boundary_components(moebius) == 1 and boundary_components(cylinder) == 2
    # (d) X vs Y: the number of components left after removing the branch point is a topological invariant
    assert 4 != 3
    # (g) RP2 vs disk: Z2 Betti numbers differ although rational ones agree
    disk = [(0, 1, 2)]
    assert betti_by_uct(RP2) == betti_by_uct(disk) and betti_by_uct(RP2, 2) != betti_by_uct(disk, 2)
    # (a), (c), (e), (h) homeomorphic: consistent invariants (Betti numbers of solid torus and mug: (1, 1, 0);
    # O and D are both simple closed curves: a 4-cycle and a 3-cycle graph have (beta0, beta1) = (1, 1))
    assert betti_by_uct([(0, 1), (1, 2), (2, 3), (0, 3)]) == betti_by_uct([(0, 1), (1, 2), (0, 2)]) == [1, 1]
    assert ref == {"a", "c", "e", "h"}
