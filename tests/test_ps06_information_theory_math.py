"""ps06_information_theory: every reference answer in the built key, verified a second, independent way (scipy's
entropy routines, numerical integration with scipy.integrate.quad, arbitrary-precision arithmetic with mpmath,
brute-force enumeration of prefix-code lengths, numerical counterexamples)."""
from __future__ import annotations

import itertools
from pathlib import Path

import mpmath
import numpy as np
import pytest
import scipy.stats
from scipy.integrate import quad

from graders.comparators import array, number
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps06_information_theory"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


def _calls(check):
    """(decoded argument list, decoded reference output) for each input of a function check."""
    real = lambda enc: np.real(array(enc))  # scalars decode as complex 0-d arrays
    return reference_calls(check, arg=real, result=real)


def _scalar(check):
    return number(check.reference).real


def _tree_at(check, env):
    """The symbolic reference evaluated at the points of `env` ({name: 1-D array})."""
    return evaluate(check.reference["tree"], {k: np.asarray(v, dtype=complex) for k, v in env.items()}).real


def test_q1_entropy_matches_scipy_in_every_base(checks):
    calls = _calls(checks["q1.entropy"])
    assert any((p == 0).any() for (p, _b), _r in calls)  # the 0 log 0 convention is exercised
    assert len({float(b) for (_p, b), _r in calls}) >= 3  # several bases
    for (p, base), ref in calls:
        np.testing.assert_allclose(float(ref), scipy.stats.entropy(p, base=float(base)), rtol=1e-12, atol=1e-14)


def test_q2_uniform_keys_entropy_in_bits(checks):
    h = _scalar(checks["q2.bits"])
    assert h == pytest.approx(scipy.stats.entropy(np.ones(44), base=2), rel=1e-12)
    assert 2.0 ** h == pytest.approx(44.0, rel=1e-12)  # bits: 2^H equiprobable outcomes


def _soft_ce_mpmath(P, Z):
    """The mean soft cross-entropy in nats with 50-digit arithmetic (no overflow, no max-shift trick)."""
    mpmath.mp.dps = 50
    total = mpmath.mpf(0)
    for prow, zrow in zip(P, Z):
        zs = [mpmath.mpf(float(z)) for z in zrow]
        logZ = mpmath.log(mpmath.fsum(mpmath.exp(z) for z in zs))
        total += mpmath.fsum(mpmath.mpf(float(p)) * (logZ - z) for p, z in zip(prow, zs))
    return float(total / len(Z))


def test_q3_soft_cross_entropy_matches_arbitrary_precision(checks):
    calls = _calls(checks["q3.loss"])
    assert any(np.abs(Z).max() > 500 for (_P, Z), _r in calls)  # large logits are tested
    assert any(Z.shape[0] != Z.shape[1] for (_P, Z), _r in calls)
    for (P, Z), ref in calls:
        np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
        np.testing.assert_allclose(float(ref), _soft_ce_mpmath(P, Z), rtol=1e-10)
        # cross-entropy = entropy of the targets + KL to the model: never below H(P)
        assert float(ref) >= np.mean([scipy.stats.entropy(row) for row in P]) - 1e-12


def test_q4_kl_matches_scipy_and_is_asymmetric(checks):
    calls = _calls(checks["q4.kl"])
    assert any((p == 0).any() for (p, _q), _r in calls)
    for (p, q), ref in calls:
        np.testing.assert_allclose(float(ref), scipy.stats.entropy(p, q), rtol=1e-12, atol=1e-14)
        assert float(ref) > 0
        assert abs(scipy.stats.entropy(q, p) - float(ref)) > 1e-3  # the inputs tell KL(p||q) from KL(q||p)


def test_q5_gaussian_kl_matches_numerical_integration(checks):
    rng = np.random.default_rng(5)
    m1, m2 = rng.uniform(-2, 2, size=(2, 8))
    s1, s2 = rng.uniform(0.3, 3, size=(2, 8))
    got = _tree_at(checks["q5.kl_gauss"], {"mu1": m1, "mu2": m2, "sigma1": s1, "sigma2": s2})
    logpdf = lambda x, m, s: -0.5 * ((x - m) / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi)
    for i in range(8):
        lp = lambda x: logpdf(x, m1[i], s1[i])
        val, _ = quad(lambda x: np.exp(lp(x)) * (lp(x) - logpdf(x, m2[i], s2[i])),
                      m1[i] - 15 * s1[i], m1[i] + 15 * s1[i], limit=200)
        assert got[i] == pytest.approx(val, rel=1e-7, abs=1e-10)
    # KL of a Gaussian from itself is zero
    assert _tree_at(checks["q5.kl_gauss"], {"mu1": [0.4], "mu2": [0.4], "sigma1": [1.3], "sigma2": [1.3]})[0] \
        == pytest.approx(0.0, abs=1e-12)


def test_q6_mutual_information_from_entropies_and_sampling(checks):
    P = np.array([[0.4, 0.1], [0.1, 0.4]])
    H = lambda v: scipy.stats.entropy(np.ravel(v), base=2)
    mi = _scalar(checks["q6.mi"])
    assert mi == pytest.approx(H(P.sum(0)) + H(P.sum(1)) - H(P), rel=1e-12)
    assert mi == pytest.approx(1 - H([0.2, 0.8]), rel=1e-12)  # binary symmetric channel, crossover 0.2
    # plug-in estimate from samples
    rng = np.random.default_rng(6)
    idx = rng.choice(4, size=400_000, p=P.ravel())
    Q = np.bincount(idx, minlength=4).reshape(2, 2) / idx.size
    assert mi == pytest.approx(H(Q.sum(0)) + H(Q.sum(1)) - H(Q), abs=5e-3)


def test_q7_gaussian_differential_entropy_matches_integration_and_scipy(checks):
    sig = np.array([0.05, 0.2, 0.7, 1.0, 2.5, 5.0])
    got = _tree_at(checks["q7.h"], {"sigma": sig})
    for s, g in zip(sig, got):
        logf = lambda x: -0.5 * (x / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi)
        val, _ = quad(lambda x: -np.exp(logf(x)) * logf(x), -20 * s, 20 * s, limit=200)
        assert g == pytest.approx(val, rel=1e-8, abs=1e-10)
        assert g == pytest.approx(float(scipy.stats.norm(0, s).entropy()), rel=1e-12, abs=1e-12)
    assert got[0] < 0  # differential entropy can be negative


def test_q8_perplexity_is_the_inverse_geometric_mean_probability(checks):
    calls = _calls(checks["q8.ppl"])
    assert len({float(b) for (_n, b), _r in calls}) == len(calls)  # every input in another unit
    mpmath.mp.dps = 50
    for (nll, base), ref in calls:
        b = mpmath.mpf(float(base))
        prob = mpmath.fprod(b ** (-mpmath.mpf(float(x))) for x in nll)  # product of token probabilities
        np.testing.assert_allclose(float(ref), float(prob ** (-mpmath.mpf(1) / len(nll))), rtol=1e-10)


def _optimal_lengths(p):
    """All length vectors of minimum expected length among binary prefix codes (Kraft: Σ 2^-l ≤ 1)."""
    n = len(p)
    L = np.array(list(itertools.product(range(1, n), repeat=n)))
    L = L[np.sum(2.0 ** -L, axis=1) <= 1 + 1e-12]
    cost = L @ p
    return L[cost <= cost.min() + 1e-12], cost.min()


def test_q9_huffman_lengths_are_the_unique_optimum_by_brute_force(checks):
    for (p,), ref in _calls(checks["q9.lengths"]):
        best, cost = _optimal_lengths(p)
        assert len(best) == 1  # the problem promises unique optimal lengths
        np.testing.assert_array_equal(ref, best[0])
        H = scipy.stats.entropy(p, base=2)
        assert H <= cost < H + 1
        assert not np.array_equal(ref, np.ceil(-np.log2(p)))  # Shannon lengths are not optimal here


def test_q10_statements_decided_numerically(checks):
    rng = np.random.default_rng(10)
    kl = scipy.stats.entropy
    truth = {}
    p, q = np.array([0.7, 0.2, 0.1]), np.array([0.2, 0.3, 0.5])
    truth["a"] = abs(kl(p, q) - kl(q, p)) < 1e-12
    joints = rng.dirichlet(np.ones(12), size=60).reshape(60, 3, 4)
    b_ok, e_found = True, False
    for J in joints:
        px, py = J.sum(1), J.sum(0)
        mi = kl(J.ravel(), np.outer(px, py).ravel())
        b_ok &= abs(mi - (kl(px) + kl(py) - kl(J.ravel()))) < 1e-10
        h_x_given_y = kl(J.ravel()) - kl(py)
        e_found |= h_x_given_y > kl(px) + 1e-12
    truth["b"] = bool(b_ok)
    truth["c"] = float(scipy.stats.norm(0, 0.1).entropy()) < 0
    d_ok = True
    for _ in range(20):
        p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
        d_ok &= abs(-np.sum(p * np.log(q)) - (kl(p) + kl(p, q))) < 1e-10
    truth["d"] = bool(d_ok)
    truth["e"] = bool(e_found)
    ps = rng.dirichlet(np.ones(6) * 0.7, size=500)
    truth["f"] = bool(np.all(kl(ps, axis=1) < np.log(6))) and kl(np.ones(6)) == pytest.approx(np.log(6))
    want = {k for k, v in truth.items() if v}
    got = {i["v"] for i in checks["q10.true"].reference["items"]}
    assert got == want
