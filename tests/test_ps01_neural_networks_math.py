"""ps01_neural_networks: every reference answer in the built key, verified a second, independent way
(finite differences, linear programming, simulation, closed forms computed by other libraries)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import linprog
from scipy.special import expit, log_softmax, logsumexp, softmax
from scipy.stats import entropy

from graders.comparators import COMPARATORS, array, number
from graders.expressions import evaluate
from conftest import key_checks

ROOT = Path(__file__).resolve().parents[1]
PS = "ps01_neural_networks"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


def _results(check):
    assert check.reference["t"] == "calls"
    return [r["ok"] for r in check.reference["results"]]


def _args(check, i):
    return check.inputs[i]["items"]


def _central(f, x, h=1e-6):
    """Central finite differences of a scalar function of an array, entry by entry."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (f(xp) - f(xm)) / (2 * h)
    return g


# ---------------------------------------------------------------- Q1: derivatives by finite differences

@pytest.mark.parametrize("cid, f", [("q1.dsigma", expit), ("q1.dsilu", lambda t: t * expit(t))])
def test_q1_derivatives_match_finite_differences(checks, cid, f):
    zs = np.linspace(-6.0, 6.0, 41)
    ref = evaluate(checks[cid].reference["tree"], {"z": zs.astype(complex)})
    h = 1e-5
    fd = (f(zs + h) - f(zs - h)) / (2 * h)
    assert np.allclose(ref.imag, 0) and np.allclose(ref.real, fd, rtol=1e-7, atol=1e-10)


# ---------------------------------------------------------------- Q2: separability by linear programming

TABLE = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
BOOLEAN = {"a": lambda a, b: a & b, "b": lambda a, b: a | b, "c": lambda a, b: 1 - (a & b),
           "d": lambda a, b: a ^ b, "e": lambda a, b: 1 - (a ^ b), "f": lambda a, b: a & (1 - b)}


def _strictly_separable(labels):
    """Is there (w, b) with s_i (x_i w + b) >= 1 for all i (s_i = ±1)? Feasibility LP in (w1, w2, b)."""
    s = 2.0 * labels - 1.0
    A = -s[:, None] * np.hstack([TABLE, np.ones((4, 1))])
    res = linprog(np.zeros(3), A_ub=A, b_ub=-np.ones(4), bounds=[(None, None)] * 3, method="highs")
    return res.status == 0


def test_q2_nand_signs_are_the_nand_truth_table(checks):
    ref = array(checks["q2.nand"].reference)
    a, b = TABLE[:, 0].astype(int), TABLE[:, 1].astype(int)
    nand = np.logical_not(np.logical_and(a, b)).astype(float)
    assert np.array_equal(ref, 2 * nand - 1)
    assert _strictly_separable(nand)


def test_q2_separable_set_matches_linear_programming(checks):
    chk = checks["q2.separable"]
    ref = COMPARATORS["choice"].decode(chk.reference, chk.options)
    a, b = TABLE[:, 0].astype(int), TABLE[:, 1].astype(int)
    feasible = {k for k, fn in BOOLEAN.items() if _strictly_separable(fn(a, b).astype(float))}
    assert ref == frozenset(feasible)


# ---------------------------------------------------------------- Q3, Q4: truth table and the tent function

def test_q3_outputs_are_xor(checks):
    ref = array(checks["q3.xor"].reference)
    assert np.array_equal(ref, np.logical_xor(TABLE[:, 0], TABLE[:, 1]).astype(float))


def test_q4_hat_matches_linear_interpolation(checks):
    chk = checks["q4.hat"]
    for i, out in enumerate(_results(chk)):
        x = array(_args(chk, i)[0])
        tent = np.interp(x, [0.0, 1.0, 2.0], [0.0, 1.0, 0.0], left=0.0, right=0.0)
        assert np.allclose(array(out), tent, atol=1e-12)


# ---------------------------------------------------------------- Q5: backprop by finite differences

def test_q5_gradients_match_finite_differences(checks):
    names = ["q5.dW1", "q5.db1", "q5.dW2", "q5.db2"]
    n_inputs = len(checks[names[0]].inputs)
    for i in range(n_inputs):
        X, Y, W1, b1, W2, b2 = (array(a) for a in _args(checks[names[0]], i))
        assert len({W1.shape[0], W1.shape[1], W2.shape[1]}) == 3  # d, h, k all differ: transposes cannot hide
        params = [W1, b1, W2, b2]

        def loss_at(j, p):
            ps = list(params)
            ps[j] = p
            R = np.tanh(X @ ps[0] + ps[1]) @ ps[2] + ps[3] - Y
            return float(np.mean(np.sum(R ** 2, axis=1)))

        for j, name in enumerate(names):
            ref = array(_results(checks[name])[i])
            fd = _central(lambda p: loss_at(j, p), params[j])
            assert ref.shape == params[j].shape
            assert np.allclose(ref, fd, rtol=1e-6, atol=1e-8), (name, i)


# ---------------------------------------------------------------- Q6: cross-entropy gradient

def test_q6_gradient_matches_finite_differences(checks):
    chk = checks["q6.grad"]
    for i, out in enumerate(_results(chk)):
        Z, y = array(_args(chk, i)[0]), array(_args(chk, i)[1]).astype(int)
        Zs = Z - Z.max(axis=1, keepdims=True)  # the loss changes by a constant: same gradient, no cancellation

        def loss(M):
            return float(np.mean(logsumexp(M, axis=1) - M[np.arange(len(y)), y]))

        ref = array(out)
        assert np.all(np.isfinite(ref))
        assert np.allclose(ref, _central(loss, Zs, h=1e-5), rtol=1e-6, atol=1e-9), i


def test_q6_gradient_symbolically_on_a_small_case(checks):
    chk = checks["q6.grad"]
    Z, y = array(_args(chk, 0)[0]), array(_args(chk, 0)[1]).astype(int)
    N, C = Z.shape
    S = sp.Matrix(N, C, lambda n, c: sp.Symbol(f"z{n}_{c}"))
    L = sum(sp.log(sum(sp.exp(S[n, c]) for c in range(C))) - S[n, int(y[n])] for n in range(N)) / N
    subs = {S[n, c]: Z[n, c] for n in range(N) for c in range(C)}
    grad = np.array([[float(sp.diff(L, S[n, c]).evalf(subs=subs)) for c in range(C)] for n in range(N)])
    assert np.allclose(array(_results(chk)[0]), grad, rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- Q7: He variance, integral and simulation

def test_q7_he_variance_by_integral_and_simulation(checks):
    v = number(checks["q7.he_var"].reference).real
    x = sp.Symbol("x", real=True)
    relu_second_moment = sp.integrate(x ** 2 * sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi), (x, 0, sp.oo))
    assert sp.nsimplify(256 * v * relu_second_moment) == 1
    rng = np.random.default_rng(0)
    # many output columns: the mean of a = ReLU(z) is not zero, so one column's E[z_j²] given W fluctuates
    for zprev in (rng.normal(size=(1500, 256)), rng.laplace(size=(1500, 256)) / np.sqrt(2)):  # q = 1 in both
        W = rng.normal(scale=np.sqrt(v), size=(256, 3000))
        z = np.maximum(zprev, 0) @ W
        assert abs(np.mean(z ** 2) - 1.0) < 0.03


# ---------------------------------------------------------------- Q8: loss at initialisation

def test_q8_initial_loss_by_simulation_and_entropy(checks):
    ref = number(checks["q8.init_loss"].reference).real
    assert abs(ref - entropy(np.ones(10))) < 1e-12  # cross-entropy of a uniform prediction = its entropy (nats)
    rng = np.random.default_rng(1)
    logits = 1e-7 * rng.normal(size=(1000, 10)) + rng.normal(size=(1000, 1))  # equal logits per row (almost)
    y = rng.integers(0, 10, size=1000)
    assert abs(-np.mean(log_softmax(logits, axis=1)[np.arange(1000), y]) - ref) < 1e-6


# ---------------------------------------------------------------- Q9: softmax Jacobian

def test_q9_jacobian_matches_finite_differences(checks):
    chk = checks["q9.jacobian"]
    for i, out in enumerate(_results(chk)):
        z = array(_args(chk, i)[0])
        C = len(z)
        h = 1e-6
        fd = np.column_stack([(softmax(z + h * np.eye(C)[j]) - softmax(z - h * np.eye(C)[j])) / (2 * h)
                              for j in range(C)])
        assert np.allclose(array(out), fd, rtol=1e-6, atol=1e-9), i


# ---------------------------------------------------------------- Q10: each statement checked numerically

def _statement_a_holds():
    """Constant initialisation: GD (gradients by finite differences) keeps hidden units identical."""
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
    theta = np.concatenate([np.full(3 * 4, 0.3), np.full(4, 0.1), np.full(4, -0.2), [0.05]])

    def unpack(t):
        return t[:12].reshape(3, 4), t[12:16], t[16:20].reshape(4, 1), t[20:]

    def loss(t):
        W1, b1, W2, b2 = unpack(t)
        return float(np.mean((np.tanh(X @ W1 + b1) @ W2 + b2 - Y) ** 2))

    for _ in range(20):
        theta = theta - 0.1 * _central(loss, theta)
    W1, b1, W2, _ = unpack(theta)
    return np.allclose(W1, W1[:, :1]) and np.allclose(b1, b1[0]) and np.allclose(W2, W2[0]) and \
        not np.allclose(W1, 0.3)  # the weights did move


def _statement_b_holds():
    rng = np.random.default_rng(3)
    Ws = [rng.normal(size=(4, 5)), rng.normal(size=(5, 3)), rng.normal(size=(3, 2))]
    bs = [rng.normal(size=5), rng.normal(size=3), rng.normal(size=2)]

    def f(x):
        for W, b in zip(Ws, bs):
            x = x @ W + b
        return x

    x, u = rng.normal(size=4), rng.normal(size=4)
    return all(np.allclose(f(a * x + (1 - a) * u), a * f(x) + (1 - a) * f(u)) for a in (-1.3, 0.2, 2.5))


def _statement_c_holds():
    relu = lambda t: max(t, 0.0)
    h = 1e-8
    return (relu(h) - relu(0.0)) / h == (relu(0.0) - relu(-h)) / h  # one-sided derivatives 1 and 0


def _statement_d_holds():
    """After training the weights are no longer He-scaled; e.g. weights grown by 30 % make the second moment of
    pre-activations explode with depth, so the property is not preserved 'throughout training'."""
    rng = np.random.default_rng(4)
    n, a = 200, rng.normal(size=(500, 200))
    moments = []
    for _ in range(15):
        z = a @ (1.3 * rng.normal(scale=np.sqrt(2 / n), size=(n, n)))
        moments.append(np.mean(z ** 2))
        a = np.maximum(z, 0)
    return moments[-1] / moments[0] < 2


def _statement_e_holds():
    """Piecewise-linear ReLU interpolants of a continuous function on [0, 1]: the sup error goes to zero."""
    f = lambda x: np.sin(7 * x) + np.abs(x - 0.3) ** 0.5
    xs = np.linspace(0, 1, 20001)
    errors = []
    for m in (10, 100, 1000):
        t = np.linspace(0, 1, m + 1)
        slopes = np.diff(f(t)) / np.diff(t)
        c = np.diff(np.concatenate([[0.0], slopes]))  # change of slope at each knot t_k, k < m
        g = f(0.0) + sum(ck * np.maximum(xs - tk, 0) for ck, tk in zip(c, t[:-1]))
        errors.append(np.max(np.abs(g - f(xs))))
    return errors[0] > errors[1] > errors[2] and errors[2] < 0.02


def test_q10_true_statements_match_numerical_checks(checks):
    chk = checks["q10.true"]
    ref = COMPARATORS["choice"].decode(chk.reference, chk.options)
    truth = {"a": _statement_a_holds(), "b": _statement_b_holds(), "c": _statement_c_holds(),
             "d": _statement_d_holds(), "e": _statement_e_holds()}
    assert ref == frozenset(k for k, v in truth.items() if v)
