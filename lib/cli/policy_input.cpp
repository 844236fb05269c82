// SPDX-License-Identifier: MIT
#include "policy_input.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

/// The policies the document holds, as `ecrlp CMD FILE#ADDRESS` names them.
void list_addresses(std::ostream& err, std::string_view file, const policy_document& doc) {
  for (const auto& p : doc.policies) {
    err << "  " << file << "#" << (p.name.empty() ? p.address : p.name);
    if (!p.repository.empty()) err << "  (repository " << p.repository << ")";
    err << "\n";
  }
}

/// parse_found_policy() of `found`, reported; the policy when it is usable.
std::optional<sourced_policy> read_found(const found_policy& found, std::string label,
                                         std::ostream& err, int& status) {
  auto parsed = parse_found_policy(found);
  report(err, parsed.diagnostics);
  status = std::max(status, status_for(parsed.diagnostics));
  if (!parsed.ok()) {
    status = std::max(status, static_cast<int>(exit_invalid));
    return std::nullopt;
  }
  sourced_policy p{std::move(label), found.address, found.repository, std::move(*parsed.value)};
  if (p.repository.empty()) p.repository = p.policy.repository_name;
  return p;
}

/// The document `ref` names, its diagnostics reported; nullopt when it cannot be read.
std::optional<policy_document> read_document(const policy_reference& ref,
                                             policy_source_format format, std::ostream& err,
                                             int& status) {
  auto doc = load_policy_sources(ref.file, format);
  // A change the plan describes in a way Terraform does not (iac.unknown_action) makes the
  // whole plan suspect: it is reported, and is fatal, whichever policy is asked for.
  std::vector<diagnostic> shown = doc.diagnostics;
  if (doc.value) {
    for (const auto& c : doc.value->changes) {
      shown.insert(shown.end(), c.diagnostics.begin(), c.diagnostics.end());
    }
  }
  report(err, shown);
  status = std::max(status, status_for(shown));
  if (!doc.ok() || has_errors(shown)) {
    status = std::max(status, static_cast<int>(exit_invalid));
    return std::nullopt;
  }
  return std::move(*doc.value);
}

/// The policies of `doc` that `ref.address` names (all of them without one); nullopt (with the
/// error printed) when the address names none.
std::optional<std::vector<const found_policy*>> select(const policy_reference& ref,
                                                       const policy_document& doc,
                                                       std::ostream& err, int& status) {
  std::vector<const found_policy*> out;
  if (ref.address.empty()) {
    for (const auto& p : doc.policies) out.push_back(&p);
    return out;
  }
  out = find_policies(doc, ref.address);
  if (!out.empty()) return out;
  err << "ecrlp: " << ref.file << " holds no lifecycle policy at '" << ref.address << "'";
  if (doc.policies.empty()) {
    err << " (it holds none)\n";
  } else {
    err << "; it holds:\n";
    list_addresses(err, ref.file, doc);
  }
  status = exit_usage;
  return std::nullopt;
}

std::string label_of(const policy_reference& ref, const found_policy& found) {
  if (found.address.empty()) return ref.file;
  return ref.file + "#" + (found.name.empty() ? found.address : found.name);
}

}  // namespace

policy_reference split_policy_reference(std::string_view arg) {
  std::error_code ec;
  const auto hash = arg.find('#');
  if (hash == std::string_view::npos || arg == "-" ||
      std::filesystem::exists(std::filesystem::path(std::string(arg)), ec)) {
    return {std::string(arg), {}};
  }
  return {std::string(arg.substr(0, hash)), std::string(arg.substr(hash + 1))};
}

policy_source_format policy_format_of(const command_line& cl) {
  const auto f = cl.get("policy-format");
  if (!f || *f == "auto") return policy_source_format::automatic;
  return parse_policy_source_format(*f).value_or(policy_source_format::automatic);
}

std::optional<std::vector<sourced_policy>> load_policies_reporting(std::string_view arg,
                                                                   policy_source_format format,
                                                                   std::ostream& err,
                                                                   int& status) {
  const policy_reference ref = split_policy_reference(arg);
  const auto doc = read_document(ref, format, err, status);
  if (!doc) return std::nullopt;
  const auto chosen = select(ref, *doc, err, status);
  if (!chosen) return std::nullopt;
  std::vector<sourced_policy> out;
  for (const found_policy* f : *chosen) {
    if (auto p = read_found(*f, label_of(ref, *f), err, status)) out.push_back(std::move(*p));
  }
  if (!ref.address.empty() && out.empty()) return std::nullopt;
  return out;
}

std::optional<sourced_policy> load_one_policy_reporting(std::string_view arg,
                                                        policy_source_format format,
                                                        std::string_view command,
                                                        std::ostream& err, int& status) {
  const policy_reference ref = split_policy_reference(arg);
  const auto doc = read_document(ref, format, err, status);
  if (!doc) return std::nullopt;
  const auto chosen = select(ref, *doc, err, status);
  if (!chosen) return std::nullopt;
  if (chosen->empty()) {
    err << "ecrlp " << command << ": " << ref.file << " holds no lifecycle policy\n";
    status = std::max(status, static_cast<int>(exit_invalid));
    return std::nullopt;
  }
  if (chosen->size() > 1) {
    err << "ecrlp " << command << ": " << ref.file << " holds " << chosen->size()
        << " lifecycle policies; name one as FILE#ADDRESS:\n";
    list_addresses(err, ref.file, *doc);
    status = exit_usage;
    return std::nullopt;
  }
  auto p = read_found(*chosen->front(), label_of(ref, *chosen->front()), err, status);
  if (p && !ref.address.empty()) p->label = std::string(arg);
  return p;
}

}  // namespace ecrlp::cli
