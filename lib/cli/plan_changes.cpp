// SPDX-License-Identifier: MIT
#include "plan_changes.hpp"

#include <ecrlp/iac.hpp>

#include <algorithm>
#include <ostream>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

/// The document at `path`, its diagnostics (and those of its changes) reported.
std::optional<policy_document> read_sources(const std::string& path, policy_source_format format,
                                            std::ostream& err, int& status) {
  auto doc = load_policy_sources(path, format);
  const auto shown = all_diagnostics(doc);
  report(err, shown);
  status = std::max(status, status_for(shown));
  if (!doc.ok()) {
    status = std::max(status, static_cast<int>(exit_invalid));
    return std::nullopt;
  }
  return std::move(*doc.value);
}

/// The policy of one side of a change, parsed into `out.policies`; nullptr with `skipped` set
/// (and the diagnostics reported) when it cannot be evaluated.
const lifecycle_policy* side_policy(const found_policy& found, std::string_view side,
                                    plan_changes& out, std::string& skipped, std::ostream& err,
                                    int& status) {
  if (!found.evaluable()) {
    const auto it = std::find_if(found.diagnostics.begin(), found.diagnostics.end(),
                                 [](const diagnostic& d) { return d.level == severity::error; });
    if (skipped.empty()) skipped = "the " + std::string(side) + " policy cannot be known: " + it->message;
    status = std::max(status, static_cast<int>(exit_invalid));
    return nullptr;
  }
  auto parsed = parse_found_policy(found);
  report(err, parsed.diagnostics);
  status = std::max(status, status_for(parsed.diagnostics));
  if (!parsed.ok()) {
    if (skipped.empty()) skipped = "the " + std::string(side) + " policy is invalid";
    status = std::max(status, static_cast<int>(exit_invalid));
    return nullptr;
  }
  out.policies.push_back(std::move(*parsed.value));
  return &out.policies.back().policy;
}

/// A change from `before` to `after` (either may be absent), its policies parsed into `out`.
void add_change(std::string address, std::string action, const found_policy* before,
                const found_policy* after, std::string_view before_name,
                std::string_view after_name, plan_changes& out, std::ostream& err, int& status) {
  policy_change c;
  c.address = std::move(address);
  c.action = std::move(action);
  c.repository = after != nullptr && !after->repository.empty() ? after->repository
                 : before != nullptr                            ? before->repository
                                                                : std::string();
  c.before_name = before != nullptr ? std::string(before_name) : std::string("(no policy)");
  c.after_name = after != nullptr ? std::string(after_name) : std::string("(no policy)");
  if (before != nullptr) c.before = side_policy(*before, "old", out, c.skipped, err, status);
  if (after != nullptr) c.after = side_policy(*after, "new", out, c.skipped, err, status);
  if (!c.skipped.empty()) {
    c.before = nullptr;
    c.after = nullptr;
  }
  out.changes.push_back(std::move(c));
}

}  // namespace

std::optional<plan_changes> read_plan_changes(const std::string& path, policy_source_format format,
                                              std::ostream& err, int& status) {
  auto doc = read_sources(path, format, err, status);
  if (!doc) return std::nullopt;
  if (doc->format != policy_source_format::terraform_plan) {
    err << "ecrlp plan-check: " << display_name(path) << " is a " << to_string(doc->format)
        << " document, not a Terraform plan (terraform show -json PLAN); to compare two revisions of "
           "infrastructure code, give --before OLD --after NEW\n";
    status = exit_usage;
    return std::nullopt;
  }
  plan_changes out;
  out.source = display_name(path);
  for (const auto& ch : doc->changes) {
    const bool changes_policy = ch.action == change_action::create ||
                                ch.action == change_action::update ||
                                ch.action == change_action::destroy ||
                                ch.action == change_action::replace;
    if (!changes_policy) {
      ++out.unchanged;  // no-op, read; forget leaves the policy in ECR
      continue;
    }
    const found_policy* before = ch.action == change_action::create ? nullptr
                                 : ch.before                       ? &*ch.before
                                                                   : nullptr;
    const found_policy* after = ch.action == change_action::destroy ? nullptr
                                : ch.after                          ? &*ch.after
                                                                    : nullptr;
    std::string address = ch.address;
    if (!ch.deposed.empty()) address += " (deposed " + ch.deposed + ")";
    add_change(std::move(address), std::string(to_string(ch.action)), before, after, "current",
               "planned", out, err, status);
  }
  return out;
}

std::optional<plan_changes> read_revision_changes(const std::string& before,
                                                  const std::string& after,
                                                  policy_source_format format, std::ostream& err,
                                                  int& status) {
  const auto old_doc = read_sources(before, format, err, status);
  const auto new_doc = read_sources(after, format, err, status);
  if (!old_doc || !new_doc) return std::nullopt;
  plan_changes out;
  out.source = display_name(before) + " -> " + display_name(after);
  const auto find = [](const policy_document& d, const std::string& name) -> const found_policy* {
    const auto it = std::find_if(d.policies.begin(), d.policies.end(),
                                 [&](const found_policy& p) { return p.name == name; });
    return it == d.policies.end() ? nullptr : &*it;
  };
  const std::string old_name = display_name(before);
  const std::string new_name = display_name(after);
  for (const auto& p : new_doc->policies) {
    const found_policy* old = find(*old_doc, p.name);
    if (old != nullptr && old->evaluable() && p.evaluable() && old->text == p.text) {
      ++out.unchanged;
      continue;
    }
    add_change(p.name, old == nullptr ? "create" : "update", old, &p, old_name, new_name, out,
               err, status);
  }
  for (const auto& p : old_doc->policies) {
    if (find(*new_doc, p.name) == nullptr) {
      add_change(p.name, "delete", &p, nullptr, old_name, new_name, out, err, status);
    }
  }
  return out;
}

}  // namespace ecrlp::cli
