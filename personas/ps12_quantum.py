"""Simulated answers for ps12_quantum (see personas/__init__.py)."""

_RY = ("def _ry_ok(t):\n"
       "    return np.array([[np.cos(t / 2), -np.sin(t / 2)], [np.sin(t / 2), np.cos(t / 2)]])\n")

_KRON_APPLY = ("import functools\n"
               "def _apply_kron(psi, U, k):\n"
               "    n = int(round(np.log2(len(psi))))\n"
               "    ops = [np.asarray(U) if j == k else np.eye(2) for j in range(n)]\n"
               "    return functools.reduce(np.kron, ops) @ np.asarray(psi, dtype=complex)\n")

OTHER_FORMS = {
    "q1_answer": "def born_probs(psi, B):\n"
                 "    probs = []\n"
                 "    for j in range(len(psi)):\n"
                 "        P = np.outer(B[:, j], np.conj(B[:, j]))  # projector |b_j><b_j|\n"
                 "        probs.append(np.real(np.vdot(psi, P @ psi)))\n"
                 "    return np.array(probs)",
    "q2_answer": 'unitary_set = ["A", "c", "E", "g", "h"]',
    "q3_answer": "import scipy.linalg\n"
                 "def ry(theta):\n"
                 "    return scipy.linalg.expm(-0.5j * theta * Y)\n"
                 "def state_ry0(theta):\n"
                 "    ket = np.zeros(4, dtype=complex); ket[0] = 1\n"
                 "    return np.exp(0.4j) * (scipy.linalg.expm(-0.5j * theta * np.kron(Y, I2)) @ ket)",
    "q4_answer": _KRON_APPLY + "def apply_1q(psi, U, k):\n    return _apply_kron(psi, U, k)",
    "q5_answer": 'theta = sp.symbols("theta", real=True)\n'
                 "_psi = sp.Matrix([[sp.cos(theta / 2), -sp.sin(theta / 2)], [sp.sin(theta / 2), sp.cos(theta / 2)]]) * sp.Matrix([1, 0])\n"
                 "expZ = sp.expand((_psi.H * sp.Matrix([[1, 0], [0, -1]]) * _psi)[0])\n"
                 "expX = (_psi.H * sp.Matrix([[0, 1], [1, 0]]) * _psi)[0]",
    "q6_answer": "def param_shift_grad(f, theta):\n"
                 "    # the general shift rule: exact for a + b cos + c sin with any shift s\n"
                 "    theta = np.array(theta, dtype=float)\n"
                 "    s, grad = np.pi / 3, []\n"
                 "    for j in range(theta.size):\n"
                 "        e = np.zeros_like(theta); e[j] = s\n"
                 "        grad.append((f(theta + e) - f(theta - e)) / (2 * np.sin(s)))\n"
                 "    return np.array(grad)",
    "q7_answer": "def reduced_state(psi):\n"
                 "    T = np.asarray(psi, dtype=complex).reshape(2, 2)\n"
                 "    return np.einsum('ab,cb->ac', T, T.conj())\n"
                 "def entanglement_entropy(psi):\n"
                 "    lam = np.linalg.eigvalsh(reduced_state(psi))\n"
                 "    lam = lam[lam > 1e-12]\n"
                 "    return float(-np.sum(lam * np.log(lam)) / np.log(2))",
    "q8_answer": "def pauli_coeffs(H):\n"
                 "    H = np.asarray(H, dtype=complex)\n"
                 "    return np.array([np.real(H[0, 0] + H[1, 1]) / 2, np.real(H[0, 1]), np.imag(H[1, 0]),\n"
                 "                     np.real(H[0, 0] - H[1, 1]) / 2])\n"
                 "def pauli_coeffs_2q(H):\n"
                 "    P = [I2, X, Y, Z]\n"
                 "    M = np.array([np.kron(a, b).ravel() for a in P for b in P]).T\n"
                 "    c = np.linalg.lstsq(M, np.asarray(H, dtype=complex).ravel(), rcond=None)[0]\n"
                 "    return np.real(c).reshape(4, 4)",
    "q9_answer": "def grover_success(N, k):\n"
                 "    s = np.ones(N) / np.sqrt(N)\n"
                 "    oracle = np.eye(N); oracle[N - 1, N - 1] = -1.0\n"
                 "    diffusion = 2 * np.outer(s, s) - np.eye(N)\n"
                 "    psi = s.copy()\n"
                 "    for _ in range(k):\n"
                 "        psi = diffusion @ (oracle @ psi)\n"
                 "    return float(psi[N - 1] ** 2)\n"
                 "grover_iters = int(np.floor(np.pi / 4 * np.sqrt(16)))",
    "q10_answer": "import scipy.optimize\n"
                  "def ry_ansatz_min(H):\n"
                  "    H = np.asarray(H, dtype=complex)\n"
                  "    def E(t):\n"
                  "        psi = np.array([np.cos(t / 2), np.sin(t / 2)])\n"
                  "        return float(np.real(psi.conj() @ H @ psi))\n"
                  "    ts = np.linspace(-np.pi, np.pi, 721)\n"
                  "    t0 = ts[np.argmin([E(t) for t in ts])]\n"
                  "    r = scipy.optimize.minimize_scalar(E, bounds=(t0 - 0.02, t0 + 0.02), method='bounded',\n"
                  "                                       options={'xatol': 1e-10})\n"
                  "    return float(r.fun)",
}

WRONG = {
    "q1_answer": "def born_probs(psi, B):\n    return np.ones(len(psi)) / len(psi)",
    "q2_answer": 'unitary_set = {"a", "d"}',
    "q3_answer": "def ry(theta):\n    return np.eye(2)\n"
                 "def state_ry0(theta):\n    return np.array([1.0, 0.0, 0.0, 0.0])",
    "q4_answer": "def apply_1q(psi, U, k):\n    return np.asarray(psi, dtype=complex)",
    "q5_answer": 'theta = sp.symbols("theta", real=True)\nexpZ = sp.sin(theta)\nexpX = sp.cos(theta)',
    "q6_answer": "def param_shift_grad(f, theta):\n    return np.zeros(len(theta))",
    "q7_answer": "def reduced_state(psi):\n    return np.eye(2) / 2\n"
                 "def entanglement_entropy(psi):\n    return 1.0",
    "q8_answer": "def pauli_coeffs(H):\n    return np.zeros(4)\n"
                 "def pauli_coeffs_2q(H):\n    return np.zeros((4, 4))",
    "q9_answer": "grover_iters = 2\n"
                 "def grover_success(N, k):\n    return 1.0 / N",
    "q10_answer": "def ry_ansatz_min(H):\n    return float(np.real(H[0, 0]))",
}

MISTAKES = [
    {
        "q1_answer": "def born_probs(psi, B):\n    return np.abs(B.conj().T @ psi)",
        "q2_answer": 'unitary_set = set("abcdefgh")',
        "q3_answer": "def ry(theta):\n"
                     "    c, s = np.cos(theta / 2), np.sin(theta / 2)\n"
                     "    return np.array([[c, s], [-s, c]])\n"
                     + _RY +
                     "def state_ry0(theta):\n"
                     "    return np.kron(np.eye(2), _ry_ok(theta)) @ np.array([1.0, 0, 0, 0])",
        "q4_answer": _KRON_APPLY + "def apply_1q(psi, U, k):\n"
                     "    n = int(round(np.log2(len(psi))))\n"
                     "    return _apply_kron(psi, U, n - 1 - k)",
        "q5_answer": 'theta = sp.symbols("theta", real=True)\nexpZ = sp.cos(theta / 2)\nexpX = -sp.sin(theta)',
        "q6_answer": "def param_shift_grad(f, theta):\n"
                     "    theta = np.asarray(theta, dtype=float)\n"
                     "    E = np.eye(len(theta)) * np.pi / 2\n"
                     "    return np.array([f(theta + e) - f(theta - e) for e in E])",
        "q7_answer": "def reduced_state(psi):\n"
                     "    M = np.asarray(psi, dtype=complex).reshape(2, 2)\n"
                     "    return M.T @ M.conj()\n"
                     "def entanglement_entropy(psi):\n"
                     "    s = np.linalg.svd(np.asarray(psi).reshape(2, 2), compute_uv=False) ** 2\n"
                     "    s = s[s > 1e-12]\n"
                     "    return float(-np.sum(s * np.log(s)))",
        "q8_answer": "def pauli_coeffs(H):\n"
                     "    return np.array([np.real(np.trace(P @ H)) for P in (I2, X, Y, Z)])\n"
                     "def pauli_coeffs_2q(H):\n"
                     "    P = (I2, X, Y, Z)\n"
                     "    return np.array([[np.real(np.trace(np.kron(b, a) @ H)) / 4 for b in P] for a in P])",
        "q9_answer": "grover_iters = 4\n"
                     "def grover_success(N, k):\n"
                     "    return float(np.sin(2 * k * np.arcsin(1 / np.sqrt(N))) ** 2)",
        "q10_answer": "def ry_ansatz_min(H):\n    return float(np.linalg.eigvalsh(H)[0])",
    },
    {
        "q1_answer": "def born_probs(psi, B):\n    return np.abs(B.T @ psi) ** 2",
        "q2_answer": 'unitary_set = {"a", "b", "f", "g"}',
        "q3_answer": "def ry(theta):\n"
                     "    return np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])\n"
                     "def state_ry0(theta):\n"
                     "    return np.array([np.cos(theta), 0.0, np.sin(theta), 0.0])",
        "q4_answer": _KRON_APPLY + "def apply_1q(psi, U, k):\n    return _apply_kron(psi, np.asarray(U).T, k)",
        "q5_answer": 'theta = sp.symbols("theta", real=True)\nexpZ = sp.cos(theta / 2) ** 2\nexpX = sp.sin(theta / 2)',
        "q6_answer": "def param_shift_grad(f, theta):\n"
                     "    theta = np.asarray(theta, dtype=float)\n"
                     "    d = (f(theta + np.pi / 2) - f(theta - np.pi / 2)) / 2\n"
                     "    return d * np.ones(len(theta))",
        "q7_answer": "def reduced_state(psi):\n"
                     "    rho = np.outer(np.conj(psi), psi)\n"
                     "    return np.array([[rho[0, 0] + rho[1, 1], rho[0, 2] + rho[1, 3]],\n"
                     "                     [rho[2, 0] + rho[3, 1], rho[2, 2] + rho[3, 3]]])\n"
                     "def entanglement_entropy(psi):\n"
                     "    p = np.abs(np.asarray(psi)) ** 2\n"
                     "    p = np.array([p[0] + p[1], p[2] + p[3]])\n"
                     "    p = p[p > 1e-12]\n"
                     "    return float(-np.sum(p * np.log2(p)))",
        "q8_answer": "def pauli_coeffs(H):\n"
                     "    return np.array([np.real(np.trace(P @ H)) / 2 for P in (I2, X, Y, Z)])\n"
                     "def pauli_coeffs_2q(H):\n"
                     "    P = (I2, X, Y, Z)\n"
                     "    return np.array([[np.real(np.trace(np.kron(a, b) @ H)) / 2 for b in P] for a in P])",
        "q9_answer": "grover_iters = 3\n"
                     "def grover_success(N, k):\n"
                     "    return float(np.sin((2 * k + 1) / np.sqrt(N)) ** 2)",
        "q10_answer": "def ry_ansatz_min(H):\n"
                      "    H = np.asarray(H)\n"
                      "    c = np.real(H[0, 0] + H[1, 1]) / 2\n"
                      "    return float(c + np.hypot(np.real(H[0, 1]), np.real(H[0, 0] - H[1, 1]) / 2))",
    },
    {
        "q1_answer": "def born_probs(psi, B):\n    return np.abs(np.asarray(psi)) ** 2",
        "q2_answer": 'unitary_set = {"a", "g"}',
        "q8_answer": "def pauli_coeffs(H):\n"
                     "    return np.array([np.real(np.trace(P @ H)) / 2 for P in (I2, X, Y, Z)])\n"
                     "def pauli_coeffs_2q(H):\n"
                     "    P = (I2, X, Y, Z)\n"
                     "    return np.array([[np.real(np.trace(np.kron(a, b) @ H)) for b in P] for a in P])",
    },
]

EXPECTED_HINTS = [
    {"q1.born": "magnitudes", "q2.unitary": "|det| = 1", "q3.ry": "transpose", "q3.state": "acts on qubit 1",
     "q4.apply": "n−1−k", "q5.expZ": "half angle left in", "q5.expX": "wrong sign", "q6.grad": "twice too large",
     "q7.rho": "qubit 1", "q7.entropy": "nats", "q8.one": "twice too large", "q8.two": "transposed",
     "q9.iters": "√N sets", "q9.success": "initial angle", "q10.ry_min": "ground-state"},
    {"q1.born": "conjugate", "q2.unitary": "Hermitian", "q3.ry": "full angle", "q3.state": "full angle",
     "q4.apply": "Uᵀ", "q5.expZ": "probability of measuring 0", "q5.expX": "half angle",
     "q6.grad": "all the parameters", "q7.rho": "transpose", "q7.entropy": "Shannon",
     "q8.two": "twice too large", "q9.success": "small-angle", "q10.ry_min": "largest"},
    {"q1.born": "ignore the basis", "q2.unitary": "UᵀU", "q8.two": "four times"},
]

WARNINGS = {
    "q1_answer": "import warnings\n"
                 "def born_probs(psi, B):\n"
                 "    warnings.warn('born_probs: measuring')\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    return np.abs(np.conj(B).T @ psi) ** 2",
    "q7_answer": "def reduced_state(psi):\n"
                 "    M = np.asarray(psi, dtype=complex).reshape(2, 2)\n"
                 "    return M @ M.conj().T\n"
                 "def entanglement_entropy(psi):\n"
                 "    lam = np.linalg.eigvalsh(reduced_state(psi))\n"
                 "    lam = np.where(lam > 1e-12, lam, 0.0)\n"
                 "    with np.errstate(all='warn'):\n"
                 "        terms = lam * np.log2(lam)  # log2(0) = -inf and 0 * -inf = nan both warn\n"
                 "    return float(-np.nansum(terms))",
}
