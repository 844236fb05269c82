#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fails when a Catch2 test name holds ';': ctest splits such a name into a filter that matches
nothing, and the test then "passes" without running (eight did, until this check)."""
import glob
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
bad = []
for path in sorted(glob.glob(os.path.join(root, "*.cpp"))):
    with open(path) as f:
        text = f.read()
    for m in re.finditer(r'TEST_CASE\(((?:\s*"(?:[^"\\]|\\.)*")+)', text):
        name = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
        if ";" in name:
            line = text.count("\n", 0, m.start()) + 1
            bad.append(f"{path}:{line}: a test name with ';' never runs under ctest: {name}")
print("\n".join(bad) or "every test name can be run by ctest")
sys.exit(1 if bad else 0)
