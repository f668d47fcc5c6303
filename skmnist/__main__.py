"""``python -m skmnist``: the ``skmnist`` command."""

import sys

from .cli import main

sys.exit(main())
