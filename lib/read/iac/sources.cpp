// SPDX-License-Identifier: MIT
//
// parse_policy_sources: which kind of document a text is, and reading it.
//
//   text -> size, UTF-8 -> JSON (read_json, dropping the resources of no interest as they close)
//        or YAML (read_yaml) -> classify -> read_terraform / read_cloudformation
//        or, for a policy file, the whole text handed through unchanged.
//
// Detection looks at the content only. Anything automatic detection does not recognise as
// infrastructure code, broken JSON included, is handed through as a policy file, so that
// parse_found_policy() gives exactly what parse_policy() gives for it; a text that cannot be read
// but looks like a plan or a template (its first key, its sections) gets `iac.*` errors instead.

#include <ecrlp/iac.hpp>

#include "read/iac/iac_read.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp {
namespace {

using detail::json_kind;
using detail::json_value;
using detail::iac::source_file;
using detail::iac::string_of;

/// The sections of a CloudFormation template.
[[nodiscard]] bool is_template_section(std::string_view key) noexcept {
  for (const std::string_view s :
       {"AWSTemplateFormatVersion", "Resources", "Description", "Parameters", "Metadata",
        "Transform", "Mappings", "Conditions", "Outputs", "Rules"}) {
    if (key == s) return true;
  }
  return false;
}

/// Members of a Terraform plan that a state does not have.
constexpr std::array<std::string_view, 5> plan_members = {
    "planned_values", "resource_changes", "prior_state", "configuration", "output_changes"};

/// How messages name a format.
[[nodiscard]] std::string_view format_name(policy_source_format f) noexcept {
  switch (f) {
    case policy_source_format::terraform_plan:
      return "a Terraform plan (terraform show -json PLANFILE)";
    case policy_source_format::terraform_state:
      return "a Terraform state (terraform show -json)";
    case policy_source_format::cloudformation:
      return "a CloudFormation template";
    case policy_source_format::aws:
      return "an `aws ecr get-lifecycle-policy` response";
    case policy_source_format::policy:
    case policy_source_format::automatic:
      break;
  }
  return "a lifecycle policy";
}

[[nodiscard]] bool is_iac(policy_source_format f) noexcept {
  return f == policy_source_format::terraform_plan || f == policy_source_format::terraform_state ||
         f == policy_source_format::cloudformation;
}

/// Offset of the first byte after a UTF-8 byte order mark and white space.
[[nodiscard]] std::size_t content_start(std::string_view t) noexcept {
  std::size_t i = t.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) ++i;
  return i;
}

/// What JSON text that cannot be read was meant to be: its first key (Terraform writes
/// format_version first, CDK Resources or Description), or members only those formats have.
[[nodiscard]] policy_source_format sniff_json(std::string_view t) {
  const auto terraform = [&] {
    return t.find("\"resource_changes\"") != std::string_view::npos ||
                   t.find("\"planned_values\"") != std::string_view::npos
               ? policy_source_format::terraform_plan
               : policy_source_format::terraform_state;
  };
  std::size_t i = content_start(t);
  if (i < t.size() && t[i] == '{') {
    ++i;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) ++i;
    if (i < t.size() && t[i] == '"') {
      const std::size_t end = t.find('"', i + 1);
      const std::string_view key =
          end == std::string_view::npos ? std::string_view{} : t.substr(i + 1, end - i - 1);
      if (key == "format_version" || key == "terraform_version") return terraform();
      if (is_template_section(key)) return policy_source_format::cloudformation;
    }
  }
  if (t.find("\"terraform_version\"") != std::string_view::npos) return terraform();
  if (t.find("\"AWSTemplateFormatVersion\"") != std::string_view::npos) {
    return policy_source_format::cloudformation;
  }
  return policy_source_format::policy;
}

/// What YAML text that cannot be read was meant to be: a template has a line starting with
/// `AWSTemplateFormatVersion:` or `Resources:`.
[[nodiscard]] policy_source_format sniff_yaml(std::string_view t) {
  std::size_t line = t.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (line < t.size()) {
    const std::string_view rest = t.substr(line);
    for (const std::string_view key :
         {"AWSTemplateFormatVersion:", "Resources:", "\"Resources\":", "'Resources':"}) {
      if (rest.starts_with(key)) return policy_source_format::cloudformation;
    }
    const std::size_t nl = t.find('\n', line);
    if (nl == std::string_view::npos) break;
    line = nl + 1;
  }
  return policy_source_format::policy;
}

/// Which format a JSON document is (policy for anything not recognised).
[[nodiscard]] policy_source_format classify(const json_value& root) {
  if (root.kind != json_kind::object || root.find("rules") != nullptr) {
    return policy_source_format::policy;
  }
  if (string_of(root.find("lifecyclePolicyText")) != nullptr) return policy_source_format::aws;
  if (root.find("format_version") != nullptr) {
    for (const auto m : plan_members) {
      if (root.find(m) != nullptr) return policy_source_format::terraform_plan;
    }
    if (root.find("values") != nullptr || root.find("terraform_version") != nullptr) {
      return policy_source_format::terraform_state;
    }
  }
  if (root.find("Resources") != nullptr || root.find("AWSTemplateFormatVersion") != nullptr) {
    return policy_source_format::cloudformation;
  }
  return policy_source_format::policy;
}

/// read_json's keep_container: drops what no reader here looks at as soon as it is read, so that
/// a plan of tens of MiB holds little more than its aws_ecr_lifecycle_policy resources.
bool keep_container(std::string_view key, const json_value& c, std::size_t depth) {
  if (depth == 1) {
    for (const std::string_view skipped :
         {"configuration", "variables", "output_changes", "relevant_attributes", "checks",
          "resource_drift", "prior_state"}) {
      if (key == skipped) return false;
    }
  }
  if (c.kind != json_kind::object) return true;
  // A Terraform resource or resource change, of another type.
  if (const std::string* type = string_of(c.find("type"));
      type != nullptr && c.find("address") != nullptr && c.find("mode") != nullptr) {
    return *type == "aws_ecr_lifecycle_policy";
  }
  // A CloudFormation resource (Resources.<LogicalId>) of another type.
  if (depth == 2) {
    if (const std::string* type = string_of(c.find("Type"))) return *type == "AWS::ECR::Repository";
  }
  return true;
}

/// A document that is a policy file of its own: one found_policy holding the whole text.
[[nodiscard]] parse_result<policy_document> hand_through(std::string_view text,
                                                         std::string_view name,
                                                         policy_source_format format,
                                                         const json_value* root = nullptr) {
  found_policy p;
  p.file = std::string(name);
  p.text = std::string(text);
  p.position = {0, 1, 1};
  if (format == policy_source_format::aws && root != nullptr) {
    if (const std::string* repository = string_of(root->find("repositoryName"))) {
      p.repository = *repository;
    }
  }
  parse_result<policy_document> result;
  result.value.emplace();
  result.value->format = format;
  result.value->files.emplace_back(name);
  result.value->policies.push_back(std::move(p));
  return result;
}

/// A result with one error at `byte` and no value.
[[nodiscard]] parse_result<policy_document> failure(const source_file& src, std::string code,
                                                    std::string message, std::size_t byte) {
  parse_result<policy_document> result;
  result.diagnostics.push_back(
      src.make(severity::error, std::move(code), "", std::move(message), byte));
  return result;
}

[[nodiscard]] parse_result<policy_document> mismatch(const source_file& src,
                                                     policy_source_format wanted,
                                                     policy_source_format found) {
  return failure(src, "iac.format_mismatch",
                 "the document is not " + std::string(format_name(wanted)) +
                     (found == policy_source_format::policy
                          ? std::string()
                          : "; it looks like " + std::string(format_name(found))),
                 0);
}

/// read_json's diagnostics, as `iac.*` codes placed in the file.
[[nodiscard]] std::vector<diagnostic> json_diagnostics(std::vector<diagnostic> diags,
                                                       const source_file& src) {
  for (auto& d : diags) {
    if (d.code.starts_with("policy.")) d.code = "iac." + d.code.substr(7);
    if (d.code == "iac.too_many_values") {
      d.message = "the document holds more than " + std::to_string(detail::iac::max_values) +
                  " JSON values at once outside the resources ecrlp skips";
    }
    src.place(d, d.byte);
  }
  if (diags.size() > detail::iac::max_errors) {  // duplicate keys, at most one per value
    std::vector<diagnostic> capped;
    for (auto& d : diags) {
      if (!detail::iac::add_error(capped, std::move(d))) break;
    }
    return capped;
  }
  return diags;
}

/// Reads the tree of a recognised document into its policies.
[[nodiscard]] parse_result<policy_document> read_tree(const json_value& root,
                                                      const source_file& src,
                                                      policy_source_format format,
                                                      std::vector<diagnostic> errors) {
  parse_result<policy_document> result;
  policy_document doc;
  doc.format = format;
  doc.files.push_back(src.name());
  if (format == policy_source_format::cloudformation) {
    detail::iac::read_cloudformation(root, src, doc, errors);
  } else {
    detail::iac::read_terraform(root, src, format == policy_source_format::terraform_plan, doc,
                                errors);
  }
  result.diagnostics = std::move(errors);
  if (!has_errors(result.diagnostics)) result.value = std::move(doc);
  return result;
}

[[nodiscard]] parse_result<policy_document> read_json_document(std::string_view text,
                                                               std::string_view name,
                                                               policy_source_format format) {
  const bool automatic = format == policy_source_format::automatic;
  const source_file src(text, name, false);
  detail::json_read_options options;
  options.max_depth = detail::iac::max_json_depth;
  options.max_values = detail::iac::max_values;
  options.keep_container = keep_container;
  detail::json_read_result read = detail::read_json(text, options);
  if (!read.root) {
    const policy_source_format meant = automatic ? sniff_json(text) : format;
    if (!is_iac(meant)) return hand_through(text, name, policy_source_format::policy);
    parse_result<policy_document> result;
    result.diagnostics = json_diagnostics(std::move(read.diagnostics), src);
    return result;
  }
  const policy_source_format kind = classify(*read.root);
  if (automatic && !is_iac(kind)) return hand_through(text, name, kind, &*read.root);
  if (format == policy_source_format::aws && kind == policy_source_format::aws) {
    return hand_through(text, name, kind, &*read.root);
  }
  if (!automatic && kind != format) return mismatch(src, format, kind);
  return read_tree(*read.root, src, kind, json_diagnostics(std::move(read.diagnostics), src));
}

/// A template's root: a mapping with Resources or AWSTemplateFormatVersion.
[[nodiscard]] bool is_template(const json_value& root) {
  return root.kind == json_kind::object &&
         (root.find("Resources") != nullptr || root.find("AWSTemplateFormatVersion") != nullptr);
}

[[nodiscard]] parse_result<policy_document> read_yaml_document(std::string_view text,
                                                               std::string_view name,
                                                               policy_source_format format) {
  const bool automatic = format == policy_source_format::automatic;
  const source_file src(text, name, true);
  const auto meant = [&] { return automatic ? sniff_yaml(text) : format; };
  if (text.size() > detail::iac::max_yaml_bytes) {
    if (!is_iac(meant())) return hand_through(text, name, policy_source_format::policy);
    return failure(src, "iac.too_large",
                   "the YAML document is larger than 1 MiB; CloudFormation accepts templates of "
                   "1 MB at most",
                   0);
  }
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    if (!is_iac(meant())) return hand_through(text, name, policy_source_format::policy);
    return failure(src, "iac.syntax", "a NUL byte is not allowed in YAML text", nul);
  }
  detail::iac::yaml_read_result read = detail::iac::read_yaml(text);
  if (!read.root || !is_template(*read.root)) {
    const policy_source_format found = read.root ? policy_source_format::policy : meant();
    if (automatic && !is_iac(found)) return hand_through(text, name, policy_source_format::policy);
    if (read.root) return mismatch(src, format, policy_source_format::policy);
  }
  for (auto& d : read.diagnostics) src.place(d, d.byte);
  if (!read.root) {
    parse_result<policy_document> result;
    result.diagnostics = std::move(read.diagnostics);
    return result;
  }
  return read_tree(*read.root, src, policy_source_format::cloudformation,
                   std::move(read.diagnostics));
}

}  // namespace

bool detail::iac::looks_like_iac(std::string_view head) {
  const std::size_t start = content_start(head);
  const bool json = start < head.size() && (head[start] == '{' || head[start] == '[');
  return is_iac(json ? sniff_json(head) : sniff_yaml(head));
}

parse_result<policy_document> parse_policy_sources(std::string_view text,
                                                   std::string_view source_name,
                                                   policy_source_format format) {
  if (format == policy_source_format::policy) {
    return hand_through(text, source_name, policy_source_format::policy);
  }
  const bool automatic = format == policy_source_format::automatic;
  const std::size_t start = content_start(text);
  const bool looks_json = start < text.size() && (text[start] == '{' || text[start] == '[');
  const bool json = looks_json || format == policy_source_format::aws ||
                    format == policy_source_format::terraform_plan ||
                    format == policy_source_format::terraform_state;
  const auto meant = [&] {
    if (!automatic) return format;
    return json ? sniff_json(text) : sniff_yaml(text);
  };
  const source_file src(text, source_name, !json);
  if (text.size() > detail::iac::max_source_bytes) {
    if (!is_iac(meant())) return hand_through(text, source_name, policy_source_format::policy);
    return failure(src, "iac.too_large",
                   "the document is larger than 64 MiB, ecrlp's limit for infrastructure code", 0);
  }
  if (const auto utf8 = detail::utf8_scan(text); !utf8.valid) {
    if (!is_iac(meant())) return hand_through(text, source_name, policy_source_format::policy);
    const bool utf16 = text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF");
    return failure(src, "iac.encoding",
                   utf16 ? std::string("the document is UTF-16 (it starts with a UTF-16 byte "
                                       "order mark); save it as UTF-8")
                         : "the document is not valid UTF-8 (malformed byte sequence at byte " +
                               std::to_string(utf8.bad_byte) + ")",
                   utf8.bad_byte);
  }
  if (json) return read_json_document(text, source_name, format);
  return read_yaml_document(text, source_name, format);
}

}  // namespace ecrlp
