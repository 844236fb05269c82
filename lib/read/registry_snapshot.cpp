// SPDX-License-Identifier: MIT
//
// Registry snapshots (docs/registry-snapshot.md): the loader. Evaluating them is in
// lib/evaluate/registry.cpp.
//
// load_registry   snapshot.json -> list repositories/ -> load each repository (in parallel):
//                 repository.json, lifecycle-policy.json (load_policy), images/page-NNNN.json
//                 (load_inventory), manifests/batch-NNNN.json (load_index_manifests), then the
//                 consistency checks. A repository's problems stay on the repository.
//
// Containment: every path the loader opens is resolved (std::filesystem::canonical, which follows
// every symbolic link) and must lie inside the resolved snapshot directory; files must be regular
// files. So a snapshot cannot make ecrlp read /etc/shadow through a link, or block on a FIFO.
// (A link swapped between the check and the open is outside this threat model: the snapshot's
// owner could as well write the file's contents.)

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/manifest_parser.hpp>
#include <ecrlp/registry.hpp>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "read/json_reader.hpp"
#include "read/registry_files.hpp"

namespace ecrlp {

namespace {

namespace fs = std::filesystem;
using detail::json_kind;
using detail::json_value;
using detail::kind_phrase;

using read::snapshot::json_file;
using read::snapshot::locate_image_mismatch;
using read::snapshot::locate_policy_mismatch;
using read::snapshot::make_diag;
using read::snapshot::make_error;
using read::snapshot::quote;
using read::snapshot::read_json_file;

constexpr std::uintmax_t max_metadata_bytes = std::uintmax_t{1} * 1024 * 1024;
constexpr std::size_t max_repository_name = 256;

void append(std::vector<diagnostic>& to, std::vector<diagnostic>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// ---------------------------------------------------------------------------------------------
// Containment
// ---------------------------------------------------------------------------------------------

/// The resolved snapshot directory, against which every path is checked.
class sandbox {
 public:
  explicit sandbox(fs::path root) : root_(std::move(root)) {}

  enum class kind : unsigned char { file, directory };

  /// Whether `p` exists (as anything; a dangling link counts as existing).
  [[nodiscard]] static bool exists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(p, ec));
  }

  /// Checks that `p` resolves inside the snapshot and is a `want`; else adds an error and returns
  /// false.
  bool check(const fs::path& p, kind want, std::vector<diagnostic>& diags) const {
    const std::string name = p.string();
    std::error_code ec;
    const fs::path resolved = fs::canonical(p, ec);
    if (ec) {
      diags.push_back(make_error("io.read", name, "cannot resolve the path: " + ec.message()));
      return false;
    }
    if (!inside(resolved)) {
      diags.push_back(make_error("registry.symlink", name,
                                 "a symbolic link leads out of the snapshot directory (to " +
                                     quote(resolved.string()) +
                                     "); ecrlp reads no file outside a snapshot"));
      return false;
    }
    const auto status = fs::status(resolved, ec);
    if (ec) {
      diags.push_back(make_error("io.read", name, "cannot read: " + ec.message()));
      return false;
    }
    if (want == kind::directory && !fs::is_directory(status)) {
      diags.push_back(make_error("io.read", name, "is not a directory"));
      return false;
    }
    if (want == kind::file && !fs::is_regular_file(status)) {
      diags.push_back(make_error(
          "io.read", name,
          fs::is_directory(status) ? "is a directory, not a file" : "is not a regular file"));
      return false;
    }
    return true;
  }

 private:
  [[nodiscard]] bool inside(const fs::path& resolved) const {
    auto r = root_.begin();
    auto p = resolved.begin();
    for (; r != root_.end(); ++r, ++p) {
      if (p == resolved.end() || *p != *r) return false;
    }
    return true;
  }

  fs::path root_;
};

// ---------------------------------------------------------------------------------------------
// Small JSON documents: snapshot.json, repository.json (read_json_file: registry_files.cpp)
// ---------------------------------------------------------------------------------------------

/// The optional string member `key` of `obj`: nullopt when absent; an error (and nullopt) when
/// it is not a string.
[[nodiscard]] std::optional<std::string> optional_string(const json_file& f, const json_value& obj,
                                                         std::string_view key,
                                                         std::string_view type_code,
                                                         std::vector<diagnostic>& diags) {
  const json_value* v = obj.find(key);
  if (v == nullptr) return std::nullopt;
  if (v->kind != json_kind::string) {
    diags.push_back(f.error_at(std::string(type_code), detail::pointer_append("", key), *v,
                               std::string(key) + " must be a string, not " + kind_phrase(*v)));
    return std::nullopt;
  }
  return v->text;
}

/// Reads a metadata file that must hold one JSON object (snapshot.json, repository.json):
/// nullopt after an error. `missing` is the diagnostic for a file that does not exist.
[[nodiscard]] std::optional<json_file> read_object_file(const sandbox& box, const fs::path& file,
                                                        diagnostic missing, std::string_view what,
                                                        std::vector<diagnostic>& diags) {
  if (!sandbox::exists(file)) {
    diags.push_back(std::move(missing));
    return std::nullopt;
  }
  if (!box.check(file, sandbox::kind::file, diags)) return std::nullopt;
  json_file f = read_json_file(file, max_metadata_bytes, "registry.syntax", diags);
  if (!f.root) return std::nullopt;
  if (f.root->kind != json_kind::object) {
    diags.push_back(
        f.error_at("registry.type", "", *f.root,
                   std::string(what) + " must be an object, not " + kind_phrase(*f.root)));
    return std::nullopt;
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// ECR's repository name pattern, `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`,
/// 2..256 characters.
[[nodiscard]] bool is_repository_name(std::string_view name) noexcept {
  if (name.size() < 2 || name.size() > max_repository_name) return false;
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  bool after_alnum = false;  // the previous character was [a-z0-9]
  for (const char c : name) {
    if (alnum(c)) {
      after_alnum = true;
    } else if (c == '.' || c == '_' || c == '-' || c == '/') {
      if (!after_alnum) return false;
      after_alnum = false;
    } else {
      return false;
    }
  }
  return after_alnum;
}

/// The directory name of a repository: every "/" written "%2F".
[[nodiscard]] std::string encode_name(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == '/') {
      out += "%2F";
    } else {
      out += c;
    }
  }
  return out;
}

/// The inverse of encode_name for any directory name.
[[nodiscard]] std::string decode_name(std::string_view dir) {
  std::string out;
  for (std::size_t i = 0; i < dir.size(); ++i) {
    if (dir.substr(i, 3) == "%2F") {
      out += '/';
      i += 2;
    } else {
      out += dir[i];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbered files: images/page-NNNN.json, manifests/batch-NNNN.json
// ---------------------------------------------------------------------------------------------

/// The number NNNN of `<prefix>NNNN.json` (four digits, 0001..9999), or 0 when `name` has another
/// shape.
[[nodiscard]] unsigned file_number(std::string_view name, std::string_view prefix) {
  constexpr std::string_view suffix = ".json";
  if (name.size() != prefix.size() + 4 + suffix.size() || !name.starts_with(prefix) ||
      !name.ends_with(suffix)) {
    return 0;
  }
  unsigned n = 0;
  for (const char c : name.substr(prefix.size(), 4)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  return n;
}

[[nodiscard]] std::string numbered_name(std::string_view prefix, unsigned n) {
  std::string digits = std::to_string(n);
  return std::string(prefix) + std::string(4 - std::min<std::size_t>(4, digits.size()), '0') +
         digits + ".json";
}

/// The files `<prefix>0001.json`, `<prefix>0002.json`, ... of `dir`, in number order, checked
/// for containment. Any other `<prefix>*` name, a number 0000 or a gap is an error
/// (registry.numbering); other names are ignored with a warning. Returns nullopt after an error.
[[nodiscard]] std::optional<std::vector<fs::path>> numbered_files(const sandbox& box,
                                                                  const fs::path& dir,
                                                                  std::string_view prefix,
                                                                  std::vector<diagnostic>& diags) {
  std::error_code ec;
  std::map<unsigned, fs::path> found;
  bool ok = true;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    diags.push_back(
        make_error("io.read", dir.string(), "cannot list the directory: " + ec.message()));
    return std::nullopt;
  }
  std::vector<fs::path> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) entries.push_back(it->path());
  if (ec) {
    diags.push_back(
        make_error("io.read", dir.string(), "cannot list the directory: " + ec.message()));
    return std::nullopt;
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    const std::string name = p.filename().string();
    const unsigned n = file_number(name, prefix);
    if (n == 0) {
      if (name.starts_with(prefix)) {
        diags.push_back(make_error("registry.numbering", p.string(),
                                   "the name is not " + std::string(prefix) +
                                       "NNNN.json with four digits from 0001 (e.g. " +
                                       numbered_name(prefix, 1) + ")"));
        ok = false;
      } else {
        diags.push_back(make_diag(severity::warning, "registry.unexpected", p.string(), "",
                                  "not part of the snapshot layout; ignored"));
      }
      continue;
    }
    if (!box.check(p, sandbox::kind::file, diags)) {
      ok = false;
      continue;
    }
    found.emplace(n, p);
  }
  if (found.empty() && ok) {
    diags.push_back(make_error("registry.numbering", (dir / numbered_name(prefix, 1)).string(),
                               "missing: " + dir.filename().string() + "/ holds no " +
                                   std::string(prefix) + "NNNN.json file"));
    return std::nullopt;
  }
  unsigned expected = 1;
  for (const auto& [n, p] : found) {
    if (n != expected) {
      diags.push_back(
          make_error("registry.numbering", (dir / numbered_name(prefix, expected)).string(),
                     "missing: the files are numbered from 0001 without gaps, but " +
                         (expected == 1 ? "the first one is " + numbered_name(prefix, n)
                                        : numbered_name(prefix, expected - 1) + " is followed by " +
                                              numbered_name(prefix, n))));
      ok = false;
      break;
    }
    ++expected;
  }
  if (!ok) return std::nullopt;
  std::vector<fs::path> files;
  files.reserve(found.size());
  for (auto& [n, p] : found) files.push_back(std::move(p));
  return files;
}

// ---------------------------------------------------------------------------------------------
// One repository
// ---------------------------------------------------------------------------------------------

/// repository.json: sets name and registry_id; false after an error.
bool read_repository_json(const sandbox& box, repository_snapshot& repo) {
  auto& diags = repo.diagnostics;
  const fs::path file = repo.directory / "repository.json";
  const auto f = read_object_file(
      box, file,
      make_error("registry.field", file.string(),
                 "missing: every repository directory holds repository.json, its item from "
                 "`aws ecr describe-repositories`"),
      "repository.json (one describe-repositories item)", diags);
  if (!f) return false;
  const json_value& root = *f->root;
  const json_value* name = root.find("repositoryName");
  if (name == nullptr) {
    diags.push_back(f->error_at(
        "registry.field", "", root,
        root.find("repositories") != nullptr
            ? std::string("no repositoryName: this is the whole describe-repositories output; "
                          "repository.json holds one item of its \"repositories\"")
            : std::string("no repositoryName")));
    return false;
  }
  bool ok = true;
  if (name->kind != json_kind::string) {
    diags.push_back(f->error_at("registry.type", "/repositoryName", *name,
                                "repositoryName must be a string, not " + kind_phrase(*name)));
    return false;
  }
  if (!is_repository_name(name->text)) {
    diags.push_back(f->error_at("registry.field", "/repositoryName", *name,
                                "repositoryName " + quote(name->text) +
                                    " is not an ECR repository name (2 to 256 characters: "
                                    "lower-case letters, digits, and . _ - / between them)"));
    return false;
  }
  repo.name = name->text;
  if (const std::string dir = repo.directory.filename().string(); encode_name(repo.name) != dir) {
    diags.push_back(f->error_at("registry.name_mismatch", "/repositoryName", *name,
                                "repositoryName " + quote(repo.name) +
                                    " does not match the directory name " + quote(dir) +
                                    " (expected " + quote(encode_name(repo.name)) + ")"));
    ok = false;
  }
  if (auto id = optional_string(*f, root, "registryId", "registry.type", diags)) {
    repo.registry_id = std::move(*id);
  } else if (root.find("registryId") != nullptr) {
    ok = false;
  }
  return ok;
}

void read_policy(const sandbox& box, repository_snapshot& repo, bool metadata_ok) {
  const fs::path file = repo.directory / "lifecycle-policy.json";
  if (!sandbox::exists(file)) return;
  repo.has_policy_file = true;
  if (!box.check(file, sandbox::kind::file, repo.diagnostics)) return;
  parse_result<parsed_policy> p = load_policy(file);
  append(repo.diagnostics, std::move(p.diagnostics));
  if (!p.value) return;  // the policy's errors are in the diagnostics
  if (metadata_ok) {
    const std::string source = (repo.directory / "repository.json").string();
    if (!p.value->repository_name.empty() && p.value->repository_name != repo.name) {
      repo.diagnostics.push_back(
          locate_policy_mismatch(file, "repositoryName", p.value->repository_name, repo.name,
                                 "registry.name_mismatch", "repositoryName of " + source));
    }
    if (!p.value->registry_id.empty() && !repo.registry_id.empty() &&
        p.value->registry_id != repo.registry_id) {
      repo.diagnostics.push_back(locate_policy_mismatch(file, "registryId", p.value->registry_id,
                                                        repo.registry_id, "registry.id_mismatch",
                                                        "registryId of " + source));
    }
  }
  repo.policy = std::move(p.value);
}

/// The describe-images pages; false when they could not be loaded.
bool read_images(const sandbox& box, repository_snapshot& repo, bool metadata_ok) {
  auto& diags = repo.diagnostics;
  const fs::path dir = repo.directory / "images";
  if (!sandbox::exists(dir)) {
    diags.push_back(make_error("registry.numbering", (dir / "page-0001.json").string(),
                               "missing: every repository has at least one describe-images page "
                               "(with \"imageDetails\": [] when it holds no image)"));
    return false;
  }
  if (!box.check(dir, sandbox::kind::directory, diags)) return false;
  const auto pages = numbered_files(box, dir, "page-", diags);
  if (!pages) return false;
  parse_result<inventory> inv = load_inventory(*pages);
  append(diags, std::move(inv.diagnostics));
  if (!inv.value) return false;

  if (metadata_ok) {
    const std::string source = (repo.directory / "repository.json").string();
    if (!inv.value->repository_name.empty() && inv.value->repository_name != repo.name) {
      diags.push_back(locate_image_mismatch(*pages, "repositoryName", repo.name,
                                            "registry.name_mismatch", inv.value->repository_name,
                                            "repositoryName of " + source));
    }
    if (!inv.value->registry_id.empty() && !repo.registry_id.empty() &&
        inv.value->registry_id != repo.registry_id) {
      diags.push_back(locate_image_mismatch(*pages, "registryId", repo.registry_id,
                                            "registry.id_mismatch", inv.value->registry_id,
                                            "registryId of " + source));
    }
  }
  const std::string registry_of_images = inv.value->registry_id;
  repo.images = std::move(*inv.value);
  repo.images.repository_name = repo.name;
  repo.images.registry_id = repo.registry_id.empty() ? registry_of_images : repo.registry_id;
  return true;
}

void read_manifests(const sandbox& box, repository_snapshot& repo) {
  auto& diags = repo.diagnostics;
  const fs::path dir = repo.directory / "manifests";
  if (sandbox::exists(dir)) {
    if (!box.check(dir, sandbox::kind::directory, diags)) return;
    const auto batches = numbered_files(box, dir, "batch-", diags);
    if (!batches) return;
    parse_result<std::vector<index_manifest>> m = load_index_manifests(*batches);
    append(diags, std::move(m.diagnostics));
    if (!m.value) return;
    repo.images.indexes = std::move(*m.value);
  }
  // Image indexes whose manifest is not in the snapshot: their children stand alone.
  std::unordered_set<std::string_view> known;
  for (const auto& ix : repo.images.indexes) known.insert(ix.digest);
  std::size_t unknown = 0;
  const image* first = nullptr;
  for (const auto& img : repo.images.images) {
    if (img.manifest != manifest_kind::index || known.contains(img.digest)) continue;
    if (first == nullptr) first = &img;
    ++unknown;
  }
  if (first != nullptr) {
    diags.push_back(make_diag(
        severity::warning, "registry.index_unknown", dir.string(), "",
        std::to_string(unknown) + " image index" + (unknown == 1 ? "" : "es") +
            " without a manifest in the snapshot (first: " + detail::shorten(first->digest, 80) +
            "); the images they list are evaluated on their own and may be expired while the "
            "index lives"));
  }
}

[[nodiscard]] repository_snapshot load_repository(const sandbox& box, const fs::path& dir) {
  repository_snapshot repo;
  repo.directory = dir;
  repo.name = decode_name(dir.filename().string());
  if (!box.check(dir, sandbox::kind::directory, repo.diagnostics)) return repo;
  const bool metadata_ok = read_repository_json(box, repo);
  read_policy(box, repo, metadata_ok);
  if (read_images(box, repo, metadata_ok)) read_manifests(box, repo);
  if (repo.images.repository_name.empty()) repo.images.repository_name = repo.name;
  if (repo.images.registry_id.empty()) repo.images.registry_id = repo.registry_id;
  return repo;
}

// ---------------------------------------------------------------------------------------------
// snapshot.json
// ---------------------------------------------------------------------------------------------

/// Reads snapshot.json into `snap`; false after a top-level error.
bool read_snapshot_json(const sandbox& box, const fs::path& dir, registry_snapshot& snap,
                        std::vector<diagnostic>& diags) {
  const fs::path file = dir / "snapshot.json";
  const auto f = read_object_file(
      box, file,
      make_error("registry.not_snapshot", file.string(),
                 dir.string() + " is not an ecrlp registry snapshot: it has no snapshot.json (see "
                                "docs/registry-snapshot.md)"),
      "snapshot.json", diags);
  if (!f) return false;
  const json_value& root = *f->root;
  const json_value* format = root.find("format");
  if (format == nullptr || format->kind != json_kind::string ||
      format->text != registry_snapshot_format) {
    diags.push_back(f->error_at(
        "registry.format", format == nullptr ? "" : "/format", format == nullptr ? root : *format,
        format == nullptr
            ? std::string("no \"format\": this is not an ecrlp registry snapshot")
            : "format is " +
                  (format->kind == json_kind::string ? quote(format->text) : kind_phrase(*format)) +
                  ", not \"" + std::string(registry_snapshot_format) + "\""));
    return false;
  }
  const json_value* version = root.find("version");
  if (version == nullptr || version->kind != json_kind::unsigned_integer ||
      version->unsigned_integer != static_cast<std::uint64_t>(registry_snapshot_version)) {
    std::string what = version == nullptr ? std::string("no \"version\"")
                       : version->kind == json_kind::unsigned_integer
                           ? "version " + std::to_string(version->unsigned_integer) +
                                 " is not one this ecrlp reads"
                           : "version must be a number, not " + kind_phrase(*version);
    diags.push_back(f->error_at(
        "registry.format", version == nullptr ? "" : "/version",
        version == nullptr ? root : *version,
        what + " (it reads version " + std::to_string(registry_snapshot_version) + ")"));
    return false;
  }
  snap.version = registry_snapshot_version;
  bool ok = true;
  const auto text = [&](std::string_view key, std::string& out) {
    if (auto v = optional_string(*f, root, key, "registry.type", diags)) {
      out = std::move(*v);
    } else if (root.find(key) != nullptr) {
      ok = false;
    }
  };
  std::string created;
  text("createdAt", created);
  text("region", snap.region);
  text("repositoryFilter", snap.repository_filter);
  if (const json_value* c = root.find("createdAt"); c != nullptr && c->kind == json_kind::string) {
    snap.created_at = parse_timestamp(created);
    if (!snap.created_at) {
      diags.push_back(f->error_at("registry.field", "/createdAt", *c,
                                  "createdAt " + quote(created) +
                                      " is not a timestamp (ISO-8601, e.g. 2026-11-28T06:00:00Z)"));
      ok = false;
    }
  }
  return ok;
}

}  // namespace

parse_result<registry_snapshot> load_registry(const std::filesystem::path& dir,
                                              const registry_load_options& options) {
  parse_result<registry_snapshot> result;
  auto& diags = result.diagnostics;
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (ec || !fs::exists(status)) {
    diags.push_back(make_error("io.read", dir.string(),
                               "cannot read the snapshot directory: " +
                                   (ec ? ec.message() : std::string("it does not exist"))));
    return result;
  }
  if (!fs::is_directory(status)) {
    diags.push_back(make_error("io.read", dir.string(),
                               "a registry snapshot is a directory (written by "
                               "examples/export-registry.sh), not a file"));
    return result;
  }
  const fs::path root = fs::canonical(dir, ec);
  if (ec) {
    diags.push_back(
        make_error("io.read", dir.string(), "cannot resolve the path: " + ec.message()));
    return result;
  }
  const sandbox box(root);
  registry_snapshot snap;
  snap.directory = dir;
  if (!read_snapshot_json(box, dir, snap, diags)) return result;

  const fs::path repos_dir = dir / "repositories";
  std::vector<fs::path> repo_dirs;
  if (sandbox::exists(repos_dir)) {
    if (!box.check(repos_dir, sandbox::kind::directory, diags)) return result;
    fs::directory_iterator it(repos_dir, ec);
    std::vector<fs::path> entries;
    if (!ec) {
      for (; it != fs::directory_iterator(); it.increment(ec)) entries.push_back(it->path());
    }
    if (ec) {
      diags.push_back(
          make_error("io.read", repos_dir.string(), "cannot list the directory: " + ec.message()));
      return result;
    }
    std::sort(entries.begin(), entries.end());
    for (auto& p : entries) {
      const std::string name = p.filename().string();
      const bool is_dir = fs::is_directory(fs::status(p, ec));
      if (!is_dir || name.starts_with(".")) {
        diags.push_back(
            make_diag(severity::warning, "registry.unexpected", p.string(), "",
                      is_dir ? std::string("a hidden directory is not a repository; ignored")
                             : std::string("not a repository directory; ignored")));
        continue;
      }
      repo_dirs.push_back(std::move(p));
    }
  }

  snap.repositories.resize(repo_dirs.size());
  detail::for_each_repository(repo_dirs.size(), {}, options.threads, [&](std::size_t i) {
    snap.repositories[i] = load_repository(box, repo_dirs[i]);
  });
  std::stable_sort(
      snap.repositories.begin(), snap.repositories.end(),
      [](const repository_snapshot& a, const repository_snapshot& b) { return a.name < b.name; });
  result.value = std::move(snap);
  return result;
}

}  // namespace ecrlp
