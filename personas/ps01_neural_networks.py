"""Simulated answers for ps01_neural_networks (see personas/__init__.py)."""

OTHER_FORMS = {
    "q1_answer": 'z = sp.symbols("z", real=True)\n'
                 "dsigma = 1 / (4 * sp.cosh(z / 2) ** 2)\n"
                 "dsilu = (1 + sp.tanh(z / 2)) / 2 + z * (1 - sp.tanh(z / 2) ** 2) / 4",
    "q2_answer": "w_nand = [-1, -1]\n"
                 "b_nand = 1.5\n"
                 'separable = ["F", "a", "B", "c"]',
    "q3_answer": "W_xor = np.array([[1.0, -1.0], [-1.0, 1.0]])\n"
                 "b_xor = np.zeros(2)\n"
                 "v_xor = np.ones(2)\n"
                 "c_xor = 0",
    "q4_answer": "# slopes of T on (-inf,0), (0,1), (1,2), (2,inf); each c_k is the change of slope at x = k\n"
                 "slopes = np.array([0.0, 1.0, -1.0, 0.0])\n"
                 "c_hat = np.diff(slopes)",
    "q5_answer": "def mlp_grads(X, Y, W1, b1, W2, b2):\n"
                 "    # complex-step differentiation of the loss, one parameter entry at a time\n"
                 "    params = [np.array(p, dtype=complex) for p in (W1, b1, W2, b2)]\n"
                 "    def loss(ps):\n"
                 "        A1, c1, A2, c2 = ps\n"
                 "        R = np.tanh(X @ A1 + c1) @ A2 + c2 - Y\n"
                 "        return (R * R).sum() / X.shape[0]\n"
                 "    grads = []\n"
                 "    for p in params:\n"
                 "        g = np.zeros(p.shape)\n"
                 "        for idx in np.ndindex(p.shape):\n"
                 "            p[idx] += 1e-30j\n"
                 "            g[idx] = loss(params).imag / 1e-30\n"
                 "            p[idx] -= 1e-30j\n"
                 "        grads.append(g)\n"
                 "    return tuple(grads)",
    "q6_answer": "from scipy.special import logsumexp\n"
                 "def ce_grad(Z, y):\n"
                 "    Z = np.asarray(Z, dtype=float)\n"
                 "    P = np.exp(Z - logsumexp(Z, axis=1, keepdims=True))\n"
                 "    onehot = np.eye(Z.shape[1])[y]\n"
                 "    return (P - onehot) / len(y)",
    "q7_answer": "he_var = 1 / 128",
    "q8_answer": "init_loss = -sp.log(sp.Rational(1, 10))",
    "q9_answer": "def softmax_jacobian(z):\n"
                 "    C = len(z)\n"
                 "    zs = sp.symbols(f'z0:{C}')\n"
                 "    den = sum(sp.exp(v) for v in zs)\n"
                 "    p = sp.Matrix([sp.exp(v) / den for v in zs])\n"
                 "    J = sp.lambdify(zs, p.jacobian(sp.Matrix(zs)), 'numpy')\n"
                 "    z = np.asarray(z, dtype=float)\n"
                 "    return np.array(J(*(z - z.max())), dtype=float)",
    "q10_answer": 'true_statements = ["E", "b", "a"]',
}

WRONG = {
    "q1_answer": 'z = sp.symbols("z", real=True)\n'
                 "dsigma = sp.exp(-z)\n"
                 "dsilu = z * sp.exp(-z)",
    "q2_answer": "w_nand = np.array([1.0, 1.0])\n"
                 "b_nand = 0.0\n"
                 'separable = {"a", "b", "c", "d", "e", "f"}',
    "q3_answer": "W_xor = np.eye(2)\n"
                 "b_xor = np.zeros(2)\n"
                 "v_xor = np.ones(2)\n"
                 "c_xor = 0.0",
    "q4_answer": "c_hat = np.array([1.0, 1.0, 1.0])",
    "q5_answer": "def mlp_grads(X, Y, W1, b1, W2, b2):\n"
                 "    return np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)",
    "q6_answer": "def ce_grad(Z, y):\n"
                 "    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)\n"
                 "    P[np.arange(len(y)), y] -= 1\n"
                 "    return P / len(y)",
    "q7_answer": "he_var = 1.0",
    "q8_answer": "init_loss = 10.0",
    "q9_answer": "def softmax_jacobian(z):\n"
                 "    p = np.exp(z) / np.exp(z).sum()\n"
                 "    return np.outer(p, p)",
    "q10_answer": 'true_statements = {"c"}',
}

MISTAKES = [
    {
        "q1_answer": 'z = sp.symbols("z", real=True)\n'
                     "dsigma = sp.exp(-z) / (1 + sp.exp(-z))\n"
                     "dsilu = 1 / (1 + sp.exp(-z))",
        "q2_answer": "w_nand = np.array([1.0, 1.0])\n"
                     "b_nand = -1.5\n"
                     'separable = {"a", "b", "c", "d", "f"}',
        "q3_answer": "W_xor = np.ones((2, 2))\n"
                     "b_xor = np.array([0.0, -1.0])\n"
                     "v_xor = np.array([1.0, -1.0])\n"
                     "c_xor = 0.0",
        "q4_answer": "c_hat = np.array([1.0, -1.0, 0.0])",
        "q5_answer": "def mlp_grads(X, Y, W1, b1, W2, b2):\n"
                     "    H = np.tanh(X @ W1 + b1)\n"
                     "    G2 = 2 * (H @ W2 + b2 - Y)\n"
                     "    G1 = (G2 @ W2.T) * (1 - H ** 2)\n"
                     "    return X.T @ G1, G1.sum(0), H.T @ G2, G2.sum(0)",
        "q6_answer": "def ce_grad(Z, y):\n"
                     "    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
                     "    P = E / E.sum(axis=1, keepdims=True)\n"
                     "    Y = np.eye(Z.shape[1])[y]\n"
                     "    return (Y - P) / len(y)",
        "q7_answer": "he_var = 1 / 256",
        "q8_answer": "init_loss = np.log2(10)",
        "q9_answer": "def softmax_jacobian(z):\n"
                     "    p = np.exp(z - np.max(z))\n"
                     "    p = p / p.sum()\n"
                     "    return np.diag(p * (1 - p))",
        "q10_answer": 'true_statements = {"a", "b", "d", "e"}',
    },
    {
        "q1_answer": 'z = sp.symbols("z", real=True)\n'
                     "dsigma = -sp.exp(-z) / (1 + sp.exp(-z)) ** 2\n"
                     "s_ = 1 / (1 + sp.exp(-z))\n"
                     "dsilu = z * s_ * (1 - s_)",
        "q2_answer": "w_nand = np.array([-2.0, -2.0])\n"
                     "b_nand = 3.0\n"
                     'separable = {"a", "b", "c"}',
        "q4_answer": "c_hat = np.array([1.0, -2.0, 0.0])",
        "q5_answer": "def mlp_grads(X, Y, W1, b1, W2, b2):\n"
                     "    H = np.tanh(X @ W1 + b1)\n"
                     "    G2 = (H @ W2 + b2 - Y) / len(X)\n"
                     "    G1 = (G2 @ W2.T) * (1 - H ** 2)\n"
                     "    return X.T @ G1, G1.sum(0), H.T @ G2, G2.sum(0)",
        "q6_answer": "def ce_grad(Z, y):\n"
                     "    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
                     "    P = E / E.sum(axis=1, keepdims=True)\n"
                     "    return P - np.eye(Z.shape[1])[y]",
        "q7_answer": "he_var = np.sqrt(2 / 256)",
        "q8_answer": "init_loss = np.log10(10.0)",
        "q9_answer": "def softmax_jacobian(z):\n"
                     "    p = np.exp(z - np.max(z))\n"
                     "    p = p / p.sum()\n"
                     "    return np.outer(p, p) - np.diag(p)",
        "q10_answer": 'true_statements = {"b", "e"}',
    },
    {
        "q5_answer": "def mlp_grads(X, Y, W1, b1, W2, b2):\n"
                     "    H = np.tanh(X @ W1 + b1)\n"
                     "    G2 = 2 * (H @ W2 + b2 - Y) / len(X)\n"
                     "    G1 = (G2 @ W2.T) * (1 - H ** 2)\n"
                     "    return G1.T @ X, G1.sum(0), G2.T @ H, G2.sum(0)",
        "q7_answer": "he_var = 2 / (256 + 128)",
        "q8_answer": "init_loss = 1 / 10",
    },
    {
        "q7_answer": "he_var = 2 / 128",
    },
]

EXPECTED_HINTS = [
    {"q1.dsigma": "denominator squared", "q1.dsilu": "only the factor z", "q2.nand": "computes AND",
     "q2.separable": "XOR is not linearly separable", "q3.xor": "computes OR", "q4.hat": "stays flat",
     "q5.dW1": "N times too large", "q5.db1": "N times too large", "q5.dW2": "N times too large",
     "q5.db2": "N times too large", "q6.grad": "wrong sign", "q7.he_var": "LeCun", "q8.init_loss": "bits",
     "q9.jacobian": "only the diagonal", "q10.true": "(d) is false"},
    {"q1.dsigma": "Check the sign", "q1.dsilu": "only the factor σ(z)", "q2.separable": "single corner",
     "q4.hat": "keeps decreasing", "q5.dW1": "half the right size", "q5.db1": "half the right size",
     "q5.dW2": "half the right size", "q5.db2": "half the right size", "q6.grad": "N times too large",
     "q7.he_var": "standard deviation", "q8.init_loss": "base-10", "q9.jacobian": "wrong sign",
     "q10.true": "Reconsider (a)"},
    {"q5.dW1": "dW1 is transposed", "q5.dW2": "dW2 is transposed", "q7.he_var": "Glorot",
     "q8.init_loss": "probability"},
    {"q7.he_var": "fan-out"},
]

WARNINGS = {
    "q6_answer": "def ce_grad(Z, y):\n"
                 "    Z = np.asarray(Z, dtype=float)\n"
                 "    with np.errstate(all='warn'):\n"
                 "        _junk = np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    M = Z.max(axis=1, keepdims=True)\n"
                 "    logp = Z - M - np.log(np.exp(Z - M).sum(axis=1, keepdims=True))\n"
                 "    G = np.exp(logp)\n"
                 "    G[np.arange(len(y)), y] -= 1\n"
                 "    return G / len(y)",
    "q8_answer": "import warnings\n"
                 "with np.errstate(all='warn'):\n"
                 "    _p = np.full(10, 1 / 10)\n"
                 "    _unused = np.log(_p - _p)  # RuntimeWarning: divide by zero\n"
                 "warnings.warn('a warning from the student')\n"
                 "init_loss = float(-np.log(_p[0]))",
}
