"""nbgrader configuration of the course (the embedded defaults: SQLite gradebook and local folders).

Stock `nbgrader generate_assignment | autograde | generate_feedback | export` and `psets` read this same file,
so both grade identically. Paths are relative to this file, so commands work from any directory.
"""
import os

c = get_config()  # noqa: F821 - provided by traitlets when this file is loaded
_root = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "mfdl"
c.CourseDirectory.root = _root
# The gradebook: SQLite in the course root, or PostgreSQL with PSETS_DB_URL=postgresql://user@host/db (driver:
# psycopg, installed with the package's 'cluster' extra; README: Running a term on a cluster).
c.CourseDirectory.db_url = os.environ.get("PSETS_DB_URL", "sqlite:///" + os.path.join(_root, "gradebook.db"))
# An exchange folder inside the course, so releasing and collecting need no root rights.
c.Exchange.root = os.environ.get("PSETS_EXCHANGE", os.path.join(_root, "exchange"))
c.Exchange.path_includes_course = True

# Grading: a test cell's score is decided by graders.preprocessors.Judge from probe payloads and the answer key,
# never by what the student's kernel prints. Cells that hang or kill the kernel cost only themselves.
c.Execute.timeout = int(os.environ.get("PSETS_CELL_TIMEOUT", "30"))
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
# Kernels talk over Unix sockets (graders.kernels.IPCKernelManager): no TCP port race when many kernels start
# at once, and nothing listening on the network.
c.OverwriteCells.add_missing_cells = True
c.Exporter.optimistic_validation = True  # validate the notebook once after all steps, not after each of them
c.LoadKey.course_root = c.RestoreCells.course_root = _root
# Sanitizing (before any student code runs): nbgrader's steps, with deleted test cells put back first.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "graders.preprocessors.RestoreCells",
    "nbgrader.preprocessors.OverwriteCells",
    "graders.preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "graders.preprocessors.LoadKey",
    "graders.execute.ResilientExecute",
    "graders.preprocessors.Judge",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "graders.preprocessors.CapOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "graders.preprocessors.CheckCellMetadata",
    # last, so no nbgrader step sees them: each hand-graded cell's rubric (from the key) for formgrader's graders
    "graders.preprocessors.InsertRubrics",
]
# Validate (the students' button) runs only the visible checks; hidden tests are not in the release.
# Feedback: hidden test source removed; test cells show only the judge's verdict (no hidden tracebacks); the
# rubric cells InsertRubrics put in the autograded notebook are removed.
c.GenerateFeedback.preprocessors = [
    "graders.preprocessors.RemoveRubrics",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
