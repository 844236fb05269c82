// SPDX-License-Identifier: MIT
#pragma once

// Pieces every ecrlp command shares: the options several take, usage errors, loading inputs.

#include <ecrlp/image.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/time.hpp>

#include <initializer_list>
#include <iosfwd>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"
#include "policy_input.hpp"

namespace ecrlp::cli {

/// Prints `ecrlp COMMAND: MESSAGE` and a hint to stderr; returns exit_usage.
int usage_error(std::ostream& err, std::string_view command, std::string_view message);

/// Exit status for diagnostics: exit_io when a file could not be read, exit_invalid for other
/// errors, else exit_ok.
[[nodiscard]] int status_for(const std::vector<diagnostic>& diags);

/// `--now` as an instant, or the current time when absent. On a bad value prints a usage error and
/// returns nullopt.
[[nodiscard]] std::optional<timestamp> now_option(const command_line& cl, std::string_view command,
                                                  std::ostream& err);

/// Loads the one policy `arg` names (a policy file, or FILE#ADDRESS of infrastructure code; the
/// --policy-format of `cl`), printing diagnostics to `err`. Sets `status` (max of current and
/// this file's; exit_usage when the file holds several policies and no ADDRESS picks one) and
/// returns the policy when usable.
[[nodiscard]] std::optional<parsed_policy> load_policy_reporting(const command_line& cl,
                                                                 std::string_view arg,
                                                                 std::string_view command,
                                                                 std::ostream& err, int& status);

/// Loads and concatenates inventory pages, printing diagnostics to `err`; as above.
[[nodiscard]] std::optional<inventory> load_images_reporting(const std::vector<std::string>& paths,
                                                             std::ostream& err, int& status);

// ---- Options several commands share (their help text is written once, here) -----------------

/// The formats of the commands whose report is mostly tables, and of those that write sentences.
inline constexpr std::string_view table_formats[] = {"table", "json", "csv", "html", "markdown"};
inline constexpr std::string_view text_formats[] = {"text", "json", "markdown"};

inline constexpr option_def images_option = {
    "images", "FILE", value_type::file,
    "`aws ecr describe-images` output ({\"imageDetails\": [...]} or a bare array).\n"
    "Repeat for several pages; they are concatenated in order. Export with\n"
    "`--filter imageStatus=ANY` to include archived images. - reads standard input.",
    true};
inline constexpr option_def manifests_option = {
    "manifests", "FILE", value_type::file,
    "`aws ecr batch-get-image` output with the repository's image indexes\n"
    "(repeatable): images listed by a live index are not acted on.",
    true};
inline constexpr option_def registry_option = {
    "registry", "DIR", value_type::directory,
    "A registry snapshot (examples/export-registry.sh): every repository, evaluated\n"
    "in parallel; results per repository and in total."};
inline constexpr option_def independent_images_option = {
    "independent-images", "", value_type::none,
    "Evaluate every image on its own: ignore index manifests and referrers."};
inline constexpr option_def in_use_option = {
    "in-use", "FILE", value_type::file,
    "Images that are running (repeatable): references one per line, or JSON\n"
    "(kubectl get pods -o json, ECS task definitions or tasks). An in-use image\n"
    "the policy would expire or transition is a violation, reported first.",
    true};
inline constexpr option_def fail_on_in_use_option = {
    "fail-on-in-use", "", value_type::none,
    "Exit 4 when there is a violation (after printing the report)."};
inline constexpr option_def price_standard_option = {
    "price-standard", "USD", value_type::number,
    "Standard storage price per GB-month (default 0.10)."};
inline constexpr option_def price_archive_option = {
    "price-archive", "USD", value_type::number,
    "Archive storage price per GB-month (default 0.10)."};
inline constexpr option_def now_option_def = {
    "now", "TIME", value_type::time,
    "The instant to evaluate at: ISO-8601 with offset (2026-11-28T00:00:00Z)\n"
    "or epoch seconds. Default: the current time."};
inline constexpr option_def max_chars_option = {
    "max-chars", "N", value_type::number,
    "markdown: the most characters of the whole report (default 65536, a GitHub\n"
    "comment's limit). Lists are cut to fit, never totals; the report says so."};

/// The rules between the image options: `--images` and `--registry` exclude each other, and
/// `--manifests` goes with `--images`.
inline constexpr option_rule image_rules[] = {
    {option_rule::kind::excludes, "images", "registry"},
    {option_rule::kind::excludes, "manifests", "registry",
     "--manifests goes with --images (a registry snapshot holds its own manifests)"},
    {option_rule::kind::needs, "manifests", "images"},
};

/// `--max-rows N` (a whole number), or nullopt when absent. On a bad value prints a usage error
/// and sets `bad`.
[[nodiscard]] std::optional<std::size_t> max_rows_option(const command_line& cl,
                                                         std::string_view command, bool& bad,
                                                         std::ostream& err);

/// The output format `--format` names (default: text), and the render options `--max-rows` and
/// `--max-chars` ask for. On a bad value prints a usage error and returns nullopt.
struct report_choice {
  output_format format = output_format::text;
  render_options options;
};
[[nodiscard]] std::optional<report_choice> report_option(const command_line& cl,
                                                         std::string_view command,
                                                         std::ostream& err);

/// A file argument as reports name it: `<stdin>` for "-" (as the diagnostics do), else itself.
[[nodiscard]] std::string display_name(std::string_view path);

/// Writes diagnostics to `err` as compiler-style lines.
void report(std::ostream& err, std::span<const diagnostic> diags);

/// The images a command works on: one repository (`--images`, with `--manifests`) or a registry
/// snapshot (`--registry`).
struct image_input {
  std::optional<inventory> single;            ///< `--images` pages (+ `--manifests` indexes)
  std::optional<registry_snapshot> registry;  ///< `--registry DIR`
  bool independent_images = false;            ///< `--independent-images`

  [[nodiscard]] bool is_registry() const noexcept { return registry.has_value(); }
};

/// Loads what check_image_options() accepted, printing diagnostics to `err` (a registry's failed
/// repositories are reported and skipped; they raise `status` to exit_invalid). Sets `status` as
/// load_images_reporting() does; nullopt when nothing usable was loaded. With neither option,
/// returns an input with neither member.
[[nodiscard]] std::optional<image_input> load_image_input(const command_line& cl,
                                                          std::ostream& err, int& status);

/// `--in-use FILE...`: every file's references, concatenated in order (indices into `refs` are
/// what in_use_match and in_use_violation hold).
struct in_use_input {
  bool given = false;        ///< at least one `--in-use`
  bool fail = false;         ///< `--fail-on-in-use`
  std::vector<in_use_ref> refs;
};

/// Loads the `--in-use` files, printing diagnostics; nullopt (with `status` raised) when one is
/// unusable. `--fail-on-in-use` without `--in-use` is a usage error (status = exit_usage).
[[nodiscard]] std::optional<in_use_input> load_in_use_reporting(const command_line& cl,
                                                                std::string_view command,
                                                                std::ostream& err, int& status);

/// Writes a warning to `err` for every reference that named no image (`unmatched`, indices into
/// `refs`), one line each, with its file and line.
void warn_unmatched(std::ostream& err, std::string_view command, std::span<const in_use_ref> refs,
                    std::span<const std::size_t> unmatched);

/// The inputs of a `--registry` run of preview or simulate: `--policy` (applied to every
/// repository instead of its own), `--in-use` and the snapshot.
struct registry_run {
  std::optional<std::string> policy_path;      ///< `--policy`, when given
  std::optional<parsed_policy> override_policy;  ///< its policy, when it is one for every repository
  /// Several policies of infrastructure code, each for the repository it names (preview only):
  /// they replace those repositories' own policies.
  std::vector<sourced_policy> repository_policies;
  std::vector<repository_policy> by_repository;  ///< views of repository_policies
  in_use_input in_use;                         ///< `--in-use` / `--fail-on-in-use`
  image_input input;                           ///< with `registry` set

  [[nodiscard]] const registry_snapshot& snapshot() const { return *input.registry; }
  /// The policy to apply to every repository, or nullptr (each its own).
  [[nodiscard]] const lifecycle_policy* override() const {
    return override_policy ? &override_policy->policy : nullptr;
  }
};

/// Loads `--policy` (when given), then `--in-use` (load_in_use_reporting()), then the snapshot
/// (load_image_input()), printing diagnostics to `err` and raising `status`. nullopt when one of
/// them is unusable (`status` is then the exit status: at least exit_invalid when the snapshot is
/// missing).
[[nodiscard]] std::optional<registry_run> load_registry_run(const command_line& cl,
                                                            std::string_view command,
                                                            std::ostream& err, int& status);

/// `--price-standard` / `--price-archive` over the defaults of storage_prices. On a bad value
/// (not a finite number >= 0) prints a usage error and returns nullopt.
[[nodiscard]] std::optional<storage_prices> prices_option(const command_line& cl,
                                                          std::string_view command,
                                                          std::ostream& err);

/// The outcome of one repository's evaluation: compute_impact() at `prices` and, when
/// `in_use.given`, match_in_use() (over `indexes` too) and find_violations(); the matches are
/// added to `coverage`.
[[nodiscard]] repository_outcome make_outcome(std::string_view repository_name,
                                              std::string_view registry_id,
                                              std::span<const image> images,
                                              std::span<const index_manifest> indexes,
                                              const evaluation_result& result,
                                              const storage_prices& prices,
                                              const in_use_input& in_use,
                                              in_use_coverage& coverage);

/// A progress bar on stderr for evaluate_registry(): only when `err` is std::cerr and stderr is a
/// terminal; otherwise it does nothing. Redrawn with '\r'; clear() erases it.
class progress_bar {
 public:
  explicit progress_bar(std::ostream& err);
  /// The callback to pass to evaluate_registry() (empty when the bar is off).
  [[nodiscard]] registry_progress callback();
  /// Erases the bar (if drawn).
  void clear();

 private:
  std::ostream& err_;
  bool on_ = false;
  bool drawn_ = false;
  std::int64_t start_ns_ = 0;
};

/// True when a price option was given.
[[nodiscard]] bool prices_given(const command_line& cl);

}  // namespace ecrlp::cli
