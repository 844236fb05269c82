// SPDX-License-Identifier: MIT
// The pieces of the markdown reports (report.hpp).

#include "render/markdown/report.hpp"

#include <algorithm>

#include "document/explanation.hpp"

namespace ecrlp::writer::markdown {

// ---- Text -------------------------------------------------------------------------------------

/// Inline text: markdown's punctuation, HTML and table pipes escaped; line breaks become spaces.
std::string md(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      if (std::string_view("\\`*_[]|#~").find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

/// A code span (digests, tags, files): backticks around it (two when it holds one), pipes escaped
/// so that it can sit in a table cell.
std::string code(std::string_view s) {
  if (s.empty()) return "";
  const bool tick = s.find('`') != std::string_view::npos;
  std::string out = tick ? "`` " : "`";
  for (const char c : s) {
    if (c == '|') {
      out += "\\|";
    } else {
      out += c == '\n' || c == '\r' ? ' ' : c;
    }
  }
  out += tick ? " ``" : "`";
  return out;
}

/// The tags as code spans, or "_untagged_".
std::string tags(const image& img) {
  if (img.tags.empty()) return "_untagged_";
  std::string out;
  for (std::size_t k = 0; k < img.tags.size(); ++k) out += (k == 0 ? "" : ", ") + code(img.tags[k]);
  return out;
}

std::string short_digest(const image& img) { return code(detail::short_digest(img.digest)); }

// ---- Tables -----------------------------------------------------------------------------------


/// The heading and delimiter rows of a GitHub table.
std::string table_head(std::initializer_list<column> columns) {
  std::string head = "|";
  std::string rule = "|";
  for (const auto& c : columns) {
    head += fmt::format(" {} |", c.heading.empty() ? std::string_view(" ") : c.heading);
    rule += c.right ? " ---: |" : " --- |";
  }
  return head + "\n" + rule + "\n";
}

/// One row; the cells are markdown already (md(), code()).
std::string table_row(std::initializer_list<std::string> cells) {
  std::string out = "|";
  for (const auto& c : cells) out += " " + c + " |";
  return out + "\n";
}

// ---- Pieces several reports share ------------------------------------------------------------

/// "| Before | 2,200 | 12.3 GiB | 33,610 | ..." rows of image totals.
std::string totals_table(std::initializer_list<std::pair<std::string_view, const image_totals*>> rows) {
  std::string out = table_head({{""}, {"Images", true}, {"Size", true}, {"Findings", true},
                                {"Critical", true}, {"High", true}});
  for (const auto& [label, t] : rows) {
    out += table_row({std::string(label), group_digits(t->images), human_bytes(t->bytes),
                      group_digits(t->findings.total()), group_digits(t->findings.critical),
                      group_digits(t->findings.high)});
  }
  return out + "\n";
}

std::string impact_section(const impact& im, bool with_rules) {
  using detail::dollars_text;
  std::string out = fmt::format(
      "**Impact** ({}):\n\n- Bytes freed: **{}** in {} image{}\n- Monthly storage cost: **{}** "
      "before, **{}** after, saving **{}**\n",
      md(detail::prices_text(im.prices)), human_bytes(im.bytes_freed()),
      group_digits(im.expired.images), plural_s(im.expired.images),
      dollars_text(im.monthly_cost_before()), dollars_text(im.monthly_cost_after()),
      dollars_text(im.monthly_saving()));
  if (im.transitioned.images > 0) {
    out += fmt::format("- Moved to archive: {} in {} image{}; archive minimum charge {} once\n",
                       human_bytes(im.transitioned.bytes), group_digits(im.transitioned.images),
                       plural_s(im.transitioned.images), dollars_text(im.archive_minimum_charge()));
  }
  out += fmt::format("- Open findings: {} before, {} after ({} critical, {} high removed)\n\n",
                     group_digits(im.before.findings.total()), group_digits(im.after.findings.total()),
                     group_digits(im.expired.findings.critical), group_digits(im.expired.findings.high));
  if (!with_rules || im.rules.empty()) return out;
  out += table_head({{"Rule", true}, {"Expired", true}, {"Freed", true}, {"Transitioned", true},
                     {"Saving a month", true}});
  for (const auto& r : im.rules) {
    out += table_row({std::to_string(r.priority), group_digits(r.expired.images),
                      human_bytes(r.expired.bytes), group_digits(r.transitioned.images),
                      detail::dollars_text(r.monthly_saving(im.prices))});
  }
  return out + "\n";
}

/// The rules of a policy with what each did.
std::string rules_table(const lifecycle_policy& policy, const evaluation_result& result) {
  std::string out = table_head({{"Priority", true}, {"Description"}, {"Selection"}, {"Limit"},
                                {"Action"}, {"Owned", true}, {"Expire", true},
                                {"Transition", true}, {"Acted on", true}});
  for (const auto& rs : result.rules) {
    const rule* r = detail::find_rule(policy, rs.priority);
    const auto acts = detail::acts_of(r, rs);
    out += table_row({std::to_string(rs.priority), r != nullptr ? md(r->description) : "",
                      r != nullptr ? md(detail::describe_selection(r->selection)) : "?",
                      r != nullptr ? md(detail::describe_limit(r->selection)) : "?",
                      r != nullptr ? std::string(to_string(r->action.type)) : "?",
                      group_digits(rs.owned), group_digits(acts.expired),
                      group_digits(acts.transitioned), human_bytes(rs.acted_bytes)});
  }
  return out + "\n";
}

/// "| EXPIRE by rule 2 | `sha256:…` | `app`, `v1` | 2026-… | app:v1 (pods.json:3:1) |".
std::string violation_row(std::span<const image> images, const in_use_violation& v,
                          std::span<const in_use_ref> refs, std::string_view repository) {
  const image& img = images[v.image_index];
  std::string as;
  for (const auto& g : detail::reference_groups(refs, v.refs, 5)) as += (as.empty() ? "" : "; ") + md(g);
  for (const std::size_t t : v.through) {
    if (t < images.size()) as += (as.empty() ? "" : "; ") + ("through index " + short_digest(images[t]));
  }
  std::string row = "|";
  if (!repository.empty()) row += " " + code(repository) + " |";
  return row + table_row({md(detail::violation_action_text(v)), short_digest(img), tags(img),
                          format_timestamp(img.pushed_at), as})
                   .substr(1);
}

std::string violations_head(bool with_repository) {
  return with_repository ? table_head({{"Repository"}, {"Action"}, {"Digest"}, {"Tags"},
                                       {"Pushed"}, {"In use as"}})
                         : table_head({{"Action"}, {"Digest"}, {"Tags"}, {"Pushed"}, {"In use as"}});
}

/// An affected image: pushed, action, rule, size, digest, tags.
std::string affected_row(const image& img, const image_decision& d, bool in_use) {
  return table_row({format_timestamp(img.pushed_at),
                    std::string(detail::action_api(d.action)) + (in_use ? " **IN USE**" : ""),
                    d.owner ? std::to_string(*d.owner) : "", human_bytes(img.size_bytes),
                    short_digest(img), tags(img)});
}

/// A table heading with a first column `heading` added in front.
std::string with_first_column(const std::string& head, std::string_view heading) {
  const std::size_t eol = head.find('\n') + 1;
  return fmt::format("| {} {}| --- {}", heading, head.substr(0, eol), head.substr(eol));
}

std::string affected_head() {
  return table_head({{"Pushed"}, {"Action"}, {"Rule", true}, {"Size", true}, {"Digest"}, {"Tags"}});
}

/// The input indices of the images `result` expires or transitions, oldest first.
std::vector<std::size_t> affected_images(const evaluation_result& result) {
  std::vector<std::size_t> out;
  for (const std::size_t i : result.order) {
    if (result.decisions[i].action != fate::keep) out.push_back(i);
  }
  return out;
}

}  // namespace ecrlp::writer::markdown
