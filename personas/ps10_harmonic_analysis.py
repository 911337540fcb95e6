"""Simulated answers for ps10_harmonic_analysis (see personas/__init__.py)."""

_CIRC_LAYER = ("def circ_layer(x, w, s):\n"
               "    N, k = len(x), len(w)\n"
               "    idx = (s * np.arange(N // s)[:, None] + np.arange(k)[None, :]) % N\n"
               "    return np.asarray(x, float)[idx] @ np.asarray(w, float)\n")
_CIRCULANT = ("def circulant(h):\n"
              "    n = np.arange(len(h))\n"
              "    return np.asarray(h, float)[(n[:, None] - n[None, :]) % len(h)]\n")
_EIGS = "def circulant_eigs(h):\n    return np.fft.fft(h)\n"

OTHER_FORMS = {
    "q1_answer": "import cmath\n"
                 "def dft(x):\n"
                 "    N = len(x)\n"
                 "    return np.array([sum(complex(x[n]) * cmath.exp(-2j * cmath.pi * k * n / N) for n in range(N))\n"
                 "                     for k in range(N)])",
    "q2_answer": "def energy_from_spectrum(X):\n"
                 "    x = np.fft.ifft(X)\n"
                 "    return float(np.vdot(x, x).real)",
    "q3_answer": "def circ_conv(x, h):\n"
                 "    return np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(h), n=len(x))",
    "q4_answer": "import scipy.linalg\n"
                 "def circulant(h):\n"
                 "    return scipy.linalg.circulant(h)\n"
                 "def circulant_eigs(h):\n"
                 "    N = len(h)\n"
                 "    C = circulant(h)\n"
                 "    F = np.exp(2j * np.pi * np.outer(np.arange(N), np.arange(N)) / N)  # columns f_k\n"
                 "    return np.array([(C @ F[:, k])[0] / F[0, k] for k in range(N)])",
    "q5_answer": 'n = sp.symbols("n", positive=True)\n'
                 't = sp.symbols("t", real=True)\n'
                 "b_odd = (2 / sp.pi * sp.integrate(sp.sin(n * t), (t, 0, sp.pi))).subs(sp.cos(sp.pi * n), -1)",
    "q6_answer": "import math\n"
                 "def conv_out(n, k, p, s, d):\n"
                 "    span = d * (k - 1) + 1\n"
                 "    return int(math.floor((n + 2 * p - span) / s)) + 1",
    "q7_answer": "def receptive_field(kernels, strides):\n"
                 "    # walk back from one output unit: track the interval of inputs it sees\n"
                 "    lo, hi = 0, 0\n"
                 "    for k, s in reversed(list(zip(kernels, strides))):\n"
                 "        lo, hi = lo * s, hi * s + k - 1\n"
                 "    return hi - lo + 1",
    "q8_answer": "import scipy.signal\n"
                 "def conv2d(x, w, b):\n"
                 "    return np.stack([sum(scipy.signal.correlate2d(x[c], w[o, c], mode='valid') for c in range(x.shape[0])) + b[o]\n"
                 "                     for o in range(w.shape[0])])",
    "q9_answer": "conv_params = int(np.prod((64, 3, 5, 5))) + 64\n"
                 "dense_params = (3 * 32 * 32 + 1) * (64 * 28 * 28)",
    "q10_answer": "def circ_layer(x, w, s):\n"
                  "    N = len(x)\n"
                  "    full = sum(w[a] * np.roll(x, -a) for a in range(len(w)))\n"
                  "    return full[::s][: N // s]\n"
                  "equivariance_true = ['F', 'e', 'd', 'a']",
}

WRONG = {
    "q1_answer": "def dft(x):\n    return np.asarray(x, dtype=complex)",
    "q2_answer": "def energy_from_spectrum(X):\n    return float(np.sum(np.abs(X)))",
    "q3_answer": "def circ_conv(x, h):\n    return np.asarray(x) * np.asarray(h)",
    "q4_answer": "def circulant(h):\n    return np.diag(h)\n"
                 "def circulant_eigs(h):\n    return np.asarray(h, dtype=complex)",
    "q5_answer": 'n = sp.symbols("n", positive=True)\nb_odd = 1 / n**2',
    "q6_answer": "def conv_out(n, k, p, s, d):\n    return n // s",
    "q7_answer": "def receptive_field(kernels, strides):\n    return int(max(kernels))",
    "q8_answer": "def conv2d(x, w, b):\n"
                 "    H, W = x.shape[1] - w.shape[2] + 1, x.shape[2] - w.shape[3] + 1\n"
                 "    return np.zeros((w.shape[0], H, W)) + b[:, None, None]",
    "q9_answer": "conv_params = 5 * 5\ndense_params = 3 * 32 * 32",
    "q10_answer": "def circ_layer(x, w, s):\n    return np.asarray(x, float)[::s] * np.sum(w)\n"
                  "equivariance_true = {'a', 'b', 'c', 'd', 'e', 'f', 'g'}",
}

MISTAKES = [
    {
        "q1_answer": "def dft(x):\n"
                     "    N = len(x); n = np.arange(N)\n"
                     "    return np.exp(2j * np.pi * np.outer(n, n) / N) @ np.asarray(x, dtype=complex)",
        "q2_answer": "def energy_from_spectrum(X):\n    return float(np.sum(np.abs(X) ** 2))",
        "q3_answer": "def circ_conv(x, h):\n    return np.convolve(x, h)",
        "q4_answer": "def circulant(h):\n"
                     "    n = np.arange(len(h))\n"
                     "    return np.asarray(h, float)[(n[None, :] - n[:, None]) % len(h)]\n"
                     "def circulant_eigs(h):\n    return np.conj(np.fft.fft(h))",
        "q5_answer": 'n = sp.symbols("n", positive=True)\nb_odd = 2 / (sp.pi * n)',
        "q6_answer": "def conv_out(n, k, p, s, d):\n    return (n + 2 * p - d * (k - 1) - 1) / s + 1",
        "q7_answer": "def receptive_field(kernels, strides):\n    return 1 + sum(k - 1 for k in kernels)",
        "q8_answer": "import scipy.signal\n"
                     "def conv2d(x, w, b):\n"
                     "    return np.stack([sum(scipy.signal.convolve2d(x[c], w[o, c], mode='valid') for c in range(x.shape[0])) + b[o]\n"
                     "                     for o in range(w.shape[0])])",
        "q9_answer": "conv_params = 5 * 5 * 3 * 64\ndense_params = 3 * 32 * 32 * 64 * 28 * 28 + 64 * 28 * 28",
        "q10_answer": "def circ_layer(x, w, s):\n"
                      "    N, k = len(x), len(w)\n"
                      "    idx = (s * np.arange(N // s)[:, None] + np.arange(k)[None, :]) % N\n"
                      "    return np.asarray(x, float)[idx] @ np.asarray(w, float)[::-1]\n"
                      "equivariance_true = {'a', 'c', 'd', 'e', 'f'}",
    },
    {
        "q1_answer": "def dft(x):\n    return np.fft.fft(x) / len(x)",
        "q2_answer": "def energy_from_spectrum(X):\n    return float(np.linalg.norm(X) / np.sqrt(len(X)))",
        "q3_answer": "def circ_conv(x, h):\n    return np.convolve(x, h)[: len(x)]",
        "q5_answer": 'n = sp.symbols("n", positive=True)\nb_odd = 4 / n',
        "q6_answer": "def conv_out(n, k, p, s, d):\n    return (n - d * (k - 1) - 1) // s + 1",
        "q7_answer": "def receptive_field(kernels, strides):\n"
                     "    r, jump = 1, 1\n"
                     "    for k, s in zip(kernels, strides):\n"
                     "        jump *= s\n"
                     "        r += (k - 1) * jump\n"
                     "    return r",
        "q8_answer": "import scipy.signal\n"
                     "def conv2d(x, w, b):\n"
                     "    return np.stack([sum(scipy.signal.correlate2d(x[c], w[o, c], mode='valid') for c in range(x.shape[0]))\n"
                     "                     for o in range(w.shape[0])])",
        "q9_answer": "conv_params = 5 * 5 * 64 + 64\ndense_params = 3 * 32 * 32 * 64 * 28 * 28",
        "q10_answer": _CIRC_LAYER + "equivariance_true = {'a', 'b', 'd', 'e', 'f'}",
    },
    {
        "q3_answer": "def circ_conv(x, h):\n"
                     "    return np.real(np.fft.ifft(np.fft.fft(x) * np.conj(np.fft.fft(h))))",
        "q6_answer": "def conv_out(n, k, p, s, d):\n    return (n + 2 * p - k) // s + 1",
    },
]

EXPECTED_HINTS = [
    {"q1.dft": "+ sign", "q2.energy": "N times too large", "q3.circ_conv": "linear convolution",
     "q4.matrix": "transpose", "q4.eigs": "conjugated", "q5.b_odd": "half the right size",
     "q6.out_size": "rounded down", "q7.rf": "ignores the strides", "q8.conv2d": "flips the kernel",
     "q9.conv_params": "biases", "q10.layer": "flips the kernel", "q10.statements": "Try (c)"},
    {"q1.dft": "scaled by 1/N", "q2.energy": "norm", "q3.circ_conv": "first N samples", "q5.b_odd": "1/π",
     "q6.out_size": "ignore the padding", "q7.rf": "own stride", "q8.conv2d": "bias",
     "q9.conv_params": "every input channel", "q9.dense_params": "biases", "q10.statements": "Try (b)"},
    {"q3.circ_conv": "cross-correlation", "q6.out_size": "dilation"},
]

WARNINGS = {
    "q2_answer": "def energy_from_spectrum(X):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n"
                 "    return float(np.sum(np.abs(X) ** 2) / len(X))",
    "q8_answer": "import warnings\n"
                 "def conv2d(x, w, b):\n"
                 "    with np.errstate(all='warn'):\n"
                 "        np.sqrt(-np.ones(1))  # RuntimeWarning: invalid value\n"
                 "    warnings.warn('conv2d: using sliding windows')\n"
                 "    win = np.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(1, 2))\n"
                 "    return np.einsum('cijab,ocab->oij', win, w) + b[:, None, None]",
}
