"""Simulated answers for ps02_linear_algebra (see personas/__init__.py)."""

OTHER_FORMS = {
    "q1_answer": "theta = np.arctan2(np.sqrt(66 - 25), 5.0)",
    "q2_answer": "area_image = 500",
    "q3_answer": 'a, b, c = sp.symbols("a b c", real=True)\n'
                 "lam_max = (a + c + sp.sqrt(a**2 - 2*a*c + c**2 + 4*b**2)) / 2",
    "q4_answer": "def sym_eig(S):\n"
                 "    w, V = np.linalg.eig(S)\n"
                 "    w, V = w.real, V.real\n"
                 "    order = np.argsort(-w)\n"
                 "    V = -V[:, order] / np.linalg.norm(V[:, order], axis=0)\n"
                 "    return w[order], V",
    "q5_answer": "def null_space_basis(A):\n"
                 "    import scipy.linalg\n"
                 "    return 3.0 * scipy.linalg.null_space(A, rcond=1e-10) @ np.triu(np.ones((A.shape[1] - np.linalg.matrix_rank(A),) * 2))",
    "q6_answer": "def projector(B):\n    Q, _ = np.linalg.qr(B)\n    return Q @ Q.T",
    "q7_answer": "def best_rank_k(A, k):\n"
                 "    U, s, Vt = np.linalg.svd(A)\n"
                 "    S = np.zeros(A.shape)\n"
                 "    S[:k, :k] = np.diag(s[:k])\n"
                 "    return U @ S @ Vt",
    "q8_answer": "def pseudo_inverse(A):\n    return np.linalg.pinv(A, rcond=1e-10)",
    "q9_answer": 'trace_A4 = "ab,bc,cd,da"',
    "q10_answer": 'true_statements = ["d", "B", "a"]',
}

WRONG = {
    "q1_answer": "theta = 1.0",
    "q2_answer": "area_image = 100.0",
    "q3_answer": 'a, b, c = sp.symbols("a b c", real=True)\nlam_max = a + b + c',
    "q4_answer": "def sym_eig(S):\n    return np.diag(S).copy(), np.eye(len(S))",
    "q5_answer": "def null_space_basis(A):\n    return np.zeros((A.shape[1], 1))",
    "q6_answer": "def projector(B):\n    return np.eye(B.shape[0])",
    "q7_answer": "def best_rank_k(A, k):\n    return np.asarray(A, dtype=float)",
    "q8_answer": "def pseudo_inverse(A):\n    return np.asarray(A, dtype=float).T",
    "q9_answer": 'trace_A4 = "ii,jj,kk,ll->"',
    "q10_answer": 'true_statements = {"a", "e"}',
}

MISTAKES = [
    {
        "q1_answer": "theta = float(np.degrees(np.arccos(5 / np.sqrt(66))))",
        "q2_answer": "area_image = float(np.linalg.det(np.array([[1.0, 3.0], [2.0, 1.0]])) * 100)",
        "q3_answer": 'a, b, c = sp.symbols("a b c", real=True)\nlam_max = (a + c) / 2 - sp.sqrt(((a - c) / 2) ** 2 + b ** 2)',
        "q4_answer": "def sym_eig(S):\n    return np.linalg.eigh(S)",
        "q5_answer": "def null_space_basis(A):\n"
                     "    _, s, Vt = np.linalg.svd(A)\n"
                     "    return Vt[: int(np.sum(s > 1e-10 * s[0]))].T",
        "q6_answer": "def projector(B):\n    return B @ B.T",
        "q7_answer": "def best_rank_k(A, k):\n"
                     "    U, s, Vt = np.linalg.svd(A, full_matrices=False)\n"
                     "    return (U[:, -k:] * s[-k:]) @ Vt[-k:]",
        "q8_answer": "def pseudo_inverse(A):\n    return np.linalg.pinv(A).T",
        "q9_answer": 'trace_A4 = "ij,jk,kl,lm->"',
        "q10_answer": 'true_statements = {"a", "b", "c", "d"}',
    },
    {
        "q1_answer": "theta = 5 / np.sqrt(66)",
        "q2_answer": "area_image = 200.0",
        "q3_answer": 'a, b, c = sp.symbols("a b c", real=True)\nlam_max = (a + c + sp.sqrt((a - c) ** 2 + b ** 2)) / 2',
        "q4_answer": "def sym_eig(S):\n"
                     "    w, V = np.linalg.eigh(S)\n"
                     "    return w[::-1], V[:, ::-1].T",
        "q5_answer": "def null_space_basis(A):\n"
                     "    U, s, _ = np.linalg.svd(A)\n"
                     "    return U[:, int(np.sum(s > 1e-10 * s[0])):]",
    },
    {
        "q4_answer": "def sym_eig(S):\n"
                     "    w, V = np.linalg.eigh(S)\n"
                     "    return w[::-1], V",
    },
]

EXPECTED_HINTS = [
    {"q1.angle": "degrees", "q2.area": "cannot be negative", "q3.lam_max": "smaller eigenvalue",
     "q4.values": "ascending order", "q4.vectors": "ascending eigenvalue", "q5.null_space": "row space",
     "q6.projector": "orthonormal", "q7.rank_k": "smallest singular", "q8.pinv": "transpose",
     "q9.einsum": "every entry", "q10.true": "nilpotent"},
    {"q1.angle": "cos", "q2.area": "trace", "q3.lam_max": "discriminant", "q4.vectors": "rows of V",
     "q5.null_space": "left null space"},
    {"q4.vectors": "ascending eigenvalue"},
]

WARNINGS = {
    "q1_answer": "with np.errstate(all='warn'):\n"
                 "    _junk = np.log(np.array([0.0]))  # RuntimeWarning: divide by zero\n"
                 "import warnings\nwarnings.warn('a warning from the student')\n"
                 "theta = float(np.arccos(5 / np.sqrt(66)))",
    "q6_answer": "import warnings\n"
                 "def projector(B):\n"
                 "    warnings.warn('projector: computing with solve')\n"
                 "    np.sqrt(-1.0)\n"
                 "    return B @ np.linalg.solve(B.T @ B, B.T)",
}
