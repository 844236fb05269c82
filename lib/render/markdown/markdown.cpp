// SPDX-License-Identifier: MIT
// The markdown writer: what a reviewer reads in a pull-request comment or a GitHub job summary.
// Every report starts with what must not be missed (in-use images removed), then the totals, then
// lists. A report is assembled as parts that are always written and lists that are cut to fit
// render_options::max_chars (GitHub's 65,536-character comment limit by default); a cut list says
// how many rows it left out and where to find them all.

#include "render/markdown/markdown.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "document/explanation.hpp"
#include "document/phrases.hpp"
#include "document/simulation.hpp"

namespace ecrlp::writer::markdown {
namespace {

using detail::group_digits;
using detail::human_bytes;
using detail::plural_s;

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

struct column {
  std::string_view heading;
  bool right = false;
};

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

}  // namespace

// ---- preview ----------------------------------------------------------------------------------

void write(output& out, const preview_document& doc, const render_options& options) {
  report r(options);
  const preview_totals t = summarize(doc.images, doc.result);
  r.format("## Lifecycle policy preview{}{}\n\n", doc.repository_name.empty() ? "" : " of ",
           code(doc.repository_name));
  std::vector<bool> in_use;
  if (doc.has_in_use()) {
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
    const auto running = static_cast<std::size_t>(std::count(in_use.begin(), in_use.end(), true));
    const auto violations = detail::view_of(doc.violations);
    if (violations.empty()) {
      r.format("**In use:** {} running image{}; none is expired or transitioned.\n\n",
               group_digits(running), plural_s(running));
    } else {
      r.format("### :warning: IN USE: {} of {} running image{} would be removed\n\n",
               group_digits(violations.size()), group_digits(running), plural_s(running));
      const auto refs = detail::view_of(doc.in_use_refs);
      r.add({"In-use images removed", false, violations_head(false), violations.size(),
             [doc, refs, violations](std::size_t k) {
               return violation_row(doc.images, violations[k], refs, "");
             },
             "`--format csv` lists every image"});
    }
  }
  r.format("At {}: **{}** images ({}) evaluated against {} rule{}: **{}** expire ({}), **{}** "
           "move to archive ({}), {} remain.\n\n",
           format_timestamp(doc.now), group_digits(t.before.images), human_bytes(t.before.bytes),
           doc.policy.rules.size(), plural_s(doc.policy.rules.size()), group_digits(t.expired.images),
           human_bytes(t.expired.bytes), group_digits(t.transitioned.images),
           human_bytes(t.transitioned.bytes), group_digits(t.after.images));
  r.put(totals_table({{"Before", &t.before}, {"Expire", &t.expired}, {"Transition", &t.transitioned},
                      {"After", &t.after}}));
  r.put("### Rules\n\n" + rules_table(doc.policy, doc.result));
  if (doc.impact != nullptr) r.put(impact_section(*doc.impact, true));
  const auto affected = affected_images(doc.result);
  if (affected.empty()) {
    r.put("No image is expired or transitioned.\n\n");
  } else {
    r.add({"Affected images, oldest first", true, affected_head(), affected.size(),
           [doc, affected, in_use](std::size_t k) {
             const std::size_t i = affected[k];
             return affected_row(doc.images[i], doc.result.decisions[i], !in_use.empty() && in_use[i]);
           },
           "`--format csv` lists every image"});
  }
  r.write(out);
}

// ---- explain ----------------------------------------------------------------------------------

namespace {

/// One image's explanation as a list item with its lines nested.
std::string explanation_item(const explain_document& doc, std::size_t i) {
  const explainer& ex = doc.explanation;
  const image_explanation e = ex.explain(i);
  const auto lines = detail::explanation_lines(ex, e);
  std::string out = fmt::format("- {} ({}): **{}**\n", code(ex.images()[i].digest),
                                tags(ex.images()[i]), md(lines.size() > 1 ? lines[1] : ""));
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (k == 1) continue;
    // A tag-match line (indented under its rule's sentence) nests under it.
    if (lines[k].starts_with("  ")) {
      out += fmt::format("    - {}\n", md(lines[k].substr(2)));
    } else {
      out += fmt::format("  - {}\n", md(lines[k]));
    }
  }
  if (doc.in_use != nullptr) {
    const std::string s = detail::in_use_sentence(ex, *doc.in_use, i, e.action);
    if (!s.empty()) out += fmt::format("  - **{}**\n", md(s));
  }
  return out;
}

void explain_into(report& r, const explain_document& doc, std::string_view heading) {
  const explainer& ex = doc.explanation;
  std::size_t counts[3] = {0, 0, 0};
  std::vector<std::size_t> order;  // in-use images removed first, then the others as asked
  std::vector<std::size_t> rest;
  for (const std::size_t i : doc.images) {
    const fate action = ex.explain(i).action;
    ++counts[static_cast<std::size_t>(action)];
    const bool violation = doc.in_use != nullptr && action != fate::keep &&
                           i < doc.in_use->matches.size() && doc.in_use->matches[i].in_use();
    (violation ? order : rest).push_back(i);
  }
  const std::size_t violations = order.size();
  order.insert(order.end(), rest.begin(), rest.end());
  r.format("{} at {}: {} of {} images, {} rule{}\n\n", heading, format_timestamp(ex.now()),
           group_digits(doc.images.size()), group_digits(ex.images().size()),
           ex.policy().rules.size(), plural_s(ex.policy().rules.size()));
  if (violations > 0) {
    r.format("### :warning: IN USE: {} explained image{} in use would be removed\n\n",
             group_digits(violations), plural_s(violations));
  }
  r.format("**{}** kept, **{}** expired, **{}** transitioned.\n\n",
           group_digits(counts[static_cast<std::size_t>(fate::keep)]),
           group_digits(counts[static_cast<std::size_t>(fate::expire)]),
           group_digits(counts[static_cast<std::size_t>(fate::transition)]));
  r.add({"Explanations", true, "", order.size(),
         [doc, order](std::size_t k) { return explanation_item(doc, order[k]); },
         "`--format text` explains every image"});
}

}  // namespace

void write(output& out, const explain_document& doc, const render_options& options) {
  report r(options);
  explain_into(r, doc, "## Explanation");
  r.write(out);
}

void write(output& out, const registry_explain_document& doc, const render_options& options) {
  report r(options);
  for (const auto& repo : doc.repositories) {
    explain_into(r, repo.document, "## Repository " + code(repo.name) + ": explanation");
  }
  if (doc.repositories.empty()) r.put("No repository to explain.\n");
  r.write(out);
}

// ---- diff -------------------------------------------------------------------------------------

namespace {

void diff_into(report& r, const diff_document& doc, std::string_view heading) {
  const policy_diff& d = doc.diff;
  r.format("{} at {}: {} image{}, **{}** change{} fate\n\n", heading, format_timestamp(doc.now),
           group_digits(doc.images.size()), plural_s(doc.images.size()), group_digits(d.changes.size()),
           plural_s(d.changes.size()));
  r.format("- old: {}: {} expire, {} transition\n- new: {}: {} expire, {} transition\n\n",
           code(doc.before_name), group_digits(d.before.expiring), group_digits(d.before.transitioning),
           code(doc.after_name), group_digits(d.after.expiring), group_digits(d.after.transitioning));
  std::string kinds = table_head({{"Change"}, {"Images", true}, {"Size", true}});
  for (const auto k : all_change_kinds) {
    if (d.total(k).images == 0) continue;
    kinds += table_row({md(describe(k)), group_digits(d.total(k).images), human_bytes(d.total(k).bytes)});
  }
  if (!d.changes.empty()) r.put(kinds + "\n");
  std::string differ;
  for (const auto p : detail::all_priorities(doc.before_policy, doc.after_policy)) {
    const rule* a = detail::find_rule(doc.before_policy, p);
    const rule* b = detail::find_rule(doc.after_policy, p);
    if (a != nullptr && b != nullptr && detail::same_rule(*a, *b)) continue;
    differ += table_row({std::to_string(p), md(detail::rule_definition(a, "(none)")),
                         md(detail::rule_definition(b, "(none)"))});
  }
  if (!differ.empty()) {
    r.put("Rules that differ:\n\n" + table_head({{"Priority", true}, {"Old"}, {"New"}}) + differ + "\n");
  }
  if (d.changes.empty()) {
    r.put("No image changes fate.\n\n");
    return;
  }
  r.add({"Changed images, oldest first", true,
         table_head({{"Pushed"}, {"Change"}, {"Old"}, {"New"}, {"Size", true}, {"Digest"}, {"Tags"}}),
         d.changes.size(),
         [doc](std::size_t k) {
           const fate_change& c = doc.diff.changes[k];
           const image& img = doc.images[c.image_index];
           return table_row({format_timestamp(img.pushed_at), md(describe(c.kind)),
                             md(detail::decision_text(c.before)), md(detail::decision_text(c.after)),
                             human_bytes(img.size_bytes), short_digest(img), tags(img)});
         },
         "`--format csv` lists every changed image"});
}

}  // namespace

void write(output& out, const diff_document& doc, const render_options& options) {
  report r(options);
  diff_into(r, doc, "## Lifecycle policy diff");
  r.write(out);
}

void write(output& out, const registry_diff_document& doc, const render_options& options) {
  report r(options);
  r.format("## Registry diff of {} at {}: {} &rarr; {}\n\n**{}** of {} repositor{} change; **{}** "
           "image{} change fate.\n\n",
           code(doc.snapshot_directory), format_timestamp(doc.now), code(doc.old_label),
           code(doc.new_name), group_digits(doc.repositories_changed),
           group_digits(doc.repositories.size()), doc.repositories.size() == 1 ? "y" : "ies",
           group_digits(doc.change_count()), plural_s(doc.change_count()));
  std::string kinds = table_head({{"Change"}, {"Images", true}, {"Size", true}});
  for (std::size_t k = 0; k < change_kind_count; ++k) {
    kinds += table_row({md(describe(all_change_kinds[k])), group_digits(doc.totals[k].images),
                        human_bytes(doc.totals[k].bytes)});
  }
  r.put(kinds + "\n");
  for (const auto& repo : doc.repositories) {
    if (!repo.evaluated) {
      r.format("Repository {}: skipped, its files have errors.\n\n", code(repo.name));
    } else if (!repo.diff.empty()) {
      diff_into(r, document_of(repo, doc.now), "### Repository " + code(repo.name));
    }
  }
  std::size_t unchanged = 0;
  for (const auto& repo : doc.repositories) unchanged += repo.evaluated && repo.diff.empty() ? 1U : 0U;
  if (unchanged > 0) r.format("{} other repositor{} do not change.\n", group_digits(unchanged), unchanged == 1 ? "y" : "ies");
  r.write(out);
}

// ---- lint -------------------------------------------------------------------------------------

namespace {

void lint_into(report& r, const lint_document& doc, std::string_view heading) {
  std::size_t errors = 0;
  for (const auto& f : doc.findings) errors += f.diag.level == severity::error ? 1U : 0U;
  r.format("{} {}: {} error{}, {} warning{}\n\n", heading, code(doc.file), errors, plural_s(errors),
           doc.findings.size() - errors, plural_s(doc.findings.size() - errors));
  if (doc.findings.empty()) {
    r.put("No findings.\n\n");
    return;
  }
  r.add({"Findings", false,
         table_head({{"Level"}, {"Code"}, {"Rule", true}, {"Where"}, {"Finding"}, {"Fix"}}),
         doc.findings.size(),
         [doc](std::size_t k) {
           const lint_finding& f = doc.findings[k];
           return table_row({f.diag.level == severity::error ? "**error**" : "warning",
                             code(f.diag.code),
                             f.rule_priority ? std::to_string(*f.rule_priority) : "",
                             code(f.diag.pointer), md(f.diag.message), md(f.fix)});
         },
         "`--format text` lists every finding"});
}

}  // namespace

void write(output& out, const lint_document& doc, const render_options& options) {
  report r(options);
  lint_into(r, doc, "## Lint of");
  r.write(out);
}

void write(output& out, const registry_lint_document& doc, const render_options& options) {
  report r(options);
  const std::string what = doc.by_policy ? "Policy" : "Repository";
  r.put(doc.by_policy ? "## Lint of every policy\n\n" : "## Lint of every repository's policy\n\n");
  for (const auto& repo : doc.repositories) {
    if (!repo.has_policy) {
      r.format("### {} {}: no lifecycle policy\n\n", what, code(repo.name));
      continue;
    }
    lint_into(r, lint_document{repo.findings, repo.file}, "### " + what + " " + code(repo.name) + ":");
  }
  r.write(out);
}

// ---- simulate ---------------------------------------------------------------------------------

namespace {

using detail::image_at;

std::string removal_row(const detail::removal_row& x, bool with_repository) {
  const simulation_document& d = *x.doc;
  const image& img = image_at(d, x.rm.image_index);
  std::string row = with_repository ? "| " + code(x.repository) + " " : "";
  return row + table_row({std::to_string(x.rm.step), format_timestamp(d.result.steps[x.rm.step].at),
                          x.rm.action == fate::expire ? "EXPIRE" : "TRANSITION",
                          x.rm.rule ? std::to_string(*x.rm.rule) : "", short_digest(img), tags(img),
                          md(detail::in_use_text(d, x.rm.image_index))});
}

void removals_into(report& r, const std::vector<detail::removal_row>& rows, bool with_repository) {
  if (rows.empty()) {
    r.put("**In use:** no in-use image is expired or transitioned over the simulation.\n\n");
    return;
  }
  const auto& first = rows.front();
  r.format("### :warning: IN USE: {} in-use image{} removed; the first at step {} ({})\n\n",
           group_digits(rows.size()), rows.size() == 1 ? " is" : "s are", first.rm.step,
           format_timestamp(first.doc->result.steps[first.rm.step].at));
  std::string head = table_head({{"Step", true}, {"Time"}, {"Action"}, {"Rule", true}, {"Digest"},
                                 {"Tags"}, {"In use as"}});
  if (with_repository) head = with_first_column(head, "Repository");
  r.add({"In-use images removed", false, head, rows.size(),
         [rows, with_repository](std::size_t k) { return removal_row(rows[k], with_repository); },
         "`--format json` lists every removal"});
}

std::string steps_row(std::size_t k, const simulation_step& s) {
  return table_row({std::to_string(k), format_timestamp(s.at), group_digits(s.added),
                    group_digits(s.expired.images), group_digits(s.transitioned.images),
                    group_digits(s.standard.images + s.activating.images),
                    human_bytes(s.standard.bytes + s.activating.bytes),
                    group_digits(s.archive.images), group_digits(s.findings.total())});
}

void steps_into(report& r, std::span<const simulation_step> steps, std::string title) {
  const auto shown = detail::shown_steps(steps);
  r.add({std::move(title), true,
         table_head({{"Step", true}, {"Time"}, {"Added", true}, {"Expired", true},
                     {"Archived", true}, {"Standard", true}, {"Bytes", true}, {"Archive", true},
                     {"Findings", true}}),
         shown.size(),
         [steps, shown](std::size_t k) { return steps_row(shown[k], steps[shown[k]]); },
         "`--format csv` lists every step"});
}

void simulation_into(report& r, const simulation_document& doc) {
  const auto t = detail::totals_over(doc.result);
  const auto& steps = doc.result.steps;
  r.format("From {} to {}, every {} ({} steps, {} mode). {}\n\n", format_timestamp(doc.options.from),
           format_timestamp(doc.options.to), format_interval(doc.options.every),
           group_digits(steps.size()), doc.options.replay ? "replay" : "static",
           md(detail::inventory_sentence(doc)));
  r.format("**{}** images expire ({}), **{}** move to archive ({}); {} images ({}) at the end.\n\n",
           group_digits(t.expired.images), human_bytes(t.expired.bytes),
           group_digits(t.transitioned.images), human_bytes(t.transitioned.bytes),
           group_digits(steps.empty() ? 0 : steps.back().total().images),
           human_bytes(steps.empty() ? 0 : steps.back().total().bytes));
  for (const auto& w : doc.watches) {
    for (const std::size_t i : w.images) {
      r.format("- Watched {} = {}: {}\n", code(w.key), short_digest(image_at(doc, i)),
               md(detail::watch_story(doc, i)));
    }
  }
  if (!doc.watches.empty()) r.put("\n");
  steps_into(r, steps, "Steps with changes");
  const auto ev = detail::events_of(doc.result);
  if (ev.empty()) return;
  r.add({"Images archived or expired, in step order", true,
         table_head({{"Step", true}, {"Time"}, {"Event"}, {"Rule", true}, {"Size", true},
                     {"Digest"}, {"Tags"}}),
         ev.size(),
         [doc, ev](std::size_t k) {
           const auto& e = ev[k];
           const image& img = image_at(doc, e.image);
           return table_row({std::to_string(e.step), format_timestamp(doc.result.steps[e.step].at),
                             e.expire ? "EXPIRE" : "ARCHIVE", e.rule ? std::to_string(*e.rule) : "",
                             human_bytes(img.size_bytes), short_digest(img), tags(img)});
         },
         "`--format json` lists every image's timeline"});
}

}  // namespace

void write(output& out, const simulation_document& doc, const render_options& options) {
  report r(options);
  r.put("## Lifecycle policy simulation\n\n");
  if (doc.has_in_use) {
    std::vector<detail::removal_row> rows;
    for (const auto& rm : in_use_removals(doc)) rows.push_back({{}, &doc, rm});
    removals_into(r, rows, false);
  }
  simulation_into(r, doc);
  r.write(out);
}

void write(output& out, const registry_simulation_document& doc, const render_options& options) {
  report r(options);
  r.put("## Registry simulation\n\n");
  if (doc.has_in_use) removals_into(r, detail::registry_removals(doc), true);
  const auto total = registry_simulation_total(doc.repositories);
  std::size_t simulated = 0;
  for (const auto& e : doc.repositories) simulated += e.simulation != nullptr ? 1U : 0U;
  r.format("From {} to {}, every {} ({} mode). {} repositories: {} simulated, {} skipped; policy: "
           "{}.\n\n",
           format_timestamp(doc.options.from), format_timestamp(doc.options.to),
           format_interval(doc.options.every), doc.options.replay ? "replay" : "static",
           group_digits(doc.repositories.size()), group_digits(simulated),
           group_digits(doc.repositories.size() - simulated),
           doc.override_policy.empty() ? std::string("each repository's own")
                                       : code(doc.override_policy) + " for all");
  std::string repos = table_head({{"Repository"}, {"Policy"}, {"Images first", true},
                                  {"Images last", true}, {"Expired", true}, {"Archived", true},
                                  {"Findings"}});
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr) {
      repos += table_row({code(e.name), md(detail::policy_label(e)), "", "", "", "", "skipped"});
      continue;
    }
    const auto s = summarize_simulation(*e.simulation);
    repos += table_row({code(e.name), md(detail::policy_label(e)),
                        group_digits(s.first_standard.images + s.first_archive.images + s.first_activating.images),
                        group_digits(s.last_standard.images + s.last_archive.images + s.last_activating.images),
                        group_digits(s.expired.images), group_digits(s.transitioned.images),
                        md(detail::findings_change(s.findings_before, s.findings_after))});
  }
  r.put(repos + "\n");
  steps_into(r, total, "Registry total per step");
  r.write(out);
}

// ---- registry preview -------------------------------------------------------------------------

void write(output& out, const registry_document& doc, const render_options& options) {
  report r(options);
  r.format("## Registry preview of {} at {}\n\n", code(doc.snapshot.directory.string()),
           format_timestamp(doc.now));
  if (doc.in_use.given) {
    const std::size_t n = violation_count(doc.outcomes);
    if (n == 0) {
      r.put("**In use:** no in-use image is expired or transitioned.\n\n");
    } else {
      r.format("### :warning: IN USE: {} running image{} would be removed\n\n", group_digits(n),
               plural_s(n));
      std::vector<std::pair<const repository_outcome*, const in_use_violation*>> rows;
      for (const auto& o : doc.outcomes) {
        for (const auto& v : o.violations) rows.emplace_back(&o, &v);
      }
      r.add({"In-use images removed", false, violations_head(true), rows.size(),
             [&doc, rows](std::size_t k) {
               const auto& [o, v] = rows[k];
               return violation_row(o->images, *v, doc.in_use.refs,
                                    o->name.empty() ? std::string_view("-") : o->name);
             },
             "`--format csv` lists every image"});
    }
  }
  const auto& res = doc.result;
  r.format("{} repositor{} ({} evaluated, {} skipped, {} without a policy); policy: {}. **{}** "
           "images ({}): **{}** expire ({}), **{}** move to archive.\n\n",
           group_digits(doc.snapshot.repositories.size()),
           doc.snapshot.repositories.size() == 1 ? "y" : "ies", group_digits(res.evaluated),
           group_digits(res.skipped), group_digits(res.without_policy),
           doc.override_policy.empty()         ? std::string("each repository's own")
           : doc.repository_policies.empty() ? code(doc.override_policy) + " applied to every repository"
                                             : "those of " + code(doc.override_policy) + " for the repositories it names",
           group_digits(doc.total.before.images), human_bytes(doc.total.before.bytes),
           group_digits(doc.total.expired.images), human_bytes(doc.total.expired.bytes),
           group_digits(doc.total.transitioned.images));
  r.add({"Repositories", false,
         table_head({{"Repository"}, {"Policy"}, {"Images", true}, {"Expire", true},
                     {"Freed", true}, {"Archive", true}, {"Cost/month", true}, {"After", true},
                     {"In use removed", true}}),
         doc.snapshot.repositories.size(),
         [doc](std::size_t k) {
           const auto& rr = doc.result.repositories[k];
           const auto& name = doc.snapshot.repositories[k].name;
           if (!rr.evaluated) return table_row({code(name), "skipped", "", "", "", "", "", "", ""});
           const impact& e = doc.outcomes[k].effect;
           return table_row({code(name), std::string(to_string(rr.source)),
                             group_digits(e.before.images), group_digits(e.expired.images),
                             human_bytes(e.expired.bytes), group_digits(e.transitioned.images),
                             detail::dollars_text(e.monthly_cost_before()),
                             detail::dollars_text(e.monthly_cost_after()),
                             group_digits(doc.outcomes[k].violations.size())});
         },
         "`--format json` lists every repository"});
  r.put(impact_section(doc.total, !doc.override_policy.empty() && doc.repository_policies.empty()));
  std::vector<std::pair<std::size_t, std::size_t>> affected;  // (repository, image)
  for (std::size_t k = 0; k < doc.outcomes.size(); ++k) {
    if (doc.outcomes[k].result == nullptr) continue;
    for (const std::size_t i : affected_images(*doc.outcomes[k].result)) affected.emplace_back(k, i);
  }
  if (!affected.empty()) {
    r.add({"Affected images, by repository, oldest first", true,
           with_first_column(affected_head(), "Repository"),
           affected.size(),
           [&doc, affected](std::size_t k) {
             const auto& [repo, i] = affected[k];
             const auto& o = doc.outcomes[repo];
             const bool used = i < o.matches.size() && o.matches[i].in_use();
             return "| " + code(o.name) + " " + affected_row(o.images[i], o.result->decisions[i], used);
           },
           "`--format csv` lists every image"});
  }
  r.write(out);
}

}  // namespace ecrlp::writer::markdown
