// SPDX-License-Identifier: MIT
#include "render/html/cells.hpp"

#include <fmt/format.h>

#include "document/phrases.hpp"
#include "render/html/page.hpp"

namespace ecrlp::writer::html {

using detail::group_digits;
using detail::human_bytes;

/// The sentence above a table of images that lists at most `max_rows` of `total` (0 = all),
/// stating the cap: "The 1,000 oldest of 4,321 affected images are listed (at most 1,000 rows, each
/// with its explanation) ..." or "All 12 affected images are listed (at most 1,000 rows ...) ...".
std::string listed_rows_note(std::size_t max_rows, std::size_t total,
                                                  std::string_view noun) {
  std::string out = "<p class=\"muted\" id=\"rows-note\">";
  const std::string cap =
      max_rows == 0 ? std::string("every row, each with its explanation: no limit was set")
                    : "at most " + group_digits(max_rows) + " rows, each with its explanation";
  if (max_rows != 0 && max_rows < total) {
    out += fmt::format("The {} oldest of {} {} are listed ({}); sorting reorders the listed rows "
                       "only. ",
                       group_digits(max_rows), group_digits(total), html_escape(noun), cap);
  } else {
    out += fmt::format("All {} {} are listed ({}). ", group_digits(total), html_escape(noun), cap);
  }
  out += "Click a column heading to sort; click a digest for the explanation of the image's fate, "
         "as <code>ecrlp explain</code> gives it.</p>\n";
  return out;
}

/// A table cell showing `digest` shortened to its first 19 characters ("sha256:" and 12 hex
/// digits, then an ellipsis), the whole digest as its tooltip and sort key.
std::string short_digest_cell(std::string_view digest) {
  constexpr std::size_t shown = detail::short_digest_chars;
  return fmt::format("<td data-v=\"{0}\"><code title=\"{0}\">{1}{2}</code></td>", html_escape(digest),
                     html_escape(digest.substr(0, shown)), digest.size() > shown ? "\u2026" : "");
}

/// A table cell showing `digest` (its first 19 characters, "sha256:" and 12 hex digits) that
/// expands (a <details> element) to the full digest and `explanation` (text, escaped here). The
/// cell sorts by the full digest.
std::string explained_digest_cell(std::string_view digest,
                                                       std::string_view explanation) {
  constexpr std::size_t shown = detail::short_digest_chars;
  return fmt::format(
      "<td data-v=\"{0}\"><details><summary><code>{1}{2}</code></summary><pre class=\"why\">{0}\n{3}"
      "</pre></details></td>",
      html_escape(digest), html_escape(digest.substr(0, shown)),
      digest.size() > shown ? "\u2026" : "", html_escape(explanation));
}

/// The push time as text, sorting by its instant.
std::string pushed_cell(const image& img) {
  return fmt::format("<td data-v=\"{}\">{}</td>", img.pushed_at.time_since_epoch().count(),
                     html_escape(format_timestamp(img.pushed_at)));
}

std::string size_cell(const image& img) {
  return fmt::format("<td class=\"n\" data-v=\"{}\">{}</td>", img.size_bytes,
                     human_bytes(img.size_bytes));
}

std::string tags_cell(const image& img) {
  std::string tags;
  for (std::size_t t = 0; t < img.tags.size(); ++t) tags += (t == 0 ? "" : ", ") + img.tags[t];
  return tags.empty() ? std::string("<td><em>untagged</em></td>") : "<td>" + html_escape(tags) + "</td>";
}

}  // namespace ecrlp::writer::html
