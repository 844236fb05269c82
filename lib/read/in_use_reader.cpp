// SPDX-License-Identifier: MIT
//
// In-use files (docs/in-use.md): the text and JSON documents that list image references (parsed by
// lib/read/image_reference.cpp).
//
// JSON is read with nlohmann's SAX interface, never into a DOM: a `kubectl get pods -A -o json` of
// a large cluster is hundreds of megabytes, of which only a few strings per pod matter. The
// handler keeps the strings found at the places a reference can be (every known shape at once,
// with the byte where each starts) and a little about the root; when the document ends, the root
// says which shape it is and only that shape's strings are parsed as references.

#include <ecrlp/in_use.hpp>
#include <ecrlp/validate.hpp>

#include "read/image_reference.hpp"
#include "read/input.hpp"
#include "read/json_reader.hpp"
#include "support/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ecrlp {
namespace {

constexpr std::uintmax_t max_file_bytes = std::uintmax_t{1} << 30;  // 1 GiB
constexpr std::size_t max_references = 1'000'000;
constexpr std::size_t max_errors = 100;
constexpr std::size_t max_depth = 512;
constexpr std::size_t max_listed_members = 12;      // root member names quoted in a message

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
        if (std::string why = read::digest_problem(c.value); !why.empty()) {
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

/// The io.* messages of load_in_use, which name the file in the message too.
[[nodiscard]] std::string in_use_io_wording(const read::input_failure& f, std::string_view name) {
  return read::named_file_wording(f, name,
                                  " is larger than 1 GiB; ecrlp reads in-use lists up to 1 GiB");
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
  read::input_text text;
  std::vector<diagnostic> io;
  if (!read::read_input(file, {.max_bytes = max_file_bytes}, in_use_io_wording, text, io)) {
    parse_result<in_use_list> result;
    result.diagnostics = std::move(io);
    return result;
  }
  return parse_in_use(text.view(), read::input_name(file));
}

}  // namespace ecrlp
