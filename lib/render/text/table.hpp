// SPDX-License-Identifier: MIT
#pragma once

// The one table layout of the text writer: columns padded to a width, left or right aligned,
// separated by gaps, under a heading row. A cell wider than its column pushes the rest of its own
// row right (nothing is ever cut); a column can instead grow to its widest cell (in bytes).

#include <algorithm>
#include <initializer_list>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <ecrlp/image.hpp>

#include "support/text.hpp"

#include "render/output.hpp"

namespace ecrlp::writer::text {

struct column {
  std::string_view heading;
  bool right = false;     ///< right-aligned (numbers)
  std::size_t width = 0;  ///< padded to at least this many characters (0: not padded)
  bool grow = false;      ///< widen to the widest cell (and the heading)
  std::string_view gap = "  ";  ///< before the column (not before the first)
};

inline constexpr bool left = false;
inline constexpr bool right = true;

class table {
 public:
  explicit table(std::vector<column> columns, std::string_view indent = "  ")
      : columns_(std::move(columns)), indent_(indent) {}

  /// Adds a row of cells, one per column.
  void row(std::vector<std::string> cells) { rows_.push_back({std::move(cells), {}, false}); }

  /// Adds a line written as it is (after the indentation), in the place of a row: a row's
  /// description, or a row that does not fit the columns ("skipped: ..."). Not counted in the
  /// widths of growing columns.
  void note(std::string line) { rows_.push_back({{}, std::move(line), true}); }

  [[nodiscard]] bool empty() const noexcept { return rows_.empty(); }

  /// The widths the columns get: their own, or for a growing column the widest cell.
  [[nodiscard]] std::size_t width(std::size_t c) const { return widths()[c]; }

  /// The heading row and every row, each line ending in '\n'.
  void write(output& out) const {
    const std::vector<std::size_t> widths = this->widths();
    line(out, widths, [&](std::size_t c) { return columns_[c].heading; });
    for (const auto& r : rows_) {
      if (r.is_note) {
        out.put(indent_);
        out.put(r.note);
        out.put('\n');
        continue;
      }
      line(out, widths, [&](std::size_t c) {
        return c < r.cells.size() ? std::string_view(r.cells[c]) : std::string_view();
      });
    }
  }

 private:
  [[nodiscard]] std::vector<std::size_t> widths() const {
    std::vector<std::size_t> widths;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      std::size_t w = columns_[c].width;
      if (columns_[c].grow) {
        w = std::max(w, columns_[c].heading.size());
        for (const auto& r : rows_) {
          if (!r.is_note && c < r.cells.size()) w = std::max(w, r.cells[c].size());
        }
      }
      widths.push_back(w);
    }
    return widths;
  }

  struct row_data {
    std::vector<std::string> cells;
    std::string note;
    bool is_note = false;
  };

  template <class Cell>
  void line(output& out, const std::vector<std::size_t>& widths, Cell cell) const {
    std::string& s = out.buffer();
    s += indent_;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (c != 0) s += columns_[c].gap;
      // Padded by fmt, which counts characters as a terminal shows them (not bytes).
      if (columns_[c].right) {
        fmt::format_to(std::back_inserter(s), "{:>{}}", cell(c), widths[c]);
      } else {
        fmt::format_to(std::back_inserter(s), "{:<{}}", cell(c), widths[c]);
      }
    }
    s += '\n';
    out.flush_if_full();
  }

  std::vector<column> columns_;
  std::string_view indent_;
  std::vector<row_data> rows_;
};

/// Scan findings by severity, one row a label ("  before", "  after", ...), the label column
/// `label_width` wide: the findings table of the preview's and the registry's impact.
inline void findings_table(
    output& out, std::size_t label_width,
    std::initializer_list<std::pair<std::string_view, const finding_counts*>> rows) {
  table t({{"Findings", left, label_width},
           {"Total", right, 9},
           {"Critical", right, 9},
           {"High", right, 9},
           {"Medium", right, 9},
           {"Low", right, 9},
           {"Info", right, 9},
           {"Undefined", right, 9}});
  for (const auto& [label, f] : rows) {
    t.row({std::string(label), detail::group_digits(f->total()), detail::group_digits(f->critical),
           detail::group_digits(f->high), detail::group_digits(f->medium),
           detail::group_digits(f->low), detail::group_digits(f->informational),
           detail::group_digits(f->undefined)});
  }
  t.write(out);
}

}  // namespace ecrlp::writer::text
