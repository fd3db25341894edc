"""``jiceng validate``: check a copy of the data package, layer by layer.

``runner.py`` streams the package through the checks of ``checks/`` (one module each);
``report.py`` holds what they report and the catalogue of every problem type.
"""

from .report import DEFAULT_MAX_PER_CHECK, Problem, Report
from .runner import AUDIT_TABLES, validate_package

__all__ = ["AUDIT_TABLES", "DEFAULT_MAX_PER_CHECK", "Problem", "Report", "validate_package"]
