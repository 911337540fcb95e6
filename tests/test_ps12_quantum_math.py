"""ps12_quantum: every reference answer in the built key, verified a second, independent way (projectors and
density matrices for the Born rule, scipy.linalg.expm of the generators against the closed-form gates, explicit
index arithmetic for qubit order, sympy matrices and numerical states for expectation values, central finite
differences for the parameter-shift gradient, loops and Schmidt decompositions for partial traces and entropies,
reconstruction from the Pauli basis, N x N matrix simulation of Grover search, and brute-force minimisation over
the ansatz)."""
from __future__ import annotations

from itertools import product
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg
import scipy.optimize
import sympy as sp

from graders.comparators import number
from graders.expressions import evaluate
from conftest import key_checks, reference_calls

ROOT = Path(__file__).resolve().parents[1]
PS = "ps12_quantum"

I2 = np.eye(2, dtype=complex)
PX = np.array([[0, 1], [1, 0]], dtype=complex)
PY = np.array([[0, -1j], [1j, 0]])
PZ = np.diag([1.0 + 0j, -1.0])
PAULIS = [I2, PX, PY, PZ]


@pytest.fixture(scope="module")
def checks():
    return key_checks(PS)


_calls = reference_calls  # a function argument (q6) decodes as None


def _expm_rot(P, t):
    """exp(-i t P / 2) by scipy's matrix exponential (not the closed form)."""
    return scipy.linalg.expm(-0.5j * t * P)


def _index(bits):
    """Index of |q0 q1 ... q_{n-1}> with q0 the most significant bit, by explicit arithmetic."""
    i = 0
    for b in bits:
        i = 2 * i + b
    return i


def _op_on_qubit(U, k, n):
    """The 2^n x 2^n matrix of U on qubit k, entry by entry (no np.kron)."""
    d = 2 ** n
    M = np.zeros((d, d), dtype=complex)
    for out_bits in product((0, 1), repeat=n):
        for in_bits in product((0, 1), repeat=n):
            if all(out_bits[j] == in_bits[j] for j in range(n) if j != k):
                M[_index(out_bits), _index(in_bits)] = U[out_bits[k], in_bits[k]]
    return M


def test_q1_born_probabilities_by_projectors_and_sampling(checks):
    calls = _calls(checks["q1.born"])
    assert any(not np.allclose(B, np.eye(len(B))) and np.abs(B.imag).max() > 0.1 for (psi, B), _ in calls)
    rng = np.random.default_rng(0)
    for (psi, B), ref in calls:
        rho = np.outer(psi, psi.conj())
        for j in range(len(psi)):
            Pj = np.outer(B[:, j], B[:, j].conj())
            assert abs(np.trace(Pj @ rho).real - ref[j]) < 1e-10
            # and as 1 - ||(I - P_j) psi||^2
            assert abs(1 - np.linalg.norm(psi - Pj @ psi) ** 2 - ref[j]) < 1e-10
        assert abs(ref.sum() - 1) < 1e-10
        # sampling: rotate into the basis, then sample qubit-by-qubit style from the amplitudes' squared moduli
        amps = np.array([np.vdot(B[:, j], psi) for j in range(len(psi))])
        samples = rng.choice(len(psi), size=200000, p=np.abs(amps) ** 2 / np.sum(np.abs(amps) ** 2))
        freq = np.bincount(samples, minlength=len(psi)) / len(samples)
        np.testing.assert_allclose(freq, ref, atol=5e-3)
        if np.abs(B.imag).max() > 0.1:  # the missing-conjugate mistake differs on the complex bases
            assert not np.allclose(ref, np.abs(B.T @ psi) ** 2)


def test_q2_unitary_set_by_numerical_check(checks):
    c, s, ph = np.cos(0.3), np.sin(0.3), np.exp(0.4j)
    mats = {
        "a": np.array([[1, 1], [1, -1]]) / np.sqrt(2),
        "b": np.array([[2, 0], [0, 0.5]]),
        "c": np.array([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]]) / 2,
        "d": np.array([[1, 1], [0, 1]]),
        "e": np.array([[1, 1j], [1, -1j]]) / np.sqrt(2),
        "f": np.array([[0, 1], [1, 1]]),
        "g": np.eye(4)[[0, 1, 3, 2]],
        "h": ph * np.array([[c, -s], [s, c]]),
    }
    unitary = {k for k, U in mats.items() if np.allclose(U.conj().T @ U, np.eye(len(U)))
               and np.allclose(U @ U.conj().T, np.eye(len(U)))}
    # a unitary preserves the norm of every vector
    rng = np.random.default_rng(2)
    for k, U in mats.items():
        v = rng.normal(size=len(U)) + 1j * rng.normal(size=len(U))
        assert (k in unitary) == bool(np.isclose(np.linalg.norm(U @ v), np.linalg.norm(v)))
    got = {i["v"] for i in checks["q2.unitary"].reference["items"]}
    assert got == unitary
    # the declared mistakes are really what they say
    assert {k for k, U in mats.items() if np.isclose(abs(np.linalg.det(U)), 1)} == set(mats)
    assert {k for k, U in mats.items() if np.allclose(U, U.conj().T)} == {"a", "b", "f", "g"}
    assert {k for k, U in mats.items() if np.allclose(U.T @ U, np.eye(len(U)))} == {"a", "g"}


def test_q3_ry_and_state_by_matrix_exponential(checks):
    for (t,), ref in _calls(checks["q3.ry"]):
        t = float(t.real)
        np.testing.assert_allclose(ref, _expm_rot(PY, t), atol=1e-12)
    for (t,), ref in _calls(checks["q3.state"]):
        t = float(t.real)
        gen = _op_on_qubit(PY, 0, 2)  # Y on qubit 0, built by index arithmetic
        want = scipy.linalg.expm(-0.5j * t * gen)[:, _index((0, 0))]
        phase = np.vdot(want, ref)
        assert abs(abs(phase) - 1) < 1e-10 and np.allclose(ref, phase * want, atol=1e-10)
        # amplitude of |10> (qubit 0 flipped) is sin(t/2); |01> stays empty
        assert abs(abs(ref[_index((1, 0))]) - abs(np.sin(t / 2))) < 1e-12 and abs(ref[_index((0, 1))]) < 1e-12


def test_q4_apply_by_explicit_index_operator(checks):
    calls = _calls(checks["q4.apply"])
    assert {int(round(np.log2(len(psi)))) for (psi, U, k), _ in calls} >= {2, 3, 4}
    for (psi, U, k), ref in calls:
        n, k = int(round(np.log2(len(psi)))), int(k.real)
        np.testing.assert_allclose(ref, _op_on_qubit(U, k, n) @ psi, atol=1e-12)
        if 2 * k != n - 1:  # the reversed-order mistake is distinguishable on every input
            assert not np.allclose(ref, _op_on_qubit(U, n - 1 - k, n) @ psi)


def test_q5_expectations_by_sympy_matrices_and_numerics(checks):
    t = sp.symbols("theta", real=True)
    R = sp.Matrix([[sp.cos(t / 2), -sp.sin(t / 2)], [sp.sin(t / 2), sp.cos(t / 2)]])
    psi = R * sp.Matrix([1, 0])
    symZ = sp.simplify((psi.H * sp.Matrix([[1, 0], [0, -1]]) * psi)[0])
    symX = sp.simplify((psi.H * sp.Matrix([[0, 1], [1, 0]]) * psi)[0])
    pts = np.linspace(-3, 3, 13)
    gotZ = evaluate(checks["q5.expZ"].reference["tree"], {"theta": pts.astype(complex)}).real
    gotX = evaluate(checks["q5.expX"].reference["tree"], {"theta": pts.astype(complex)}).real
    for v, z, x in zip(pts, gotZ, gotX):
        state = _expm_rot(PY, v) @ np.array([1, 0])
        assert abs(np.vdot(state, PZ @ state).real - z) < 1e-12
        assert abs(np.vdot(state, PX @ state).real - x) < 1e-12
        assert abs(float(symZ.subs(t, v)) - z) < 1e-12 and abs(float(symX.subs(t, v)) - x) < 1e-12


def _q6_functions():
    """The hidden test's circuits, rebuilt from the same seed, with gates from scipy's expm."""
    rng = np.random.default_rng(1206)

    def herm(d):
        A = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
        return (A + A.conj().T) / 2

    H1, H2 = herm(2), herm(4)
    cnot = np.eye(4)[[0, 1, 3, 2]]

    def f1(t):
        psi = _expm_rot(PZ, t[1]) @ _expm_rot(PY, t[0]) @ np.array([1, 0])
        return np.vdot(psi, H1 @ psi).real

    def f2(t):
        psi = (_op_on_qubit(_expm_rot(PY, t[0]), 0, 2) @ _op_on_qubit(_expm_rot(PY, t[1]), 1, 2))[:, 0]
        psi = _op_on_qubit(_expm_rot(PX, t[2]), 0, 2) @ _op_on_qubit(_expm_rot(PY, t[3]), 1, 2) @ (cnot @ psi)
        return np.vdot(psi, H2 @ psi).real

    return [f1, f2]


def test_q6_parameter_shift_equals_finite_differences(checks):
    calls = _calls(checks["q6.grad"])
    fs = _q6_functions()
    assert len(calls) == len(fs)
    for f, ((_, theta), ref) in zip(fs, calls):
        theta = theta.real
        h = 1e-5
        fd = np.array([(f(theta + h * e) - f(theta - h * e)) / (2 * h) for e in np.eye(len(theta))])
        np.testing.assert_allclose(ref, fd, rtol=1e-6, atol=1e-8)
        assert np.all(np.abs(ref) > 1e-3)  # no accidental zero components: the factor-2 mistake is visible


def test_q7_partial_trace_by_loops_and_entropy_by_schmidt_and_logm(checks):
    rho_calls, ent_calls = _calls(checks["q7.rho"]), _calls(checks["q7.entropy"])
    for ((psi,), rho_ref), (_, S_ref) in zip(rho_calls, ent_calls):
        full = np.outer(psi, psi.conj())
        rho = np.zeros((2, 2), dtype=complex)
        for a, a2, b in product((0, 1), repeat=3):
            rho[a, a2] += full[_index((a, b)), _index((a2, b))]
        np.testing.assert_allclose(rho_ref, rho, atol=1e-12)
        # entropy: eigenvalues via logm (full rank) or the pure case
        lam = np.linalg.eigvalsh(rho)
        if lam.min() > 1e-9:
            S = -np.trace(rho @ scipy.linalg.logm(rho)).real / np.log(2)
        else:
            S = 0.0
            assert np.allclose(rho @ rho, rho, atol=1e-10)
        assert abs(float(S_ref.real) - S) < 1e-9
        # and the reduced state of qubit 1 has the same spectrum (Schmidt decomposition)
        rho1 = np.zeros((2, 2), dtype=complex)
        for b, b2, a in product((0, 1), repeat=3):
            rho1[b, b2] += full[_index((a, b)), _index((a, b2))]
        np.testing.assert_allclose(np.linalg.eigvalsh(rho1), lam, atol=1e-12)
    refs = [float(S.real) for _, S in ent_calls]
    assert min(refs) < 1e-9 and max(refs) > 0.5  # a product state and strongly entangled ones are probed


def test_q8_pauli_coefficients_reconstruct_h(checks):
    for (H,), c in _calls(checks["q8.one"]):
        np.testing.assert_allclose(sum(ci * P for ci, P in zip(c, PAULIS)), H, atol=1e-12)
        assert abs(c[2]) > 1e-3  # complex H: a Y component
    for (H,), C in _calls(checks["q8.two"]):
        recon = sum(C[i, j] * (_op_on_qubit(PAULIS[i], 0, 2) @ _op_on_qubit(PAULIS[j], 1, 2))
                    for i in range(4) for j in range(4))
        np.testing.assert_allclose(recon, H, atol=1e-12)
        assert not np.allclose(C, C.T)  # the order mistake is distinguishable


def _grover_simulation(N, k, marked=5):
    s = np.ones(N) / np.sqrt(N)
    oracle = np.eye(N)
    oracle[marked, marked] = -1
    diffusion = 2 * np.outer(s, s) - np.eye(N)
    psi = s.copy()
    for _ in range(k):
        psi = diffusion @ (oracle @ psi)
    return psi[marked] ** 2


def test_q9_grover_by_matrix_simulation(checks):
    probs = [_grover_simulation(16, k) for k in range(8)]
    first_max = next(k for k in range(7) if probs[k + 1] < probs[k])
    assert number(checks["q9.iters"].reference).real == first_max
    assert probs[first_max] > 0.95
    for (N, k), ref in _calls(checks["q9.success"]):
        N, k = int(N.real), int(k.real)
        assert abs(float(ref.real) - _grover_simulation(N, k, marked=N // 3)) < 1e-10


def test_q10_ansatz_minimum_by_brute_force(checks):
    for (H,), ref in _calls(checks["q10.ry_min"]):
        def energy(t):  # the ansatz state written out, H applied as a matrix (vectorised over t)
            t = np.atleast_1d(np.asarray(t, dtype=float))
            psi = np.stack([np.cos(t / 2), np.sin(t / 2)]).astype(complex)
            return np.real(np.einsum("it,ij,jt->t", psi.conj(), H, psi))
        ts = np.linspace(0, 4 * np.pi, 40001)
        t0 = ts[np.argmin(energy(ts))]
        best = scipy.optimize.minimize_scalar(lambda t: float(energy(t)[0]), bounds=(t0 - 0.01, t0 + 0.01),
                                              method="bounded", options={"xatol": 1e-12})
        state = _expm_rot(PY, best.x) @ np.array([1, 0])  # the same minimiser with the gate from expm
        assert abs(np.vdot(state, H @ state).real - best.fun) < 1e-12
        best = best.fun
        assert abs(float(ref.real) - best) < 1e-9
        assert float(ref.real) > np.linalg.eigvalsh(H)[0] + 1e-3  # strictly above the ground energy
