"""Simulated answers for ps03_calculus (see personas/__init__.py)."""

OTHER_FORMS = {
    "q1_answer": "def grad_quad(A, x):\n"
                 "    # central differences are exact (up to rounding) for a quadratic\n"
                 "    A, x = np.asarray(A, float), np.asarray(x, float)\n"
                 "    n = len(x)\n"
                 "    f = lambda y: y @ A @ y\n"
                 "    return np.array([(f(x + e) - f(x - e)) / 2 for e in np.eye(n)])",
    "q2_answer": "def grad_ls(A, b, x):\n"
                 "    return 2 * (A.T @ A @ x - A.T @ b)",
    "q3_answer": 'v1, v2, v3 = sp.symbols("v1 v2 v3", real=True)\n'
                 "v = sp.Matrix([v1, v2, v3])\n"
                 "r = sp.sqrt(v1**2 + v2**2 + v3**2)\n"
                 "grad_norm = sp.Matrix([sp.diff(r, s) for s in (v1, v2, v3)])",
    "q4_answer": "def jac_F(p):\n"
                 "    x, y, z = sp.symbols('x y z')\n"
                 "    F = sp.Matrix([x**2 * y + sp.sin(x * z), sp.exp(x * y) - y * z**2])\n"
                 "    J = F.jacobian([x, y, z])\n"
                 "    return np.array(J.subs({x: p[0], y: p[1], z: p[2]}).evalf(), dtype=float)",
    "q5_answer": "def grad_logdet(X):\n"
                 "    return np.linalg.solve(X.T, np.eye(len(X)))",
    "q6_answer": "def logistic_hessian(X, w):\n"
                 "    p = 0.5 * (1 + np.tanh(X @ w / 2))\n"
                 "    return sum(pi * (1 - pi) * np.outer(xi, xi) for pi, xi in zip(p, X))",
    "q7_answer": "crit_points = [[0, 0]]\nstatements = ['D', 'a']",
    "q8_answer": 'x, y = sp.symbols("x y", real=True)\n'
                 "taylor2 = ((x + 1)**2 + 1 - y**2) / 2",
    "q9_answer": "def softmax_jacobian(z):\n"
                 "    p = np.exp(z - np.logaddexp.reduce(z))\n"
                 "    n = len(z)\n"
                 "    return np.array([[p[i] * ((i == j) - p[j]) for j in range(n)] for i in range(n)])",
    "q10_answer": "def grad_W1(W1, W2, x, t):\n"
                  "    a = W1 @ x\n"
                  "    err = W2 @ np.tanh(a) - t\n"
                  "    return ((err @ W2) / np.cosh(a)**2)[:, None] * x[None, :]",
}

WRONG = {
    "q1_answer": "def grad_quad(A, x):\n    return A.T @ A @ x",
    "q2_answer": "def grad_ls(A, b, x):\n    return A.T @ (A @ x)",
    "q3_answer": 'v1, v2, v3 = sp.symbols("v1 v2 v3", real=True)\n'
                 "v = sp.Matrix([v1, v2, v3])\n"
                 "grad_norm = sp.Matrix([1, 1, 1])",
    "q4_answer": "def jac_F(p):\n    return np.ones((2, 3))",
    "q5_answer": "def grad_logdet(X):\n    return np.log(np.abs(X))",
    "q6_answer": "def logistic_hessian(X, w):\n    return np.eye(X.shape[1])",
    "q7_answer": "crit_points = np.array([[0.0, 0.0], [1.0, -2.0]])\nstatements = {'c', 'e'}",
    "q8_answer": 'x, y = sp.symbols("x y", real=True)\ntaylor2 = 1 + x + y',
    "q9_answer": "def softmax_jacobian(z):\n    return np.eye(len(z))",
    "q10_answer": "def grad_W1(W1, W2, x, t):\n    return np.zeros_like(W1)",
}

MISTAKES = [
    {
        "q1_answer": "def grad_quad(A, x):\n    return 2 * A @ x",
        "q2_answer": "def grad_ls(A, b, x):\n    return A.T @ (A @ x - b)",
        "q3_answer": 'v1, v2, v3 = sp.symbols("v1 v2 v3", real=True)\n'
                     "v = sp.Matrix([v1, v2, v3])\n"
                     "grad_norm = 2 * v",
        "q4_answer": "def jac_F(p):\n"
                     "    x, y, z = p\n"
                     "    return np.array([[2 * x * y + z * np.cos(x * z), y * np.exp(x * y)],\n"
                     "                     [x**2, x * np.exp(x * y) - z**2],\n"
                     "                     [x * np.cos(x * z), -2 * y * z]])",
        "q5_answer": "def grad_logdet(X):\n    return np.linalg.inv(X)",
        "q6_answer": "def logistic_hessian(X, w):\n    return X.T @ X",
        "q7_answer": "crit_points = np.array([[0.0, 0.0]])\nstatements = {'a', 'b'}",
        "q8_answer": 'x, y = sp.symbols("x y", real=True)\ntaylor2 = 1 + x + x**2 - y**2',
        "q9_answer": "def softmax_jacobian(z):\n"
                     "    p = np.exp(z - z.max()); p /= p.sum()\n"
                     "    return np.diag(p * (1 - p))",
        "q10_answer": "def grad_W1(W1, W2, x, t):\n"
                      "    u = np.tanh(W1 @ x)\n"
                      "    return np.outer(x, (W2.T @ (W2 @ u - t)) * (1 - u**2))",
    },
    {
        "q1_answer": "def grad_quad(A, x):\n    return A @ x",
        "q2_answer": "def grad_ls(A, b, x):\n    return 2 * (A @ x - b)",
        "q3_answer": 'v1, v2, v3 = sp.symbols("v1 v2 v3", real=True)\n'
                     "v = sp.Matrix([v1, v2, v3])\n"
                     "grad_norm = (v / sp.sqrt(v1**2 + v2**2 + v3**2)).T",
        "q4_answer": "def jac_F(p):\n"
                     "    x, y, z = p\n"
                     "    return np.array([[2 * x * y + np.cos(x * z), x**2, np.cos(x * z)],\n"
                     "                     [np.exp(x * y), np.exp(x * y) - z**2, -2 * y * z]])",
        "q5_answer": "def grad_logdet(X):\n    return np.linalg.det(X) * np.linalg.inv(X).T",
        "q6_answer": "def logistic_hessian(X, w):\n"
                     "    p = 1 / (1 + np.exp(-X @ w))\n"
                     "    return X.T @ np.diag(p * (1 - p)) @ X / X.shape[0]",
        "q7_answer": "crit_points = np.array([[0.0, 0.0]])\nstatements = {'b'}",
        "q8_answer": 'x, y = sp.symbols("x y", real=True)\ntaylor2 = 1 + x',
        "q9_answer": "def softmax_jacobian(z):\n"
                     "    p = np.exp(z - z.max()); p /= p.sum()\n"
                     "    return np.outer(p, p) - np.diag(p)",
        "q10_answer": "def grad_W1(W1, W2, x, t):\n"
                      "    return np.outer(W2.T @ (W2 @ np.tanh(W1 @ x) - t), x)",
    },
    {
        "q2_answer": "def grad_ls(A, b, x):\n    return 2 * A.T @ (b - A @ x)",
        "q8_answer": 'x, y = sp.symbols("x y", real=True)\ntaylor2 = 1 + x + x**2 / 2 + y**2 / 2',
    },
    {
        "q2_answer": "def grad_ls(A, b, x):\n    return 2 * A @ (A @ x - b)",
    },
]

EXPECTED_HINTS = [
    {"q1.grad": "only when A is symmetric", "q2.grad": "factor 2", "q2.square": "factor 2",
     "q3.grad_norm": "squared norm", "q4.jacobian": "one row per output", "q5.grad": "only for symmetric",
     "q6.hessian": "squared-error", "q7.statements": "positive semidefinite", "q8.taylor": "missing the ½",
     "q9.jacobian": "only the diagonal", "q10.grad": "shape of W1ᵀ"},
    {"q1.grad": "product rule", "q2.grad": "one entry per row", "q3.grad_norm": "column",
     "q4.jacobian": "chain rule", "q5.grad": "Jacobi", "q6.hessian": "averaged", "q7.statements": "both signs",
     "q8.taylor": "first-order", "q9.jacobian": "wrong sign", "q10.grad": "derivative of tanh"},
    {"q2.grad": "wrong sign", "q8.taylor": "sign of the y²"},
    {"q2.square": "instead of Aᵀ"},
]

WARNINGS = {
    "q6_answer": "def logistic_hessian(X, w):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    p = 1 / (1 + np.exp(-X @ w))\n"
                 "    return X.T @ np.diag(p * (1 - p)) @ X",
    "q9_answer": "import warnings\n"
                 "def softmax_jacobian(z):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.exp(np.array([1000.0]))  # RuntimeWarning: overflow\n"
                 "    warnings.warn('softmax_jacobian: shifting the logits')\n"
                 "    p = np.exp(z - z.max()); p /= p.sum()\n"
                 "    return np.diag(p) - np.outer(p, p)",
}
