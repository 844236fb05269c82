// SPDX-License-Identifier: MIT
//
// load_policy_sources: a file (or a pipe: `--policy <(terraform show -json plan)`), or a
// `cdk synth` output directory, read into one policy_document.

#include <ecrlp/iac.hpp>

#include "read/iac/iac_read.hpp"
#include "read/input.hpp"

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <cstdint>
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
  std::optional<read::input_text> content;  ///< the text, when it could be read within the limit
  bool too_large = false;                   ///< above the limit (no diagnostic recorded)
  std::string head;  ///< then, the first bytes of a regular file (to tell what the file is)
};

/// The wording of the io.* diagnostics: load_policy()'s, with this reader's limit.
[[nodiscard]] std::string io_wording(const read::input_failure& failure, std::string_view name) {
  return read::named_file_wording(failure, name,
                                  " is larger than 64 MiB, ecrlp's limit for infrastructure code");
}

/// The text of `path` ("-": standard input), at most `limit` bytes, through lib/read/input (the
/// one place files are read). A file that cannot be read gets an io.* diagnostic; one above the
/// limit none (the caller names its limit, which depends on what the file is: `head`).
[[nodiscard]] file_read read_file(const fs::path& path, std::size_t limit,
                                  std::vector<diagnostic>& out) {
  constexpr std::size_t head_bytes = std::size_t{64} * 1024;
  file_read r;
  read::input_failure failure;
  auto file = read::input_file::open(path, {.max_bytes = limit}, failure);
  if (file) {
    read::input_text text;
    if (file->read_all(text, failure)) {
      r.content = std::move(text);
      return r;
    }
  }
  if (failure.problem != read::input_problem::too_large &&
      failure.problem != read::input_problem::grew) {
    out.push_back(read::io_diagnostic(failure, read::input_name(path), io_wording));
    return r;
  }
  r.too_large = true;
  // A regular file over the limit: its first bytes tell a policy file from infrastructure code.
  auto whole = read::input_file::open(path, {.max_bytes = UINTMAX_MAX, .while_reading = false},
                                      failure);
  if (whole && whole->regular()) {
    r.head.resize(std::min(head_bytes, whole->size()));
    r.head.resize(whole->read_at(0, r.head.data(), r.head.size()));
  }
  return r;
}

/// The `io.too_large` of a file above its limit: load_policy()'s for a policy file (one whose
/// first bytes are no infrastructure code), else this reader's.
[[nodiscard]] diagnostic too_large(const std::string& name, const file_read& r,
                                   policy_source_format format) {
  const bool policy_file =
      format == policy_source_format::policy || format == policy_source_format::aws ||
      (format == policy_source_format::automatic && !r.head.empty() &&
       !detail::iac::looks_like_iac(r.head));  // no head: a pipe over the larger limit
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
    auto one = parse_policy_sources(r.content->view(), f.string(),
                                    policy_source_format::cloudformation);
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
  const std::string name = read::input_name(file_or_dir);
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
  result = parse_policy_sources(r.content->view(), name, format);
  if (result.value && r.content->view().size() > max_policy_file_bytes &&
      (result.value->format == policy_source_format::policy ||
       result.value->format == policy_source_format::aws)) {
    result.value.reset();
    result.diagnostics.assign(1, too_large(name, file_read{}, policy_source_format::policy));
  }
  return result;
}

}  // namespace ecrlp
