// SPDX-License-Identifier: MIT
// A simulation as CSV: one row per step; the registry simulation: a "start" and an "end" row per
// simulated repository, a "skipped" row per skipped one, then a "total" row per step.

#include <string>

#include "document/simulation.hpp"
#include "render/csv/csv.hpp"
#include "render/csv/csv_field.hpp"

namespace ecrlp::writer::csv {

void write(output& out, const simulation_document& doc, const render_options&) {
  out.put(
      "step,time,evaluated,added,expiredImages,expiredBytes,transitionedImages,transitionedBytes,"
      "standardImages,standardBytes,archiveImages,archiveBytes,activatingImages,activatingBytes,"
      "totalImages,totalBytes,findings,critical,high\r\n");
  for (std::size_t k = 0; k < doc.result.steps.size(); ++k) {
    const auto& s = doc.result.steps[k];
    out.format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", k,
               csv_field(format_timestamp(s.at)), s.evaluated ? "true" : "false", s.added,
               s.expired.images, s.expired.bytes, s.transitioned.images, s.transitioned.bytes,
               s.standard.images, s.standard.bytes, s.archive.images, s.archive.bytes,
               s.activating.images, s.activating.bytes, s.total().images, s.total().bytes,
               s.findings.total(), s.findings.critical, s.findings.high);
  }
}

void write(output& out, const registry_simulation_document& doc, const render_options&) {
  out.put(
      "scope,repository,policy,step,time,standardImages,standardBytes,archiveImages,archiveBytes,"
      "activatingImages,activatingBytes,expiredImages,expiredBytes,transitionedImages,"
      "transitionedBytes,findings,firstInUseRemovalStep\r\n");
  // expired/transitioned: through the row's step (cumulative).
  const auto row = [&](std::string_view scope, std::string_view name, std::string_view policy,
                       std::size_t k, const simulation_step& s, const class_totals& expired,
                       const class_totals& transitioned, std::string_view first_in_use) {
    out.format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", scope, csv_field(name),
               policy, k, csv_field(format_timestamp(s.at)), s.standard.images, s.standard.bytes,
               s.archive.images, s.archive.bytes, s.activating.images, s.activating.bytes,
               expired.images, expired.bytes, transitioned.images, transitioned.bytes,
               s.findings.total(), first_in_use);
  };
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr) {
      out.format("skipped,{},{},,,,,,,,,,,,,,\r\n", csv_field(e.name), e.policy);
      continue;
    }
    const auto& steps = e.simulation->result.steps;
    if (steps.empty()) continue;
    const auto s = summarize_simulation(*e.simulation);
    const std::string first_in_use = !doc.has_in_use          ? std::string()
                                     : s.first_in_use_removal ? std::to_string(*s.first_in_use_removal)
                                                              : std::string("none");
    row("start", e.name, e.policy, 0, steps.front(), steps.front().expired,
        steps.front().transitioned, first_in_use);
    row("end", e.name, e.policy, steps.size() - 1, steps.back(), s.expired, s.transitioned,
        first_in_use);
  }
  class_totals expired;
  class_totals transitioned;
  const auto total = registry_simulation_total(doc.repositories);
  for (std::size_t k = 0; k < total.size(); ++k) {
    expired = detail::plus(expired, total[k].expired);
    transitioned = detail::plus(transitioned, total[k].transitioned);
    row("total", "", "", k, total[k], expired, transitioned, "");
  }
}

}  // namespace ecrlp::writer::csv
