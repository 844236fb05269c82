// SPDX-License-Identifier: MIT
//
// load_policy_sources: a file (or a pipe: `--policy <(terraform show -json plan)`), or a
// `cdk synth` output directory, read into one policy_document.

#include <ecrlp/iac.hpp>

#include "read/iac/iac_read.hpp"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace ecrlp {
namespace {

namespace fs = std::filesystem;

/// load_policy()'s limit, applied to a file found to be a policy file of its own.
constexpr std::size_t max_policy_file_bytes = std::size_t{16} * 1024 * 1024;
/// Templates read from one cdk.out directory.
constexpr std::size_t max_templates = 10'000;
/// Nesting of `assembly-*` directories (CDK stages) followed in a cdk.out directory.
constexpr int max_assembly_depth = 8;

[[nodiscard]] diagnostic file_error(std::string code, std::string message, std::string file) {
  diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.file = std::move(file);
  return d;
}

/// What read_file() read.
struct file_read {
  std::optional<std::string> content;  ///< the bytes, when they could be read within the limit
  bool too_large = false;              ///< above the limit (no diagnostic recorded)
  std::string head;                    ///< then, the first bytes (to tell what the file is)
};

/// The bytes of `path` (at most `limit`); a file that cannot be read gets an `io.read`
/// diagnostic, one above the limit none (the caller names its limit).
[[nodiscard]] file_read read_file(const fs::path& path, std::size_t limit,
                                  std::vector<diagnostic>& out) {
  constexpr std::size_t head_bytes = std::size_t{64} * 1024;
  const std::string name = path.string();
  file_read r;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec) {
    out.push_back(file_error("io.read", "cannot read " + name + ": " + ec.message(), name));
    return r;
  }
  if (fs::is_directory(status)) {
    out.push_back(file_error("io.read", "cannot read " + name + ": it is a directory", name));
    return r;
  }
  std::size_t want = std::numeric_limits<std::size_t>::max();
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > limit) {
      r.too_large = true;
      want = head_bytes;  // read the head only
    }
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (r.too_large) return r;
    out.push_back(file_error(
        "io.read", "cannot open " + name + ": " + std::generic_category().message(errno), name));
    return r;
  }
  std::string content;
  std::vector<char> buffer(std::size_t{64} * 1024);
  while (content.size() < want &&
         (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)) {
    content.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (content.size() > limit) r.too_large = true;
    if (r.too_large) break;
  }
  if (r.too_large) {
    r.head = content.substr(0, head_bytes);
    return r;
  }
  if (in.bad()) {
    out.push_back(file_error("io.read", "error while reading " + name, name));
    return r;
  }
  r.content = std::move(content);
  return r;
}

/// The `io.too_large` of a file above its limit: load_policy()'s for a policy file (one whose
/// first bytes are no infrastructure code), else this reader's.
[[nodiscard]] diagnostic too_large(const std::string& name, const file_read& r,
                                   policy_source_format format) {
  const bool policy_file =
      format == policy_source_format::policy || format == policy_source_format::aws ||
      (format == policy_source_format::automatic && !detail::iac::looks_like_iac(r.head));
  // What load_policy() says of such a file (lib/read/policy_parser.cpp).
  if (policy_file) {
    return file_error("io.too_large",
                      name + " is larger than 16 MiB; no lifecycle policy document is that big",
                      name);
  }
  return file_error("io.too_large",
                    name + " is larger than 64 MiB, ecrlp's limit for infrastructure code", name);
}

/// The `*.template.json` files of a cdk.out directory and of its `assembly-*` directories, in
/// name order (a stage's directory where its name sorts).
void collect_templates(const fs::path& dir, int depth, std::vector<fs::path>& files,
                       std::vector<diagnostic>& out) {
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec) {
    out.push_back(
        file_error("io.read", "cannot read " + dir.string() + ": " + ec.message(), dir.string()));
    return;
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.path().filename().string() < b.path().filename().string();
  });
  for (const auto& e : entries) {
    if (files.size() > max_templates) return;
    const std::string name = e.path().filename().string();
    if (name.ends_with(".template.json") && e.is_regular_file(ec)) {
      files.push_back(e.path());
    } else if (name.starts_with("assembly-") && depth < max_assembly_depth && !e.is_symlink(ec) &&
               e.is_directory(ec)) {
      collect_templates(e.path(), depth + 1, files, out);
    }
  }
}

[[nodiscard]] parse_result<policy_document> load_cdk_out(const fs::path& dir) {
  parse_result<policy_document> result;
  std::vector<fs::path> files;
  collect_templates(dir, 0, files, result.diagnostics);
  if (has_errors(result.diagnostics)) return result;
  const std::string name = dir.string();
  if (files.empty()) {
    result.diagnostics.push_back(file_error(
        "iac.no_templates",
        name + " is a directory without *.template.json files (ecrlp reads a directory as the "
               "cdk.out directory `cdk synth` writes)",
        name));
    return result;
  }
  if (files.size() > max_templates) {
    result.diagnostics.push_back(
        file_error("iac.too_large", name + " holds more than 10,000 templates", name));
    return result;
  }
  policy_document doc;
  doc.format = policy_source_format::cloudformation;
  for (const auto& f : files) {
    const file_read r = read_file(f, detail::iac::max_source_bytes, result.diagnostics);
    if (r.too_large) {
      result.diagnostics.push_back(too_large(f.string(), r, policy_source_format::cloudformation));
    }
    if (!r.content) continue;
    auto one = parse_policy_sources(*r.content, f.string(), policy_source_format::cloudformation);
    result.diagnostics.insert(result.diagnostics.end(), one.diagnostics.begin(),
                              one.diagnostics.end());
    if (!one.value) continue;
    doc.files.push_back(f.string());
    for (auto& p : one.value->policies) doc.policies.push_back(std::move(p));
  }
  if (!has_errors(result.diagnostics)) result.value = std::move(doc);
  return result;
}

}  // namespace

parse_result<policy_document> load_policy_sources(const std::filesystem::path& file_or_dir,
                                                  policy_source_format format) {
  const std::string name = file_or_dir.string();
  std::error_code ec;
  if (fs::is_directory(file_or_dir, ec) && (format == policy_source_format::automatic ||
                                            format == policy_source_format::cloudformation)) {
    return load_cdk_out(file_or_dir);
  }
  const bool policy_file =
      format == policy_source_format::policy || format == policy_source_format::aws;
  parse_result<policy_document> result;
  const file_read r =
      read_file(file_or_dir, policy_file ? max_policy_file_bytes : detail::iac::max_source_bytes,
                result.diagnostics);
  if (r.too_large) result.diagnostics.push_back(too_large(name, r, format));
  if (!r.content) return result;
  result = parse_policy_sources(*r.content, name, format);
  if (result.value && r.content->size() > max_policy_file_bytes &&
      (result.value->format == policy_source_format::policy ||
       result.value->format == policy_source_format::aws)) {
    result.value.reset();
    result.diagnostics.assign(1, too_large(name, file_read{}, policy_source_format::policy));
  }
  return result;
}

}  // namespace ecrlp
