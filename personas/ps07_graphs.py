"""Simulated answers for ps07_graphs (see personas/__init__.py)."""

_Q3 = 'k, n = sp.symbols("k n", real=True)\n'
_Q6 = "A6 = graph(6, [(0, 1), (0, 2), (0, 3), (0, 4), (1, 2), (4, 5)])\n"

OTHER_FORMS = {
    "q1_answer": "def laplacian(A):\n"
                 "    # sum over edges of w_ij (e_i - e_j)(e_i - e_j)^T\n"
                 "    n = len(A)\n"
                 "    L = np.zeros((n, n))\n"
                 "    E = np.eye(n)\n"
                 "    for i in range(n):\n"
                 "        for j in range(i + 1, n):\n"
                 "            if A[i, j] != 0:\n"
                 "                L += A[i, j] * np.outer(E[i] - E[j], E[i] - E[j])\n"
                 "    return L",
    "q2_answer": "def num_components(A):\n"
                 "    # depth-first search\n"
                 "    n, seen, count = len(A), set(), 0\n"
                 "    for s in range(n):\n"
                 "        if s in seen:\n"
                 "            continue\n"
                 "        count += 1\n"
                 "        stack = [s]\n"
                 "        seen.add(s)\n"
                 "        while stack:\n"
                 "            u = stack.pop()\n"
                 "            for v in np.nonzero(A[u])[0]:\n"
                 "                if v not in seen:\n"
                 "                    seen.add(int(v)); stack.append(int(v))\n"
                 "    return count",
    "q3_answer": _Q3 + "spec_P3 = [3, 0, 1]\n"
                       "lam_cycle = 4 * sp.sin(sp.pi * k / n) ** 2",
    "q4_answer": "def gcn_propagation(A):\n"
                 "    At = A + np.eye(len(A))\n"
                 "    Dm = np.diag(At.sum(axis=0) ** -0.5)\n"
                 "    return Dm @ At @ Dm",
    "q5_answer": "trees_K4 = 4 ** (4 - 2)  # Cayley's formula n^(n-2)\n"
                 "def count_spanning_trees(A):\n"
                 "    n = len(A)\n"
                 "    L = np.diag(A.sum(axis=1)) - A\n"
                 "    return np.linalg.det(L + np.ones((n, n))) / n**2",
    "q6_answer": _Q6 +
                 "P = A6 / A6.sum(axis=1)[:, None]\n"
                 "w, V = np.linalg.eig(P.T)\n"
                 "v = np.real(V[:, np.argmin(np.abs(w - 1))])\n"
                 "pi_walk = v / v.sum()\n"
                 "# first-step analysis: hitting times h of node 3, then return time 1 + mean over neighbours\n"
                 "others = [0, 1, 2, 4, 5]\n"
                 "Q = P[np.ix_(others, others)]\n"
                 "h = np.linalg.solve(np.eye(5) - Q, np.ones(5))\n"
                 "return_time_3 = 1 + P[3, others] @ h",
    "q7_answer": "def mp_layer(X, A, W_self, W_neigh):\n"
                 "    n = len(X)\n"
                 "    rows = []\n"
                 "    for i in range(n):\n"
                 "        w = A[i]\n"
                 "        m = (w @ X) / w.sum() if w.sum() > 0 else np.zeros(X.shape[1])\n"
                 "        rows.append(np.clip(X[i] @ W_self + m @ W_neigh, 0, None))\n"
                 "    return np.array(rows)",
    "q8_answer": "def pagerank(A, alpha=0.85):\n"
                 "    # power iteration with the column-stochastic Google matrix\n"
                 "    n = len(A)\n"
                 "    out = A.sum(axis=1)\n"
                 "    M = np.zeros((n, n))\n"
                 "    for i in range(n):\n"
                 "        M[:, i] = A[i] / out[i] if out[i] > 0 else 1.0 / n\n"
                 "    G = alpha * M + (1 - alpha) / n\n"
                 "    r = np.ones(n) / n\n"
                 "    for _ in range(2000):\n"
                 "        r = G @ r\n"
                 "    return r",
    "q9_answer": 'true_statements = ["E", "a", "c"]',
}

WRONG = {
    "q1_answer": "def laplacian(A):\n    return A.copy()",
    "q2_answer": "def num_components(A):\n    return 1",
    "q3_answer": _Q3 + "spec_P3 = [0.0, 2.0, 3.0]\nlam_cycle = 2 * k / n",
    "q4_answer": "def gcn_propagation(A):\n    return A + np.eye(len(A))",
    "q5_answer": "trees_K4 = 12\n"
                 "def count_spanning_trees(A):\n    return A.sum() / 2",
    "q6_answer": _Q6 + "pi_walk = np.array([0.5, 0.1, 0.1, 0.1, 0.1, 0.1])\nreturn_time_3 = 3.0",
    "q7_answer": "def mp_layer(X, A, W_self, W_neigh):\n    return np.maximum(X @ W_self, 0)",
    "q8_answer": "def pagerank(A, alpha=0.85):\n    return A.sum(axis=0) / A.sum()",
    "q9_answer": 'true_statements = {"b", "d"}',
}

MISTAKES = [
    {
        "q1_answer": "def laplacian(A):\n    return A - np.diag(A.sum(axis=1))",
        "q2_answer": "def num_components(A):\n"
                     "    L = np.diag(A.sum(axis=1)) - A\n"
                     "    return int(np.linalg.matrix_rank(L))",
        "q3_answer": _Q3 + "spec_P3 = [-np.sqrt(2), 0, np.sqrt(2)]\n"
                           "lam_cycle = 2 - 2 * sp.cos(sp.pi * k / n)",
        "q4_answer": "def gcn_propagation(A):\n"
                     "    Dm = np.diag(A.sum(axis=1) ** -0.5)\n"
                     "    return Dm @ A @ Dm",
        "q5_answer": "trees_K4 = np.linalg.det(4 * np.eye(4) - np.ones((4, 4)))\n"
                     "def count_spanning_trees(A):\n"
                     "    return np.linalg.det(np.diag(A.sum(axis=1)) - A)",
        "q6_answer": _Q6 + "pi_walk = np.ones(6) / 6\nreturn_time_3 = 6",
        "q7_answer": "def mp_layer(X, A, W_self, W_neigh):\n"
                     "    return np.maximum(X @ W_self + A @ X @ W_neigh, 0)",
        "q8_answer": "def pagerank(A, alpha=0.85):\n"
                     "    # reads A[i, j] as a link j -> i\n"
                     "    n = len(A)\n"
                     "    B = A.T\n"
                     "    out = B.sum(axis=1)\n"
                     "    S = np.array([B[i] / out[i] if out[i] > 0 else np.full(n, 1 / n) for i in range(n)])\n"
                     "    G = alpha * S + (1 - alpha) / n\n"
                     "    w, V = np.linalg.eig(G.T)\n"
                     "    r = np.real(V[:, np.argmax(np.real(w))])\n"
                     "    return r / r.sum()",
        "q9_answer": 'true_statements = {"a", "c"}',
    },
    {
        "q1_answer": "def laplacian(A):\n"
                     "    d = A.sum(axis=1)\n"
                     "    return np.eye(len(A)) - A / np.sqrt(np.outer(d, d))",
        "q2_answer": "def num_components(A):\n"
                     "    return int(np.sum(np.isclose(np.linalg.eigvalsh(A), 0, atol=1e-8)))",
        "q3_answer": _Q3 + "spec_P3 = [0, 1, 2]\n"
                           "lam_cycle = 2 * sp.cos(2 * sp.pi * k / n)",
        "q4_answer": "def gcn_propagation(A):\n"
                     "    return np.diag(1 / A.sum(axis=1)) @ A",
        "q5_answer": "trees_K4 = 64\n"
                     "def count_spanning_trees(A):\n"
                     "    w = np.linalg.eigvalsh(np.diag(A.sum(axis=1)) - A)\n"
                     "    return np.prod(w[w > 1e-8])",
        "q6_answer": _Q6 + "pi_walk = A6.sum(axis=1)\nreturn_time_3 = 1 / 12",
        "q7_answer": "def mp_layer(X, A, W_self, W_neigh):\n"
                     "    d = A.sum(axis=1, keepdims=True)\n"
                     "    return X @ W_self + (A @ X) / np.maximum(d, 1e-300) @ W_neigh",
        "q8_answer": "def pagerank(A, alpha=0.85):\n"
                     "    # eigenvector of the Google matrix on the wrong side\n"
                     "    n = len(A)\n"
                     "    out = A.sum(axis=1)\n"
                     "    S = np.array([A[i] / out[i] if out[i] > 0 else np.full(n, 1 / n) for i in range(n)])\n"
                     "    G = alpha * S + (1 - alpha) / n\n"
                     "    w, V = np.linalg.eig(G)\n"
                     "    r = np.real(V[:, np.argmax(np.real(w))])\n"
                     "    return r / r.sum()",
        "q9_answer": 'true_statements = {"a", "b", "c", "e"}',
    },
    {
        "q1_answer": "def laplacian(A):\n"
                     "    return np.eye(len(A)) - A / A.sum(axis=1, keepdims=True)",
        "q3_answer": _Q3 + "spec_P3 = np.linalg.eigvalsh(np.array([[1., -1, 0], [-1, 2, -1], [0, -1, 1]]))\n"
                           "lam_cycle = 1 - sp.cos(2 * sp.pi * k / n)",
        "q4_answer": "def gcn_propagation(A):\n"
                     "    At = A + np.eye(len(A))\n"
                     "    return At / At.sum(axis=1, keepdims=True)",
        "q6_answer": _Q6 + "w = 1 / A6.sum(axis=1)\npi_walk = w / w.sum()\nreturn_time_3 = 12.0",
        "q8_answer": "def pagerank(A, alpha=0.85):\n"
                     "    # dangling rows left at zero (probability leaks away)\n"
                     "    n = len(A)\n"
                     "    out = A.sum(axis=1)\n"
                     "    S = A / np.where(out > 0, out, 1)[:, None]\n"
                     "    r = np.ones(n) / n\n"
                     "    for _ in range(3000):\n"
                     "        r = alpha * r @ S + (1 - alpha) / n\n"
                     "    return r",
    },
]

EXPECTED_HINTS = [
    {"q1.laplacian": "opposite sign", "q2.components": "rank", "q3.path": "adjacency matrix A of P3",
     "q3.cycle": "path P_n", "q4.propagation": "left out the self-loops", "q5.K4": "always 0",
     "q5.count": "always 0", "q6.pi": "regular graphs", "q6.return_time": "equally often",
     "q7.layer": "summed", "q7.equivariance": "summed", "q8.pagerank": "backwards",
     "q9.true": "similar"},
    {"q1.laplacian": "normalised Laplacian", "q2.components": "adjacency matrix A",
     "q3.path": "normalised Laplacian", "q3.cycle": "adjacency matrix A of C_n",
     "q4.propagation": "random-walk (mean)", "q5.K4": "divide by n", "q5.count": "n times",
     "q6.pi": "not normalised", "q6.return_time": "reciprocal", "q7.layer": "ReLU",
     "q7.equivariance": "ReLU", "q8.pagerank": "uniform", "q9.true": "4-cycle"},
    {"q1.laplacian": "random-walk Laplacian", "q3.cycle": "normalised Laplacian",
     "q4.propagation": "only the rows", "q6.pi": "more time", "q8.pagerank": "dangling"},
]

WARNINGS = {
    "q4_answer": "def gcn_propagation(A):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    At = A + np.eye(len(A))\n"
                 "    s = At.sum(axis=1) ** -0.5\n"
                 "    return At * np.outer(s, s)",
    "q7_answer": "def mp_layer(X, A, W_self, W_neigh):\n"
                 "    d = A.sum(axis=1)\n"
                 "    with np.errstate(all='warn'):\n"
                 "        M = (A @ X) / d[:, None]  # 0/0 = nan (RuntimeWarning) for isolated nodes\n"
                 "    M = np.nan_to_num(M)\n"
                 "    return np.maximum(X @ W_self + M @ W_neigh, 0)",
}
