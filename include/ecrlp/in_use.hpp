// SPDX-License-Identifier: MIT
#pragma once

/// Images that are running (`--in-use FILE`, docs/in-use.md): reading a list of image references,
/// matching them to a repository's images, and finding the in-use images that an evaluation would
/// expire or archive ("violations"). The reader needs the compiled library (lib/read/in_use_reader.cpp,
/// nlohmann_json privately); no JSON type appears here.
///
/// Typical use, per repository (see docs/in-use.md for a registry):
///
///     auto list = ecrlp::load_in_use("running.txt");          // diagnostics, never exceptions
///     if (!list) { /* render list.diagnostics; exit */ }
///     const auto& refs = list.value->refs;
///     auto matches = ecrlp::match_in_use(refs, inv.repository_name, inv.registry_id,
///                                        inv.images, inv.indexes);
///     auto result = ecrlp::evaluate(policy, inv.images, {.now = now, .indexes = inv.indexes});
///     for (const auto& v : ecrlp::find_violations(matches, result)) {
///       // inv.images[v.image_index] runs (refs[v.refs[k]]) and rule v.rule_priority removes it
///     }
///     ecrlp::in_use_coverage seen(refs.size());
///     seen.add(matches);                 // once per repository
///     seen.unmatched();                  // references that named no image anywhere

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>

namespace ecrlp {

/// The kind of document an in-use file was, as parse_in_use() detected it.
enum class in_use_format : unsigned char {
  text,                 ///< one reference per line, `#` comments
  json_array,           ///< a JSON array of reference strings
  kubernetes,           ///< `kubectl get pods -o json` (a List or one object; pod templates too)
  ecs_task_definition,  ///< `aws ecs describe-task-definition` (or a bare task definition)
  ecs_tasks             ///< `aws ecs describe-tasks`
};

/// Name of a format ("text", "json-array", "kubernetes", "ecs-task-definition", "ecs-tasks").
[[nodiscard]] constexpr std::string_view to_string(in_use_format f) noexcept {
  switch (f) {
    case in_use_format::text:
      return "text";
    case in_use_format::json_array:
      return "json-array";
    case in_use_format::kubernetes:
      return "kubernetes";
    case in_use_format::ecs_task_definition:
      return "ecs-task-definition";
    case in_use_format::ecs_tasks:
      return "ecs-tasks";
  }
  return "?";
}

/// The parts of an image reference, by Docker's grammar (docs/in-use.md#references):
/// `[host[:port]/]repository[:tag][@digest]`, or a bare digest `sha256:<64 hex>`.
struct image_reference {
  /// host[:port] as written ("" when the reference names no registry). Following Docker, the
  /// first path component is a host only when it contains '.' or ':', is `localhost`, or has an
  /// upper-case letter. A reference without a host is NOT taken as Docker Hub: it names any
  /// registry.
  std::string registry;
  /// The 12-digit account id when `registry` is an ECR registry host
  /// (`<id>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`, `<id>.dkr-ecr.<region>.on.aws`), else "".
  std::string registry_id;
  std::string region;      ///< the region of an ECR registry host, else ""
  std::string repository;  ///< the repository path without the host; "" for a bare digest
  /// The tag; "latest" when the reference named neither tag nor digest (Docker's rule, and then
  /// `tag_implied` is true); "" when there is none.
  std::string tag;
  bool tag_implied = false;  ///< `tag` is the "latest" Docker assumes, not written
  std::string digest;        ///< "sha256:<64 hex>" (or sha512) when given, else ""

  /// True when `registry` is an ECR registry host.
  [[nodiscard]] bool is_ecr() const noexcept { return !registry_id.empty(); }
  /// True for a bare digest (no repository).
  [[nodiscard]] bool is_bare_digest() const noexcept { return repository.empty(); }
};

/// One image reference read from an in-use file.
struct in_use_ref {
  std::string text;        ///< the reference as written (a JSON string decoded), e.g. "app:v1"
  std::string source;      ///< the file's name (or the label given to parse_in_use)
  std::string pointer;     ///< RFC 6901 pointer of the JSON string; "" in a text file
  std::size_t line = 0;    ///< 1-based line where the reference starts
  std::size_t column = 0;  ///< 1-based column (bytes) where it starts
  image_reference ref;     ///< its parts
};

/// The references of an in-use file, in document order. The same reference may appear many times
/// (one per pod); each occurrence is kept, with its own place.
struct in_use_list {
  in_use_format format = in_use_format::text;  ///< what the file was
  std::vector<in_use_ref> refs;                ///< every reference found
};

/// Parses one image reference (docs/in-use.md#references). Errors have the code `in_use.reference`
/// and no pointer or position (parse_in_use() adds them).
[[nodiscard]] parse_result<image_reference> parse_image_reference(std::string_view text);

/// Parses an in-use document, detecting its kind: JSON when the first character that is not
/// white space is `{` or `[`, else text. Codes: `in_use.syntax` (malformed JSON, NUL bytes,
/// UTF-16, nesting deeper than 512), `in_use.format` (JSON of a shape not recognised, or a
/// non-string where a reference belongs), `in_use.reference` (a reference that does not parse),
/// `in_use.limit` (more than 1,000,000 references, or more than 100 errors). Every diagnostic
/// names `source_name`, its line and column, and its JSON pointer for JSON. `value` is set only
/// when there is no error.
[[nodiscard]] parse_result<in_use_list> parse_in_use(std::string_view document,
                                                     std::string_view source_name = "<string>");

/// Reads `file` and parses it with parse_in_use(). `io.read` when it cannot be read (or is a
/// directory), `io.too_large` above 1 GiB. `-` reads standard input, named `<stdin>` in
/// diagnostics.
[[nodiscard]] parse_result<in_use_list> load_in_use(const std::filesystem::path& file);

/// Whether `ref` names `img` of the repository `repository_name` in the registry `registry_id`
/// (docs/in-use.md#matching):
/// - a reference naming a registry host that is not ECR never matches; one naming an ECR
///   registry whose account differs from `registry_id` does not match (when both are known);
/// - a reference naming a repository other than `repository_name` does not match (when both are
///   known; an empty `repository_name` matches every repository);
/// - then a reference with a digest matches the image with that digest (its tag, if any, is
///   ignored: Docker pulls the digest); one without a digest matches the image carrying its tag.
/// The region of an ECR host is not compared: an inventory does not say its region.
[[nodiscard]] bool refers_to(const image_reference& ref, std::string_view repository_name,
                             std::string_view registry_id, const image& img) noexcept;

/// Which references make one image in use.
struct in_use_match {
  /// Indices (into the reference list) of the references that name the image itself, ascending.
  std::vector<std::size_t> refs;
  /// Input indices of the in-use image indexes that list this image (directly or through nested
  /// indexes), ascending: a running multi-platform image runs one of its children.
  std::vector<std::size_t> through;

  /// True when the image runs, named itself or through an index.
  [[nodiscard]] bool in_use() const noexcept { return !refs.empty() || !through.empty(); }
};

/// Matches `refs` to the `images` of one repository with refers_to(); one entry per image, at the
/// same index. With `indexes` (inventory::indexes), the images listed by an in-use index are in
/// use too (in_use_match::through). Linear in refs + images + tags.
[[nodiscard]] std::vector<in_use_match> match_in_use(std::span<const in_use_ref> refs,
                                                     std::string_view repository_name,
                                                     std::string_view registry_id,
                                                     std::span<const image> images,
                                                     std::span<const index_manifest> indexes = {});

/// Collects, over every repository's matches, which references named at least one image, so that
/// the caller can warn about the ones that named nothing (a typo, another registry, an image
/// deleted already). Not thread-safe: add the matches of parallel evaluations one at a time.
class in_use_coverage {
 public:
  /// For a reference list of `ref_count` references.
  explicit in_use_coverage(std::size_t ref_count) : hit_(ref_count, 0) {}

  /// Records the references that name an image in `matches` (one repository's match_in_use()).
  void add(std::span<const in_use_match> matches) noexcept {
    for (const auto& m : matches) {
      for (const std::size_t r : m.refs) {
        if (r < hit_.size()) hit_[r] = 1;
      }
    }
  }
  /// True when reference `ref` named an image of some repository added so far.
  [[nodiscard]] bool matched(std::size_t ref) const noexcept {
    return ref < hit_.size() && hit_[ref] != 0;
  }
  /// Indices of the references that named no image of any repository added, ascending.
  [[nodiscard]] std::vector<std::size_t> unmatched() const {
    std::vector<std::size_t> out;
    for (std::size_t r = 0; r < hit_.size(); ++r) {
      if (hit_[r] == 0) out.push_back(r);
    }
    return out;
  }

 private:
  std::vector<unsigned char> hit_;
};

/// An in-use image that the evaluation would expire or transition.
struct in_use_violation {
  std::size_t image_index = 0;     ///< input index of the image
  fate action = fate::expire;      ///< expire or transition (archived images cannot be pulled)
  std::int64_t rule_priority = 0;  ///< appliedRulePriority of the rule that removes it
  /// relation::referrer when it goes because its subject goes (then `rule_priority` is the rule
  /// acting on the subject); relation::none otherwise.
  relation related = relation::none;
  /// Every reference that makes it in use: its own and those of the indexes listing it,
  /// ascending, without repeats.
  std::vector<std::size_t> refs;
  std::vector<std::size_t> through;  ///< as in_use_match::through
};

/// The in-use images (`matches`, from match_in_use() over the same images) that `result` expires
/// or transitions, oldest first (result.order, ecrlp decision 2). `matches` and
/// `result.decisions` must have one entry per image.
[[nodiscard]] std::vector<in_use_violation> find_violations(std::span<const in_use_match> matches,
                                                            const evaluation_result& result);

}  // namespace ecrlp
