"""Simulated answers for ps05_optimization (see personas/__init__.py)."""

OTHER_FORMS = {
    "q1_answer": "from scipy.optimize import minimize_scalar\n"
                 "lams = np.linalg.eigvalsh(np.diag([1.0, 10.0]))\n"
                 "eta_max = 1 / (lams[-1] / 2)\n"
                 "eta_best = 1 / ((lams[0] + lams[-1]) / 2)\n"
                 "kappa = lams[-1] / lams[0]\n"
                 "rate = 1 - 2 / (kappa + 1)",
    "q2_answer": "def gd_trajectory(A, b, x0, eta, T):\n"
                 "    # closed form: x_k = x* + (I - eta A)^k (x0 - x*)\n"
                 "    xs = np.linalg.solve(A, b)\n"
                 "    M = np.eye(len(b)) - eta * A\n"
                 "    return np.array([xs + np.linalg.matrix_power(M, k) @ (x0 - xs) for k in range(T + 1)])",
    "q3_answer": 'kappa = sp.symbols("kappa", positive=True)\n'
                 "rate_hb = (kappa - 2 * sp.sqrt(kappa) + 1) / (kappa - 1)",
    "q4_answer": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                 "    # the 'efficient' form of the Adam paper (Kingma & Ba, end of section 2)\n"
                 "    m = beta1 * m + (1 - beta1) * g\n"
                 "    v = beta2 * v + (1 - beta2) * g * g\n"
                 "    c2 = np.sqrt(1 - beta2**t)\n"
                 "    step = lr * c2 / (1 - beta1**t)\n"
                 "    return theta - step * m / (np.sqrt(v) + eps * c2), m, v",
    "q5_answer": 'c = sp.symbols("c", real=True)\n'
                 "K = np.array([[2.0, 0.0, -1.0], [0.0, 2.0, -2.0], [1.0, 2.0, 0.0]])\n"
                 "sol = np.linalg.solve(K, np.array([0.0, 0.0, 5.0]))\n"
                 "x_star = sol[:2]\n"
                 "lam_star = sol[2]\n"
                 "p_star = (c / sp.sqrt(5)) ** 2",
    "q6_answer": "def project_ball(x, r):\n"
                 "    return x * min(1.0, r / max(np.linalg.norm(x), 1e-300))",
    "q7_answer": "def prox_l1(v, lam):\n    return v - np.clip(v, -lam, lam)",
    "q8_answer": 'convex_set = ["F", "d", "C", "a"]',
    "q9_answer": "import scipy.linalg\n"
                 "def newton_step(H, g):\n"
                 "    lu = scipy.linalg.lu_factor(H)\n"
                 "    return scipy.linalg.lu_solve(lu, -g)",
}

WRONG = {
    "q1_answer": "eta_max = 1.0\neta_best = 0.5\nrate = 0.5",
    "q2_answer": "def gd_trajectory(A, b, x0, eta, T):\n"
                 "    return np.tile(x0, (T + 1, 1)).astype(float)",
    "q3_answer": 'kappa = sp.symbols("kappa", positive=True)\nrate_hb = 1 / kappa',
    "q4_answer": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                 "    return theta - lr * g, m + g, v + g",
    "q5_answer": 'c = sp.symbols("c", real=True)\n'
                 "x_star = np.array([5.0, 0.0])\nlam_star = 5.0\np_star = c",
    "q6_answer": "def project_ball(x, r):\n    return np.zeros_like(x)",
    "q7_answer": "def prox_l1(v, lam):\n    return v / (1 + lam)",
    "q8_answer": 'convex_set = {"a", "g"}',
    "q9_answer": "def newton_step(H, g):\n    return -g",
}

MISTAKES = [
    {
        "q1_answer": "eta_max = 0.1\neta_best = 0.1\nrate = 10.0",
        "q2_answer": "def gd_trajectory(A, b, x0, eta, T):\n"
                     "    X, x = [], x0\n"
                     "    for _ in range(T):\n"
                     "        x = x - eta * (A @ x - b)\n"
                     "        X.append(x)\n"
                     "    return np.array(X)",
        "q3_answer": 'kappa = sp.symbols("kappa", positive=True)\nrate_hb = (kappa - 1) / (kappa + 1)',
        "q4_answer": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                     "    m = beta1 * m + (1 - beta1) * g\n"
                     "    v = beta2 * v + (1 - beta2) * g**2\n"
                     "    return theta - lr * m / (np.sqrt(v) + eps), m, v",
        "q5_answer": 'c = sp.symbols("c", real=True)\n'
                     "x_star = np.array([1.0, 2.0])\nlam_star = -2.0\np_star = c**2",
        "q6_answer": "def project_ball(x, r):\n    return r * x / np.linalg.norm(x)",
        "q7_answer": "def prox_l1(v, lam):\n    return v * (np.abs(v) > lam)",
        "q8_answer": 'convex_set = {"a", "b", "c", "d", "f"}',
        "q9_answer": "def newton_step(H, g):\n    return -g / np.diag(H)",
    },
    {
        "q1_answer": "eta_max = 2.0\neta_best = 2 / 11\nrate = 0.9",
        "q2_answer": "def gd_trajectory(A, b, x0, eta, T):\n"
                     "    X = [x0]\n"
                     "    for _ in range(T - 1):\n"
                     "        X.append(X[-1] - eta * (A @ X[-1] - b))\n"
                     "    return np.array(X)",
        "q3_answer": 'kappa = sp.symbols("kappa", positive=True)\n'
                     "beta = ((sp.sqrt(kappa) - 1) / (sp.sqrt(kappa) + 1))**2\n"
                     "rate_hb = beta",
        "q4_answer": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                     "    m = beta1 * m + (1 - beta1) * g\n"
                     "    v = beta2 * v + (1 - beta2) * g**2\n"
                     "    t0 = t - 1  # counting steps from 0\n"
                     "    mh, vh = m / (1 - beta1**t0), v / (1 - beta2**t0)\n"
                     "    return theta - lr * mh / (np.sqrt(vh) + eps), m, v",
        "q6_answer": "def project_ball(x, r):\n    return np.clip(x, -r, r)",
        "q7_answer": "def prox_l1(v, lam):\n"
                     "    return np.sign(v) * np.maximum(np.abs(v) - lam / 2, 0)",
        "q8_answer": 'convex_set = {"a", "d", "f"}',
        "q9_answer": "def newton_step(H, g):\n    return np.linalg.solve(H, g)",
    },
    {
        "q2_answer": "def gd_trajectory(A, b, x0, eta, T):\n"
                     "    X = [x0]\n"
                     "    for _ in range(T):\n"
                     "        X.append(X[-1] + eta * (A @ X[-1] - b))\n"
                     "    return np.array(X)",
        "q3_answer": 'kappa = sp.symbols("kappa", positive=True)\nrate_hb = 1 - 1 / sp.sqrt(kappa)',
        "q4_answer": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                     "    m = beta1 * m + (1 - beta1) * g\n"
                     "    v = beta2 * v + (1 - beta2) * g**2\n"
                     "    mh, vh = m / (1 - beta1**t), v / (1 - beta2**t)\n"
                     "    return theta - lr * mh / np.sqrt(vh + eps), m, v",
        "q6_answer": "def project_ball(x, r):\n"
                     "    n = np.linalg.norm(x)\n"
                     "    return x if n <= r else x / n",
        "q7_answer": "def prox_l1(v, lam):\n    return v - lam * np.sign(v)",
        "q9_answer": "def newton_step(H, g):\n    return -H @ g",
    },
    {
        "q4_answer": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                     "    m = beta1 * m + (1 - beta1) * g\n"
                     "    v = beta2 * v + (1 - beta2) * g\n"
                     "    mh, vh = m / (1 - beta1**t), v / (1 - beta2**t)\n"
                     "    return theta - lr * mh / (np.sqrt(np.abs(vh)) + eps), m, v",
    },
]

EXPECTED_HINTS = [
    {"q1.eta_max": "safe step", "q1.eta_best": "balances the two", "q1.rate": "condition number",
     "q2.traj": "missing the starting point", "q3.rate": "plain gradient descent", "q4.theta": "skipped the bias",
     "q5.lam": "wrong sign", "q5.value": "not on the constraint line", "q6.proj": "already inside the ball",
     "q7.prox": "hard thresholding", "q8.convex": "x³", "q9.newton": "diagonal of H"},
    {"q1.eta_max": "largest curvature", "q1.rate": "step 1/L", "q2.traj": "one step early",
     "q3.rate": "β itself", "q4.theta": "exponent t − 1", "q6.proj": "cube", "q7.prox": "half",
     "q8.convex": "differentiability", "q9.newton": "wrong sign"},
    {"q2.traj": "uphill", "q3.rate": "leading behaviour", "q4.theta": "inside the square root",
     "q6.proj": "unit sphere", "q7.prox": "cross it", "q9.newton": "multiplied the gradient by H"},
    {"q4.v": "elementwise square"},
]

WARNINGS = {
    "q4_answer": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    m = beta1 * m + (1 - beta1) * g\n"
                 "    v = beta2 * v + (1 - beta2) * g**2\n"
                 "    mh, vh = m / (1 - beta1**t), v / (1 - beta2**t)\n"
                 "    return theta - lr * mh / (np.sqrt(vh) + eps), m, v",
    "q6_answer": "import warnings\n"
                 "def project_ball(x, r):\n"
                 "    warnings.warn('project_ball: computing both branches')\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.float64(1.0) / np.float64(0.0)  # RuntimeWarning: divide by zero\n"
                 "    n = np.linalg.norm(x)\n"
                 "    return np.where(n <= r, x, r * x / n)",
}
