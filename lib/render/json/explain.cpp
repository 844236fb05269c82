// SPDX-License-Identifier: MIT
// `ecrlp explain` as JSON: `{"now", "rules", "images": [...]}` (docs/explain.md), per repository
// with --registry. Streamed image by image: a document of 100k explanations is about 250 MB.

#include <string>

#include "document/explanation.hpp"
#include "render/json/json.hpp"
#include "render/json/parts.hpp"
#include "render/json/json_writer.hpp"

namespace ecrlp::writer::json {
namespace {

void limit_json(json_writer& w, const limit_check& c) {
  w.begin_object();
  w.key("countType").string(to_string(c.type));
  w.key("countNumber").number(c.limit);
  w.key("identified").number(c.identified);
  if (c.type == count_type::image_count_more_than) {
    w.key("rank").number(c.rank);
  } else if (c.reference) {
    w.key("reference").string(to_string(c.reference->kind));
    w.key("referenceField").string(field_name(c.reference->kind));
    w.key("referenceTime").timestamp(c.reference->at);
    w.key("ageDays").real(c.age_days());
  } else {
    w.key("reference").null();
  }
  w.key("pastLimit").boolean(c.past_limit);
  w.end_object();
}

/// The members of one image's explanation, in an object the caller has opened (it may add more).
void image_members(json_writer& w, const explainer& ex, const image_explanation& e) {
  const image& img = ex.images()[e.image_index];
  w.key("imageDigest").string(img.digest);
  w.key("imageTags").strings(img.tags);
  w.key("imagePushedAt").timestamp(img.pushed_at);
  if (img.last_pulled_at) w.key("lastRecordedPullTime").timestamp(*img.last_pulled_at);
  if (img.last_activated_at) w.key("lastActivatedAt").timestamp(*img.last_activated_at);
  if (img.last_archived_at) w.key("lastArchivedAt").timestamp(*img.last_archived_at);
  w.key("imageStatus").string(to_string(img.status));
  w.key("imageSizeInBytes").number(img.size_bytes);
  w.key("fate").string(to_string(e.action));
  if (e.owner) {
    w.key("ownerRulePriority").number(*e.owner);
  } else {
    w.key("ownerRulePriority").null();
  }
  if (e.related != relation::none) {
    w.key("relation").string(to_string(e.related));
    w.key("relatedTo").string(ex.images()[e.related_to].digest);
    if (e.related == relation::referrer) w.key("chainEnd").string(ex.images()[e.chain_end].digest);
  }
  w.key("rules").begin_array();
  for (const auto& re : e.rules) {
    const rule& r = ex.policy().rules[re.rule_index];
    w.begin_object();
    w.key("rulePriority").number(re.priority);
    w.key("role").string(to_string(re.role));
    w.key("selection").string(to_string(re.outcome));
    w.key("action").string(to_string(r.action.type));
    if (!re.entries.empty()) {
      w.key("tagMatches").begin_array();
      for (const auto& m : re.entries) {
        w.begin_object();
        w.key(detail::entry_word(r)).string(m.entry);
        w.key("tags").strings(m.tags);
        w.end_object();
      }
      w.end_array();
    }
    if (re.limit) limit_json(w.key("limit"), *re.limit);
    if (re.role == rule_role::overridden) w.key("protectedBy").number(*e.owner);
    w.end_object();
  }
  w.end_array();
}

/// The explain object's members and images, in an object the caller has opened and closes.
void explanation(json_writer& w, const explain_document& doc) {
  const explainer& ex = doc.explanation;
  const explain_in_use* in_use = doc.in_use;
  w.key("now").timestamp(ex.now());
  w.key("rules").number(ex.policy().rules.size());
  w.key("images").begin_array();
  for (const std::size_t i : doc.images) {
    w.begin_object();
    image_members(w, ex, ex.explain(i));
    if (in_use != nullptr) {
      w.key("inUse").begin_array();
      for (const std::size_t k : detail::in_use_refs_of(*in_use, i)) {
        if (k >= in_use->refs.size()) continue;
        reference_object(w, in_use->refs[k]);
      }
      w.end_array();
      if (i < in_use->matches.size() && !in_use->matches[i].through.empty()) {
        w.key("inUseThroughIndexes").begin_array();
        for (const std::size_t t : in_use->matches[i].through) w.string(ex.images()[t].digest);
        w.end_array();
      }
    }
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void write(output& out, const explain_document& doc, const render_options&) {
  json_writer w(out, 2);
  w.begin_object();
  explanation(w, doc);
  w.end_object();
  w.finish();
  out.put('\n');
}

void write(output& out, const registry_explain_document& doc, const render_options&) {
  json_writer w(out, 2);
  w.begin_object();
  w.key("repositories").begin_array();
  for (const auto& r : doc.repositories) {
    w.begin_object();
    w.key("repositoryName").string(r.name);
    w.key("explanation").begin_object();
    explanation(w, r.document);
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.finish();
  out.put('\n');
}

}  // namespace ecrlp::writer::json
