"""Property tests are reproducible: CI runs them derandomized, a local failure prints its blob."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def loaded_profile(**environment: str) -> dict:
    """The Hypothesis settings that tests/conftest.py loads under this environment."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import conftest; from hypothesis import settings\n"
        "current = settings()\n"
        "print(json.dumps({'derandomize': current.derandomize, 'database': repr(current.database),\n"
        "                  'print_blob': current.print_blob}))\n"
    )
    variables = {key: value for key, value in os.environ.items() if key not in ("CI", "HYPOTHESIS_PROFILE")}
    result = subprocess.run([sys.executable, "-c", code, str(TESTS)], capture_output=True, text=True,
                            env={**variables, **environment}, check=True)
    return json.loads(result.stdout)


@pytest.mark.parametrize("ci", ["true", "1"])
def test_ci_runs_property_tests_derandomized_without_a_local_database(ci):
    assert loaded_profile(CI=ci) == {"derandomize": True, "database": "None", "print_blob": True}


def test_local_runs_stay_random_and_print_how_to_reproduce_a_failure():
    profile = loaded_profile()
    assert profile["derandomize"] is False and profile["print_blob"] is True
