#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes plan.json, the `terraform show -json PLAN` fixture of the plan-check tests, in the shape
Terraform 1.9 writes (JSON output format 1.2: planned_values, resource_changes, prior_state,
configuration), one line as Terraform prints it. The policies are strings, as `jsonencode`
leaves them. Run from this directory; the output is committed."""
import json

SNAPSHOT = "../registry/snapshot/repositories"


def current(repo):
    with open(f"{SNAPSHOT}/{repo}/lifecycle-policy.json") as f:
        return json.load(f)["lifecyclePolicyText"]


def encode(policy):
    return json.dumps(policy, separators=(",", ":"), sort_keys=True)


payments_new = json.loads(current("payments"))
payments_new["rules"][0]["description"] = "Keep the last 2 production releases"
payments_new["rules"][0]["selection"]["countNumber"] = 2
payments_new["rules"][2]["description"] = "Expire everything else after 30 days"
payments_new["rules"][2]["selection"]["countNumber"] = 30
batch = {"rules": [
    {"rulePriority": 1, "description": "Expire untagged images after 1 day",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                   "countNumber": 1}, "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "Keep the 2 newest images",
     "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 2},
     "action": {"type": "expire"}}]}

PROVIDER = "registry.terraform.io/hashicorp/aws"


def resource(address, name, values, module=None, index=None):
    r = {"address": address, "mode": "managed", "type": "aws_ecr_lifecycle_policy", "name": name,
         "provider_name": PROVIDER}
    if index is not None:
        r["index"] = index
    if module is not None:
        r["module_address"] = module
    return r


def change(address, name, actions, before, after, module=None, index=None):
    r = resource(address, name, None, module, index)
    r["change"] = {"actions": actions, "before": before, "after": after, "after_unknown": {},
                   "before_sensitive": False if before is None else {},
                   "after_sensitive": False if after is None else {}}
    return r


def values(repo, policy_text):
    return {"id": repo, "policy": policy_text, "registry_id": "123456789012", "repository": repo}


pay_addr = 'module.ecr["payments"].aws_ecr_lifecycle_policy.this[0]'
changes = [
    change(pay_addr, "this", ["update"], values("payments", encode(json.loads(current("payments")))),
           values("payments", encode(payments_new)), 'module.ecr["payments"]', 0),
    change("aws_ecr_lifecycle_policy.batch_jobs", "batch_jobs", ["create"], None,
           {"policy": encode(batch), "repository": "batch-jobs"}),
    change("aws_ecr_lifecycle_policy.web", "web", ["delete"],
           values("web", encode(json.loads(current("web")))), None),
    change("aws_ecr_lifecycle_policy.team_a_api", "team_a_api", ["no-op"],
           values("team-a/api", encode(json.loads(current("team-a%2Fapi")))),
           values("team-a/api", encode(json.loads(current("team-a%2Fapi"))))),
    change("aws_ecr_lifecycle_policy.new_service", "new_service", ["create"], None,
           {"policy": encode(batch), "repository": "new-service"}),
]
for c in changes:
    c["change"]["after_unknown"] = {"id": True, "registry_id": True} if c["change"]["actions"] == ["create"] else {}


def planned(c):
    r = {k: v for k, v in c.items() if k != "change"}
    r["schema_version"] = 0
    r["values"] = c["change"]["after"]
    r["sensitive_values"] = {}
    return r


root = [planned(c) for c in changes[1:] if c["change"]["after"] is not None]
module = [planned(changes[0])]
for r in module:
    del r["module_address"]
plan = {
    "format_version": "1.2",
    "terraform_version": "1.9.5",
    "planned_values": {"root_module": {"resources": root, "child_modules": [
        {"address": 'module.ecr["payments"]', "resources": module}]}},
    "resource_changes": changes,
    "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
                      "root_module": {}},
    "timestamp": "2026-11-28T06:30:00Z",
    "applyable": True,
    "complete": True,
    "errored": False,
}
with open("plan.json", "w") as f:
    f.write(json.dumps(plan, separators=(",", ":")) + "\n")

# The same change as two revisions of a CloudFormation template: YAML before, JSON after.
def repo(name, policy):
    props = {"RepositoryName": name}
    if policy is not None:
        props["LifecyclePolicy"] = {"LifecyclePolicyText": policy}
    return {"Type": "AWS::ECR::Repository", "Properties": props}


web_text = encode(json.loads(current("web")))
before_yaml = f"""AWSTemplateFormatVersion: '2010-09-09'
Description: ECR repositories of the payments team
Resources:
  PaymentsRepo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: payments
      LifecyclePolicy:
        LifecyclePolicyText: '{encode(json.loads(current("payments")))}'
  BatchRepo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: batch-jobs
  WebRepo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: web
      LifecyclePolicy:
        LifecyclePolicyText: !Sub '{web_text}'
"""
with open("template-before.yaml", "w") as f:
    f.write(before_yaml)
after = {"AWSTemplateFormatVersion": "2010-09-09",
         "Description": "ECR repositories of the payments team",
         "Resources": {"PaymentsRepo": repo("payments", encode(payments_new)),
                       "BatchRepo": repo("batch-jobs", encode(batch)),
                       "WebRepo": repo("web", web_text)}}
with open("template-after.json", "w") as f:
    f.write(json.dumps(after, indent=2) + "\n")
