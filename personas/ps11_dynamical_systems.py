"""Simulated answers for ps11_dynamical_systems (see personas/__init__.py)."""

_R32 = ("_r = 3.2\n"
        "_q = np.sqrt((_r - 3) * (_r + 1))\n"
        "_p1, _p2 = ((_r + 1) + _q) / (2 * _r), ((_r + 1) - _q) / (2 * _r)\n")

OTHER_FORMS = {
    "q1_answer": "import sympy as _sp\n"
                 "_x = _sp.symbols('x', real=True)\n"
                 "_f = _x - _x**3\n"
                 "fixed_points = [float(r) for r in _sp.solve(_f, _x)][::-1]\n"
                 "stable_points = np.array([p for p in fixed_points if float(_sp.diff(_f, _x).subs(_x, p)) < 0])",
    "q2_answer": "def flow(A, x0, t):\n"
                 "    w, V = np.linalg.eig(A)\n"
                 "    return np.real(V @ (np.exp(w * t) * np.linalg.solve(V, x0)))",
    "q3_answer": 'a, b = sp.symbols("a b", real=True)\n'
                 "_lo, _hi = 0.0, 1.0\n"
                 "for _ in range(80):\n"
                 "    _mid = (_lo + _hi) / 2\n"
                 "    _lo, _hi = (_mid, _hi) if abs(1 - 10 * _mid) < 1 else (_lo, _mid)\n"
                 "h_max = _lo\n"
                 "h_max_complex = 2 * sp.Abs(a) / (sp.Abs(a + sp.I * b))**2",
    "q4_answer": "_C = np.array([0.0, 0.5, 0.5, 1.0])\n"
                 "_Amat = np.array([[0, 0, 0, 0], [0.5, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 1.0, 0]])\n"
                 "_Bw = np.array([1, 2, 2, 1]) / 6\n"
                 "def rk4_step(f, t, y, h):\n"
                 "    y = np.array(y, dtype=float)\n"
                 "    K = []\n"
                 "    for i in range(4):\n"
                 "        yi = y + h * sum(_Amat[i, j] * K[j] for j in range(i))\n"
                 "        K.append(np.asarray(f(t + _C[i] * h, yi), dtype=float))\n"
                 "    return y + h * sum(bw * k for bw, k in zip(_Bw, K))",
    "q5_answer": "from functools import reduce\n"
                 "def bptt_jacobian(W, U, xs, h0):\n"
                 "    hs, h = [], np.asarray(h0, float)\n"
                 "    for x in xs:\n"
                 "        h = np.tanh(W @ h + U @ x)\n"
                 "        hs.append(h)\n"
                 "    factors = [np.diag(1 - ht**2) @ W for ht in hs]\n"
                 "    return reduce(lambda acc, F: F @ acc, factors, np.eye(len(h0)))",
    "q6_answer": "def rnn_regime(W):\n"
                 "    coeffs = np.poly(W)\n"
                 "    rho = max(abs(z) for z in np.roots(coeffs))\n"
                 "    return (float(rho), 'Vanishing' if rho < 1 else 'EXPLODING')",
    "q7_answer": "lyap_r4 = np.log(4) / 2\n" + _R32 +
                 "lyap_r32 = 0.5 * np.log(abs(3.2 * (1 - 2 * _p1) * 3.2 * (1 - 2 * _p2)))",
    "q8_answer": "from scipy.integrate import solve_ivp\n"
                 "def adjoint_grad(A, T, g):\n"
                 "    sol = solve_ivp(lambda t, a: -A.T @ a, (T, 0.0), g, method='DOP853', rtol=1e-12, atol=1e-14)\n"
                 "    return sol.y[:, -1]",
}

WRONG = {
    "q1_answer": "fixed_points = [0.0, 2.0]\nstable_points = [2.0]",
    "q2_answer": "def flow(A, x0, t):\n    return x0 + t * (A @ x0)",
    "q3_answer": 'a, b = sp.symbols("a b", real=True)\nh_max = 0.5\nh_max_complex = -1 / a',
    "q4_answer": "def rk4_step(f, t, y, h):\n    y = np.asarray(y, dtype=float)\n    return y + h * f(t + h / 2, y + h / 2 * f(t, y))",
    "q5_answer": "def bptt_jacobian(W, U, xs, h0):\n    return np.eye(len(h0))",
    "q6_answer": "def rnn_regime(W):\n    return float(np.trace(W)), 'exploding'",
    "q7_answer": "lyap_r4 = 0.5\nlyap_r32 = 0.3",
    "q8_answer": "def adjoint_grad(A, T, g):\n    return np.asarray(g, dtype=float) * T",
}

MISTAKES = [
    {
        "q1_answer": "fixed_points = [0.0, 1.0]\nstable_points = [0.0]",
        "q2_answer": "def flow(A, x0, t):\n    return np.exp(A * t) @ x0",
        "q3_answer": 'a, b = sp.symbols("a b", real=True)\nh_max = 1 / 10\nh_max_complex = -2 / a',
        "q4_answer": "def rk4_step(f, t, y, h):\n    return y + h * f(t, y)",
        "q5_answer": "def bptt_jacobian(W, U, xs, h0):\n"
                     "    h, J = np.asarray(h0, float), np.eye(len(h0))\n"
                     "    for x in xs:\n"
                     "        h = np.tanh(W @ h + U @ x)\n"
                     "        J = J @ (np.diag(1 - h**2) @ W)\n"
                     "    return J",
        "q6_answer": "def rnn_regime(W):\n"
                     "    r = np.linalg.norm(W, 2)\n"
                     "    return r, 'vanishing' if r < 1 else 'exploding'",
        "q7_answer": "lyap_r4 = np.log2(2.0)\n" + _R32 +
                     "lyap_r32 = np.log(abs(3.2 * (1 - 2 * _p1) * 3.2 * (1 - 2 * _p2)))",
        "q8_answer": "def adjoint_grad(A, T, g):\n    return scipy.linalg.expm(A * T) @ g",
    },
    {
        "q1_answer": "fixed_points = [-1.0, 0.0, 1.0]\nstable_points = [1.0]",
        "q2_answer": "def flow(A, x0, t):\n    return scipy.linalg.expm(A.T * t) @ x0",
        "q3_answer": 'a, b = sp.symbols("a b", real=True)\nh_max = -0.2\nh_max_complex = 2 / sp.sqrt(a**2 + b**2)',
        "q4_answer": "def rk4_step(f, t, y, h):\n"
                     "    k1 = f(t, y); k2 = f(t, y + h / 2 * k1); k3 = f(t, y + h / 2 * k2); k4 = f(t, y + h * k3)\n"
                     "    return y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)",
        "q5_answer": "def bptt_jacobian(W, U, xs, h0):\n"
                     "    h, J = np.asarray(h0, float), np.eye(len(h0))\n"
                     "    for x in xs:\n"
                     "        h = np.tanh(W @ h + U @ x)\n"
                     "        J = np.diag(1 - h**2) @ W @ J\n"
                     "    return J.T",
        "q6_answer": "def rnn_regime(W):\n"
                     "    r = float(np.max(np.linalg.eigvals(W).real))\n"
                     "    return r, 'vanishing' if r < 1 else 'exploding'",
        "q7_answer": "lyap_r4 = np.log(4.0)\n" + _R32 +
                     "lyap_r32 = -0.5 * np.log(abs(3.2 * (1 - 2 * _p1) * 3.2 * (1 - 2 * _p2)))",
        "q8_answer": "def adjoint_grad(A, T, g):\n    return scipy.linalg.expm(-A.T * T) @ g",
    },
    {
        "q2_answer": "def flow(A, x0, t):\n    return scipy.linalg.expm(-A * t) @ x0",
        "q4_answer": "def rk4_step(f, t, y, h):\n"
                     "    k1 = f(t, y); k2 = f(t + h / 2, y + h / 2 * k1)\n"
                     "    k3 = f(t + h / 2, y + h / 2 * k2); k4 = f(t + h, y + h * k3)\n"
                     "    return y + h / 4 * (k1 + k2 + k3 + k4)",
        "q5_answer": "def bptt_jacobian(W, U, xs, h0):\n"
                     "    return np.linalg.matrix_power(W, len(xs))",
    },
]

EXPECTED_HINTS = [
    {"q1.fixed": "lost a fixed point", "q1.stable": "reversed the stability", "q2.flow": "entry by entry",
     "q3.h_max": "fastest decay", "q3.h_max_complex": "ignored the imaginary", "q4.step": "forward-Euler",
     "q4.global": "forward Euler", "q5.jacobian": "reversed order", "q6.rho": "spectral norm",
     "q6.regime": "spectral norm", "q7.r4": "bits", "q7.r32": "per period", "q8.adjoint": "transpose of A"},
    {"q1.stable": "mirror image", "q2.flow": "adjoint flow", "q3.h_max": "wrong sign", "q3.h_max_complex": "|λ|",
     "q4.step": "old time", "q5.jacobian": "transposed", "q6.rho": "real part", "q6.regime": "real part",
     "q7.r4": "endpoints", "q7.r32": "sign", "q8.adjoint": "wrong sign"},
    {"q2.flow": "backwards in time", "q4.step": "weights are equal", "q5.jacobian": "derivative of tanh"},
]

WARNINGS = {
    "q2_answer": "def flow(A, x0, t):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    return scipy.linalg.expm(A * t) @ x0",
    "q7_answer": "import warnings\n"
                 "with np.errstate(all='warn'):\n"
                 "    _junk = np.sqrt(-np.ones(1))  # RuntimeWarning: invalid value\n"
                 "warnings.warn('a warning from the student')\n"
                 "lyap_r4 = float(np.log(2.0))\n" + _R32 +
                 "lyap_r32 = float(np.log(abs(3.2 * (1 - 2 * _p1))) + np.log(abs(3.2 * (1 - 2 * _p2)))) / 2",
}
