// SPDX-License-Identifier: MIT
//
// Image references (docs/in-use.md): `registry/repository:tag@digest` as Docker reads them, with
// ECR's lengths, and the ECR registry hosts recognised in them.

#include <ecrlp/in_use.hpp>
#include <ecrlp/validate.hpp>

#include "read/image_reference.hpp"
#include "read/json_reader.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp {
namespace {

constexpr std::size_t max_reference_length = 1024;
constexpr std::size_t max_repository_length = 256;  // ECR's repositoryName
constexpr std::size_t max_tag_length = 300;         // ECR's ImageTag

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

}  // namespace

std::string read::digest_problem(std::string_view d) {
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

namespace {

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
    if (std::string why = read::digest_problem(text); !why.empty()) return reference_error(why);
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
    if (std::string why = read::digest_problem(digest); !why.empty()) {
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

}  // namespace ecrlp
