"""``python -m tthc_adapters.cli``."""

import sys

from tthc_adapters.cli import main

sys.exit(main())
