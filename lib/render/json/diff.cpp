// SPDX-License-Identifier: MIT
// `ecrlp diff` as JSON: `{"now", "images", "old", "new", "changes", "changedImages"}`
// (docs/diff.md), per repository with --registry.

#include "document/phrases.hpp"
#include "render/json/json.hpp"
#include "render/json/json_writer.hpp"
#include "render/json/parts.hpp"

namespace ecrlp::writer::json {
namespace {

void side(json_writer& w, std::string_view file, const lifecycle_policy& p,
          const evaluation_result& res) {
  w.begin_object();
  w.key("file").string(file);
  w.key("expiring").number(res.expiring);
  w.key("transitioning").number(res.transitioning);
  w.key("rules").begin_array();
  for (const auto& s : res.rules) {
    const auto acts = detail::acts_of(detail::find_rule(p, s.priority), s);
    w.begin_object();
    w.key("rulePriority").number(s.priority);
    w.key("identified").number(s.identified);
    w.key("marked").number(s.marked);
    w.key("owned").number(s.owned);
    w.key("kept").number(acts.kept);
    w.key("expired").number(acts.expired);
    w.key("transitioned").number(acts.transitioned);
    w.key("ownedBytes").number(s.owned_bytes);
    w.key("actedBytes").number(s.acted_bytes);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void decision(json_writer& w, const image_decision& d) {
  w.begin_object();
  w.key("action").string(to_string(d.action));
  if (d.owner) {
    w.key("ownerRulePriority").number(*d.owner);
  } else {
    w.key("ownerRulePriority").null();
  }
  w.end_object();
}

}  // namespace

void diff_object(json_writer& w, const diff_document& doc) {
  const policy_diff& d = doc.diff;
  w.begin_object();
  w.key("now").timestamp(doc.now);
  w.key("images").number(doc.images.size());
  side(w.key("old"), doc.before_name, doc.before_policy, d.before);
  side(w.key("new"), doc.after_name, doc.after_policy, d.after);
  w.key("changes").begin_object();
  for (const auto k : all_change_kinds) {
    w.key(to_string(k)).begin_object();
    w.key("images").number(d.total(k).images);
    w.key("bytes").number(d.total(k).bytes);
    w.end_object();
  }
  w.end_object();
  w.key("changedImages").begin_array();
  for (const auto& c : d.changes) {
    const image& img = doc.images[c.image_index];
    w.begin_object();
    w.key("imageDigest").string(img.digest);
    w.key("imageTags").strings(img.tags);
    w.key("imagePushedAt").timestamp(img.pushed_at);
    w.key("imageSizeInBytes").number(img.size_bytes);
    w.key("change").string(to_string(c.kind));
    decision(w.key("old"), c.before);
    decision(w.key("new"), c.after);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write(output& out, const diff_document& doc, const render_options&) {
  json_writer w(out, 2);
  diff_object(w, doc);
  w.finish();
  out.put('\n');
}

void write(output& out, const registry_diff_document& doc, const render_options&) {
  json_writer w(out, 2);
  w.begin_object();
  w.key("now").timestamp(doc.now);
  w.key("old").string(doc.old_label);
  w.key("new").string(doc.new_name);
  w.key("repositories").begin_array();
  for (const auto& r : doc.repositories) {
    w.begin_object();
    w.key("repositoryName").string(r.name);
    w.key("evaluated").boolean(r.evaluated);
    if (r.evaluated) diff_object(w.key("diff"), document_of(r, doc.now));
    w.end_object();
  }
  w.end_array();
  w.key("totals").begin_object();
  w.key("repositoriesChanged").number(doc.repositories_changed);
  w.key("changes").begin_object();
  for (std::size_t k = 0; k < change_kind_count; ++k) {
    w.key(to_string(all_change_kinds[k])).begin_object();
    w.key("images").number(doc.totals[k].images);
    w.key("bytes").number(doc.totals[k].bytes);
    w.end_object();
  }
  w.end_object();
  w.end_object();
  w.end_object();
  w.finish();
  out.put('\n');
}

}  // namespace ecrlp::writer::json
