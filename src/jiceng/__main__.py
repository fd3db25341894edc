"""``python -m jiceng``: the same as the ``jiceng`` command."""

import sys

from .cli import main

sys.exit(main())
