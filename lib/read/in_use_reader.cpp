// SPDX-License-Identifier: MIT
//
// In-use files (docs/in-use.md): image references, the text and JSON documents that list them,
// matching them to a repository's images, and violations.
//
// JSON is read with nlohmann's SAX interface, never into a DOM: a `kubectl get pods -A -o json` of
// a large cluster is hundreds of megabytes, of which only a few strings per pod matter. The
// handler keeps the strings found at the places a reference can be (every known shape at once,
// with the byte where each starts) and a little about the root; when the document ends, the root
// says which shape it is and only that shape's strings are parsed as references.

#include <ecrlp/in_use.hpp>
#include <ecrlp/validate.hpp>

#include "support/memory.hpp"
#include "support/text.hpp"
#include "read/json_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ecrlp {
namespace {

constexpr std::uintmax_t max_file_bytes = std::uintmax_t{1} << 30;  // 1 GiB
constexpr std::size_t max_references = 1'000'000;
constexpr std::size_t max_errors = 100;
constexpr std::size_t max_depth = 512;
constexpr std::size_t max_reference_length = 1024;
constexpr std::size_t max_repository_length = 256;  // ECR's repositoryName
constexpr std::size_t max_tag_length = 300;         // ECR's ImageTag
constexpr std::size_t max_listed_members = 12;      // root member names quoted in a message

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

[[nodiscard]] constexpr bool is_lower_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
[[nodiscard]] constexpr bool is_alnum(char c) noexcept {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}
[[nodiscard]] constexpr bool is_hex(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
[[nodiscard]] constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// Docker's path component: `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
[[nodiscard]] bool valid_path_component(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto alnum_run = [&] {
    const std::size_t start = i;
    while (i < s.size() && is_lower_alnum(s[i])) ++i;
    return i > start;
  };
  if (!alnum_run()) return false;
  while (i < s.size()) {
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_') ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!alnum_run()) return false;
  }
  return true;
}

/// A tag: `[A-Za-z0-9_][A-Za-z0-9_.-]*`, 1..300 characters (Docker's characters, ECR's length).
[[nodiscard]] bool valid_tag(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_tag_length) return false;
  if (!is_alnum(s[0]) && s[0] != '_') return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

/// A registry host: DNS labels separated by '.', or a bracketed IPv6 address, then an optional
/// `:port`.
[[nodiscard]] bool valid_host(std::string_view s) noexcept {
  std::string_view name = s;
  if (const std::size_t colon = s.rfind(':');
      colon != std::string_view::npos && (s.front() != '[' || colon > s.find(']'))) {
    const std::string_view port = s.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) {
      return false;
    }
    unsigned number = 0;
    for (const char c : port) number = number * 10 + static_cast<unsigned>(c - '0');
    if (number > 65535) return false;
    name = s.substr(0, colon);
  }
  if (name.empty()) return false;
  if (name.front() == '[') {
    if (name.back() != ']' || name.size() < 4) return false;
    return std::all_of(name.begin() + 1, name.end() - 1, [](char c) {
      return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
             c == '.';
    });
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t dot = std::min(name.find('.', start), name.size());
    const std::string_view label = name.substr(start, dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) {
      return false;
    }
    start = dot + 1;
  }
  return true;
}

/// Docker: the first component names a host when it contains '.' or ':', is "localhost", or has
/// an upper-case letter.
[[nodiscard]] bool looks_like_host(std::string_view first) noexcept {
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
         std::any_of(first.begin(), first.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

/// Splits "a.b.c" into labels.
[[nodiscard]] std::vector<std::string_view> labels_of(std::string_view host) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    out.push_back(host.substr(start, dot - start));
    start = dot + 1;
  }
  return out;
}

/// Fills registry_id and region when `ref.registry` is an ECR registry host:
/// `<12 digits>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]` or `<12
/// digits>.dkr-ecr.<region>.on.aws` (the dual-stack endpoint), in any letter case, with or without
/// a port.
void recognise_ecr_host(image_reference& ref) {
  std::string host = ref.registry.substr(0, ref.registry.find(':'));
  std::transform(host.begin(), host.end(), host.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const std::vector<std::string_view> l = labels_of(host);
  if (l.size() < 5) return;
  const bool account = l[0].size() == 12 && std::all_of(l[0].begin(), l[0].end(), is_digit);
  const auto region_like = [](std::string_view r) {
    return !r.empty() &&
           std::all_of(r.begin(), r.end(), [](char c) { return is_lower_alnum(c) || c == '-'; });
  };
  if (!account) return;
  const bool classic = l[1] == "dkr" && (l[2] == "ecr" || l[2] == "ecr-fips") &&
                       region_like(l[3]) && l.size() >= 6 && l[4] == "amazonaws" && l[5] == "com" &&
                       (l.size() == 6 || (l.size() == 7 && l[6] == "cn"));
  const bool dual_stack =
      l.size() == 5 && l[1] == "dkr-ecr" && region_like(l[2]) && l[3] == "on" && l[4] == "aws";
  if (classic) {
    ref.registry_id = std::string(l[0]);
    ref.region = std::string(l[3]);
  } else if (dual_stack) {
    ref.registry_id = std::string(l[0]);
    ref.region = std::string(l[2]);
  }
}

/// Why `d` is not a digest, or "" when it is one: `sha256:<64 lower-case hex>` or
/// `sha512:<128 lower-case hex>`.
[[nodiscard]] std::string digest_problem(std::string_view d) {
  const std::size_t colon = d.find(':');
  const std::string_view algorithm = d.substr(0, colon);
  std::size_t want = 0;
  if (algorithm == "sha256") {
    want = 64;
  } else if (algorithm == "sha512") {
    want = 128;
  } else {
    return "the digest \"" + detail::shorten(d) + "\" does not start with sha256: or sha512:";
  }
  const std::string_view hex =
      colon == std::string_view::npos ? std::string_view{} : d.substr(colon + 1);
  if (hex.size() != want || !std::all_of(hex.begin(), hex.end(), is_hex)) {
    return "the digest \"" + detail::shorten(d) + "\" is not " + std::string(algorithm) + ": and " +
           std::to_string(want) + " lower-case hexadecimal digits";
  }
  return {};
}

[[nodiscard]] parse_result<image_reference> reference_error(std::string message) {
  parse_result<image_reference> r;
  r.diagnostics.push_back(detail::make_error("in_use.reference", "", std::move(message)));
  return r;
}

}  // namespace

parse_result<image_reference> parse_image_reference(std::string_view text) {
  if (text.empty()) return reference_error("the reference is empty");
  if (text.size() > max_reference_length) {
    return reference_error("the reference \"" + detail::shorten(text) + "\" is longer than " +
                           std::to_string(max_reference_length) + " bytes");
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c >= 0x7F) {
      return reference_error(
          "the reference \"" + detail::printable_utf8(detail::shorten(text)) + "\" holds " +
          (c == ' ' || c == '\t' ? std::string("white space")
           : c >= 0x80           ? std::string("a non-ASCII character")
                                 : std::string("a control character")) +
          " at byte " + std::to_string(i + 1) + "; write one reference per line");
    }
  }
  const std::string quoted = "\"" + detail::shorten(text) + "\"";
  image_reference ref;

  // A bare digest (Docker would read "sha256:..." as repository "sha256" with a tag).
  if ((text.starts_with("sha256:") || text.starts_with("sha512:")) &&
      text.find_first_of("/@") == std::string_view::npos) {
    if (std::string why = digest_problem(text); !why.empty()) return reference_error(why);
    ref.digest = std::string(text);
    return {std::move(ref), {}};
  }

  std::string_view name = text;
  if (const std::size_t at = text.find('@'); at != std::string_view::npos) {
    const std::string_view digest = text.substr(at + 1);
    name = text.substr(0, at);
    if (name.empty()) return reference_error(quoted + " names nothing before '@'");
    if (digest.find('@') != std::string_view::npos) {
      return reference_error(quoted + " holds more than one '@'");
    }
    if (std::string why = digest_problem(digest); !why.empty()) {
      return reference_error(quoted + ": " + why);
    }
    ref.digest = std::string(digest);
  }
  const std::size_t last_slash = name.rfind('/');
  if (const std::size_t colon = name.rfind(':');
      colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    const std::string_view tag = name.substr(colon + 1);
    if (!valid_tag(tag)) {
      return reference_error(quoted + ": the tag \"" + detail::shorten(tag) +
                             "\" is not 1 to 300 letters, digits, '_', '.' or '-' (not starting "
                             "with '.' or '-')");
    }
    ref.tag = std::string(tag);
    name = name.substr(0, colon);
  }
  if (const std::size_t slash = name.find('/'); slash != std::string_view::npos) {
    const std::string_view first = name.substr(0, slash);
    if (looks_like_host(first)) {
      if (!valid_host(first)) {
        return reference_error(quoted + ": \"" + detail::shorten(first) +
                               "\" is not a registry host (DNS name or [IPv6], optional :port)");
      }
      ref.registry = std::string(first);
      name = name.substr(slash + 1);
    }
  }
  if (name.empty()) return reference_error(quoted + " names no repository");
  if (name.size() > max_repository_length) {
    return reference_error(quoted + ": the repository name is longer than 256 characters");
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t slash = std::min(name.find('/', start), name.size());
    const std::string_view component = name.substr(start, slash - start);
    if (!valid_path_component(component)) {
      return reference_error(
          quoted + ": \"" + detail::shorten(component) +
          "\" is not a repository path component (lower-case letters and digits, separated by "
          "'.', '_', '__' or dashes)");
    }
    start = slash + 1;
  }
  ref.repository = std::string(name);
  if (ref.tag.empty() && ref.digest.empty()) {
    ref.tag = "latest";
    ref.tag_implied = true;
  }
  if (!ref.registry.empty()) recognise_ecr_host(ref);
  return {std::move(ref), {}};
}

namespace {

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/// The JSON shapes whose strings the reader keeps.
enum class shape : unsigned char {
  array,           ///< [ "ref", ... ]
  kube_list,       ///< {"items": [ {pod or workload}, ... ]}
  kube_object,     ///< one pod or workload: {"kind": ..., "spec": {...}}
  ecs_definition,  ///< {"taskDefinition": {"containerDefinitions": [...]}}
  ecs_bare,        ///< {"containerDefinitions": [...]}
  ecs_tasks        ///< {"tasks": [ {"containers": [...]} ]}
};

/// What a kept string is.
enum class role : unsigned char {
  reference,    ///< an image reference (spec image, ECS image, array element)
  image_id,     ///< kubelet's imageID: an optional `scheme://`, then a reference with a digest
  image_digest  ///< ECS describe-tasks imageDigest: a digest of its container's image
};

/// A value found where a reference belongs.
struct candidate {
  shape where = shape::array;
  role what = role::reference;
  bool is_string = true;  ///< false: a value of another type (`type` names it)
  std::string_view type;
  std::string value;
  std::string pointer;
  std::string container;  ///< ECS: pointer of the container object, to pair image and imageDigest
  std::size_t byte = 0;
};

/// One level of the path being read.
struct frame {
  bool is_object = false;
  std::string key;        ///< objects: the member being read
  std::size_t count = 0;  ///< arrays: elements started so far
};

/// The SAX handler.
class collector {
 public:
  using json = nlohmann::json;

  collector(std::string_view text, const std::size_t* consumed) : text_(text), consumed_(consumed) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") last_end_ = 3;
  }

  bool null() { return value(null_type); }
  bool boolean(bool /*unused*/) { return value("a boolean"); }
  bool number_integer(json::number_integer_t /*unused*/) { return value("a number"); }
  bool number_unsigned(json::number_unsigned_t /*unused*/) { return value("a number"); }
  bool number_float(json::number_float_t /*unused*/, const json::string_t& /*unused*/) {
    return value("a number");
  }
  bool binary(json::binary_t& /*unused*/) { return true; }
  bool string(json::string_t& v) {
    const std::size_t at = start_value();
    return keep(at, true, "a string", &v);
  }
  bool start_object(std::size_t /*unused*/) { return open(true); }
  bool start_array(std::size_t /*unused*/) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& k) {
    (void)start_value();
    frames_.back().key = std::move(k);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& e) {
    std::string_view what = e.what();
    const std::size_t column = what.find("column ");
    const std::size_t colon = column == std::string_view::npos ? column : what.find(": ", column);
    if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
    error_ =
        detail::make_error("in_use.syntax", "", detail::shorten(detail::printable_utf8(what), 400));
    error_->byte = std::min(position > 0 ? position - 1 : 0, text_.size());
    return false;
  }

  // --- what was read ---------------------------------------------------------------------------
  std::optional<diagnostic>& error() noexcept { return error_; }
  std::vector<candidate>& candidates() noexcept { return candidates_; }
  /// 'o' object, 'a' array, 's' scalar, 0 nothing.
  [[nodiscard]] char root_type() const noexcept { return root_type_; }
  /// The type ('o' object, 'a' array, 's' other) of the root member `name`, 0 when absent;
  /// for the members that tell a shape (see shape_members).
  [[nodiscard]] char root_member(std::string_view name) const noexcept {
    for (const auto& [n, t] : shape_members_) {
      if (n == name) return t;
    }
    return 0;
  }
  /// The first root member names, for messages (at most max_listed_members).
  [[nodiscard]] const std::vector<std::string>& root_names() const noexcept { return root_names_; }
  /// Root members in all.
  [[nodiscard]] std::size_t root_member_count() const noexcept { return root_member_count_; }

 private:
  static constexpr std::string_view null_type = "null";

  /// Offset of the value or key just read (see json_reader.hpp, builder::value_start).
  std::size_t start_value() {
    std::size_t i = last_end_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' ||
                                text_[i] == '\r' || text_[i] == ',' || text_[i] == ':')) {
      ++i;
    }
    last_end_ = *consumed_;
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().count;
    return i;
  }

  [[nodiscard]] std::string pointer() const {
    std::string p;
    for (const frame& f : frames_) {
      p = f.is_object ? detail::pointer_append(p, f.key) : detail::pointer_append(p, f.count - 1);
    }
    return p;
  }

  // Path tests. Token i of the current path is frames_[i]: a key for objects, an index for arrays.
  [[nodiscard]] bool key_is(std::size_t i, std::string_view k) const noexcept {
    return i < frames_.size() && frames_[i].is_object && frames_[i].key == k;
  }
  [[nodiscard]] bool is_index(std::size_t i) const noexcept {
    return i < frames_.size() && !frames_[i].is_object;
  }

  /// `containers|initContainers|ephemeralContainers / # / image` from token p to the end.
  [[nodiscard]] bool containers_at(std::size_t p) const noexcept {
    return frames_.size() == p + 3 &&
           (key_is(p, "containers") || key_is(p, "initContainers") ||
            key_is(p, "ephemeralContainers")) &&
           is_index(p + 1) && key_is(p + 2, "image");
  }

  /// A pod's (or a pod template's) image or imageID, from token p to the end.
  [[nodiscard]] std::optional<role> pod_at(std::size_t p) const noexcept {
    if (key_is(p, "spec")) {
      const std::size_t q = p + 1;
      if (containers_at(q)) return role::reference;
      if (key_is(q, "template") && key_is(q + 1, "spec") && containers_at(q + 2)) {
        return role::reference;
      }
      if (key_is(q, "jobTemplate") && key_is(q + 1, "spec") && key_is(q + 2, "template") &&
          key_is(q + 3, "spec") && containers_at(q + 4)) {
        return role::reference;
      }
      return std::nullopt;
    }
    if (key_is(p, "status") && frames_.size() == p + 4 &&
        (key_is(p + 1, "containerStatuses") || key_is(p + 1, "initContainerStatuses") ||
         key_is(p + 1, "ephemeralContainerStatuses")) &&
        is_index(p + 2) && key_is(p + 3, "imageID")) {
      return role::image_id;
    }
    return std::nullopt;
  }

  /// Which shape and role the current path has, if any.
  [[nodiscard]] std::optional<std::pair<shape, role>> classify() const noexcept {
    const std::size_t n = frames_.size();
    if (n == 0 || n > 11) return std::nullopt;
    if (n == 1 && is_index(0)) return std::pair{shape::array, role::reference};
    if (key_is(0, "items") && is_index(1)) {
      if (const auto r = pod_at(2)) return std::pair{shape::kube_list, *r};
    }
    if (const auto r = pod_at(0)) return std::pair{shape::kube_object, *r};
    if (n == 4 && key_is(0, "taskDefinition") && key_is(1, "containerDefinitions") && is_index(2) &&
        key_is(3, "image")) {
      return std::pair{shape::ecs_definition, role::reference};
    }
    if (n == 3 && key_is(0, "containerDefinitions") && is_index(1) && key_is(2, "image")) {
      return std::pair{shape::ecs_bare, role::reference};
    }
    if (n == 5 && key_is(0, "tasks") && is_index(1) && key_is(2, "containers") && is_index(3)) {
      if (key_is(4, "image")) return std::pair{shape::ecs_tasks, role::reference};
      if (key_is(4, "imageDigest")) return std::pair{shape::ecs_tasks, role::image_digest};
    }
    return std::nullopt;
  }

  /// Records the value at the current path when a reference belongs there.
  bool keep(std::size_t at, bool is_string, std::string_view type, std::string* text) {
    note_root_member(type == "an object" ? 'o' : type == "an array" ? 'a' : 's');
    const auto kind = classify();
    if (!kind) return true;
    // null is an absent field in Kubernetes and ECS output, but no reference in an array.
    if (type == null_type && kind->first != shape::array) return true;
    if (candidates_.size() >= max_references) {
      error_ = detail::make_error("in_use.limit", pointer(),
                                  "the document holds more than " +
                                      detail::group_digits(max_references) + " image references");
      error_->byte = at;
      return false;
    }
    candidate c;
    c.where = kind->first;
    c.what = kind->second;
    c.is_string = is_string;
    c.type = type;
    if (text != nullptr) c.value = std::move(*text);
    c.pointer = pointer();
    if (c.where == shape::ecs_tasks) {
      c.container = c.pointer.substr(0, c.pointer.rfind('/'));
    }
    c.byte = at;
    candidates_.push_back(std::move(c));
    return true;
  }

  bool value(std::string_view type) {
    const std::size_t at = start_value();
    if (frames_.empty()) root_type_ = 's';
    return keep(at, false, type, nullptr);
  }

  void note_root_member(char type) {
    if (frames_.size() != 1 || !frames_[0].is_object) return;
    const std::string& name = frames_[0].key;
    ++root_member_count_;
    if (root_names_.size() < max_listed_members) root_names_.push_back(detail::shorten(name));
    for (auto& [n, t] : shape_members_) {
      if (n == name && t == 0) t = type;  // of a repeated key, the first occurrence
    }
  }

  bool open(bool is_object) {
    const std::size_t at = start_value();
    if (frames_.empty()) {
      root_type_ = is_object ? 'o' : 'a';
    } else if (!keep(at, false, is_object ? "an object" : "an array", nullptr)) {
      return false;
    }
    frame f;
    f.is_object = is_object;
    frames_.push_back(std::move(f));
    if (frames_.size() > max_depth) {
      error_ = detail::make_error(
          "in_use.syntax", pointer(),
          "arrays and objects are nested more than " + std::to_string(max_depth) + " levels deep");
      error_->byte = at;
      return false;
    }
    return true;
  }

  bool close() {
    last_end_ = *consumed_;
    frames_.pop_back();
    return true;
  }

  std::string_view text_;
  const std::size_t* consumed_;
  std::size_t last_end_ = 0;
  std::vector<frame> frames_;
  std::vector<candidate> candidates_;
  std::optional<diagnostic> error_;
  char root_type_ = 0;
  std::pair<std::string_view, char> shape_members_[6] = {
      {"items", 0}, {"tasks", 0}, {"taskDefinition", 0}, {"containerDefinitions", 0},
      {"spec", 0},  {"kind", 0}};
  std::vector<std::string> root_names_;
  std::size_t root_member_count_ = 0;
};

/// Collects the diagnostics of one document, placed in it, up to max_errors errors.
class diagnostics_sink {
 public:
  diagnostics_sink(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  /// Adds `d` (with `byte` set) unless the error limit was reached; false once it is.
  bool add(diagnostic d) {
    if (full_) return false;
    if (d.level == severity::error && ++errors_ > max_errors) {
      full_ = true;
      d = detail::make_error("in_use.limit", "",
                             "more than " + std::to_string(max_errors) +
                                 " errors; the rest of the document was not checked");
      d.byte = last_byte_;
    }
    last_byte_ = d.byte;
    place(d);
    out_.push_back(std::move(d));
    return !full_;
  }
  /// Line and column of byte `byte`. Scans forward from the previous question, so that asking in
  /// document order (as the readers do) costs one pass over the text, and no table of the lines
  /// of a 200 MB document is built for the few thousand places asked about.
  [[nodiscard]] detail::text_position position(std::size_t byte) {
    byte = std::min(byte, text_.size());
    if (byte < scanned_) {  // backwards: start again
      scanned_ = 0;
      line_ = 1;
      line_start_ = 0;
    }
    for (std::size_t i = scanned_; i < byte; ++i) {
      if (text_[i] == '\n') {
        ++line_;
        line_start_ = i + 1;
      }
    }
    scanned_ = byte;
    return {line_, byte - line_start_ + 1};
  }
  [[nodiscard]] std::vector<diagnostic> take() { return std::move(out_); }
  [[nodiscard]] bool has_errors() const noexcept { return errors_ > 0; }

 private:
  void place(diagnostic& d) {
    const auto pos = position(d.byte);
    d.line = pos.line;
    d.column = pos.column;
    d.file = std::string(source_);
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t scanned_ = 0;     // position(): bytes scanned so far,
  std::size_t line_ = 1;        // the line at scanned_,
  std::size_t line_start_ = 0;  // and where that line starts
  std::vector<diagnostic> out_;
  std::size_t errors_ = 0;
  std::size_t last_byte_ = 0;
  bool full_ = false;
};

[[nodiscard]] diagnostic error_at(std::string code, std::string pointer, std::string message,
                                  std::size_t byte) {
  diagnostic d = detail::make_error(std::move(code), std::move(pointer), std::move(message));
  d.byte = byte;
  return d;
}

/// A reference's diagnostic moved to its place in the document.
[[nodiscard]] diagnostic reference_diagnostic(diagnostic d, std::string pointer, std::size_t byte) {
  d.pointer = std::move(pointer);
  d.byte = byte;
  return d;
}

/// The text form: one reference per line, blank lines and `#` comments ignored.
void parse_text(std::string_view text, std::string_view source, in_use_list& list,
                diagnostics_sink& diags) {
  std::size_t pos = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::size_t line_start = 0;
  std::size_t line_no = 1;
  while (pos < text.size()) {
    const std::size_t eol = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, eol - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string_view::npos && line[first] != '#') {
      std::string_view content = line.substr(first);
      for (std::size_t k = 1; k < content.size(); ++k) {  // an inline comment: " # ..."
        if (content[k] == '#' && (content[k - 1] == ' ' || content[k - 1] == '\t')) {
          content = content.substr(0, k);
          break;
        }
      }
      content = content.substr(0, content.find_last_not_of(" \t") + 1);
      const std::size_t byte = pos + first;
      auto parsed = parse_image_reference(content);
      if (!parsed) {
        for (auto& d : parsed.diagnostics) {
          if (!diags.add(reference_diagnostic(std::move(d), "", byte))) return;
        }
      } else if (list.refs.size() >= max_references) {
        diags.add(error_at("in_use.limit", "",
                           "the document holds more than " + detail::group_digits(max_references) +
                               " image references",
                           byte));
        return;
      } else {
        in_use_ref r;
        r.text = std::string(content);
        r.source = std::string(source);
        r.line = line_no;
        r.column = byte - line_start + 1;
        r.ref = std::move(*parsed.value);
        list.refs.push_back(std::move(r));
      }
    }
    pos = eol + 1;
    line_start = pos;
    ++line_no;
  }
}

/// The shape a JSON document has, from its root; nullopt when it is none ecrlp knows.
[[nodiscard]] std::optional<shape> detect_shape(const collector& c) {
  if (c.root_type() == 'a') return shape::array;
  if (c.root_type() != 'o') return std::nullopt;
  if (c.root_member("items") == 'a') return shape::kube_list;
  if (c.root_member("tasks") == 'a') return shape::ecs_tasks;
  if (c.root_member("taskDefinition") == 'o') return shape::ecs_definition;
  if (c.root_member("containerDefinitions") == 'a') return shape::ecs_bare;
  if (c.root_member("spec") == 'o' && c.root_member("kind") == 's') return shape::kube_object;
  return std::nullopt;
}

[[nodiscard]] in_use_format format_of(shape s) noexcept {
  switch (s) {
    case shape::array:
      return in_use_format::json_array;
    case shape::kube_list:
    case shape::kube_object:
      return in_use_format::kubernetes;
    case shape::ecs_definition:
    case shape::ecs_bare:
      return in_use_format::ecs_task_definition;
    case shape::ecs_tasks:
      return in_use_format::ecs_tasks;
  }
  return in_use_format::json_array;
}

[[nodiscard]] std::string unknown_shape_message(const collector& c) {
  std::string m =
      "this JSON is none of the documents ecrlp reads as an in-use list: a JSON array of "
      "references, `kubectl get pods -o json` (\"items\"), `aws ecs describe-tasks` (\"tasks\") "
      "or `aws ecs describe-task-definition` (\"taskDefinition\")";
  if (c.root_type() == 'o') {
    m += "; its top-level members are ";
    if (c.root_member_count() == 0) {
      m += "none";
    } else {
      for (std::size_t i = 0; i < c.root_names().size(); ++i) {
        m += (i == 0 ? "\"" : ", \"") + c.root_names()[i] + "\"";
      }
      if (c.root_member_count() > c.root_names().size()) {
        m += " and " + std::to_string(c.root_member_count() - c.root_names().size()) + " more";
      }
    }
  }
  return m;
}

/// kubelet's imageID without its runtime scheme (`docker-pullable://`, `docker://`, ...).
[[nodiscard]] std::string_view strip_scheme(std::string_view id) noexcept {
  const std::size_t sep = id.find("://");
  return sep == std::string_view::npos ? id : id.substr(sep + 3);
}

void parse_json(std::string_view text, std::string_view source, in_use_list& list,
                diagnostics_sink& diags) {
  std::size_t consumed = 0;
  collector handler(text, &consumed);
  const detail::json_reader_impl::counting_iterator first(text.data(), &consumed);
  const detail::json_reader_impl::counting_iterator last(text.data() + text.size(), &consumed);
  try {
    (void)nlohmann::json::sax_parse(first, last, &handler);
  } catch (const nlohmann::json::exception& e) {  // sax_parse reports through parse_error()
    handler.error() = error_at("in_use.syntax", "", detail::shorten(e.what(), 400), consumed);
  }
  if (handler.error()) {
    diags.add(std::move(*handler.error()));
    return;
  }
  const auto kind = detect_shape(handler);
  if (!kind) {
    diags.add(error_at("in_use.format", "", unknown_shape_message(handler),
                       text.find_first_not_of(" \t\r\n\xEF\xBB\xBF")));
    return;
  }
  list.format = format_of(*kind);

  std::vector<candidate>& found = handler.candidates();
  // ECS describe-tasks: the image of each container, for its imageDigest.
  std::unordered_map<std::string_view, const candidate*> image_of_container;
  if (*kind == shape::ecs_tasks) {
    for (const candidate& c : found) {
      if (c.where == shape::ecs_tasks && c.what == role::reference && c.is_string) {
        image_of_container.emplace(c.container, &c);
      }
    }
  }
  for (candidate& c : found) {
    if (c.where != *kind) continue;
    if (!c.is_string) {
      if (!diags.add(error_at(
              "in_use.format", c.pointer,
              "expected an image reference (a string), found " + std::string(c.type), c.byte))) {
        return;
      }
      continue;
    }
    parse_result<image_reference> parsed;
    switch (c.what) {
      case role::reference:
        parsed = parse_image_reference(c.value);
        break;
      case role::image_id:
        if (c.value.empty()) continue;  // a container that has not started
        parsed = parse_image_reference(strip_scheme(c.value));
        break;
      case role::image_digest: {
        if (c.value.empty()) continue;
        if (std::string why = digest_problem(c.value); !why.empty()) {
          parsed.diagnostics.push_back(detail::make_error("in_use.reference", "", why));
          break;
        }
        image_reference ref;
        if (const auto it = image_of_container.find(c.container); it != image_of_container.end()) {
          if (auto image = parse_image_reference(it->second->value); image) {
            ref = std::move(*image.value);  // its image's registry and repository
            ref.tag.clear();
            ref.tag_implied = false;
          }
        }
        ref.digest = c.value;
        parsed.value = std::move(ref);
        break;
      }
    }
    if (!parsed) {
      for (auto& d : parsed.diagnostics) {
        if (!diags.add(reference_diagnostic(std::move(d), c.pointer, c.byte))) return;
      }
      continue;
    }
    const auto pos = diags.position(c.byte);
    in_use_ref r;
    r.text = c.value;  // not moved: an imageDigest after it may read it
    r.source = std::string(source);
    r.pointer = std::move(c.pointer);
    r.line = pos.line;
    r.column = pos.column;
    r.ref = std::move(*parsed.value);
    list.refs.push_back(std::move(r));
  }
}

[[nodiscard]] parse_result<in_use_list> io_failure(std::string code, std::string message,
                                                   std::string file) {
  parse_result<in_use_list> result;
  diagnostic d = detail::make_error(std::move(code), "", std::move(message));
  d.file = std::move(file);
  result.diagnostics.push_back(std::move(d));
  return result;
}

}  // namespace

parse_result<in_use_list> parse_in_use(std::string_view document, std::string_view source_name) {
  parse_result<in_use_list> result;
  diagnostics_sink diags(document, source_name);
  in_use_list list;
  if (document.starts_with("\xFF\xFE") || document.starts_with("\xFE\xFF")) {
    diags.add(error_at("in_use.syntax", "",
                       "the document is UTF-16 (it starts with a UTF-16 byte order mark, as "
                       "PowerShell's `>` writes); save it as UTF-8",
                       0));
  } else if (const std::size_t nul = document.find('\0'); nul != std::string_view::npos) {
    diags.add(error_at("in_use.syntax", "",
                       "a NUL byte is not allowed in an in-use list (a UTF-16 file must be saved "
                       "as UTF-8)",
                       nul));
  } else {
    std::string_view body = document;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
    const std::size_t first = body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && (body[first] == '{' || body[first] == '[')) {
      parse_json(document, source_name, list, diags);
    } else {
      parse_text(document, source_name, list, diags);
    }
  }
  if (!diags.has_errors() && list.refs.empty()) {
    diagnostic d;
    d.level = severity::warning;
    d.code = "in_use.empty";
    d.message = "no image reference found (" + std::string(to_string(list.format)) +
                "): no image is protected as in use";
    diags.add(std::move(d));
  }
  result.diagnostics = diags.take();
  if (!has_errors(result.diagnostics)) result.value = std::move(list);
  return result;
}

parse_result<in_use_list> load_in_use(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec) return io_failure("io.read", "cannot read " + name + ": " + ec.message(), name);
  if (std::filesystem::is_directory(status)) {
    return io_failure("io.read", "cannot read " + name + ": it is a directory", name);
  }
  const auto too_large = [&] {
    return io_failure("io.too_large",
                      name +
                          " is larger than 1 GiB; ecrlp reads in-use lists up "
                          "to 1 GiB",
                      name);
  };
  std::string content;
  if (std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(file, ec);
    if (!ec && size > max_file_bytes) return too_large();
    if (!ec) {
      content.reserve(static_cast<std::size_t>(size));  // one allocation, no copies
      support::advise_huge_pages(content.data(), content.capacity());
    }
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return io_failure("io.read",
                      "cannot open " + name + ": " + std::generic_category().message(errno), name);
  }
  std::vector<char> buffer(std::size_t{1} << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    content.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (content.size() > max_file_bytes) return too_large();
  }
  if (in.bad()) return io_failure("io.read", "error while reading " + name, name);
  return parse_in_use(content, name);
}

}  // namespace ecrlp
