"""The one data model for checks and their results.

A *check* is one comparison the judge makes: a probe in a test cell reports a value under a check id, the key holds
the trusted part (comparator, options, weight, reference value, known mistakes), and the judge turns the pair into a
*verdict*. A test cell's grade is the weighted share of its checks' verdicts. Everything here is plain data that
round-trips through JSON, so the same classes serve the kernel payload, the key, the verdict and the report.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

#: MIME type under which probes publish their payloads in a test cell's outputs.
PAYLOAD_MIME = "application/vnd.psets.payload+json"
#: MIME type under which the judge writes its verdicts back into a test cell (read by reports and `psets check`).
VERDICT_MIME = "application/vnd.psets.verdict+json"
#: Version of the key file format; a key of another version is rebuilt.
KEY_FORMAT = 2  # 2: rubrics of hand-graded cells


class Outcome(str, Enum):
    """How a check ended. Only CORRECT earns points."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    KNOWN_MISTAKE = "known_mistake"  #: matches a declared common wrong answer
    INVALID = "invalid"  #: the answer has the wrong type or shape, or could not be read
    RAISED = "raised"  #: the student's function raised on one of the probe's inputs
    MISSING = "missing"  #: no payload: cell not run, answer undefined, kernel died or timed out


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer, declared in the source notebook as a transformation of the reference."""

    message: str  #: what the student reads when their answer matches this mistake
    transform: dict[str, Any]  #: e.g. {"kind": "scale", "factor": 2.0} or {"kind": "value", "value": <encoded>}


@dataclass(frozen=True)
class Check:
    """The trusted description of one check, taken from the source notebook when the key is built."""

    id: str  #: unique within the notebook, e.g. "q4.values"
    cell: str  #: grade_id of the test cell that reports it
    compare: str  #: name of the comparator in graders.comparators
    options: dict[str, Any] = field(default_factory=dict)  #: comparator options (tolerances, domain, ...)
    weight: float = 1.0  #: share of the cell's points, relative to the cell's other checks
    reference: Any = None  #: encoded reference value (never leaves the grading process)
    mistakes: tuple[Mistake, ...] = ()  #: known wrong answers, first match wins
    inputs: tuple[Any, ...] = ()  #: encoded argument lists a function check was called with (key only)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["mistakes"] = [asdict(m) for m in self.mistakes]
        d["inputs"] = list(self.inputs)
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Check":
        return cls(
            id=d["id"], cell=d["cell"], compare=d["compare"], options=dict(d.get("options") or {}),
            weight=float(d.get("weight", 1.0)), reference=d.get("reference"),
            mistakes=tuple(Mistake(m["message"], dict(m["transform"])) for m in d.get("mistakes") or ()),
            inputs=tuple(d.get("inputs") or ()),
        )


@dataclass(frozen=True)
class Verdict:
    """The judge's decision on one check. `reason` and `details` feed graders.feedback and never hold key values."""

    check_id: str
    outcome: Outcome
    reason: str = ""  #: a code from graders.feedback.REASONS, e.g. "shape"
    details: dict[str, Any] = field(default_factory=dict)  #: student-side facts only (their shape, their type, ...)
    hint: str = ""  #: the known-mistake message, when outcome is KNOWN_MISTAKE

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.CORRECT

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["outcome"] = self.outcome.value
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Verdict":
        return cls(d["check_id"], Outcome(d["outcome"]), d.get("reason", ""), dict(d.get("details") or {}),
                   d.get("hint", ""))


@dataclass(frozen=True)
class CellGrade:
    """The judged grade of one test cell: what nbgrader records and what the student reads."""

    grade_id: str
    points: float
    score: float
    verdicts: tuple[Verdict, ...] = ()
    note: str = ""  #: cell-level reason code when no check could run ("timeout", "kernel_died", "no_key")

    def to_json(self) -> dict[str, Any]:
        return {"grade_id": self.grade_id, "points": self.points, "score": self.score, "note": self.note,
                "verdicts": [v.to_json() for v in self.verdicts]}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "CellGrade":
        return cls(d["grade_id"], float(d["points"]), float(d["score"]),
                   tuple(Verdict.from_json(v) for v in d.get("verdicts") or ()), d.get("note", ""))
