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

namespace ecrlp {

namespace detail {
// Defined in lib/read/manifest_parser.cpp.
[[nodiscard]] bool read_bounded_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                     std::string& out, std::vector<diagnostic>& diags);
[[nodiscard]] std::string kind_phrase(const json_value& v);
}  // namespace detail

namespace {

namespace fs = std::filesystem;
using detail::json_kind;
using detail::json_value;
using detail::kind_phrase;

constexpr std::uintmax_t max_metadata_bytes = std::uintmax_t{1} * 1024 * 1024;
/// Only for locating a mismatching repositoryName/registryId in a page or the policy (an error
/// path; beyond it the diagnostic names the file without a pointer).
constexpr std::uintmax_t max_locate_bytes = std::uintmax_t{256} * 1024 * 1024;
constexpr std::size_t max_repository_name = 256;

[[nodiscard]] std::string quote(std::string_view s) { return '"' + detail::shorten(s, 80) + '"'; }

[[nodiscard]] diagnostic make_diag(severity level, std::string code, std::string file,
                                   std::string pointer, std::string message) {
  diagnostic d;
  d.level = level;
  d.code = std::move(code);
  d.file = std::move(file);
  d.pointer = std::move(pointer);
  d.message = std::move(message);
  return d;
}

[[nodiscard]] diagnostic make_error(std::string code, std::string file, std::string message,
                                    std::string pointer = {}) {
  return make_diag(severity::error, std::move(code), std::move(file), std::move(pointer),
                   std::move(message));
}

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
// Small JSON documents: snapshot.json, repository.json
// ---------------------------------------------------------------------------------------------

/// A small JSON file read with json_reader, with its text kept for positions.
struct json_file {
  std::string path;
  std::string text;
  std::optional<json_value> root;

  /// Gives `d` the file, and the line and column of `v`.
  void place(diagnostic& d, const json_value& v) const {
    const auto pos = detail::position_of(text, v.byte);
    d.file = path;
    d.byte = v.byte;
    d.line = pos.line;
    d.column = pos.column;
  }

  [[nodiscard]] diagnostic error_at(std::string code, std::string pointer, const json_value& v,
                                    std::string message) const {
    diagnostic d = make_error(std::move(code), path, std::move(message), std::move(pointer));
    place(d, v);
    return d;
  }
};

/// Reads and parses `path` (at most `max_bytes`); codes of the json_reader become `syntax_code`.
/// root is unset after an error (added to `diags`).
[[nodiscard]] json_file read_json_file(const fs::path& path, std::uintmax_t max_bytes,
                                       std::string_view syntax_code,
                                       std::vector<diagnostic>& diags) {
  constexpr std::size_t max_values = 100'000;
  constexpr std::size_t max_depth = 64;
  json_file f;
  f.path = path.string();
  if (!detail::read_bounded_file(path, max_bytes, f.text, diags)) return f;
  if (const auto utf8 = detail::utf8_scan(f.text); !utf8.valid) {
    diagnostic d = make_error(std::string(syntax_code), f.path,
                              "the file is not valid UTF-8 (malformed byte sequence at byte " +
                                  std::to_string(utf8.bad_byte) + ")");
    json_value at;
    at.byte = utf8.bad_byte;
    f.place(d, at);
    diags.push_back(std::move(d));
    return f;
  }
  detail::json_read_result r = detail::read_json(
      f.text, {.max_depth = max_depth, .max_values = max_values, .deep_root_member = {}});
  for (auto& d : r.diagnostics) {
    d.code = std::string(syntax_code);
    json_value at;
    at.byte = d.byte;
    f.place(d, at);
    diags.push_back(std::move(d));
  }
  if (r.root && !has_errors(r.diagnostics)) f.root = std::move(r.root);
  return f;
}

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
// Consistency checks (error paths: they re-read a file to point at the place)
// ---------------------------------------------------------------------------------------------

/// A SAX handler (constant memory, whatever the page's size) that stops at the first
/// ImageDetail, in `{"imageDetails": [...]}` or a bare array, whose string member `key` is not
/// `expected`.
class mismatch_finder {
 public:
  using json = nlohmann::json;

  mismatch_finder(std::string_view text, const std::size_t* consumed, std::string_view key,
                  std::string_view expected)
      : text_(text), consumed_(consumed), key_(key), expected_(expected) {}

  bool null() { return value(); }
  bool boolean(bool /*unused*/) { return value(); }
  bool number_integer(json::number_integer_t /*unused*/) { return value(); }
  bool number_unsigned(json::number_unsigned_t /*unused*/) { return value(); }
  bool number_float(json::number_float_t /*unused*/, const json::string_t& /*unused*/) {
    return value();
  }
  bool binary(json::binary_t& /*unused*/) { return value(); }
  bool string(json::string_t& v) {
    if (armed_ && v != expected_) {
      found_ = true;
      found_value_ = v;
      item_ = frames_[frames_.size() - 2].count - 1;
      return false;  // stop here
    }
    return value();
  }
  bool start_object(std::size_t /*unused*/) { return open(true); }
  bool start_array(std::size_t /*unused*/) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& k) {
    frames_.back().key = k;
    armed_ = k == key_ && in_image();
    if (armed_) {
      // The value starts after the key's closing quote, blanks and the colon.
      std::size_t i = *consumed_;
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' ||
                                  text_[i] == '\r' || text_[i] == ':')) {
        ++i;
      }
      value_byte_ = i;
    }
    return true;
  }
  bool parse_error(std::size_t /*unused*/, const std::string& /*unused*/,
                   const nlohmann::detail::exception& /*unused*/) {
    return false;
  }

  [[nodiscard]] bool found() const noexcept { return found_; }
  [[nodiscard]] bool bare_array() const noexcept { return bare_; }
  [[nodiscard]] std::size_t item() const noexcept { return item_; }
  [[nodiscard]] std::size_t byte() const noexcept { return value_byte_; }
  [[nodiscard]] const std::string& found_value() const noexcept { return found_value_; }

 private:
  struct frame {
    bool is_object = false;
    std::size_t count = 0;  ///< arrays: elements started so far
    std::string key;        ///< objects: the member being read
  };

  /// The container on top of the stack is an ImageDetail object.
  [[nodiscard]] bool in_image() const {
    if (frames_.size() == 2) return !frames_[0].is_object && frames_[1].is_object;
    return frames_.size() == 3 && frames_[0].is_object && frames_[0].key == "imageDetails" &&
           !frames_[1].is_object && frames_[2].is_object;
  }

  bool value() {
    armed_ = false;
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().count;
    return true;
  }
  bool open(bool is_object) {
    (void)value();
    if (frames_.empty()) bare_ = !is_object;
    frames_.push_back(frame{is_object, 0, {}});
    return true;
  }
  bool close() {
    armed_ = false;
    frames_.pop_back();
    return true;
  }

  std::string_view text_;
  const std::size_t* consumed_;
  std::string_view key_;
  std::string_view expected_;
  std::vector<frame> frames_;
  bool armed_ = false;
  bool bare_ = false;
  bool found_ = false;
  std::size_t item_ = 0;
  std::size_t value_byte_ = 0;
  std::string found_value_;
};

/// Finds the first image in `pages` whose string member `key` differs from `expected` and
/// describes it; falls back to a diagnostic on the first page without a pointer.
[[nodiscard]] diagnostic locate_image_mismatch(std::span<const fs::path> pages,
                                               std::string_view key, std::string_view expected,
                                               std::string code, std::string_view found_value,
                                               std::string_view truth) {
  const std::string message_tail =
      " differs from " + quote(expected) + " (" + std::string(truth) + ")";
  std::string text;
  for (const auto& page : pages) {
    std::vector<diagnostic> ignored;
    if (!detail::read_bounded_file(page, max_locate_bytes, text, ignored)) continue;
    std::size_t consumed = 0;
    mismatch_finder finder(text, &consumed, key, expected);
    const detail::json_reader_impl::counting_iterator first(text.data(), &consumed);
    const detail::json_reader_impl::counting_iterator last(text.data() + text.size(), &consumed);
    try {
      (void)nlohmann::json::sax_parse(first, last, &finder);
    } catch (const nlohmann::json::exception&) {
      continue;  // a safety net: errors are reported through parse_error()
    }
    if (!finder.found()) continue;
    const auto pos = detail::position_of(text, finder.byte());
    diagnostic d = make_error(
        std::move(code), page.string(),
        std::string(key) + " " + quote(finder.found_value()) + message_tail,
        detail::pointer_append(
            detail::pointer_append(finder.bare_array() ? "" : "/imageDetails", finder.item()),
            key));
    d.byte = finder.byte();
    d.line = pos.line;
    d.column = pos.column;
    return d;
  }
  return make_error(std::move(code), pages.empty() ? std::string() : pages.front().string(),
                    std::string(key) + " " + quote(found_value) + " of the images" + message_tail);
}

/// The same for a member of the policy file (get-lifecycle-policy output).
[[nodiscard]] diagnostic locate_policy_mismatch(const fs::path& file, std::string_view key,
                                                std::string_view found_value,
                                                std::string_view expected, std::string code,
                                                std::string_view truth) {
  const std::string message = std::string(key) + " " + quote(found_value) + " differs from " +
                              quote(expected) + " (" + std::string(truth) + ")";
  std::vector<diagnostic> ignored;
  const json_file f = read_json_file(file, max_locate_bytes, "registry.syntax", ignored);
  if (f.root && f.root->kind == json_kind::object) {
    if (const json_value* v = f.root->find(key); v != nullptr) {
      return f.error_at(std::move(code), detail::pointer_append("", key), *v, message);
    }
  }
  return make_error(std::move(code), file.string(), message, detail::pointer_append("", key));
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
