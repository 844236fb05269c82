#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the CI examples of examples/ci/ on this machine, without network (docs/iac.md):

* github-actions.yml: every `run:` step in order, as GitHub runs it (bash -eo pipefail, in the job's
  working directory), `${{ }}` expressions and `if:` conditions evaluated for the few forms the
  workflow uses;
* gitlab-ci.yml: the job's `script` lines in one shell with errexit, as the GitLab runner does;
* .pre-commit-hooks.yaml: each hook through `pre-commit try-repo`, on files that pass and on files
  that fail.

terraform, gh, sudo, kubectl and curl are stubs on PATH that record how they were called (the
terraform stub prints examples/ci/plan.json for `terraform show -json`); the read-only registry
export is a stub that writes a snapshot of examples/story/images.json. `ecrlp` is the binary
under test. Each scenario checks exit codes, what was posted to the pull request and the job
summary.

    ci_examples.py --ecrlp BIN --source DIR [--only github|gitlab|pre-commit]
"""
import argparse
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

import yaml

SAFE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments-api:Dev-3621"
# Kept by the current policy, expired by the planned one (its Dev-* rule, 30 days).
HIT = "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments-api:build-3575"


def fail(message):
    sys.exit("FAIL: " + message)


def write(path, text, executable=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if executable:
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


class Sandbox:
    """A checkout with infra/ and policy tests, stubs on PATH, and a log of the stubs' calls."""

    def __init__(self, root, source, ecrlp, running):
        self.root = root
        self.source = source
        self.log = os.path.join(root, "calls.log")
        self.bin = os.path.join(root, "bin")
        self.share = os.path.join(root, "share")
        infra = os.path.join(root, "repo", "infra")
        os.makedirs(infra)
        with open(os.path.join(source, "examples/policy-tests/story.json")) as f:
            cases = json.load(f)
        # The planned policy itself, taken from the plan the job writes.
        cases["policy"] = "../plan.json#module.payments_api.aws_ecr_lifecycle_policy.this"
        write(os.path.join(infra, "policy-tests", "payments-api.json"), json.dumps(cases, indent=2))
        os.symlink(os.path.abspath(ecrlp), os.path.join(self.bin_dir(), "ecrlp"))
        self.stubs(running)

    def bin_dir(self):
        os.makedirs(self.bin, exist_ok=True)
        return self.bin

    def stubs(self, running):
        log = self.log
        record = f'printf "%s" "$(basename "$0")" >> {log}; printf " %s" "$@" >> {log}; echo >> {log}\n'
        plan = os.path.join(self.source, "examples/ci/plan.json")
        write(os.path.join(self.bin, "terraform"), "#!/bin/sh\n" + record +
              f'[ "$1" = show ] && [ "$2" = -json ] && exec cat {plan}\nexit 0\n', True)
        write(os.path.join(self.bin, "gh"), "#!/bin/sh\n" + record +
              'if [ "$1 $2" = "release download" ]; then\n'
              '  while [ $# -gt 0 ]; do [ "$1" = --dir ] && touch "$2/ecrlp_0.1.0_amd64.deb"; shift; done\n'
              'fi\nexit 0\n', True)
        for name in ("sudo", "curl", "apt-get"):
            write(os.path.join(self.bin, name), "#!/bin/sh\n" + record + "exit 0\n", True)
        pods = {"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"api-{k}", "namespace": "prod"},
             "spec": {"containers": [{"name": "api", "image": image}]}}
            for k, image in enumerate(running)]}
        write(os.path.join(self.bin, "kubectl"), "#!/bin/sh\n" + record + "cat <<'EOF'\n" +
              json.dumps(pods, indent=2) + "\nEOF\n", True)
        images = os.path.join(self.source, "examples/story/images.json")
        write(os.path.join(self.share, "export-registry.sh"), "#!/bin/bash\nset -e\n" +
              record.replace('"$(basename "$0")"', "export-registry.sh") +
              'out=${@: -1}\nrepo="$out/repositories/payments-api"\nmkdir -p "$repo/images"\n'
              'printf \'{"format": "ecrlp-registry-snapshot", "version": 1, '
              '"createdAt": "2026-11-28T00:00:00Z", "region": "us-east-1", '
              '"repositoryFilter": ""}\\n\' > "$out/snapshot.json"\n'
              'printf \'{"registryId": "123456789012", "repositoryName": "payments-api"}\\n\' '
              '> "$repo/repository.json"\n'
              f'cp {images} "$repo/images/page-0001.json"\n', True)

    def env(self, extra):
        env = dict(os.environ)
        env.update({"PATH": self.bin + os.pathsep + env["PATH"], "TZ": "UTC",
                    "HOME": os.path.join(self.root, "home")})
        env.update(extra)
        return env

    def calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as f:
            return f.read().splitlines()

    def script(self, text):
        return text.replace("/usr/share/ecrlp/", self.share + "/")


def expression(text, context):
    """`${{ a.b.c }}` replaced by the context's value for the dotted name."""
    def value(m):
        name = m.group(1).strip()
        if name not in context:
            fail(f"the workflow uses ${{{{ {name} }}}}, which the test does not know")
        return str(context[name])
    return re.sub(r"\$\{\{([^}]*)\}\}", value, text)


def condition(text, context):
    m = re.fullmatch(r"\s*([\w.]+)\s*!=\s*'([^']*)'\s*", text)
    if not m:
        fail(f"the workflow's condition {text!r} is not one the test evaluates")
    return str(context.get(m.group(1), "")) != m.group(2)


def run_github(source, ecrlp, running, max_removed=None):
    """Runs every `run:` step; returns (the failing step's name or None, sandbox, summary)."""
    with open(os.path.join(source, "examples/ci/github-actions.yml")) as f:
        workflow = yaml.safe_load(f)
    job = workflow["jobs"]["ecrlp"]
    root = tempfile.mkdtemp(prefix="ecrlp-gh-")
    box = Sandbox(root, source, ecrlp, running)
    temp = os.path.join(root, "runner-temp")
    os.makedirs(temp)
    summary = os.path.join(root, "summary.md")
    env_vars = dict(workflow.get("env", {}))
    if max_removed is not None:
        env_vars["ECRLP_MAX_REMOVED"] = max_removed
    context = {"github.token": "token", "github.event.pull_request.number": 42,
               "vars.ECRLP_ROLE_ARN": "arn:aws:iam::123456789012:role/ecrlp-read-only"}
    workdir = os.path.join(root, "repo", job["defaults"]["run"]["working-directory"])
    for step in job["steps"]:
        if "run" not in step:
            continue  # `uses:` actions: checkout, setup-terraform, credentials
        if "if" in step and not condition(step["if"], context):
            continue
        output = os.path.join(root, "output")
        open(output, "w").close()
        extra = {k: str(v) for k, v in env_vars.items()}
        extra.update({k: expression(str(v), context) for k, v in step.get("env", {}).items()})
        extra.update({"RUNNER_TEMP": temp, "GITHUB_STEP_SUMMARY": summary, "GITHUB_OUTPUT": output})
        script = box.script(expression(step["run"], context))
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                           cwd=workdir, env=box.env(extra), capture_output=True, text=True)
        with open(output) as f:
            for line in f.read().splitlines():
                key, _, val = line.partition("=")
                context[f"steps.{step.get('id')}.outputs.{key}"] = val
        if p.returncode != 0:
            return step["name"], box, summary, p
    return None, box, summary, None


def check_github(source, ecrlp):
    failed, box, summary, p = run_github(source, ecrlp, [SAFE])
    if failed:
        fail(f"github: step '{failed}' failed on a safe plan:\n{p.stdout}{p.stderr}")
    text = open(summary).read()
    if not text.startswith("## Lifecycle policy check of `plan.json`"):
        fail("github: the job summary is not the markdown report:\n" + text[:300])
    if "module.payments_api.aws_ecr_lifecycle_policy.this" not in text:
        fail("github: the report does not name the change")
    calls = box.calls()
    if not any(c.startswith("gh pr comment 42 --edit-last --body-file ") for c in calls):
        fail("github: no comment was posted: " + repr(calls))
    if not any(c.startswith("sudo apt-get install -y ") for c in calls):
        fail("github: the .deb was not installed: " + repr(calls))
    print("ok    github  a safe plan: every step passes, the report is the summary and a comment")

    failed, box, summary, p = run_github(source, ecrlp, [SAFE, HIT])
    if failed != "Fail when the check found a problem" or "exited 4" not in p.stdout:
        fail(f"github: an in-use image removed should fail the last step with 4, got {failed}")
    if ":warning: IN USE: 1 running image" not in open(summary).read():
        fail("github: the in-use violation is not in the summary")
    if not any(c.startswith("gh pr comment 42") for c in box.calls()):
        fail("github: the report must be posted before the job fails")
    print("ok    github  an in-use image removed: commented, then the job fails (4)")

    failed, box, summary, p = run_github(source, ecrlp, [SAFE], max_removed="50")
    if failed != "Fail when the check found a problem" or "exited 5" not in p.stdout:
        fail(f"github: over --max-removed should fail with 5, got {failed}")
    print("ok    github  over --max-removed: the job fails (5)")


def run_gitlab(source, ecrlp, max_removed):
    with open(os.path.join(source, "examples/ci/gitlab-ci.yml")) as f:
        job = yaml.safe_load(f)["ecrlp"]
    root = tempfile.mkdtemp(prefix="ecrlp-gl-")
    box = Sandbox(root, source, ecrlp, [SAFE])
    variables = {k: str(v) for k, v in job["variables"].items()}
    variables["ECRLP_MAX_REMOVED"] = max_removed
    variables.update({"AWS_DEFAULT_REGION": "us-east-1", "ECRLP_GITLAB_TOKEN": "token",
                      "CI_API_V4_URL": "https://gitlab.example.org/api/v4", "CI_PROJECT_ID": "7",
                      "CI_MERGE_REQUEST_IID": "42"})
    script = "\n".join(box.script(line) for line in job["before_script"] + job["script"])
    p = subprocess.run(["bash", "-e", "-c", script], cwd=os.path.join(root, "repo"),
                       env=box.env(variables), capture_output=True, text=True)
    return p, box, root


def check_gitlab(source, ecrlp):
    p, box, root = run_gitlab(source, ecrlp, "90")
    if p.returncode != 0:
        fail(f"gitlab: the job failed on a safe plan ({p.returncode}):\n{p.stdout}{p.stderr}")
    note = [c for c in box.calls() if c.startswith("curl ")]
    if not note or "body@ecrlp-report.md" not in note[-1] or \
            "/projects/7/merge_requests/42/notes" not in note[-1]:
        fail("gitlab: the report was not posted as a note: " + repr(box.calls()))
    report = os.path.join(root, "repo", "infra", "ecrlp-report.md")
    if not open(report).read().startswith("## Lifecycle policy check"):
        fail("gitlab: ecrlp-report.md is not the markdown report")
    if not os.path.exists(os.path.join(root, "repo", "infra", "ecrlp-tests.xml")):
        fail("gitlab: no JUnit report of the policy tests")
    print("ok    gitlab  a safe plan: the job passes, the report is posted as a note")
    p, box, root = run_gitlab(source, ecrlp, "50")
    if p.returncode != 5 or not any(c.startswith("curl ") for c in box.calls()):
        fail(f"gitlab: over --max-removed the note is posted and the job exits 5, got {p.returncode}")
    print("ok    gitlab  over --max-removed: the note is posted, the job exits 5")


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=ecrlp", "-c", "user.email=ecrlp@example.org",
                    "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                   cwd=cwd, check=True, capture_output=True)


def check_pre_commit(source, ecrlp):
    root = tempfile.mkdtemp(prefix="ecrlp-pc-")
    box = Sandbox(root, source, ecrlp, [])
    hooks = os.path.join(root, "hooks")
    os.makedirs(hooks)
    shutil.copy(os.path.join(source, "examples/ci/.pre-commit-hooks.yaml"), hooks)
    git(hooks, "init", "-q")
    git(hooks, "add", ".")
    git(hooks, "commit", "-q", "-m", "hooks")
    work = os.path.join(root, "work")
    story = os.path.join(source, "examples/story/policy.json")
    files = {
        "lifecycle-policy.json": open(story).read(),
        "cloudformation/ecr.yaml": open(os.path.join(source, "tests/data/iac/same-text/template.yaml")).read(),
        "broken/app.lifecycle.json": open(os.path.join(source, "tests/data/cli/invalid-policy.json")).read(),
        "policy-tests/story.json": open(os.path.join(source, "examples/policy-tests/story.json")).read()
        .replace('"../story/policy.json"', '"../lifecycle-policy.json"'),
        "policy-tests/failing.json": open(os.path.join(source, "examples/policy-tests/deliberately-failing.json")).read()
        .replace('"../story/policy.json"', '"../lifecycle-policy.json"'),
    }
    for name, text in files.items():
        write(os.path.join(work, name), text)
    git(work, "init", "-q")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "files")
    env = box.env({"PRE_COMMIT_HOME": os.path.join(root, "cache")})
    cases = [("ecrlp-validate", ["lifecycle-policy.json", "cloudformation/ecr.yaml"], 0),
             ("ecrlp-validate", ["broken/app.lifecycle.json"], 1),
             ("ecrlp-lint", ["lifecycle-policy.json", "cloudformation/ecr.yaml"], 0),
             ("ecrlp-lint", ["broken/app.lifecycle.json"], 1),
             ("ecrlp-test", ["policy-tests/story.json"], 0),
             ("ecrlp-test", ["policy-tests/failing.json"], 1)]
    for hook, names, want in cases:
        p = subprocess.run(["pre-commit", "try-repo", hooks, hook, "--files", *names], cwd=work,
                           env=env, capture_output=True, text=True)
        if p.returncode != want or (want == 0 and "Passed" not in p.stdout):
            fail(f"pre-commit: {hook} on {names}: exit {p.returncode}, expected {want}\n{p.stdout}{p.stderr}")
        print(f"ok    pre-commit  {hook} {' '.join(names)}: {'passes' if want == 0 else 'fails'}")
    # A file the hook's `files` pattern does not match is not checked.
    p = subprocess.run(["pre-commit", "try-repo", hooks, "ecrlp-validate", "--files",
                        "policy-tests/story.json"], cwd=work, env=env, capture_output=True, text=True)
    if p.returncode != 0 or "no files to check" not in p.stdout:
        fail(f"pre-commit: ecrlp-validate must skip a case file:\n{p.stdout}")
    print("ok    pre-commit  ecrlp-validate leaves other JSON files alone")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ecrlp", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--only", choices=["github", "gitlab", "pre-commit"])
    a = ap.parse_args()
    a.source = os.path.abspath(a.source)
    a.ecrlp = os.path.abspath(a.ecrlp)
    with tempfile.TemporaryDirectory(prefix="ecrlp-ci-") as tmp:
        tempfile.tempdir = tmp  # every sandbox under it, removed at the end
        run_checks(a)


def run_checks(a):
    if a.only in (None, "github"):
        check_github(a.source, a.ecrlp)
    if a.only in (None, "gitlab"):
        check_gitlab(a.source, a.ecrlp)
    if a.only in (None, "pre-commit"):
        if shutil.which("pre-commit") is None:
            fail("pre-commit is not installed (scripts/setup.sh installs it for the tests)")
        check_pre_commit(a.source, a.ecrlp)


if __name__ == "__main__":
    main()
