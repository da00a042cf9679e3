# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Entry point for `python -m host_shim` (see host_shim.runner; test-board: host_shim.testboard)."""

import sys

if sys.argv[1:2] == ["test-board"]:
    from host_shim.testboard import main

    sys.exit(main(sys.argv[2:]))

from host_shim.runner import main

sys.exit(main())
