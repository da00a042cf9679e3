# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Empty: tests/cp_standin.py imports it once for each stand-in module it makes."""
