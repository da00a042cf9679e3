# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""The top-level product modules for the wheel (the rest of the metadata is in pyproject.toml).

Every top-level *.py except this file and names starting with "_" or "test", as
tools/build_dist.py's product_modules(); tests/test_dist.py checks the wheel holds them.
"""

import glob
import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))
NOT_PRODUCT = {"setup", "conftest", "noxfile"}
MODULES = sorted(
    name
    for name in (os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "*.py")))
    if name not in NOT_PRODUCT and not name.startswith(("_", "test"))
)

setup(py_modules=MODULES)
