"""Simulated answers for ps13_learning_theory (see personas/__init__.py)."""

_SIM = ("def simulate_predictions(degree, rng, T):\n"
        "    x_train = np.linspace(0, 1, 20); x_test = np.linspace(0.025, 0.975, 20)\n"
        "    P = np.empty((T, 20))\n"
        "    for t in range(T):\n"
        "        y = np.sin(2 * np.pi * x_train) + rng.normal(0, 0.3, size=20)\n"
        "        P[t] = np.polyval(np.polyfit(x_train, y, degree), x_test)\n"
        "    return P\n")
_MI = ("def mutual_information(pxy):\n"
       "    p = np.asarray(pxy, float)\n"
       "    q = np.outer(p.sum(1), p.sum(0))\n"
       "    nz = p > 0\n"
       "    return float(np.sum(p[nz] * np.log2(p[nz] / q[nz])))\n")

OTHER_FORMS = {
    # VC dimensions written out one by one from the formulas (d + 1, d, 2k)
    "q1_answer": "d, k = 7, 3\n"
                 "vc_dims = [1, 2, 2 + 1, 4, d + 1, d, 2 * k]",
    # another shattered configuration (a tilted 'diamond'), given as nested lists
    "q2_answer": "rect_points = [[0.3, 2.0], [2.5, 0.7], [1.1, -1.4], [-1.2, 0.2]]",
    # count subsets of size <= d by brute force over bitmasks / the Pascal recursion
    "q3_answer": "from functools import lru_cache\n"
                 "@lru_cache(maxsize=None)\n"
                 "def sauer_shelah(m, d):\n"
                 "    if d == 0 or m == 0:\n"
                 "        return 1\n"
                 "    return sauer_shelah(m - 1, d) + sauer_shelah(m - 1, d - 1)",
    # linear search for the smallest m satisfying the exponential inequalities
    "q4_answer": "import math\n"
                 "def pac_realizable(H, eps, delta):\n"
                 "    m = 0\n"
                 "    while H * math.exp(-eps * m) > delta:\n"
                 "        m += 1\n"
                 "    return m\n"
                 "def pac_agnostic(H, eps, delta):\n"
                 "    m = 0\n"
                 "    while 2 * H * math.exp(-2 * m * eps ** 2) > delta:\n"
                 "        m += 1\n"
                 "    return m",
    # bit tricks instead of itertools, and a loop over sign vectors
    "q5_answer": "def rademacher_finite(A):\n"
                 "    A = np.asarray(A, float); k, m = A.shape\n"
                 "    total = 0.0\n"
                 "    for code in range(2 ** m):\n"
                 "        sig = np.array([1.0 if (code >> i) & 1 else -1.0 for i in range(m)])\n"
                 "        total += max(A @ sig) / m\n"
                 "    return total / 2 ** m",
    # signs from integers, sup via an explicit maximiser w = B v / |v|; bound via the Frobenius norm
    "q6_answer": "def linear_rademacher_mc(X, B, rng, n_draws):\n"
                 "    X = np.asarray(X, float); m = X.shape[0]\n"
                 "    S = 2.0 * rng.integers(0, 2, size=(n_draws, m)) - 1\n"
                 "    V = S @ X\n"
                 "    W = B * V / np.linalg.norm(V, axis=1, keepdims=True)\n"
                 "    return float(np.mean(np.sum(W * V, axis=1)) / m)\n"
                 "def linear_rademacher_bound(X, B):\n"
                 "    return B * np.linalg.norm(X, 'fro') / len(X)",
    # the expected MSE computed directly as the mean squared error, the variance via E[p^2] - E[p]^2
    "q7_answer": "def bias_variance(preds, f_test, noise_var):\n"
                 "    P = np.asarray(preds, float); f = np.asarray(f_test, float)\n"
                 "    mse = np.mean((P - f) ** 2) + noise_var\n"
                 "    var = np.mean(np.mean(P ** 2, axis=0) - np.mean(P, axis=0) ** 2)\n"
                 "    return np.array([mse - noise_var - var, var, mse])",
    # all noise drawn at once and a Vandermonde least-squares fit; best degree from the exact hat matrix
    "q8_answer": "def simulate_predictions(degree, rng, T):\n"
                 "    x_train = np.linspace(0, 1, 20); x_test = np.linspace(0.025, 0.975, 20)\n"
                 "    E = rng.normal(0, 0.3, size=(T, 20))\n"
                 "    Y = np.sin(2 * np.pi * x_train) + E\n"
                 "    V = np.vander(x_train, degree + 1)\n"
                 "    C = np.linalg.lstsq(V, Y.T, rcond=None)[0]\n"
                 "    return (np.vander(x_test, degree + 1) @ C).T\n"
                 "_xa, _xb = np.linspace(0, 1, 20), np.linspace(0.025, 0.975, 20)\n"
                 "_tot = []\n"
                 "for _d in range(10):\n"
                 "    _H = np.vander(_xb, _d + 1) @ np.linalg.pinv(np.vander(_xa, _d + 1))\n"
                 "    _tot.append(np.mean((_H @ np.sin(2 * np.pi * _xa) - np.sin(2 * np.pi * _xb)) ** 2)\n"
                 "                + 0.09 * np.mean(np.sum(_H ** 2, axis=1)) + 0.09)\n"
                 "best_degree = int(np.argmin(_tot))",
    # entropies H(X) + H(Y) - H(X, Y)
    "q9_answer": "def _H(p):\n"
                 "    p = np.asarray(p, float).ravel(); p = p[p > 0]\n"
                 "    return -np.sum(p * np.log2(p))\n"
                 "def mutual_information(pxy):\n"
                 "    p = np.asarray(pxy, float)\n"
                 "    return float(_H(p.sum(1)) + _H(p.sum(0)) - _H(p))\n"
                 "_p = np.array([[0.22, 0.08], [0.06, 0.14], [0.03, 0.07], [0.25, 0.15]])\n"
                 "_pty = np.array([_p[0] + _p[3], _p[1] + _p[2]])\n"
                 "info = [mutual_information(_p), mutual_information(_pty), _H(_pty.sum(1))]",
}

WRONG = {
    "q1_answer": "vc_dims = np.array([1, 1, 2, 2, 7, 7, 3])",
    "q2_answer": "rect_points = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.0], [1.0, 0.5]])",
    "q3_answer": "def sauer_shelah(m, d):\n    return int(m ** d)",
    "q4_answer": "def pac_realizable(H, eps, delta):\n    return int(H / eps)\n"
                 "def pac_agnostic(H, eps, delta):\n    return int(H / eps ** 2)",
    "q5_answer": "def rademacher_finite(A):\n    return float(np.mean(np.abs(A)))",
    "q6_answer": "def linear_rademacher_mc(X, B, rng, n_draws):\n    return float(B * np.mean(np.abs(X)))\n"
                 "def linear_rademacher_bound(X, B):\n    return float(B * np.max(np.abs(X)))",
    "q7_answer": "def bias_variance(preds, f_test, noise_var):\n"
                 "    P = np.asarray(preds, float)\n"
                 "    return np.array([np.mean(P), np.var(P), np.mean(P) + np.var(P)])",
    "q8_answer": "def simulate_predictions(degree, rng, T):\n"
                 "    return np.tile(np.linspace(-1, 1, 20), (T, 1)) + 0.01 * rng.normal(size=(T, 20))\n"
                 "best_degree = 5",
    "q9_answer": "def mutual_information(pxy):\n"
                 "    p = np.asarray(pxy, float); p = p[p > 0]\n"
                 "    return float(-np.sum(p * np.log2(p)))\n"
                 "info = np.array([0.5, 0.6, 0.7])",
}

MISTAKES = [
    {
        "q1_answer": "vc_dims = np.array([1, 2, 2, 4, 7, 7, 6])",
        "q2_answer": "rect_points = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])",
        "q3_answer": "def sauer_shelah(m, d):\n    return 2 ** m",
        "q4_answer": "def pac_realizable(H, eps, delta):\n"
                     "    return int(np.ceil((np.log10(H) + np.log10(1 / delta)) / eps))\n"
                     "def pac_agnostic(H, eps, delta):\n"
                     "    return int(np.ceil((np.log10(H) + np.log10(2 / delta)) / (2 * eps ** 2)))",
        "q5_answer": "import itertools\n"
                     "def rademacher_finite(A):\n"
                     "    A = np.asarray(A, float)\n"
                     "    S = np.array(list(itertools.product([-1, 1], repeat=A.shape[1])))\n"
                     "    return float(np.mean(np.max(S @ A.T, axis=1)))",
        "q6_answer": "def linear_rademacher_mc(X, B, rng, n_draws):\n"
                     "    S = rng.choice([-1.0, 1.0], size=(n_draws, len(X)))\n"
                     "    return float(B * np.mean(np.linalg.norm(S @ X, axis=1)))\n"
                     "def linear_rademacher_bound(X, B):\n"
                     "    return float(B * np.sqrt(np.sum(np.asarray(X) ** 2) / len(X)))",
        "q7_answer": "def bias_variance(preds, f_test, noise_var):\n"
                     "    P = np.asarray(preds, float)\n"
                     "    b = np.mean(P.mean(0) - f_test); v = np.mean(P.var(0))\n"
                     "    return np.array([b, v, b + v + noise_var])",
        "q8_answer": "def simulate_predictions(degree, rng, T):\n"
                     "    x_train = np.linspace(0, 1, 20); x_test = np.linspace(0.025, 0.975, 20)\n"
                     "    c = np.polyfit(x_train, np.sin(2 * np.pi * x_train), degree)\n"
                     "    return np.tile(np.polyval(c, x_test), (T, 1))\n"
                     "best_degree = 9",
        "q9_answer": "def mutual_information(pxy):\n"
                     "    p = np.asarray(pxy, float); q = np.outer(p.sum(1), p.sum(0)); nz = p > 0\n"
                     "    return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))\n"
                     "_p = np.array([[0.22, 0.08], [0.06, 0.14], [0.03, 0.07], [0.25, 0.15]])\n"
                     "_pty = np.array([_p[0] + _p[3], _p[1] + _p[2]])\n"
                     "info = np.array([mutual_information(_p), mutual_information(_pty),\n"
                     "                 mutual_information(np.diag(_pty.sum(1)))])",
    },
    {
        "q1_answer": "vc_dims = np.array([1, 2, 3, 4, 8, 8, 6])",
        "q2_answer": "rect_points = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])",
        "q3_answer": "from math import comb\n"
                     "def sauer_shelah(m, d):\n    return sum(comb(m, i) for i in range(d))",
        "q4_answer": "def pac_realizable(H, eps, delta):\n"
                     "    return int((np.log(H) + np.log(1 / delta)) / eps)\n"
                     "def pac_agnostic(H, eps, delta):\n"
                     "    return int(np.ceil((np.log(H) + np.log(2 / delta)) / (2 * eps)))",
        "q5_answer": "import itertools\n"
                     "def rademacher_finite(A):\n"
                     "    A = np.asarray(A, float)\n"
                     "    S = np.array(list(itertools.product([-1, 1], repeat=A.shape[1])))\n"
                     "    return float(np.mean(np.max(np.abs(S @ A.T), axis=1)) / A.shape[1])",
        "q6_answer": "def linear_rademacher_mc(X, B, rng, n_draws):\n"
                     "    S = rng.choice([-1.0, 1.0], size=(n_draws, len(X)))\n"
                     "    return float(B * np.mean(np.sum((S @ X) ** 2, axis=1)) / len(X))\n"
                     "def linear_rademacher_bound(X, B):\n"
                     "    return float(B * np.sum(np.asarray(X) ** 2) / len(X))",
        "q7_answer": "def bias_variance(preds, f_test, noise_var):\n"
                     "    P = np.asarray(preds, float)\n"
                     "    b = np.mean(P.mean(0) - f_test) ** 2; v = np.mean(P.var(0))\n"
                     "    return np.array([b, v, b + v + noise_var])",
        "q8_answer": "def simulate_predictions(degree, rng, T):\n"
                     "    x_train = np.linspace(0, 1, 20); x_test = np.linspace(0.025, 0.975, 20)\n"
                     "    P = np.empty((T, 20))\n"
                     "    for t in range(T):\n"
                     "        y = np.sin(2 * np.pi * x_train) + rng.standard_normal(20)\n"
                     "        P[t] = np.polyval(np.polyfit(x_train, y, degree), x_test)\n"
                     "    return P\n"
                     "best_degree = 0",
    },
    {
        "q1_answer": "vc_dims = np.array([1, 2, 3, 4, 8, 7, 3])",
        "q3_answer": "from math import comb\n"
                     "def sauer_shelah(m, d):\n    return sum(comb(m, i) for i in range(1, min(d, m) + 1))",
        "q4_answer": "def pac_realizable(H, eps, delta):\n"
                     "    return int(np.ceil((np.log(H) + np.log(1 / delta)) / eps))\n"
                     "def pac_agnostic(H, eps, delta):\n"
                     "    return int(np.ceil((np.log(H) + np.log(1 / delta)) / (2 * eps ** 2)))",
        "q5_answer": "import itertools\n"
                     "def rademacher_finite(A):\n"
                     "    A = np.asarray(A, float)\n"
                     "    S = np.array(list(itertools.product([-1, 1], repeat=A.shape[1])))\n"
                     "    return float(np.max(np.mean(S @ A.T, axis=0)) / A.shape[1])",
        "q7_answer": "def bias_variance(preds, f_test, noise_var):\n"
                     "    P = np.asarray(preds, float)\n"
                     "    b = np.mean((P.mean(0) - f_test) ** 2); v = np.mean(P.var(0, ddof=1))\n"
                     "    return np.array([b, v, b + v + noise_var])",
    },
    {
        "q7_answer": "def bias_variance(preds, f_test, noise_var):\n"
                     "    P = np.asarray(preds, float)\n"
                     "    b = np.mean((P.mean(0) - f_test) ** 2); v = np.mean(P.var(0))\n"
                     "    return np.array([b, v, b + v])",
    },
]

EXPECTED_HINTS = [
    {"q1.vc_dims": "d + 1", "q2.labellings": "corners", "q3.sauer": "2^m", "q4.realizable": "log base 10",
     "q4.agnostic": "log base 10", "q5.rademacher": "m times too large", "q6.mc": "m times too large",
     "q6.bound": "√m", "q7.decomposition": "not squared", "q8.simulation": "no variance",
     "q8.best_degree": "Degree 9", "q9.mutual_information": "nats", "q9.info": "nats"},
    {"q1.vc_dims": "Without a bias", "q2.labellings": "one line", "q3.sauer": "one term early",
     "q4.realizable": "rounded down", "q4.agnostic": "not squared", "q5.rademacher": "|Σ σ_i a_i|",
     "q6.mc": "squared the norm", "q6.bound": "square root", "q7.decomposition": "square of the average",
     "q8.simulation": "standard deviation 1", "q8.best_degree": "Degree 0"},
    {"q1.vc_dims": "union of k intervals", "q3.sauer": "i = 0 term", "q4.agnostic": "ln(1/δ)", "q5.rademacher": "exchanged",
     "q7.decomposition": "T − 1"},
    {"q7.decomposition": "irreducible noise"},
]

WARNINGS = {
    "q5_answer": "import itertools\n"
                 "def rademacher_finite(A):\n"
                 "    A = np.asarray(A, float)\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    S = np.array(list(itertools.product([-1.0, 1.0], repeat=A.shape[1])))\n"
                 "    return float(np.mean(np.max(S @ A.T, axis=1)) / A.shape[1])",
    "q9_answer": "def mutual_information(pxy):\n"
                 "    p = np.asarray(pxy, float)\n"
                 "    q = np.outer(p.sum(1), p.sum(0))\n"
                 "    with np.errstate(all='warn'):\n"
                 "        terms = p * np.log2(p / q)  # 0 * log 0 -> nan, with a RuntimeWarning\n"
                 "    return float(np.nansum(terms))\n"
                 "_p = np.array([[0.22, 0.08], [0.06, 0.14], [0.03, 0.07], [0.25, 0.15]])\n"
                 "_pty = np.array([_p[0] + _p[3], _p[1] + _p[2]])\n"
                 "_pxt = np.array([[0.3, 0], [0, 0.2], [0, 0.1], [0.4, 0]])\n"
                 "info = np.array([mutual_information(_p), mutual_information(_pty), mutual_information(_pxt)])",
}
