"""Simulated answers for ps09_topology (see personas/__init__.py)."""

_GF2_RANK = (
    "def _gf2_rank(M):\n"
    "    from sympy import GF, ZZ\n"
    "    from sympy.polys.matrices import DomainMatrix\n"
    "    M = np.asarray(M, dtype=np.int64) % 2\n"
    "    if M.size == 0:\n"
    "        return 0\n"
    "    rows = [[ZZ(int(x)) for x in r] for r in M]\n"
    "    return DomainMatrix(rows, M.shape, ZZ).convert_to(GF(2)).rank()\n"
)

_RIPS_OK = (  # self-contained (the other answer cells of a persona may be wrong on purpose)
    "def _bitrank(rows):\n"
    "    basis = {}\n"
    "    for v in rows:\n"
    "        while v:\n"
    "            h = v.bit_length()\n"
    "            if h not in basis:\n"
    "                basis[h] = v\n"
    "                break\n"
    "            v ^= basis[h]\n"
    "    return len(basis)\n"
    "def _rips_ok(X, eps, scale=1.0, tri=True):\n"
    "    X = np.asarray(X, dtype=float)\n"
    "    n = len(X)\n"
    "    D = np.linalg.norm(X[:, None] - X[None], axis=-1)\n"
    "    E = [(i, j) for i, j in combinations(range(n), 2) if D[i, j] <= scale * eps]\n"
    "    pos = {e: k for k, e in enumerate(E)}\n"
    "    T = [t for t in combinations(range(n), 3) if tri and all(D[a, b] <= scale * eps for a, b in combinations(t, 2))]\n"
    "    r1 = _bitrank([(1 << i) | (1 << j) for i, j in E])\n"
    "    r2 = _bitrank([sum(1 << pos[e] for e in combinations(t, 2)) for t in T])\n"
    "    return np.array([n - r1, len(E) - r1 - r2])\n"
    "_d = np.unique(np.linalg.norm(CIRCLE[:, None] - CIRCLE[None], axis=-1)[np.triu_indices(12, 1)])\n"
    "_b1 = [int(_rips_ok(CIRCLE, e)[1]) for e in _d]\n"
    "_i = _b1.index(1)\n"
    "_j = _i + _b1[_i:].index(0)\n"
)

OTHER_FORMS = {
    "q1_answer": "def euler_characteristic(simplices):\n"
                 "    seen = set()\n"
                 "    for s in simplices:\n"
                 "        s = list(s)\n"
                 "        for mask in range(1, 2 ** len(s)):\n"
                 "            seen.add(frozenset(v for b, v in enumerate(s) if mask >> b & 1))\n"
                 "    counts = {}\n"
                 "    for f in seen:\n"
                 "        counts[len(f)] = counts.get(len(f), 0) + 1\n"
                 "    return sum((-1) ** (k - 1) * c for k, c in counts.items())",
    # an XOR basis of the columns, stored as Python integers
    "q2_answer": "def rank_mod2(M):\n"
                 "    M = np.asarray(M, dtype=np.int64) % 2\n"
                 "    if M.ndim != 2 or M.size == 0:\n"
                 "        return 0\n"
                 "    basis = []\n"
                 "    for col in M.T:\n"
                 "        v = int(''.join(str(int(x)) for x in col), 2)\n"
                 "        for b in basis:\n"
                 "            v = min(v, v ^ b)\n"
                 "        if v:\n"
                 "            basis.append(v)\n"
                 "            basis.sort(reverse=True)\n"
                 "    return np.int64(len(basis))",
    "q3_answer": "def boundary_matrix(simplices, faces):\n"
                 "    out = np.array([[int(set(f) <= set(s)) for s in simplices] for f in faces], dtype=np.int64)\n"
                 "    return out.reshape(len(faces), len(simplices))",
    # ranks over the finite field GF(2) from sympy's DomainMatrix; dim ker computed first
    "q4_answer": _GF2_RANK +
                 "def betti_z2(boundaries):\n"
                 "    Ds = [np.asarray(D) for D in boundaries]\n"
                 "    ker = [Ds[0].shape[0]] + [D.shape[1] - _gf2_rank(D) for D in Ds]\n"
                 "    im = [_gf2_rank(D) for D in Ds] + [0]\n"
                 "    return [int(z - b) for z, b in zip(ker, im)]",
    "q5_answer": "import sympy as _sp\n"
                 "_V = sorted({(v,) for t in RP2 for v in t})\n"
                 "_E = sorted({e for t in RP2 for e in combinations(t, 2)})\n"
                 "_T = sorted(RP2)\n"
                 "def _inc(S, F, signed):\n"
                 "    return _sp.Matrix(len(F), len(S), lambda i, j: (-1) ** S[j].index(\n"
                 "        next(v for v in S[j] if v not in F[i])) if signed and set(F[i]) <= set(S[j]) else\n"
                 "        int(set(F[i]) <= set(S[j])))\n"
                 "_A1, _A2 = _inc(_E, _V, True), _inc(_T, _E, True)\n"
                 "_q1, _q2 = _A1.rank(), _A2.rank()\n"
                 "betti_rp2_q = [len(_V) - _q1, len(_E) - _q1 - _q2, len(_T) - _q2]\n"
                 "_z1 = rank_mod2(np.array(_inc(_E, _V, False), dtype=int))\n"
                 "_z2 = rank_mod2(np.array(_inc(_T, _E, False), dtype=int))\n"
                 "betti_rp2_z2 = (len(_V) - _z1, len(_E) - _z1 - _z2, len(_T) - _z2)",
    "q6_answer": "from scipy.sparse.csgraph import minimum_spanning_tree\n"
                 "_p = np.array([7.0, 3.0, 0.0, 1.0])\n"
                 "_w = np.sort(minimum_spanning_tree(np.abs(_p[:, None] - _p[None])).data)\n"
                 "h0_bars = [(0, float(w)) for w in _w] + [(0, float('inf'))]",
    "q7_answer": "from scipy.sparse.csgraph import minimum_spanning_tree\n"
                 "from scipy.spatial.distance import pdist, squareform\n"
                 "def h0_deaths(X):\n"
                 "    T = minimum_spanning_tree(squareform(pdist(np.asarray(X, dtype=float))))\n"
                 "    return np.sort(T.toarray()[T.toarray() > 0])",
    "q8_answer": _GF2_RANK +
                 "def rips_betti(X, eps):\n"
                 "    X = np.asarray(X, dtype=float)\n"
                 "    n = len(X)\n"
                 "    G = X @ X.T\n"
                 "    D2 = np.diag(G)[:, None] + np.diag(G)[None, :] - 2 * G\n"
                 "    A = D2 <= eps ** 2 + 1e-9\n"
                 "    E = [(i, j) for i in range(n) for j in range(i + 1, n) if A[i, j]]\n"
                 "    T = [(i, j, k) for (i, j) in E for k in range(j + 1, n) if A[i, k] and A[j, k]]\n"
                 "    D1 = np.zeros((n, len(E)), dtype=int)\n"
                 "    for c, (i, j) in enumerate(E):\n"
                 "        D1[i, c] = D1[j, c] = 1\n"
                 "    pos = {e: c for c, e in enumerate(E)}\n"
                 "    Dt = np.zeros((len(E), len(T)), dtype=int)\n"
                 "    for c, (i, j, k) in enumerate(T):\n"
                 "        Dt[[pos[(i, j)], pos[(i, k)], pos[(j, k)]], c] = 1\n"
                 "    r1, r2 = _gf2_rank(D1), _gf2_rank(Dt)\n"
                 "    return (n - r1, len(E) - r1 - r2)\n"
                 "_d = sorted(set(np.round(np.linalg.norm(CIRCLE[:, None] - CIRCLE[None], axis=-1), 12).ravel()))\n"
                 "_b1 = [rips_betti(CIRCLE, e)[1] for e in _d]\n"
                 "_born = _b1.index(1)\n"
                 "h1_bar = (_d[_born], _d[_born + _b1[_born:].index(0)])",
    "q9_answer": 'homeomorphic_pairs = ["H", "a", "E", "c"]',
}

WRONG = {
    "q1_answer": "def euler_characteristic(simplices):\n    return 2",
    "q2_answer": "def rank_mod2(M):\n    return min(np.shape(M))",
    "q3_answer": "def boundary_matrix(simplices, faces):\n    return np.ones((len(faces), len(simplices)), dtype=int)",
    "q4_answer": "def betti_z2(boundaries):\n    return np.ones(len(boundaries) + 1, dtype=int)",
    "q5_answer": "betti_rp2_z2 = np.array([1, 2, 1])\nbetti_rp2_q = np.array([1, 2, 1])",
    "q6_answer": "h0_bars = np.array([[0.0, 1.0], [0.0, 3.0], [0.0, 7.0], [0.0, np.inf]])",
    "q7_answer": "def h0_deaths(X):\n    return np.zeros(len(X) - 1)",
    "q8_answer": "def rips_betti(X, eps):\n    return np.array([1, 0])\nh1_bar = np.array([0.5, 1.0])",
    "q9_answer": 'homeomorphic_pairs = {"a", "b", "c"}',
}

MISTAKES = [
    {
        "q1_answer": "def euler_characteristic(simplices):\n"
                     "    return sum((-1) ** (len(s) - 1) for s in simplices)",
        "q2_answer": "def rank_mod2(M):\n    return int(np.linalg.matrix_rank(np.asarray(M)))",
        "q3_answer": "def boundary_matrix(simplices, faces):\n"
                     "    return np.array([[int(set(f) <= set(s)) for f in faces] for s in simplices], dtype=int)",
        "q4_answer": _GF2_RANK +
                     "def betti_z2(boundaries):\n"
                     "    n = [boundaries[0].shape[0]] + [D.shape[1] for D in boundaries]\n"
                     "    r = [0] + [_gf2_rank(D) for D in boundaries]\n"
                     "    return np.array([n[k] - r[k] for k in range(len(n))])",
        # the two answers swapped (literal values: the other cells of this persona are wrong on purpose)
        "q5_answer": "betti_rp2_z2 = np.array([1, 0, 0])\nbetti_rp2_q = np.array([1, 1, 1])",
        "q6_answer": "h0_bars = np.array([[0.0, 0.5], [0.0, 1.0], [0.0, 2.0], [0.0, np.inf]])",
        "q7_answer": "from scipy.sparse.csgraph import minimum_spanning_tree\n"
                     "from scipy.spatial.distance import pdist, squareform\n"
                     "def h0_deaths(X):\n"
                     "    return np.sort(minimum_spanning_tree(squareform(pdist(X))).data) / 2",
        "q8_answer": _RIPS_OK +
                     "def rips_betti(X, eps):\n"
                     "    return _rips_ok(X, eps, tri=False)\n"
                     "h1_bar = np.array([_d[_i], _d[_j]]) / 2",
        "q9_answer": 'homeomorphic_pairs = {"a", "b", "c", "e", "h"}',
    },
    {
        "q1_answer": "def euler_characteristic(simplices):\n"
                     "    total = 0\n"
                     "    for s in simplices:\n"
                     "        for r in range(1, len(s) + 1):\n"
                     "            total += (-1) ** (r - 1) * len(list(combinations(s, r)))\n"
                     "    return total",
        "q3_answer": "def boundary_matrix(simplices, faces):\n"
                     "    D = np.zeros((len(faces), len(simplices)), dtype=int)\n"
                     "    for j, s in enumerate(simplices):\n"
                     "        for i in range(len(s)):\n"
                     "            D[faces.index(tuple(s[:i]) + tuple(s[i + 1:])), j] = (-1) ** i\n"
                     "    return D",
        "q4_answer": "def betti_z2(boundaries):\n"
                     "    n = [boundaries[0].shape[0]] + [D.shape[1] for D in boundaries]\n"
                     "    r = [0] + [np.linalg.matrix_rank(D) for D in boundaries] + [0]\n"
                     "    return np.array([n[k] - r[k] - r[k + 1] for k in range(len(n))])",
        "q5_answer": "_lev = [sorted({f for t in RP2 for f in combinations(t, r)}) for r in (1, 2, 3)]\n"
                     "def _unsigned(S, F):\n"
                     "    return np.array([[int(set(f) <= set(s)) for s in S] for f in F], dtype=float)\n"
                     "_r1 = np.linalg.matrix_rank(_unsigned(_lev[1], _lev[0]))\n"
                     "_r2 = np.linalg.matrix_rank(_unsigned(_lev[2], _lev[1]))\n"
                     "betti_rp2_z2 = np.array([6 - _r1, 15 - _r1 - _r2, 10 - _r2])\n"
                     "betti_rp2_q = np.array([1, 0, 0])",
        "q6_answer": "h0_bars = np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 4.0]])",
        "q7_answer": "def h0_deaths(X):\n"
                     "    X = np.asarray(X, dtype=float)\n"
                     "    D = np.linalg.norm(X[:, None] - X[None], axis=-1)\n"
                     "    return np.sort(D[np.triu_indices(len(X), 1)])[: len(X) - 1]",
        "q8_answer": _RIPS_OK +
                     "def rips_betti(X, eps):\n"
                     "    return _rips_ok(X, eps, scale=2.0)\n"
                     "h1_bar = np.array([_d[_i], _d[_j]])",
        "q9_answer": 'homeomorphic_pairs = {"a", "c", "e", "g", "h"}',
    },
    {
        "q3_answer": "def boundary_matrix(simplices, faces):\n"
                     "    F = sorted(faces)\n"
                     "    return np.array([[int(set(f) <= set(s)) for s in simplices] for f in F], dtype=int)",
        "q7_answer": "from scipy.sparse.csgraph import minimum_spanning_tree\n"
                     "def h0_deaths(X):\n"
                     "    X = np.asarray(X, dtype=float)\n"
                     "    D2 = ((X[:, None] - X[None]) ** 2).sum(-1)\n"
                     "    return np.sort(minimum_spanning_tree(D2).data)",
    },
    {
        "q7_answer": "from scipy.sparse.csgraph import minimum_spanning_tree\n"
                     "from scipy.spatial.distance import pdist, squareform\n"
                     "def h0_deaths(X):\n"
                     "    d = np.sort(minimum_spanning_tree(squareform(pdist(X))).data)\n"
                     "    return np.append(d, np.inf)",
    },
]

EXPECTED_HINTS = [
    {"q1.chi": "only the simplices in the list", "q2.rank": "real numbers", "q3.boundary": "transposed",
     "q4.betti": "forgot to quotient", "q5.z2": "Betti numbers over Q", "q5.q": "Z2 Betti numbers",
     "q6.bars": "radius convention", "q7.deaths": "halved", "q8.betti": "edges only",
     "q8.bar": "half the scale", "q9.homeo": "Möbius"},
    {"q1.chi": "counted once", "q3.boundary": "oriented boundary", "q4.betti": "over the real numbers",
     "q5.z2": "unsigned 0/1", "q6.bars": "infinite bar", "q7.deaths": "shortest pairwise",
     "q8.betti": "distance ≤ 2ε", "q9.homeo": "rational Betti"},
    {"q3.boundary": "sorted order", "q7.deaths": "squared distances"},
    {"q7.deaths": "leave out the infinite bar"},
]

WARNINGS = {
    "q7_answer": "def h0_deaths(X):\n"
                 "    X = np.asarray(X, dtype=float)\n"
                 "    G = X @ X.T\n"
                 "    with np.errstate(all='warn'):\n"
                 "        D = np.sqrt(np.diag(G)[:, None] + np.diag(G)[None, :] - 2 * G - 1e-15)  # tiny negatives: nan\n"
                 "    D = np.linalg.norm(X[:, None] - X[None], axis=-1)\n"
                 "    n = len(X)\n"
                 "    comp = list(range(n))\n"
                 "    out = []\n"
                 "    for i, j in sorted(combinations(range(n), 2), key=lambda e: D[e]):\n"
                 "        if comp[i] != comp[j]:\n"
                 "            old = comp[j]\n"
                 "            comp = [comp[i] if c == old else c for c in comp]\n"
                 "            out.append(D[i, j])\n"
                 "    return np.array(out)",
    "q6_answer": "import warnings\n"
                 "with np.errstate(all='warn'):\n"
                 "    _junk = np.log(np.array([0.0]))  # RuntimeWarning: divide by zero\n"
                 "warnings.warn('a warning from the student')\n"
                 "h0_bars = np.array([[0.0, 1.0], [0.0, 2.0], [0.0, 4.0], [0.0, np.inf]])",
}
