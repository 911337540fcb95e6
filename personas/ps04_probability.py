"""Simulated answers for ps04_probability (see personas/__init__.py)."""

OTHER_FORMS = {
    # odds form of Bayes' rule: posterior odds = prior odds × likelihood ratio
    "q1_answer": "odds = (0.01 / 0.99) * (0.99 / (1 - 0.95))\n"
                 "p_disease = odds / (1 + odds)",
    "q2_answer": "from scipy import integrate, stats\n"
                 "p_tail = 1 - integrate.quad(lambda t: t**-2.0, 1, 2)[0]\n"
                 "laplace_std = sp.sqrt(2)",
    "q3_answer": "def gaussian_cov_mle(X):\n"
                 "    N = len(X)\n"
                 "    m = sum(X) / N\n"
                 "    return sum(np.outer(x - m, x - m) for x in X) / N",
    "q4_answer": "from scipy.optimize import minimize_scalar\n"
                 "_x = np.array([1.5, 2.5, 5.0])\n"
                 "rate_mle = minimize_scalar(lambda l: -np.sum(np.log(l) - l * _x), bounds=(1e-6, 10),\n"
                 "                           method='bounded', options={'xatol': 1e-12}).x",
    "q5_answer": "post_params = [sp.Integer(9), sp.Integer(5)]\n"
                 "post_mean = sp.Rational(9, 14)\n"
                 "theta_map = sp.Rational(2, 3)",
    "q6_answer": "def affine_cov(A, b, Sigma):\n"
                 "    return np.einsum('ik,kl,jl->ij', A, Sigma, A)",
    # through the precision matrix Λ = Σ⁻¹: C = Λ11⁻¹, m = μ1 − Λ11⁻¹ Λ12 (x2 − μ2)
    "q7_answer": "def condition_gaussian(mu, Sigma, x2):\n"
                 "    k = len(mu) - len(x2)\n"
                 "    P = np.linalg.inv(Sigma)\n"
                 "    C = np.linalg.inv(P[:k, :k])\n"
                 "    return mu[:k] - C @ P[:k, k:] @ (x2 - mu[k:]), C",
    "q8_answer": "from scipy.stats import multivariate_normal\n"
                 "def gaussian_logpdf(x, mu, Sigma):\n"
                 "    return multivariate_normal(mean=mu, cov=Sigma).logpdf(x)",
    "q9_answer": "def map_weights(X, y, sigma2, tau2):\n"
                 "    d = X.shape[1]\n"
                 "    Xa = np.vstack([X, np.sqrt(sigma2 / tau2) * np.eye(d)])\n"
                 "    ya = np.concatenate([y, np.zeros(d)])\n"
                 "    return np.linalg.lstsq(Xa, ya, rcond=None)[0]\n"
                 "map_statements = ['C', 'a']",
    "q10_answer": 'mu, eps = sp.symbols("mu eps", real=True)\n'
                  'sigma = sp.Symbol("sigma", positive=True)\n'
                  "g_sample = 2 * (mu + sigma * eps) * sp.Matrix([1, eps])\n"
                  "_e = sp.Symbol('e', real=True)\n"
                  "_Ez2 = sp.integrate(sp.expand((mu + sigma * _e)**2) * sp.exp(-_e**2 / 2) / sp.sqrt(2 * sp.pi), (_e, -sp.oo, sp.oo))\n"
                  "g_mean = sp.Matrix([_Ez2]).jacobian([mu, sigma]).T",
}

WRONG = {
    "q1_answer": "p_disease = 0.5",
    "q2_answer": "p_tail = 0.75\nlaplace_std = 0.5",
    "q3_answer": "def gaussian_cov_mle(X):\n    return np.diag(X.var(axis=0)) + 1.0",
    "q4_answer": "rate_mle = 1.0",
    "q5_answer": "post_params = (8.0, 4.0)\npost_mean = 0.5\ntheta_map = 0.5",
    "q6_answer": "def affine_cov(A, b, Sigma):\n    return np.eye(A.shape[0])",
    "q7_answer": "def condition_gaussian(mu, Sigma, x2):\n"
                 "    k = len(mu) - len(x2)\n"
                 "    return np.zeros(k), np.eye(k)",
    "q8_answer": "def gaussian_logpdf(x, mu, Sigma):\n    return -0.5 * float(np.sum((x - mu)**2))",
    "q9_answer": "def map_weights(X, y, sigma2, tau2):\n    return np.zeros(X.shape[1])\n"
                 "map_statements = {'b', 'd'}",
    "q10_answer": 'mu, eps = sp.symbols("mu eps", real=True)\n'
                  'sigma = sp.Symbol("sigma", positive=True)\n'
                  "g_sample = sp.Matrix([2 * mu, 2 * sigma])\n"
                  "g_mean = sp.Matrix([mu, sigma])",
}

MISTAKES = [
    {
        "q1_answer": "p_disease = 0.99",
        "q2_answer": "p_tail = 1 / 2**2\nlaplace_std = 2.0",
        "q3_answer": "def gaussian_cov_mle(X):\n    return np.cov(X, rowvar=False)",
        "q4_answer": "rate_mle = np.mean([1.5, 2.5, 5.0])",
        "q5_answer": "post_params = (7, 3)\npost_mean = 8 / 12\ntheta_map = 9 / 14",
        "q6_answer": "def affine_cov(A, b, Sigma):\n    return A @ Sigma @ A.T + np.outer(b, b)",
        "q7_answer": "def condition_gaussian(mu, Sigma, x2):\n"
                     "    k = len(mu) - len(x2)\n"
                     "    G = Sigma[:k, k:] @ np.linalg.inv(Sigma[k:, k:])\n"
                     "    return mu[:k] + G @ x2, Sigma[:k, :k] + G @ Sigma[k:, :k]",
        "q8_answer": "def gaussian_logpdf(x, mu, Sigma):\n"
                     "    r = x - mu\n"
                     "    return (-0.5 * len(x) * np.log(2 * np.pi) - np.log(np.linalg.det(Sigma))\n"
                     "            - 0.5 * r @ np.linalg.inv(Sigma) @ r)",
        "q9_answer": "def map_weights(X, y, sigma2, tau2):\n"
                     "    return np.linalg.solve(X.T @ X + tau2 / sigma2 * np.eye(X.shape[1]), X.T @ y)\n"
                     "map_statements = {'a', 'b', 'c'}",
        "q10_answer": 'mu, eps = sp.symbols("mu eps", real=True)\n'
                      'sigma = sp.Symbol("sigma", positive=True)\n'
                      "g_sample = sp.Matrix([2 * (mu + sigma * eps), 2 * (mu + sigma * eps)])\n"
                      "g_mean = sp.Matrix([2 * mu, 1])",
    },
    {
        "q1_answer": "p_disease = 0.99 * 0.01",
        "q2_answer": "p_tail = 0.5\nlaplace_std = 1.0",
        "q3_answer": "def gaussian_cov_mle(X):\n    return X.T @ X / X.shape[0]",
        "q4_answer": "rate_mle = 1 / np.sum([1.5, 2.5, 5.0])",
        "q5_answer": "post_params = np.array([5.0, 9.0])\npost_mean = 0.7\ntheta_map = 7 / 10",
        "q6_answer": "def affine_cov(A, b, Sigma):\n    return A.T @ Sigma @ A",
        "q7_answer": "def condition_gaussian(mu, Sigma, x2):\n"
                     "    k = len(mu) - len(x2)\n"
                     "    G = Sigma[:k, k:] @ np.linalg.inv(Sigma[k:, k:])\n"
                     "    return mu[:k] - G @ (x2 - mu[k:]), Sigma[:k, :k]",
        "q8_answer": "def gaussian_logpdf(x, mu, Sigma):\n"
                     "    r = x - mu\n"
                     "    return -0.5 * (len(x) * np.log(2 * np.pi) + np.log(np.linalg.det(Sigma)) + r @ Sigma @ r)",
        "q9_answer": "def map_weights(X, y, sigma2, tau2):\n"
                     "    return np.linalg.solve(X.T @ X + np.eye(X.shape[1]) / tau2, X.T @ y)\n"
                     "map_statements = {'a', 'c', 'd'}",
        "q10_answer": 'mu, eps = sp.symbols("mu eps", real=True)\n'
                      'sigma = sp.Symbol("sigma", positive=True)\n'
                      "g_sample = sp.Matrix([[2 * (mu + sigma * eps), 2 * (mu + sigma * eps) * eps]])\n"
                      "g_mean = sp.Matrix([2 * mu, 0])",
    },
    {
        "q3_answer": "def gaussian_cov_mle(X):\n    return np.cov(X, bias=True)",
        "q8_answer": "def gaussian_logpdf(x, mu, Sigma):\n"
                     "    r = x - mu\n"
                     "    return -0.5 * (np.linalg.slogdet(Sigma)[1] + r @ np.linalg.solve(Sigma, r))",
        "q9_answer": "def map_weights(X, y, sigma2, tau2):\n"
                     "    return np.linalg.pinv(X) @ y\n"
                     "map_statements = {'a', 'c'}",
    },
]

EXPECTED_HINTS = [
    {"q1.posterior": "sensitivity", "q2.tail": "density f(2)", "q2.std": "variance", "q3.cov": "N − 1",
     "q4.rate": "mean waiting time", "q5.params": "counts alone", "q5.mean": "mode", "q5.map": "posterior mean",
     "q6.cov": "constant shift", "q6.square": "constant shift", "q7.mean": "x₂ − μ₂", "q7.cov": "subtracted",
     "q8.logpdf": "factor ½", "q9.map": "upside down", "q9.statements": "Jacobian", "q10.sample": "chain rule",
     "q10.mean": "variance v = σ²"},
    {"q1.posterior": "joint probability", "q2.std": "scale b", "q3.cov": "Centre the data",
     "q4.rate": "one log λ term", "q5.params": "swapped", "q5.mean": "maximum-likelihood",
     "q5.map": "maximum-likelihood", "q6.square": "AᵀΣA", "q7.mean": "sign of the correction",
     "q7.cov": "marginal covariance", "q8.logpdf": "inverse covariance", "q9.map": "noise variance",
     "q9.statements": "(d) is false", "q10.sample": "1×2 row", "q10.mean": "spread of z"},
    {"q3.cov": "N×N", "q8.logpdf": "normalising term", "q9.map": "ignores the prior"},
]

WARNINGS = {
    "q3_answer": "def gaussian_cov_mle(X):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    return np.cov(X, rowvar=False, bias=True)",
    "q8_answer": "import warnings\n"
                 "def gaussian_logpdf(x, mu, Sigma):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.sqrt(np.array([-1.0]))  # RuntimeWarning: invalid value\n"
                 "    warnings.warn('gaussian_logpdf: using slogdet')\n"
                 "    r = x - mu\n"
                 "    return -0.5 * (len(x) * np.log(2 * np.pi) + np.linalg.slogdet(Sigma)[1]\n"
                 "                   + r @ np.linalg.solve(Sigma, r))",
}
