"""Where ``Problem`` and the catalogue of checks were before the validator became a
package: kept so that ``jiceng.problems`` imports keep working (``jiceng locate`` and the
site read it); the definitions are in ``jiceng.validate.report``."""

from .validate.report import CATALOGUE, CHECKS, Problem, ProblemType, escape_property

__all__ = ["CATALOGUE", "CHECKS", "Problem", "ProblemType", "escape_property"]
