// SPDX-License-Identifier: MIT
//
// In-use references matched to a repository's images, and the violations an evaluation makes
// (docs/in-use.md). The references are read by lib/read/in_use_reader.cpp.

#include <ecrlp/in_use.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

namespace ecrlp {
namespace {

/// The registry test of refers_to().
[[nodiscard]] bool registry_applies(const image_reference& ref,
                                    std::string_view registry_id) noexcept {
  if (ref.registry.empty()) return true;
  if (!ref.is_ecr()) return false;
  return registry_id.empty() || ref.registry_id == registry_id;
}

/// The repository test of refers_to().
[[nodiscard]] bool repository_applies(const image_reference& ref,
                                      std::string_view repository_name) noexcept {
  return ref.repository.empty() || repository_name.empty() || ref.repository == repository_name;
}

void sort_unique(std::vector<std::size_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

bool refers_to(const image_reference& ref, std::string_view repository_name,
               std::string_view registry_id, const image& img) noexcept {
  if (!registry_applies(ref, registry_id) || !repository_applies(ref, repository_name)) {
    return false;
  }
  if (!ref.digest.empty()) return img.digest == ref.digest;
  if (ref.tag.empty()) return false;
  return std::find(img.tags.begin(), img.tags.end(), ref.tag) != img.tags.end();
}

std::vector<in_use_match> match_in_use(std::span<const in_use_ref> refs,
                                       std::string_view repository_name,
                                       std::string_view registry_id, std::span<const image> images,
                                       std::span<const index_manifest> indexes) {
  std::vector<in_use_match> out(images.size());
  std::unordered_map<std::string_view, std::size_t> by_digest;
  by_digest.reserve(images.size());
  for (std::size_t i = 0; i < images.size(); ++i) by_digest.emplace(images[i].digest, i);
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_tag;
  bool tags_indexed = false;

  for (std::size_t r = 0; r < refs.size(); ++r) {
    const image_reference& ref = refs[r].ref;
    if (!registry_applies(ref, registry_id) || !repository_applies(ref, repository_name)) {
      continue;
    }
    if (!ref.digest.empty()) {
      if (const auto it = by_digest.find(ref.digest); it != by_digest.end()) {
        out[it->second].refs.push_back(r);
      }
      continue;
    }
    if (ref.tag.empty()) continue;
    if (!tags_indexed) {
      for (std::size_t i = 0; i < images.size(); ++i) {
        for (const auto& t : images[i].tags) {
          auto& holders = by_tag[t];
          if (holders.empty() || holders.back() != i) holders.push_back(i);
        }
      }
      tags_indexed = true;
    }
    if (const auto it = by_tag.find(ref.tag); it != by_tag.end()) {
      for (const std::size_t i : it->second) out[i].refs.push_back(r);
    }
  }

  if (indexes.empty()) return out;
  std::unordered_map<std::string_view, const index_manifest*> manifest_of;
  for (const auto& m : indexes) manifest_of.emplace(m.digest, &m);
  std::vector<std::size_t> stack;
  std::vector<std::size_t> mark(images.size(), images.size());  // the last root that reached it
  for (std::size_t root = 0; root < images.size(); ++root) {
    if (out[root].refs.empty() || !manifest_of.contains(images[root].digest)) continue;
    stack.assign(1, root);
    mark[root] = root;
    while (!stack.empty()) {
      const std::size_t at = stack.back();
      stack.pop_back();
      const auto it = manifest_of.find(images[at].digest);
      if (it == manifest_of.end()) continue;
      for (const std::string& child : it->second->manifests) {
        const auto c = by_digest.find(child);
        if (c == by_digest.end() || mark[c->second] == root) continue;
        mark[c->second] = root;
        out[c->second].through.push_back(root);
        stack.push_back(c->second);
      }
    }
  }
  for (auto& m : out) sort_unique(m.through);
  return out;
}

std::vector<in_use_violation> find_violations(std::span<const in_use_match> matches,
                                              const evaluation_result& result) {
  std::vector<in_use_violation> out;
  for (const std::size_t i : result.order) {
    if (i >= matches.size() || i >= result.decisions.size() || !matches[i].in_use()) continue;
    const image_decision& d = result.decisions[i];
    if (d.action == fate::keep) continue;
    in_use_violation v;
    v.image_index = i;
    v.action = d.action;
    v.rule_priority = d.applied_rule_priority().value_or(0);
    v.related = d.related;
    v.refs = matches[i].refs;
    for (const std::size_t t : matches[i].through) {
      if (t < matches.size())
        v.refs.insert(v.refs.end(), matches[t].refs.begin(), matches[t].refs.end());
    }
    sort_unique(v.refs);
    v.through = matches[i].through;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace ecrlp
