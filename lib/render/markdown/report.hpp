// SPDX-License-Identifier: MIT
#pragma once

// What every markdown report is made of (lib/render/markdown/*.cpp, one file per command): inline
// text and code spans escaped for GitHub, tables, the report that cuts its lists to fit
// render_options::max_chars, and the pieces several reports share.

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "document/phrases.hpp"
#include "render/markdown/markdown.hpp"

namespace ecrlp::writer::markdown {

using detail::group_digits;
using detail::human_bytes;
using detail::plural_s;

// ---- Text -------------------------------------------------------------------------------------

/// Inline text: markdown's punctuation, HTML and table pipes escaped; line breaks become spaces.
[[nodiscard]] std::string md(std::string_view s);
/// A code span (digests, tags, files): backticks around it (two when it holds one), pipes escaped
/// so that it can sit in a table cell.
[[nodiscard]] std::string code(std::string_view s);
/// The tags as code spans, or "_untagged_".
[[nodiscard]] std::string tags(const image& img);
[[nodiscard]] std::string short_digest(const image& img);

// ---- Tables -----------------------------------------------------------------------------------

/// A table column.
struct column {
  std::string_view heading;
  bool right = false;
};

// ---- A report under a character cap -----------------------------------------------------------

/// A list that is cut to fit: rows are made on demand, in order, only as many as are written.
struct list {
  std::string title;     ///< "Affected images, oldest first"
  bool folded = true;    ///< in a <details> block
  std::string head;      ///< written before the rows (a table's heading), when any row is
  std::size_t count = 0;  ///< rows in all
  std::function<std::string(std::size_t)> row;
  std::string hint;  ///< where every row can be found ("`--format csv` lists every image")
};

class report {
 public:
  explicit report(const render_options& o) : options_(o) {}

  /// A part that is always written.
  void put(std::string s) { parts_.push_back({std::move(s), {}}); }
  template <class... T>
  void format(fmt::format_string<T...> f, T&&... args) {
    put(fmt::format(f, std::forward<T>(args)...));
  }
  /// A list, cut to render_options::max_rows and to what max_chars leaves.
  void add(list l) { parts_.push_back({{}, std::move(l)}); }

  void write(output& out) {
    allot();
    for (auto& p : parts_) out.put(p.is_list() ? framed(p) : p.text);
  }

 private:
  struct part {
    std::string text;
    list items;
    std::vector<std::string> rows = {};
    std::string next = {};  ///< the first row that did not fit in the first pass
    [[nodiscard]] bool is_list() const noexcept { return static_cast<bool>(items.row); }
  };

  /// The most rows a list may have before the character cap: max_rows (0 = no limit).
  [[nodiscard]] std::size_t row_cap(const part& p) const {
    const std::size_t m = options_.max_rows.value_or(0);
    return m == 0 ? p.items.count : std::min(m, p.items.count);
  }

  /// The list as written, with its rows so far and the note on what it left out.
  [[nodiscard]] std::string framed(const part& p) const {
    const list& l = p.items;
    const std::size_t shown = p.rows.size();
    const std::string counted = shown == l.count ? group_digits(l.count)
                                                 : group_digits(shown) + " of " + group_digits(l.count);
    std::string body = shown == 0 ? std::string() : l.head;
    for (const auto& r : p.rows) body += r;
    std::string note;
    if (shown < l.count) {
      const bool by_rows = shown == row_cap(p) && row_cap(p) < l.count;
      note = fmt::format(
          "_{} more not listed: {}{}._\n\n", group_digits(l.count - shown),
          by_rows ? fmt::format("at most {} rows (--max-rows)", options_.max_rows.value_or(0))
                  : fmt::format("the report is cut to {} characters (--max-chars)",
                                group_digits(options_.max_chars)),
          l.hint.empty() ? "" : "; " + l.hint);
    }
    if (l.folded) {
      return fmt::format("<details><summary>{} ({})</summary>\n\n{}\n{}</details>\n\n",
                         md(l.title), counted, body, note);
    }
    return fmt::format("{} ({}):\n\n{}\n{}", md(l.title), counted, body, note);
  }

  /// Decides how many rows each list gets: what is left of max_chars after every part that is
  /// always written, shared fairly between the lists in order, then what is left over, in order.
  void allot() {
    std::size_t fixed = 0;
    std::size_t lists = 0;
    for (auto& p : parts_) {
      if (!p.is_list()) {
        fixed += p.text.size();
        continue;
      }
      ++lists;
      fixed += framed(p).size() + p.items.head.size() + 200;  // room for the note
    }
    std::size_t budget = options_.max_chars > fixed ? options_.max_chars - fixed : 0;
    for (auto& p : parts_) {
      if (!p.is_list()) continue;
      fill(p, budget / lists, budget);
      --lists;
    }
    for (auto& p : parts_) {
      if (p.is_list()) fill(p, budget, budget);
    }
  }

  /// Adds rows to `p` while they fit in `share` (and in `budget`, which they use up).
  void fill(part& p, std::size_t share, std::size_t& budget) const {
    std::size_t used = 0;
    while (p.rows.size() < row_cap(p)) {
      if (p.next.empty()) p.next = p.items.row(p.rows.size());
      if (used + p.next.size() > share || p.next.size() > budget) return;
      used += p.next.size();
      budget -= p.next.size();
      p.rows.push_back(std::move(p.next));
      p.next.clear();
    }
  }

  render_options options_;
  std::vector<part> parts_;
};


/// The heading and delimiter rows of a GitHub table.
[[nodiscard]] std::string table_head(std::initializer_list<column> columns);
/// One row; the cells are markdown already (md(), code()).
[[nodiscard]] std::string table_row(std::initializer_list<std::string> cells);
/// A table heading with a first column `heading` added in front.
[[nodiscard]] std::string with_first_column(const std::string& head, std::string_view heading);

// ---- Pieces several reports share ------------------------------------------------------------

/// "| Before | 2,200 | 12.3 GiB | 33,610 | ..." rows of image totals.
[[nodiscard]] std::string totals_table(
    std::initializer_list<std::pair<std::string_view, const image_totals*>> rows);
/// Bytes freed, monthly cost and findings; with `with_rules`, per rule.
[[nodiscard]] std::string impact_section(const impact& im, bool with_rules);
/// The rules of a policy with what each did.
[[nodiscard]] std::string rules_table(const lifecycle_policy& policy,
                                      const evaluation_result& result);
/// "| EXPIRE by rule 2 | `sha256:…` | `app`, `v1` | 2026-… | app:v1 (pods.json:3:1) |", after a
/// first cell `repository` when it is not empty.
[[nodiscard]] std::string violation_row(std::span<const image> images, const in_use_violation& v,
                                        std::span<const in_use_ref> refs,
                                        std::string_view repository);
[[nodiscard]] std::string violations_head(bool with_repository);
/// An affected image: pushed, action, rule, size, digest, tags.
[[nodiscard]] std::string affected_row(const image& img, const image_decision& d, bool in_use);
[[nodiscard]] std::string affected_head();
/// The input indices of the images `result` expires or transitions, oldest first.
[[nodiscard]] std::vector<std::size_t> affected_images(const evaluation_result& result);

/// A diff (diff.cpp) under `heading`: what `ecrlp diff --format markdown` writes.
void diff_into(report& r, const diff_document& doc, std::string_view heading);

}  // namespace ecrlp::writer::markdown
