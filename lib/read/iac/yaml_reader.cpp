// SPDX-License-Identifier: MIT
//
// YAML templates into the json_value tree the CloudFormation reader walks, through yaml-cpp's
// event interface (YAML::Parser + YAML::EventHandler), not its Node API:
//  * yaml-cpp's Node graph shares an aliased node, so a walk over it expands a "billion laughs"
//    document exponentially. CloudFormation refuses aliases ("YAML aliases are not allowed in
//    CloudFormation templates"), so this reader refuses them at the first one;
//  * every node's place in the file (Mark) is kept, so that a policy string maps back to the file;
//  * nesting, node count and duplicate keys are checked while reading: the handler throws
//    stop_reading to end the parse at once (yaml-cpp also stops itself at 500 levels, with
//    YAML::DeepRecursion, before its recursion exhausts the stack).

#include "read/iac/iac_read.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cstddef>
#include <exception>
#include <istream>
#include <new>
#include <streambuf>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ecrlp::detail::iac {
namespace {

/// Thrown by the handler to end the parse; the diagnostic is already recorded.
struct stop_reading {};

/// An input stream buffer over a string_view, without a copy (yaml-cpp only reads it).
class view_buffer : public std::streambuf {
 public:
  explicit view_buffer(std::string_view s) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): the get area is never written.
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

/// A short tag that CloudFormation reads as an intrinsic function (`!Sub`, `!Ref`, `!Foo`): `!`
/// and a name. yaml-cpp spells standard tags in full (`tag:yaml.org,2002:str`), the non-specific
/// tags of plain and quoted scalars `?` and `!`.
[[nodiscard]] bool is_intrinsic_tag(std::string_view tag) noexcept {
  return tag.size() > 1 && tag.front() == '!' && tag[1] != '<' && tag[1] != '!';
}

/// The event handler that builds the tree.
class tree_builder final : public YAML::EventHandler {
 public:
  tree_builder(std::string_view text, std::size_t bom, std::vector<diagnostic>& out)
      : text_(text), bom_(bom), out_(out) {}

  [[nodiscard]] std::optional<json_value>& root() noexcept { return root_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      fail("iac.yaml_unsupported", byte_of(mark),
           "the file holds more than one YAML document (`---`); a CloudFormation template is one");
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override {
    json_value v;
    v.byte = byte_of(mark);
    add(std::move(v), {});
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override {
    fail("iac.yaml_unsupported", byte_of(mark),
         "YAML aliases (`*name`, `<<: *name`) are not allowed in CloudFormation templates; "
         "CloudFormation refuses the template");
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t /*anchor*/,
                const std::string& value) override {
    if (!utf8_scan(value).valid) {  // yaml-cpp refuses escaped surrogates; never trust it blindly
      fail("iac.encoding", byte_of(mark), "a YAML scalar decodes to text that is not UTF-8");
    }
    json_value v;
    v.kind = tag == "tag:yaml.org,2002:null" ? json_kind::null : json_kind::string;
    v.text = value;
    v.byte = byte_of(mark);
    add(std::move(v), tag);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t /*anchor*/,
                       YAML::EmitterStyle::value /*style*/) override {
    open(json_kind::array, mark, tag);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {
    open(json_kind::object, mark, tag);
  }
  void OnMapEnd() override { close(); }

  /// Records a diagnostic at `byte` and ends the parse.
  [[noreturn]] void fail(std::string code, std::size_t byte, std::string message) {
    diagnostic d;
    d.code = std::move(code);
    d.pointer = pointer();
    d.message = std::move(message);
    d.byte = byte;
    out_.push_back(std::move(d));
    throw stop_reading{};
  }

  /// Byte offset of a mark in the text: yaml-cpp counts bytes after the byte order mark.
  [[nodiscard]] std::size_t byte_of(const YAML::Mark& mark) const noexcept {
    const std::size_t at = mark.pos < 0 ? 0 : static_cast<std::size_t>(mark.pos) + bom_;
    return at < text_.size() ? at : text_.size();
  }

 private:
  struct frame {
    json_value* node = nullptr;  ///< nullptr: not stored (the value of a repeated key)
    bool is_map = false;
    bool want_key = true;   ///< maps: the next node is a key
    std::size_t count = 0;  ///< sequences: items started so far
    std::string key;        ///< maps: the key whose value is being read
    bool drop_value = false;
    std::unordered_set<std::string> keys;
  };

  /// The key a null node spells (`~: x`, `null: x`), as written.
  [[nodiscard]] std::string null_key(std::size_t byte) const {
    for (const std::string_view word : {"null", "Null", "NULL", "~"}) {
      if (text_.substr(byte, word.size()) == word) return std::string(word);
    }
    return {};
  }

  /// Takes `v` as the key of the map on top of the stack, when that map waits for one.
  bool take_key(json_value& v) {
    if (frames_.empty() || !frames_.back().is_map || !frames_.back().want_key) return false;
    frame& f = frames_.back();
    if (v.kind == json_kind::array || v.kind == json_kind::object) {
      fail("iac.yaml_unsupported", v.byte,
           "a mapping key that is a collection (`? [a, b]`); CloudFormation keys are strings");
    }
    f.key = v.kind == json_kind::null ? null_key(v.byte) : std::move(v.text);
    f.want_key = false;
    f.drop_value = false;
    if (f.node != nullptr && !f.keys.insert(f.key).second) {
      f.drop_value = true;
      if (too_many_errors(out_)) return true;
      diagnostic d;
      d.code = "iac.duplicate_key";
      d.pointer = pointer();
      d.message = "duplicate key \"" + quote(f.key) +
                  "\"; a YAML mapping must not repeat a key (the first one is read)";
      d.byte = v.byte;
      add_error(out_, std::move(d));
    }
    return true;
  }

  /// Stores `v` (a scalar, or a collection about to be filled) under the current container,
  /// wrapped in `{"!Tag": v}` for an intrinsic tag; where it went, or nullptr.
  json_value* store(json_value v, std::string_view tag) {
    if (take_key(v)) return nullptr;
    if (++stored_ > max_yaml_nodes) {
      fail("iac.too_many_values", v.byte,
           "the template holds more than " + std::to_string(max_yaml_nodes) + " YAML nodes");
    }
    if (is_intrinsic_tag(tag)) {
      json_value wrapper;
      wrapper.kind = json_kind::object;
      wrapper.byte = v.byte;
      wrapper.members.push_back(json_member{std::string(tag), std::move(v)});
      json_value* outer = place(std::move(wrapper));
      return outer == nullptr ? nullptr : &outer->members.front().value;
    }
    return place(std::move(v));
  }

  json_value* place(json_value v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return &*root_;
    }
    frame& parent = frames_.back();
    json_value* at = nullptr;
    if (parent.is_map) {
      parent.want_key = true;
      if (parent.node != nullptr && !parent.drop_value) {
        parent.node->members.push_back(json_member{parent.key, std::move(v)});
        at = &parent.node->members.back().value;
      }
    } else {
      ++parent.count;
      if (parent.node != nullptr) {
        parent.node->items.push_back(std::move(v));
        at = &parent.node->items.back();
      }
    }
    return at;
  }

  void add(json_value v, std::string_view tag) { store(std::move(v), tag); }

  void open(json_kind kind, const YAML::Mark& mark, std::string_view tag) {
    json_value v;
    v.kind = kind;
    v.byte = byte_of(mark);
    const std::size_t at = v.byte;
    json_value* node = store(std::move(v), tag);  // fails for a collection as a key
    frame f;
    f.node = node;
    f.is_map = kind == json_kind::object;
    frames_.push_back(std::move(f));
    if (frames_.size() > max_yaml_depth) {
      fail("iac.too_deep", at,
           "mappings and sequences are nested more than " + std::to_string(max_yaml_depth) +
               " levels deep");
    }
  }

  void close() {
    if (!frames_.empty()) frames_.pop_back();
  }

  /// RFC 6901 pointer of the node being read. A collection below the top of the stack is the
  /// value of its parent's current key or item; the top one adds its key once it has read it.
  [[nodiscard]] std::string pointer() const {
    std::string p;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const frame& f = frames_[i];
      const bool inner = i + 1 < frames_.size();
      if (f.is_map) {
        if (inner || !f.want_key) p = pointer_append(p, f.key);
      } else if (inner && f.count > 0) {
        p = pointer_append(p, f.count - 1);
      }
    }
    return p;
  }

  std::string_view text_;
  std::size_t bom_;
  std::vector<diagnostic>& out_;
  std::optional<json_value> root_;
  std::vector<frame> frames_;
  std::size_t stored_ = 0;
  int documents_ = 0;
};

/// yaml-cpp's message, made safe to print: valid UTF-8 and short.
[[nodiscard]] std::string yaml_message(std::string_view what) {
  return shorten(printable_utf8(what), 300);
}

}  // namespace

yaml_read_result read_yaml(std::string_view text) {
  yaml_read_result result;
  const std::size_t bom = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  tree_builder builder(text, bom, result.diagnostics);
  view_buffer buffer(text);
  std::istream in(&buffer);
  const auto error = [&](std::string code, std::size_t byte, std::string message) {
    diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.byte = byte;
    result.diagnostics.push_back(std::move(d));
  };
  try {
    YAML::Parser parser(in);
    // A second call reads a second document, if any: refused in OnDocumentStart.
    if (parser.HandleNextDocument(builder)) (void)parser.HandleNextDocument(builder);
  } catch (const stop_reading&) {
    return result;
  } catch (const YAML::DeepRecursion& e) {
    error("iac.too_deep", builder.byte_of(e.mark),
          "mappings and sequences are nested too deep for yaml-cpp (" + yaml_message(e.msg) + ")");
    return result;
  } catch (const YAML::Exception& e) {
    error("iac.syntax", builder.byte_of(e.mark), "YAML: " + yaml_message(e.msg));
    return result;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    error("iac.syntax", text.size(), "YAML: " + yaml_message(e.what()));
    return result;
  }
  result.root = std::move(builder.root());
  if (!result.root) error("iac.syntax", text.size(), "the document is empty");
  return result;
}

}  // namespace ecrlp::detail::iac
