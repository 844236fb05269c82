// SPDX-License-Identifier: MIT
// A plan check as CSV: the rows of `ecrlp diff --format csv` for every evaluated change, each
// after the change's address, action and repository.

#include <string>

#include "render/csv/csv.hpp"
#include "render/csv/csv_field.hpp"

namespace ecrlp::writer::csv {

void write(output& out, const plan_check_document& doc, const render_options&) {
  out.put("address,action,repositoryName,");
  out.put(diff_header);
  for (const auto& c : doc.changes) {
    if (!c.evaluated) continue;
    diff_rows(out, document_of(c, doc.now),
              csv_field(c.change.address) + "," + csv_field(c.change.action) + "," +
                  csv_field(c.change.repository) + ",");
  }
}

}  // namespace ecrlp::writer::csv
