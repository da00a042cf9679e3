"""Entry point for `python -m host_shim` (see host_shim.runner)."""

import sys

from host_shim.runner import main

sys.exit(main())
