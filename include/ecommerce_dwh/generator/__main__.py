"""``python -m ecommerce_dwh.generator``: see ``--help``."""

import sys

from .cli import main

sys.exit(main())
