"""Auto-graded problem sets for the Mathematical Foundations of Deep Learning, on nbgrader.

Kernel side (imported in students' notebooks): graders.probes, graders.sanity, graders.encoding.
Grader side: graders.keys, graders.comparators, graders.expressions, graders.mistakes, graders.judge,
graders.feedback, and the nbgrader plug-ins graders.execute and graders.preprocessors. CLI: graders.cli.
"""
__version__ = "0.1.0"
