"""Layer 1: the schema files and datapackage.json are exactly what the models generate."""

from __future__ import annotations

from ...bundle import DESCRIPTOR
from ..check import Check
from ..report import ProblemType

SCHEMA_DRIFT = ProblemType("schema-drift", 1, "Schema differs from the models",
                           "A schema file or datapackage.json differs from what `jiceng schemas` generates from the models.")


class SchemaDrift(Check):
    problem_types = (SCHEMA_DRIFT,)
    order = 2
    whole_package = True

    def start(self) -> None:
        if self.run.descriptor is None:
            return
        from ...tableschema import generated_files

        for relative, expected in generated_files(self.run.vocabularies).items():
            path = self.run.root / relative
            try:
                current = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self.run.drifted.add(relative)
                self.report.add(relative, 1, 1, SCHEMA_DRIFT, "missing or unreadable; run `jiceng schemas` to regenerate it")
                continue
            if relative == DESCRIPTOR:
                current, expected = without_version_line(current), without_version_line(expected)
            if current != expected:
                self.run.drifted.add(relative)
                line = first_difference_line(current, expected)
                self.report.add(relative, line, 1, SCHEMA_DRIFT,
                                "differs from what the models generate; never edit it by hand — change "
                                "src/jiceng/models.py or a vocabulary, then run `jiceng schemas`")


def without_version_line(text: str) -> str:
    """The descriptor without its version line, which an older release may differ in.

    The line is blanked rather than removed so that line numbers stay those of the file."""
    return "\n".join("" if line.startswith('  "version": ') else line for line in text.split("\n"))


def first_difference_line(current: str, expected: str) -> int:
    for number, (left, right) in enumerate(zip(current.splitlines(), expected.splitlines()), start=1):
        if left != right:
            return number
    return min(len(current.splitlines()), len(expected.splitlines())) + 1
