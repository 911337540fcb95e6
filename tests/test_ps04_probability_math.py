"""ps04_probability: every reference answer in the built key, verified a second, independent way (exact counting,
numerical integration, numerical maximisation of likelihoods and posteriors, scipy.stats densities, sigma points,
finite differences, Gauss-Hermite quadrature and Monte Carlo with a fixed seed)."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from graders.comparators import array, number
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps04_probability"


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


_calls = reference_calls


def _num(check):
    return number(check.reference).real


def _matrix_fn(check, names):
    """The reference sympy column as a numpy function of the named symbols (arrays in, (n_points, rows) out)."""
    ref = check.reference
    assert ref["t"] == "matrix" and ref["shape"] == [2, 1]

    def f(*vals):
        env = {n: np.atleast_1d(np.asarray(v, dtype=complex)) for n, v in zip(names, vals)}
        n = max(len(v) for v in env.values())
        env = {k: np.broadcast_to(v, (n,)).copy() for k, v in env.items()}
        return np.stack([evaluate(t, env).real for t in ref["items"]], axis=1)
    return f


def test_q1_bayes_by_counting_a_population(checks):
    # 100 000 people, exact counts: the sick who test positive and the healthy who test positive
    pop = 100_000
    sick = pop * Fraction(1, 100)
    true_pos = sick * Fraction(99, 100)
    false_pos = (pop - sick) * (1 - Fraction(95, 100))
    want = true_pos / (true_pos + false_pos)
    assert want == Fraction(1, 6)
    assert _num(checks["q1.posterior"]) == pytest.approx(float(want), rel=1e-12)


def test_q2_tail_and_laplace_std_by_quadrature(checks):
    tail, _ = integrate.quad(lambda x: x ** -2.0, 2, np.inf)
    assert integrate.quad(lambda x: x ** -2.0, 1, np.inf)[0] == pytest.approx(1.0)  # a density
    assert _num(checks["q2.tail"]) == pytest.approx(tail, rel=1e-9)
    second, _ = integrate.quad(lambda x: x * x * 0.5 * np.exp(-abs(x)), -np.inf, np.inf)
    assert _num(checks["q2.std"]) == pytest.approx(np.sqrt(second), rel=1e-9)
    assert _num(checks["q2.std"]) == pytest.approx(stats.laplace(loc=0, scale=1).std(), rel=1e-12)


def test_q3_covariance_maximises_the_gaussian_likelihood(checks):
    rng = np.random.default_rng(0)
    for (X,), ref in _calls(checks["q3.cov"]):
        N, d = X.shape
        assert N != d and ref.shape == (d, d)
        mean = X.mean(axis=0)

        def loglik(S):
            return stats.multivariate_normal(mean=mean, cov=S).logpdf(X).sum()
        best = loglik(ref)
        # the maximum value of the profile likelihood: -N/2 (d log 2π + log det Σ̂ + d)
        assert best == pytest.approx(-N / 2 * (d * np.log(2 * np.pi) + np.linalg.slogdet(ref)[1] + d), rel=1e-10)
        for _ in range(30):  # every nearby covariance, and the N - 1 version, is less likely
            E = rng.normal(size=(d, d)) * 0.05
            assert loglik(ref + E @ E.T) < best
            assert loglik(ref * (1 + rng.uniform(-0.1, 0.1))) < best
        assert loglik(ref * N / (N - 1)) < best
        np.testing.assert_allclose(ref, np.cov(X.T, bias=True), rtol=1e-10)


def test_q4_exponential_rate_by_numerical_maximisation(checks):
    x = np.array([1.5, 2.5, 5.0])
    res = optimize.minimize_scalar(lambda lam: -stats.expon(scale=1 / lam).logpdf(x).sum(),
                                   bounds=(1e-4, 20), method="bounded", options={"xatol": 1e-12})
    assert _num(checks["q4.rate"]) == pytest.approx(res.x, rel=1e-6)


def test_q5_beta_posterior_on_a_grid(checks):
    theta = np.linspace(0, 1, 200_001)
    post = stats.beta(2, 2).pdf(theta) * stats.binom(10, theta).pmf(7)
    post /= integrate.trapezoid(post, theta)
    a, b = array(checks["q5.params"].reference)
    np.testing.assert_allclose(post, stats.beta(a, b).pdf(theta), atol=1e-7)
    assert _num(checks["q5.mean"]) == pytest.approx(integrate.trapezoid(theta * post, theta), rel=1e-8)
    assert _num(checks["q5.map"]) == pytest.approx(theta[np.argmax(post)], abs=1e-5)


@pytest.mark.parametrize("cid", ["q6.cov", "q6.square"])
def test_q6_affine_covariance_by_sigma_points(checks, cid):
    # 2n points ±√n L e_i have mean 0 and covariance exactly Σ; push them through x ↦ Ax + b
    for (A, b, S), ref in _calls(checks[cid]):
        n = S.shape[0]
        L = np.linalg.cholesky(S)
        pts = np.vstack([np.sqrt(n) * L.T, -np.sqrt(n) * L.T]) + np.array([0.3] * n)  # rows: samples
        assert np.allclose(np.cov(pts.T, bias=True), S)
        y = pts @ A.T + b
        np.testing.assert_allclose(ref, np.cov(y.T, bias=True), rtol=1e-9, atol=1e-12)
        assert ref.shape == (A.shape[0], A.shape[0])
    if cid == "q6.cov":
        assert all(A.shape[0] != A.shape[1] for (A, _b, _S), _r in _calls(checks[cid]))


def test_q7_conditional_gaussian_from_the_joint_log_density(checks):
    means = _calls(checks["q7.mean"])
    covs = _calls(checks["q7.cov"])
    for ((mu, S, x2), m_ref), (_args, C_ref) in zip(means, covs):
        k = len(mu) - len(x2)
        joint = stats.multivariate_normal(mean=mu, cov=S)
        f = lambda x1: joint.logpdf(np.concatenate([x1, x2]))
        # the conditional density of x1 is proportional to the joint one: its maximiser is the conditional mean
        res = optimize.minimize(lambda x1: -f(x1), np.zeros(k), method="BFGS", options={"gtol": 1e-10})
        np.testing.assert_allclose(m_ref, res.x, rtol=1e-5, atol=1e-6)
        # and its Hessian in x1 (exact for a quadratic, by central differences) is -C⁻¹
        h, E = 1e-3, np.eye(k)
        H = np.array([[(f(m_ref + h * (E[i] + E[j])) - f(m_ref + h * (E[i] - E[j]))
                        - f(m_ref - h * (E[i] - E[j])) + f(m_ref - h * (E[i] + E[j]))) / (4 * h * h)
                       for j in range(k)] for i in range(k)])
        np.testing.assert_allclose(C_ref, np.linalg.inv(-H), rtol=1e-5, atol=1e-8)
        assert np.linalg.eigvalsh(C_ref).min() > 0
        assert np.linalg.eigvalsh(S[:k, :k] - C_ref).min() > -1e-10  # conditioning reduces uncertainty


def test_q8_log_density_matches_scipy(checks):
    for (x, mu, S), ref in _calls(checks["q8.logpdf"]):
        assert float(ref.real) == pytest.approx(stats.multivariate_normal(mean=mu, cov=S).logpdf(x), rel=1e-10)


def test_q9_map_weights_maximise_the_log_posterior(checks):
    for (X, y, s2, t2), ref in _calls(checks["q9.map"]):
        s2, t2 = float(s2.real), float(t2.real)
        sd = np.sqrt(s2)

        def neg_log_post(w):
            return -(stats.norm(X @ w, sd).logpdf(y).sum() + stats.norm(0, np.sqrt(t2)).logpdf(w).sum())
        res = optimize.minimize(neg_log_post, np.zeros(X.shape[1]), method="BFGS", options={"gtol": 1e-10})
        np.testing.assert_allclose(ref, res.x, rtol=1e-5, atol=1e-6)


def test_q9_statements_decided_by_computation(checks):
    theta = np.linspace(1e-6, 1 - 1e-6, 400_001)
    lik = stats.binom(10, theta).pmf(7)
    truth = {}
    # (a) a constant prior does not move the maximiser of the likelihood
    truth["a"] = theta[np.argmax(lik * 3.0)] == theta[np.argmax(lik)]
    # (b) the Beta(9, 5) posterior: its mode in θ against the mode of the density of φ = log θ, mapped back
    post = stats.beta(9, 5)
    phi = np.linspace(-6, -1e-6, 400_001)
    mode_theta = theta[np.argmax(post.pdf(theta))]
    mode_phi = phi[np.argmax(post.pdf(np.exp(phi)) * np.exp(phi))]  # change of variables
    truth["b"] = abs(np.exp(mode_phi) - mode_theta) < 1e-4
    # (c) a Laplace prior: the negative log-posterior differs from ‖y − Xw‖²/(2σ²) + Σ|w|/b by a constant
    rng = np.random.default_rng(3)
    X, y, s2, b = rng.normal(size=(5, 3)), rng.normal(size=5), 0.7, 0.4
    nlp = lambda w: -(stats.norm(X @ w, np.sqrt(s2)).logpdf(y).sum() + stats.laplace(0, b).logpdf(w).sum())
    pen = lambda w: np.sum((y - X @ w) ** 2) / (2 * s2) + np.abs(w).sum() / b
    diffs = [nlp(w) - pen(w) for w in rng.normal(size=(10, 3))]
    truth["c"] = np.ptp(diffs) < 1e-9
    # (d) mean and mode of the same skewed posterior
    truth["d"] = abs(post.mean() - mode_theta) < 1e-4
    want = {k for k, v in truth.items() if v}
    got = {i["v"] for i in checks["q9.statements"].reference["items"]}
    assert got == want


def test_q10_single_sample_gradient_matches_finite_differences(checks):
    g = _matrix_fn(checks["q10.sample"], ["mu", "sigma", "eps"])
    rng = np.random.default_rng(4)
    mu, sigma, eps = rng.uniform(-2, 2, 25), rng.uniform(0.2, 2, 25), rng.normal(size=25)
    f = lambda m, s: (m + s * eps) ** 2
    h = 1e-6
    fd = np.stack([(f(mu + h, sigma) - f(mu - h, sigma)) / (2 * h),
                   (f(mu, sigma + h) - f(mu, sigma - h)) / (2 * h)], axis=1)
    np.testing.assert_allclose(g(mu, sigma, eps), fd, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("mu,sigma", [(0.7, 1.3), (-1.5, 0.4), (0.0, 2.0)])
def test_q10_expected_gradient_by_monte_carlo_and_quadrature(checks, mu, sigma):
    g_sample = _matrix_fn(checks["q10.sample"], ["mu", "sigma", "eps"])
    g_mean = _matrix_fn(checks["q10.mean"], ["mu", "sigma"])(mu, sigma)[0]
    rng = np.random.default_rng(2024)
    n = 200_000
    eps = rng.standard_normal(n)
    # (1) pathwise: the average of the reference single-sample gradient, within 4 standard errors
    samples = g_sample(np.full(n, mu), np.full(n, sigma), eps)
    se = samples.std(axis=0, ddof=1) / np.sqrt(n)
    assert np.all(np.abs(samples.mean(axis=0) - g_mean) < 4 * se)
    # (2) score function (REINFORCE), an unrelated estimator: E[z² ∇ log p(z)], within 4 standard errors
    z = mu + sigma * eps
    score = np.stack([z ** 2 * (z - mu) / sigma ** 2,
                      z ** 2 * ((z - mu) ** 2 - sigma ** 2) / sigma ** 3], axis=1)
    se = score.std(axis=0, ddof=1) / np.sqrt(n)
    assert np.all(np.abs(score.mean(axis=0) - g_mean) < 4 * se)
    # (3) deterministic: E[z²] by Gauss-Hermite quadrature, differentiated by central differences
    x, w = np.polynomial.hermite_e.hermegauss(20)

    def Ez2(m, s):
        return np.sum(w * (m + s * x) ** 2) / np.sqrt(2 * np.pi)
    h = 1e-5
    fd = [(Ez2(mu + h, sigma) - Ez2(mu - h, sigma)) / (2 * h), (Ez2(mu, sigma + h) - Ez2(mu, sigma - h)) / (2 * h)]
    np.testing.assert_allclose(g_mean, fd, rtol=1e-7, atol=1e-8)
