"""Simulated answers for ps06_information_theory (see personas/__init__.py)."""

OTHER_FORMS = {
    "q1_answer": "import scipy.stats\n"
                 "def entropy(p, base=2):\n"
                 "    return scipy.stats.entropy(p, base=base)",
    "q2_answer": "H_keys = np.log(44) / np.log(2)",
    "q3_answer": "from scipy.special import logsumexp\n"
                 "def soft_cross_entropy(P, Z):\n"
                 "    losses = [-(row_p @ (row_z - logsumexp(row_z))) for row_p, row_z in zip(P, Z)]\n"
                 "    return np.mean(losses)",
    "q4_answer": "from scipy.special import rel_entr\n"
                 "def kl_divergence(p, q):\n"
                 "    return rel_entr(p, q).sum()",
    "q5_answer": 'mu1, mu2 = sp.symbols("mu1 mu2", real=True)\n'
                 'sigma1, sigma2 = sp.symbols("sigma1 sigma2", positive=True)\n'
                 "kl_gauss = (sp.log(sigma2**2) - sp.log(sigma1**2)) / 2 + sigma1**2 / (2 * sigma2**2)"
                 " + (mu1**2 - 2 * mu1 * mu2 + mu2**2) / (2 * sigma2**2) - 0.5",
    "q6_answer": "import scipy.stats\n"
                 "P = np.array([[0.4, 0.1], [0.1, 0.4]])\n"
                 "H = lambda v: scipy.stats.entropy(np.ravel(v), base=2)\n"
                 "mi_bits = H(P.sum(axis=0)) + H(P.sum(axis=1)) - H(P)",
    "q7_answer": 'sigma = sp.symbols("sigma", positive=True)\n'
                 'x = sp.symbols("x", real=True)\n'
                 "f = sp.exp(-x**2 / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)\n"
                 "h_gauss = sp.integrate(sp.expand_log(-f * sp.log(f), force=True), (x, -sp.oo, sp.oo))",
    "q8_answer": "import scipy.stats\n"
                 "def perplexity(nll, base):\n"
                 "    # the geometric mean of the inverse token probabilities\n"
                 "    return scipy.stats.gmean(np.power(float(base), nll))",
    "q9_answer": "def huffman_lengths(p):\n"
                 "    # keep a sorted list of (probability, symbols) and merge the two smallest\n"
                 "    nodes = sorted((float(pi), [i]) for i, pi in enumerate(p))\n"
                 "    L = [0] * len(p)\n"
                 "    while len(nodes) > 1:\n"
                 "        (pa, a), (pb, b) = nodes[0], nodes[1]\n"
                 "        for i in a + b:\n"
                 "            L[i] += 1\n"
                 "        nodes = sorted(nodes[2:] + [(pa + pb, a + b)])\n"
                 "    return L",
    "q10_answer": 'true_statements = ["F", "b", "C", "d"]',
}

WRONG = {
    "q1_answer": "def entropy(p, base=2):\n    return float(np.log2(len(p)))",
    "q2_answer": "H_keys = 44.0",
    "q3_answer": "def soft_cross_entropy(P, Z):\n    return float(np.mean((P - Z) ** 2))",
    "q4_answer": "def kl_divergence(p, q):\n    return float(np.sum(np.abs(p - q)))",
    "q5_answer": 'mu1, mu2 = sp.symbols("mu1 mu2", real=True)\n'
                 'sigma1, sigma2 = sp.symbols("sigma1 sigma2", positive=True)\n'
                 "kl_gauss = (mu1 - mu2)**2 / 2",
    "q6_answer": "mi_bits = 0.5",
    "q7_answer": 'sigma = sp.symbols("sigma", positive=True)\nh_gauss = sigma**2',
    "q8_answer": "def perplexity(nll, base):\n    return float(len(nll))",
    "q9_answer": "def huffman_lengths(p):\n    return np.arange(1, len(p) + 1)",
    "q10_answer": 'true_statements = {"a", "e"}',
}

_GAUSS = 'mu1, mu2 = sp.symbols("mu1 mu2", real=True)\nsigma1, sigma2 = sp.symbols("sigma1 sigma2", positive=True)\n'
_SIGMA = 'sigma = sp.symbols("sigma", positive=True)\n'
_MARG = "P = np.array([[0.4, 0.1], [0.1, 0.4]])\nH = lambda v, f: float(-np.sum(v * f(v)))\n"

MISTAKES = [
    {
        "q1_answer": "def entropy(p, base=2):\n"
                     "    p = np.asarray(p, dtype=float)\n"
                     "    return float(-np.sum(p * np.log(p)) / np.log(base))",
        "q2_answer": "H_keys = np.log(44)",
        "q3_answer": "def soft_cross_entropy(P, Z):\n"
                     "    E = np.exp(Z)\n"
                     "    S = E / E.sum(axis=1, keepdims=True)\n"
                     "    return float(-np.sum(P * np.log(S)) / len(Z))",
        "q4_answer": "def kl_divergence(p, q):\n"
                     "    m = q > 0\n"
                     "    return float(np.sum(q[m] * np.log(q[m] / p[m])))",
        "q5_answer": _GAUSS + "kl_gauss = sp.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2)**2) / (2 * sigma2**2)",
        "q6_answer": _MARG + "mi_bits = H(P.sum(0), np.log) + H(P.sum(1), np.log) - H(P, np.log)",
        "q7_answer": _SIGMA + "h_gauss = sp.log(2 * sp.pi * sigma**2) / 2",
        "q8_answer": "def perplexity(nll, base):\n    return float(np.exp(np.mean(nll)))",
        "q9_answer": "def huffman_lengths(p):\n    return np.ceil(-np.log2(p)).astype(int)",
        "q10_answer": 'true_statements = {"b", "d", "f"}',
    },
    {
        "q1_answer": "def entropy(p, base=2):\n"
                     "    p = np.asarray(p, dtype=float)\n"
                     "    p = p[p > 0]\n"
                     "    return float(-np.sum(p * np.log(p)))",
        "q2_answer": "H_keys = float(np.log10(44))",
        "q3_answer": "def soft_cross_entropy(P, Z):\n"
                     "    lse = np.log(np.sum(np.exp(Z), axis=1, keepdims=True))\n"
                     "    return float(-np.sum(P * (Z - lse)) / Z.shape[0])",
        "q4_answer": "def kl_divergence(p, q):\n"
                     "    return float(np.sum(p * np.log(p / q)))",
        "q5_answer": _GAUSS + "kl_gauss = sp.log(sigma1 / sigma2) + (sigma2**2 + (mu2 - mu1)**2) / (2 * sigma1**2)"
                              " - sp.Rational(1, 2)",
        "q6_answer": _MARG + "mi_bits = H(P, np.log2) - H(P.sum(0), np.log2)",
        "q7_answer": _SIGMA + "h_gauss = sp.log(2 * sp.pi * sp.E * sigma**2)",
        "q8_answer": "def perplexity(nll, base):\n    return float(np.mean(float(base) ** np.asarray(nll)))",
        "q9_answer": "def huffman_lengths(p):\n    return np.full(len(p), int(np.ceil(np.log2(len(p)))))",
        "q10_answer": 'true_statements = {"b", "c", "d", "e", "f"}',
    },
    {
        "q1_answer": "def entropy(p, base=2):\n"
                     "    p = np.asarray(p, dtype=float)\n"
                     "    p = p[p > 0]\n"
                     "    return float(-np.sum(p * np.log2(p)))",
        "q3_answer": "def soft_cross_entropy(P, Z):\n"
                     "    m = Z.max(axis=1, keepdims=True)\n"
                     "    logp = Z - m - np.log(np.exp(Z - m).sum(axis=1, keepdims=True))\n"
                     "    return float(-np.sum(P * logp))",
        "q4_answer": "def kl_divergence(p, q):\n"
                     "    m = p > 0\n"
                     "    return float(np.sum(p[m] * np.log2(p[m] / q[m])))",
        "q5_answer": _GAUSS + "kl_gauss = sp.log(sigma2**2 / sigma1**2) + (sigma1**2 + (mu1 - mu2)**2) / (2 * sigma2**2)"
                              " - sp.Rational(1, 2)",
        "q6_answer": _MARG + "mi_bits = H(P, np.log2)",
        "q7_answer": _SIGMA + "h_gauss = sp.log(2 * sp.pi * sp.E * sigma**2, 2) / 2",
        "q8_answer": "def perplexity(nll, base):\n    return float(base ** np.sum(nll))",
        "q9_answer": "def huffman_lengths(p):\n"
                     "    import heapq\n"
                     "    heap = [(pi, i, [i]) for i, pi in enumerate(p)]\n"
                     "    heapq.heapify(heap)\n"
                     "    L = np.zeros(len(p), dtype=int)\n"
                     "    while len(heap) > 1:\n"
                     "        pa, ia, a = heapq.heappop(heap)\n"
                     "        pb, ib, b = heapq.heappop(heap)\n"
                     "        L[a + b] += 1\n"
                     "        heapq.heappush(heap, (pa + pb, len(p) + ia + ib, a + b))\n"
                     "    # ... then handed the codewords out in the wrong order\n"
                     "    out = np.empty_like(L)\n"
                     "    out[np.argsort(p)] = np.sort(L)\n"
                     "    return out",
    },
    {
        "q1_answer": "def entropy(p, base=2):\n"
                     "    p = np.asarray(p, dtype=float)\n"
                     "    p = p[p > 0]\n"
                     "    return float(np.sum(p * np.log(p)) / np.log(base))",
        "q3_answer": "def soft_cross_entropy(P, Z):\n"
                     "    m = Z.max(axis=0, keepdims=True)\n"
                     "    logp = Z - m - np.log(np.exp(Z - m).sum(axis=0, keepdims=True))\n"
                     "    return float(-np.mean(np.sum(P * logp, axis=1)))",
        "q4_answer": "def kl_divergence(p, q):\n"
                     "    m = p > 0\n"
                     "    return float(np.sum(p[m] * np.log(q[m] / p[m])))",
        "q8_answer": "def perplexity(nll, base):\n    return float(np.mean(nll))",
    },
    {
        "q3_answer": "def soft_cross_entropy(P, Z):\n"
                     "    m = Z.max(axis=1, keepdims=True)\n"
                     "    logp = (Z - m) / np.log(2) - np.log2(np.exp(Z - m).sum(axis=1, keepdims=True))\n"
                     "    return float(-np.sum(P * logp) / len(Z))",
    },
]

EXPECTED_HINTS = [
    {"q1.entropy": "NaN", "q2.bits": "nats", "q3.loss": "overflows", "q4.kl": "D_KL(q‖p)", "q5.kl_gauss": "−½",
     "q6.mi": "nats", "q7.h": "factor e", "q8.ppl": "whatever the units", "q9.lengths": "Shannon code",
     "q10.true": "differential entropy"},
    {"q1.entropy": "in nats whatever", "q2.bits": "base 10", "q3.loss": "log Σ exp(z) = m", "q4.kl": "NaN",
     "q5.kl_gauss": "swapped", "q6.mi": "conditional entropy", "q7.h": "twice too large",
     "q8.ppl": "Jensen", "q9.lengths": "fixed-length", "q10.true": "Conditioning reduces"},
    {"q1.entropy": "in bits whatever", "q3.loss": "sum over the batch", "q4.kl": "bits",
     "q5.kl_gauss": "ratio of the variances", "q6.mi": "joint entropy", "q7.h": "in bits",
     "q8.ppl": "total NLL", "q9.lengths": "wrong way round"},
    {"q1.entropy": "wrong sign", "q3.loss": "each column", "q4.kl": "wrong sign", "q8.ppl": "mean NLL itself"},
    {"q3.loss": "in bits"},
]

WARNINGS = {
    "q1_answer": "def entropy(p, base=2):\n"
                 "    p = np.asarray(p, dtype=float)\n"
                 "    with np.errstate(all='warn'):\n"
                 "        terms = np.where(p > 0, p * np.log(p), 0.0)  # RuntimeWarnings: log(0), 0 * -inf\n"
                 "    return float(-terms.sum() / np.log(base))",
    "q4_answer": "import warnings\n"
                 "def kl_divergence(p, q):\n"
                 "    warnings.warn('kl_divergence: masking zeros')\n"
                 "    with np.errstate(all='warn'):\n"
                 "        terms = p * np.log(p / q)  # RuntimeWarnings for p = 0\n"
                 "    return float(np.nansum(terms))",
}
