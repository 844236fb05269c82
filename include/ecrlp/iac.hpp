// SPDX-License-Identifier: MIT
#pragma once

/// Lifecycle policies where they live: in a Terraform plan or state, a CloudFormation template
/// (JSON or YAML), a `cdk synth` output directory, or a policy file of its own.
///
/// parse_policy_sources() finds every ECR lifecycle policy of a document and returns, for each, its
/// address, its text (what parse_policy() reads), the repository when it is written literally, and
/// where the text sits in the source file; or, for a policy that cannot be known before deployment
/// (a Terraform value "known after apply", a CloudFormation `Fn::Sub`), the reason. The format is
/// detected from the content, never from the file name. docs/iac.md describes the formats and the
/// addresses; docs/diagnostics.md the `iac.*` codes; docs/limits.md the limits.
///
/// ```cpp
/// auto doc = ecrlp::load_policy_sources("plan.json");
/// if (!doc) { /* doc.diagnostics: why the plan cannot be read */ }
/// for (const auto& found : doc.value->policies) {
///   auto parsed = ecrlp::parse_found_policy(found);  // diagnostics placed in plan.json
///   if (parsed) evaluate(parsed.value->policy, images, {.now = now});
/// }
/// ```

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/policy_parser.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp {

/// The kinds of document parse_policy_sources() reads.
enum class policy_source_format : unsigned char {
  automatic,  ///< detect from the content (the default)
  policy,     ///< a policy file as parse_policy() reads it: `{"rules": [...]}` or an AWS response
  aws,        ///< `aws ecr get-lifecycle-policy` output: an object with `lifecyclePolicyText`
  terraform_plan,   ///< `terraform show -json PLANFILE` (format_version 1.x)
  terraform_state,  ///< `terraform show -json` of a state (format_version 1.x)
  cloudformation,   ///< a CloudFormation template, JSON or YAML (also what `cdk synth` writes)
};

/// The spelling of a format on the command line and in messages: "automatic", "policy", "aws",
/// "terraform-plan", "terraform-state", "cloudformation".
[[nodiscard]] constexpr std::string_view to_string(policy_source_format f) noexcept {
  switch (f) {
    case policy_source_format::automatic:
      return "automatic";
    case policy_source_format::policy:
      return "policy";
    case policy_source_format::aws:
      return "aws";
    case policy_source_format::terraform_plan:
      return "terraform-plan";
    case policy_source_format::terraform_state:
      return "terraform-state";
    case policy_source_format::cloudformation:
      return "cloudformation";
  }
  return "automatic";
}

/// The format spelled `s` as to_string() spells it, or nullopt.
[[nodiscard]] constexpr std::optional<policy_source_format> parse_policy_source_format(
    std::string_view s) noexcept {
  for (const auto f :
       {policy_source_format::automatic, policy_source_format::policy, policy_source_format::aws,
        policy_source_format::terraform_plan, policy_source_format::terraform_state,
        policy_source_format::cloudformation}) {
    if (to_string(f) == s) return f;
  }
  return std::nullopt;
}

/// What a Terraform plan does to a resource: its `change.actions`.
enum class change_action : unsigned char {
  no_op,    ///< ["no-op"]
  create,   ///< ["create"]
  read,     ///< ["read"] (data sources; never an aws_ecr_lifecycle_policy)
  update,   ///< ["update"]
  destroy,  ///< ["delete"]
  replace,  ///< ["delete", "create"] or ["create", "delete"] (create_before_destroy)
  forget,   ///< ["forget"]: a `removed` block; the policy stays in ECR, no longer managed
  unknown,  ///< a list of actions this version of ecrlp does not know (with an error)
};

/// Terraform's word for an action ("no-op", "create", "read", "update", "delete", "replace",
/// "forget"; "unknown" for change_action::unknown).
[[nodiscard]] constexpr std::string_view to_string(change_action a) noexcept {
  switch (a) {
    case change_action::no_op:
      return "no-op";
    case change_action::create:
      return "create";
    case change_action::read:
      return "read";
    case change_action::update:
      return "update";
    case change_action::destroy:
      return "delete";
    case change_action::replace:
      return "replace";
    case change_action::forget:
      return "forget";
    case change_action::unknown:
      return "unknown";
  }
  return "unknown";
}

/// A place in a source file.
struct source_position {
  std::size_t byte = 0;    ///< 0-based byte offset
  std::size_t line = 0;    ///< 1-based line; 0 when unknown
  std::size_t column = 0;  ///< 1-based column, in bytes; 0 when unknown
};

/// Where a stretch of a policy text is spelled in its source file. A JSON string literal spells
/// `{"rules"` as `{\"rules\"`, a YAML block scalar spreads the text over indented lines: the
/// stretches between such changes map offsets of found_policy::text back to the file.
struct text_span {
  std::size_t offset = 0;  ///< first byte of the stretch in found_policy::text
  source_position at;      ///< where that byte is spelled
  /// True: the stretch's bytes follow one another in the file (text offset `offset + k` is at
  /// byte `at.byte + k`, column `at.column + k`). False: the source spells the stretch in a way
  /// that is not followed byte by byte (a folded YAML scalar); every offset maps to `at`.
  bool contiguous = true;
};

/// One lifecycle policy found in a document, or the reason it cannot be known.
struct found_policy {
  /// How to name the policy: the Terraform resource address as Terraform writes it
  /// (`module.ecr["app"].aws_ecr_lifecycle_policy.this[0]`), `TEMPLATE#LogicalId` for
  /// CloudFormation (`cdk.out/AppStack.template.json#AppRepo6B5BD0A1`; the file as it was given),
  /// "" for a policy file of its own.
  std::string address;
  /// The address inside its file: the Terraform address, the CloudFormation logical id; "" for a
  /// policy file of its own.
  std::string name;
  /// The repository the policy applies to, when the source writes it literally (Terraform's
  /// `repository` when known at plan time, CloudFormation's `RepositoryName` when a string); ""
  /// when unknown (`!Ref`, a generated name, known after apply).
  std::string repository;
  /// The policy text as the source holds it (decoded): what ECR receives and parse_policy() reads.
  /// For a policy file of its own, the whole file. Empty when the text cannot be known.
  std::string text;
  std::string file;  ///< the source file, as given (or the `source_name` of parse_policy_sources)
  /// Where the value holding the text starts in `file`: the opening quote of a JSON string, the
  /// first byte of a YAML scalar (its tag, quote or `|`). 1:1 for a policy file of its own.
  source_position position;
  /// How offsets of `text` map to `file`; empty for a policy file of its own (parse_policy()
  /// places its diagnostics in the file itself). Use locate_in_source().
  std::vector<text_span> spans;
  /// CDK only: the construct path of the repository (`aws:cdk:path` metadata), else "".
  std::string construct_path;
  /// Why the policy cannot be evaluated (errors: `iac.unknown_value`, `iac.intrinsic`, ...), or
  /// remarks (warnings, notes). Errors leave `text` empty.
  std::vector<diagnostic> diagnostics;

  /// True when `text` is known: no error in `diagnostics`.
  [[nodiscard]] bool evaluable() const noexcept { return !has_errors(diagnostics); }
};

/// One aws_ecr_lifecycle_policy resource change of a Terraform plan (`resource_changes[]`).
struct plan_change {
  std::string address;  ///< the resource address, as Terraform writes it
  change_action action = change_action::no_op;
  std::string deposed;  ///< the deposed object's key (`deposed`), else ""
  /// The policy before the change (`change.before`): absent for a create.
  std::optional<found_policy> before;
  /// The policy after the change (`change.after`): absent for a delete and a forget. A value
  /// known only after apply is a found_policy with an `iac.unknown_value` error.
  std::optional<found_policy> after;
  std::vector<diagnostic> diagnostics;  ///< problems of the change itself (`iac.unknown_action`)
};

/// Every lifecycle policy of a document (or of a `cdk.out` directory).
struct policy_document {
  policy_source_format format = policy_source_format::policy;  ///< as detected (or forced)
  /// The policies in effect: a policy file's one policy; a template's repositories with a
  /// `LifecyclePolicy`; a state's aws_ecr_lifecycle_policy resources; for a plan, the `after` of
  /// every change that leaves a policy (all but deletes and forgets), in the plan's order.
  std::vector<found_policy> policies;
  /// Terraform plans only: every aws_ecr_lifecycle_policy change, no-ops included.
  std::vector<plan_change> changes;
  std::string terraform_version;   ///< Terraform plans and states: `terraform_version`
  std::vector<std::string> files;  ///< the files read, in order (one, or a cdk.out's templates)
};

/// Finds the lifecycle policies of `text` (the content of a file called `source_name`).
///
/// With policy_source_format::automatic the format is detected from the content: a Terraform plan
/// or state (`format_version` and Terraform's members), a CloudFormation template (`Resources` or
/// `AWSTemplateFormatVersion`; JSON, or YAML with short intrinsic tags), an `aws ecr
/// get-lifecycle-policy` response, a policy. Anything else, broken JSON included, is taken for a
/// policy file: its one found_policy holds the whole text, and parse_found_policy() gives exactly
/// the diagnostics parse_policy() gives for it. A forced format that does not match the content
/// is an `iac.format_mismatch` error.
///
/// `value` is set when the document could be read; a policy that cannot be known has its reasons
/// in its own found_policy::diagnostics, the document is still read. Never throws except
/// std::bad_alloc.
[[nodiscard]] parse_result<policy_document> parse_policy_sources(
    std::string_view text, std::string_view source_name = "<string>",
    policy_source_format format = policy_source_format::automatic);

/// Reads a file (or a pipe) and parses it as parse_policy_sources() does; a directory is read as
/// `cdk synth` output: every `*.template.json` in it and in its `assembly-*` directories, in name
/// order, each a CloudFormation template (`iac.no_templates` when there is none). A file that
/// cannot be read gives `io.read`; one above 64 MiB `io.too_large`; a policy file above 16 MiB
/// the `io.too_large` load_policy() gives.
[[nodiscard]] parse_result<policy_document> load_policy_sources(
    const std::filesystem::path& file_or_dir,
    policy_source_format format = policy_source_format::automatic);

/// Where offset `offset` of `found.text` is spelled in `found.file`; for a policy file of its own
/// (no spans), the offset itself with line and column 0 (parse_policy() places those itself).
[[nodiscard]] inline source_position locate_in_source(const found_policy& found,
                                                      std::size_t offset) noexcept {
  if (found.spans.empty()) return {offset, 0, 0};
  // The last span that starts at or before `offset` (spans are sorted by offset; the first is 0).
  std::size_t lo = 0;
  std::size_t hi = found.spans.size();
  while (hi - lo > 1) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (found.spans[mid].offset <= offset) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const text_span& s = found.spans[lo];
  if (!s.contiguous || offset < s.offset) return s.at;
  const std::size_t k = offset - s.offset;
  return {s.at.byte + k, s.at.line, s.at.column + k};
}

/// parse_policy() of `found.text`, with every diagnostic placed in the source file: `file`,
/// `line`, `column` and `byte` are those of `found.file` (through locate_in_source()); `pointer`
/// stays a pointer into the policy text. A policy file of its own gives exactly what
/// parse_policy() gives. A found_policy that is not evaluable() gives its own diagnostics and no
/// value.
[[nodiscard]] parse_result<parsed_policy> parse_found_policy(const found_policy& found);

/// The policies of `doc` whose address or name is `selector` (`AppRepo`,
/// `template.yaml#AppRepo`, `module.ecr["app"].aws_ecr_lifecycle_policy.this[0]`), in document
/// order: more than one when a logical id repeats over the templates of a cdk.out directory.
[[nodiscard]] std::vector<const found_policy*> find_policies(const policy_document& doc,
                                                             std::string_view selector);

/// Every diagnostic of a result in one list: the document's, then each policy's and each plan
/// change's (for a command that reports them all).
[[nodiscard]] std::vector<diagnostic> all_diagnostics(const parse_result<policy_document>& result);

}  // namespace ecrlp
