"""Simulated answers for ps08_differential_geometry (see personas/__init__.py)."""

OTHER_FORMS = {
    "q1_answer": "def sphere_dist(x, y):\n"
                 "    # the angle from the cross-product-free formula: atan2(|x - (x.y) y| ..., x.y) is stable\n"
                 "    x, y = np.asarray(x, float), np.asarray(y, float)\n"
                 "    return 2 * np.arctan2(np.linalg.norm(x - y), np.linalg.norm(x + y))",
    "q2_answer": "def rayleigh_rgrad(A, x):\n"
                 "    P = np.eye(len(x)) - np.outer(x, x)\n"
                 "    return P @ (A + A.T) @ x",
    "q3_answer": "def sphere_exp(x, v):\n"
                 "    t = np.linalg.norm(v)\n"
                 "    return np.cos(t) * x + np.sinc(t / np.pi) * v",
    "q4_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                 "g_polar = sp.Matrix([[sp.cos(theta)**2 + sp.sin(theta)**2, 0],\n"
                 "                     [0, r**2 * (sp.sin(theta)**2 + sp.cos(theta)**2)]])\n"
                 "_F = lambda u: (u * np.sqrt(1 + u**2) + np.arcsinh(u)) / 2\n"
                 "spiral_length = (_F(4.0) - _F(2.0)) / 2",
    "q5_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                 "Gamma_r = sp.Matrix([[0, 0], [0, -r**3 / r**2]])\n"
                 "Gamma_theta = sp.Matrix([[0, sp.diff(sp.log(r), r)], [1 / r, 0]])",
    "q6_answer": 'p = sp.symbols("p", positive=True)\n'
                 'mu = sp.symbols("mu", real=True)\n'
                 'sigma = sp.symbols("sigma", positive=True)\n'
                 "fisher_bernoulli = 1 / p + 1 / (1 - p)\n"
                 "fisher_gauss = sp.diag(1, 2) * sigma**-2",
    "q7_answer": "def natural_step(theta, grad, F, lr):\n"
                 "    import scipy.linalg\n"
                 "    c = scipy.linalg.cho_factor(F)\n"
                 "    return theta - scipy.linalg.cho_solve(c, lr * grad)",
    "q8_answer": "def poincare_dist(u, v):\n"
                 "    # Moebius translation of u to the origin, then d(0, x) = 2 artanh |x|\n"
                 "    a = -np.asarray(u, float); b = np.asarray(v, float)\n"
                 "    ab, aa, bb = a @ b, a @ a, b @ b\n"
                 "    m = ((1 + 2 * ab + bb) * a + (1 - aa) * b) / (1 + 2 * ab + aa * bb)\n"
                 "    return 2 * np.arctanh(np.linalg.norm(m))",
    "q9_answer": "def fisher_rao_bernoulli(p, q):\n"
                 "    # 2 arcsin(sqrt(p)) = arccos(1 - 2p)\n"
                 "    return abs(np.arccos(1 - 2 * p) - np.arccos(1 - 2 * q))",
    "q10_answer": 'true_statements = ["E", "a", "d"]',
}

WRONG = {
    "q1_answer": "def sphere_dist(x, y):\n    return float(1 - x @ y)",
    "q2_answer": "def rayleigh_rgrad(A, x):\n    return A @ x - x",
    "q3_answer": "def sphere_exp(x, v):\n    return x + v",
    "q4_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                 "g_polar = sp.eye(2)\n"
                 "spiral_length = 2.0",
    "q5_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                 "Gamma_r = sp.zeros(2, 2)\n"
                 "Gamma_theta = sp.zeros(2, 2)",
    "q6_answer": 'p = sp.symbols("p", positive=True)\n'
                 'mu = sp.symbols("mu", real=True)\n'
                 'sigma = sp.symbols("sigma", positive=True)\n'
                 "fisher_bernoulli = 1 / p\n"
                 "fisher_gauss = sp.Matrix([[sigma**2, 0], [0, sigma**2]])",
    "q7_answer": "def natural_step(theta, grad, F, lr):\n    return theta - lr * grad / np.diag(F)",
    "q8_answer": "def poincare_dist(u, v):\n"
                 "    return float(np.linalg.norm(u - v) / (1 - max(u @ u, v @ v)))",
    "q9_answer": "def fisher_rao_bernoulli(p, q):\n    return abs(np.log(p / q))",
    "q10_answer": 'true_statements = {"b", "c"}',
}

MISTAKES = [
    {
        "q1_answer": "def sphere_dist(x, y):\n    return float(np.linalg.norm(x - y))",
        "q2_answer": "def rayleigh_rgrad(A, x):\n    return 2 * A @ x",
        "q3_answer": "def sphere_exp(x, v):\n    y = x + v\n    return y / np.linalg.norm(y)",
        "q4_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                     "g_polar = sp.diag(1, r)\n"
                     "from scipy.integrate import quad\n"
                     "spiral_length = quad(lambda t: np.sqrt(1 + (1 + t) * 4), 0, 1, epsabs=1e-13)[0]",
        "q5_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                     "Gamma_r = sp.Matrix([[0, 0], [0, r]])\n"
                     "Gamma_theta = sp.Matrix([[0, -1 / r], [-1 / r, 0]])",
        "q6_answer": 'p = sp.symbols("p", positive=True)\n'
                     'mu = sp.symbols("mu", real=True)\n'
                     'sigma = sp.symbols("sigma", positive=True)\n'
                     "fisher_bernoulli = p * (1 - p)\n"
                     "fisher_gauss = sp.Matrix([[1 / sigma**2, 0], [0, 1 / (2 * sigma**4)]])",
        "q7_answer": "def natural_step(theta, grad, F, lr):\n    return theta - lr * F @ grad",
        "q8_answer": "def poincare_dist(u, v):\n"
                     "    return float(np.arccosh(1 + np.sum((u - v)**2) / ((1 - u @ u) * (1 - v @ v))))",
        "q9_answer": "def fisher_rao_bernoulli(p, q):\n"
                     "    return float(abs(np.arcsin(np.sqrt(p)) - np.arcsin(np.sqrt(q))))",
        "q10_answer": 'true_statements = {"a", "c", "d", "e"}',
    },
    {
        "q1_answer": "def sphere_dist(x, y):\n    return float(np.degrees(np.arccos(np.clip(x @ y, -1, 1))))",
        "q2_answer": "def rayleigh_rgrad(A, x):\n    return A @ x - (x @ A @ x) * x",
        "q3_answer": "def sphere_exp(x, v):\n"
                     "    t = np.linalg.norm(v)\n"
                     "    return np.cos(t) * x + np.sin(t) * v",
        "q4_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                     "J = sp.Matrix([r * sp.cos(theta), r * sp.sin(theta)]).jacobian([r, theta])\n"
                     "g_polar = J * J.T\n"
                     "from scipy.integrate import quad\n"
                     "spiral_length = quad(lambda t: np.sqrt(1 + (1 + t)**2), 0, 1, epsabs=1e-13)[0]",
        "q5_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                     "Gamma_r = sp.Matrix([[0, 0], [0, -sp.Rational(1, 2)]])\n"
                     "Gamma_theta = sp.Matrix([[0, 1 / (2 * r)], [1 / (2 * r), 0]])",
        "q6_answer": 'p = sp.symbols("p", positive=True)\n'
                     'mu = sp.symbols("mu", real=True)\n'
                     'sigma = sp.symbols("sigma", positive=True)\n'
                     "fisher_bernoulli = 1 / (p * (1 - p))\n"
                     "fisher_gauss = sp.eye(2) / sigma**2",
        "q7_answer": "def natural_step(theta, grad, F, lr):\n    return theta - lr * grad",
        "q8_answer": "def poincare_dist(u, v):\n    return float(np.linalg.norm(u - v))",
        "q9_answer": "def fisher_rao_bernoulli(p, q):\n    return abs(p - q)",
        "q10_answer": 'true_statements = {"a", "b", "d", "e"}',
    },
    {
        "q4_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                     "g_polar = sp.diag(1, r**2)\n"
                     "spiral_length = float(np.sqrt(5))",
        "q5_answer": 'r, theta = sp.symbols("r theta", positive=True)\n'
                     "Gamma_r = sp.Matrix([[0, 0], [0, -r]])\n"
                     "Gamma_theta = sp.Matrix([[0, 1 / r], [0, 0]])",
        "q7_answer": "def natural_step(theta, grad, F, lr):\n    return theta + lr * np.linalg.solve(F, grad)",
        "q9_answer": "def fisher_rao_bernoulli(p, q):\n"
                     "    return 2 * (np.arcsin(np.sqrt(q)) - np.arcsin(np.sqrt(p)))",
    },
]

EXPECTED_HINTS = [
    {"q1.dist": "chord length", "q2.rgrad": "Euclidean gradient", "q3.exp": "retraction",
     "q4.metric": "squared length", "q4.length": "g_θθ = r", "q5.gamma_r": "sign of Γ^r_θθ",
     "q5.gamma_theta": "signs in Γ^θ", "q6.bernoulli": "variance of y", "q6.gauss": "(μ, σ²)",
     "q7.step": "inverse", "q8.dist": "constant c", "q9.dist": "half", "q10.statements": "not the components"},
    {"q1.dist": "degrees", "q2.rgrad": "off by a factor", "q3.exp": "unit tangent direction",
     "q4.metric": "J Jᵀ", "q4.length": "velocity", "q5.gamma_r": "g_θθ = r",
     "q5.gamma_theta": "g_θθ = r", "q6.gauss": "fourth moment", "q7.step": "plain gradient-descent",
     "q8.dist": "Euclidean distance", "q9.dist": "Euclidean distance", "q10.statements": "not parametrisation invariant"},
    {"q4.length": "Cartesian coordinates", "q5.gamma_theta": "symmetric in the lower indices",
     "q7.step": "uphill", "q9.dist": "never negative"},
]

WARNINGS = {
    "q3_answer": "def sphere_exp(x, v):\n"
                 "    t = np.linalg.norm(v)\n"
                 "    with np.errstate(all='warn'):\n"
                 "        u = v / t  # RuntimeWarning (0/0) when v = 0\n"
                 "    if not np.all(np.isfinite(u)):\n"
                 "        return np.array(x, dtype=float)\n"
                 "    return np.cos(t) * x + np.sin(t) * u",
    "q8_answer": "def poincare_dist(u, v):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    nu, nv = np.linalg.norm(u), np.linalg.norm(v)\n"
                 "    delta = 2 * np.linalg.norm(u - v)**2 / ((1 - nu**2) * (1 - nv**2))\n"
                 "    return float(np.log(1 + delta + np.sqrt(delta**2 + 2 * delta)))",
}
