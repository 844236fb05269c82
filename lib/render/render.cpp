// SPDX-License-Identifier: MIT
// render(): a document in a format, by the format's writer (lib/render/<format>/). Which document
// kinds a writer knows is read off the overloads its header declares: adding a format is a writer
// folder and one case below; adding a document kind is an overload in the writers that know it.

#include <ecrlp/render.hpp>

#include <ostream>
#include <string>

#include "render/csv/csv.hpp"
#include "render/html/html.hpp"
#include "render/json/json.hpp"
#include "render/junit/junit.hpp"
#include "render/markdown/markdown.hpp"
#include "render/output.hpp"
#include "render/text/text.hpp"

namespace ecrlp {
namespace {

using writer::output;

// Each format's writer, and whether it writes documents of kind D (an overload of its write()).
#define ECRLP_WRITERS(X) \
  X(text, text)          \
  X(json, json)          \
  X(csv, csv)            \
  X(html, html)          \
  X(markdown, markdown)  \
  X(junit, junit)

template <class Document>
constexpr bool has_writer(output_format f) noexcept {
#define ECRLP_HAS(format, ns)                                                    \
  case output_format::format:                                                   \
    return requires(output& w, const Document& d, const render_options& o) {    \
      writer::ns::write(w, d, o);                                               \
    };
  switch (f) { ECRLP_WRITERS(ECRLP_HAS) }
#undef ECRLP_HAS
  return false;
}

/// Calls the writer of `f` for `doc` (which has_writer() has checked).
template <class Document>
void dispatch(output& out, const Document& doc, output_format f, const render_options& o) {
#define ECRLP_CALL(format, ns)                                                  \
  case output_format::format:                                                  \
    if constexpr (requires { writer::ns::write(out, doc, o); }) {              \
      writer::ns::write(out, doc, o);                                          \
    }                                                                          \
    return;
  switch (f) { ECRLP_WRITERS(ECRLP_CALL) }
#undef ECRLP_CALL
}

}  // namespace

template <document Document>
bool supports(output_format f) noexcept {
  return has_writer<Document>(f);
}

template <document Document>
bool render(std::ostream& out, const Document& doc, output_format f,
            const render_options& options) {
  if (!has_writer<Document>(f)) return false;
  output sink(out);
  dispatch(sink, doc, f, options);
  sink.finish();
  return true;
}

template <document Document>
std::string render(const Document& doc, output_format f, const render_options& options) {
  std::string text;
  if (!has_writer<Document>(f)) return text;
  output sink(text);
  dispatch(sink, doc, f, options);
  return text;
}

#define ECRLP_DOCUMENT(D)                                                                    \
  template bool supports<D>(output_format) noexcept;                                       \
  template bool render<D>(std::ostream&, const D&, output_format, const render_options&); \
  template std::string render<D>(const D&, output_format, const render_options&);
ECRLP_DOCUMENT(diagnostics_document)
ECRLP_DOCUMENT(validation_document)
ECRLP_DOCUMENT(preview_document)
ECRLP_DOCUMENT(explain_document)
ECRLP_DOCUMENT(registry_explain_document)
ECRLP_DOCUMENT(diff_document)
ECRLP_DOCUMENT(lint_document)
ECRLP_DOCUMENT(registry_lint_document)
ECRLP_DOCUMENT(test_run_document)
ECRLP_DOCUMENT(simulation_document)
ECRLP_DOCUMENT(registry_simulation_document)
ECRLP_DOCUMENT(registry_document)
ECRLP_DOCUMENT(registry_diff_document)
ECRLP_DOCUMENT(plan_check_document)
#undef ECRLP_DOCUMENT
#undef ECRLP_WRITERS

}  // namespace ecrlp
