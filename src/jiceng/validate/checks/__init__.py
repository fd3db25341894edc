"""The checks of ``jiceng validate``, one module each.

To add a check, add a module here that defines its problem types (``ProblemType``
constants: slug, layer, title, description) and one subclass of ``validate.check.Check``
that declares them in ``problem_types`` and overrides the hooks it needs (``start``, ``batch``,
``cells``, ``row``, ``table_end``, ``end``). The runner and the catalogue find it by
scanning this package; no other file lists the checks.
"""
