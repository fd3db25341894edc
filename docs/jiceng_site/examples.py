"""The Worked examples page shows what each example prints, by running it at build time.

Each ```python block of ``docs/examples.md`` is run on its own, as a reader pastes it,
against the bundled data, and its printed output follows it on the page: the page cannot
show a result the code no longer gives. An example that fails stops the build.
"""

from __future__ import annotations

import contextlib
import io
import re

from .markup import fenced

PAGE = "examples.md"
EXAMPLE = re.compile(r"^```python\n(.*?)^```\n", flags=re.S | re.M)


def printed(code: str, number: int) -> str:
    """What example ``number`` prints when run alone."""
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(code, f"{PAGE} example {number}", "exec"), {})
    except Exception as error:  # any failure of the example is the page's error, told as such
        raise ValueError(f"{PAGE}: example {number} fails: {type(error).__name__}: {error}") from None
    return output.getvalue()


def with_results(markdown: str) -> str:
    """The page with each example followed by its printed output."""
    count = 0

    def run(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return match[0] + "\nIt prints:\n" + fenced(printed(match[1], count), "text") + "\n"

    return EXAMPLE.sub(run, markdown)
