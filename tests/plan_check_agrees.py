#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that `ecrlp plan-check` reports, for every change it evaluates, exactly the diff that
`ecrlp diff` reports for the change's two policies (docs/iac.md): the policies are taken out of
the Terraform plan into files of their own, and `ecrlp diff` is run on them.

With --images: `ecrlp diff --policy BEFORE --policy AFTER --images ...` (updates and replaces).
With --registry: `ecrlp diff --registry DIR --policy AFTER`, whose old policy of each repository is
its own (the snapshot's policy is the plan's `before` in the fixtures; a repository without one is
a create). Deletes have no policy after, which `ecrlp diff` cannot be given: they are left out.

    plan_check_agrees.py --ecrlp BIN --plan PLAN --now T (--images F ... | --registry DIR)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def run(cmd, ok=(0,)):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in ok:
        sys.exit(f"exit {p.returncode}: {' '.join(cmd)}\n{p.stderr}")
    return json.loads(p.stdout)


def without_files(diff):
    d = dict(diff)
    d["old"] = {k: v for k, v in d["old"].items() if k != "file"}
    d["new"] = {k: v for k, v in d["new"].items() if k != "file"}
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecrlp", required=True)
    ap.add_argument("--plan", required=True)
    ap.add_argument("--now", required=True)
    ap.add_argument("--images", action="append", default=[])
    ap.add_argument("--registry")
    a = ap.parse_args()
    source = ["--registry", a.registry] if a.registry else sum((["--images", f] for f in a.images), [])
    check = run([a.ecrlp, "plan-check", a.plan, "--now", a.now, "--format", "json"] + source)
    with open(a.plan) as f:
        plan = json.load(f)
    sides = {c["address"]: c["change"] for c in plan["resource_changes"]}
    compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        for c in check["changes"]:
            if not c["evaluated"] or c["action"] == "delete":
                continue
            change = sides[c["address"]]
            after = os.path.join(tmp, "after.json")
            with open(after, "w") as f:
                f.write(change["after"]["policy"])
            if a.registry:
                reg = run([a.ecrlp, "diff", "--registry", a.registry, "--policy", after, "--now",
                           a.now, "--format", "json"])
                repo = [r for r in reg["repositories"] if r["repositoryName"] == c["repositoryName"]]
                expected = repo[0]["diff"]
            else:
                if change["before"] is None:
                    continue
                before = os.path.join(tmp, "before.json")
                with open(before, "w") as f:
                    f.write(change["before"]["policy"])
                expected = run([a.ecrlp, "diff", "--policy", before, "--policy", after, "--now",
                                a.now, "--format", "json"] + source)
            if without_files(c["diff"]) != without_files(expected):
                sys.exit(f"{c['address']}: plan-check's diff differs from ecrlp diff's")
            compared += 1
    if compared == 0:
        sys.exit("no change compared")
    print(f"{compared} change(s): plan-check reports what ecrlp diff reports")


if __name__ == "__main__":
    main()
