// SPDX-License-Identifier: MIT
#pragma once

// Pieces every ecrlp command shares: option parsing, usage errors, loading inputs.

#include <ecrlp/image.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/registry_report.hpp>
#include <ecrlp/time.hpp>

#include <initializer_list>
#include <iosfwd>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::cli {

/// One `--name VALUE` option (or `--name` flag) a command accepts.
struct option_spec {
  std::string_view name;
  bool repeatable = false;
  bool flag = false;  ///< takes no value; recorded with the value "" (`--name=x` is an error)
};

/// A parsed command line: options by name (in order given), positional arguments, --help.
struct command_line {
  std::map<std::string, std::vector<std::string>, std::less<>> options;
  std::vector<std::string> positional;
  bool help = false;

  /// The last value of an option, if given.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  /// Every value of a repeatable option, in order.
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
  /// True when the option (or flag) was given.
  [[nodiscard]] bool has(std::string_view name) const { return options.find(name) != options.end(); }
};

/// Parses `--name value`, `--name=value`, `--flag`, `-h`/`--help`, `--` and positional
/// arguments; options take a value unless their spec is a flag. Returns an error message on
/// failure.
[[nodiscard]] std::optional<std::string> parse_command_line(std::span<const std::string_view> args,
                                                            std::span<const option_spec> specs,
                                                            command_line& cl);

/// Prints `ecrlp COMMAND: MESSAGE` and a hint to stderr; returns exit_usage.
int usage_error(std::ostream& err, std::string_view command, std::string_view message);

/// Exit status for diagnostics: exit_io when a file could not be read, exit_invalid for other
/// errors, else exit_ok.
[[nodiscard]] int status_for(const std::vector<diagnostic>& diags);

/// An error message when `format` is given and not one of `allowed`.
[[nodiscard]] std::optional<std::string> check_format(const std::optional<std::string>& format,
                                                      std::initializer_list<std::string_view> allowed);

/// `--now` as an instant, or the current time when absent. On a bad value prints a usage error and
/// returns nullopt.
[[nodiscard]] std::optional<timestamp> now_option(const command_line& cl, std::string_view command,
                                                  std::ostream& err);

/// Loads a policy, printing its diagnostics to `err`. Sets `status` (max of current and this
/// file's) and returns the policy when usable.
[[nodiscard]] std::optional<parsed_policy> load_policy_reporting(const std::string& path,
                                                                 std::ostream& err, int& status);

/// Loads and concatenates inventory pages, printing diagnostics to `err`; as above.
[[nodiscard]] std::optional<inventory> load_images_reporting(const std::vector<std::string>& paths,
                                                             std::ostream& err, int& status);

/// `--max-rows N` (a whole number), or `fallback` when absent. On a bad value prints a usage error
/// and returns nullopt.
[[nodiscard]] std::optional<std::size_t> max_rows_option(const command_line& cl,
                                                         std::string_view command,
                                                         std::size_t fallback, std::ostream& err);

// ---- Inputs shared by the commands that read images (docs/cli.md#images-and-registries) -------

/// The option specs of image inputs: `--images FILE...`, `--manifests FILE...`, `--registry DIR`,
/// `--independent-images`.
inline constexpr option_spec images_option = {"images", true};
inline constexpr option_spec manifests_option = {"manifests", true};
inline constexpr option_spec registry_option = {"registry"};
inline constexpr option_spec independent_images_option = {"independent-images", false, true};
/// `--in-use FILE...` and `--fail-on-in-use`.
inline constexpr option_spec in_use_option = {"in-use", true};
inline constexpr option_spec fail_on_in_use_option = {"fail-on-in-use", false, true};
/// `--price-standard USD` and `--price-archive USD` (per GB-month).
inline constexpr option_spec price_standard_option = {"price-standard"};
inline constexpr option_spec price_archive_option = {"price-archive"};

/// The images a command works on: one repository (`--images`, with `--manifests`) or a registry
/// snapshot (`--registry`).
struct image_input {
  std::optional<inventory> single;            ///< `--images` pages (+ `--manifests` indexes)
  std::optional<registry_snapshot> registry;  ///< `--registry DIR`
  bool independent_images = false;            ///< `--independent-images`

  [[nodiscard]] bool is_registry() const noexcept { return registry.has_value(); }
};

/// Checks the image options of `cl`: `--images` and `--registry` are mutually exclusive,
/// `--manifests` needs `--images`, one of them is required when `required`. Returns a usage
/// message on failure.
[[nodiscard]] std::optional<std::string> check_image_options(const command_line& cl,
                                                             bool required = true);

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
  std::optional<parsed_policy> override_policy;  ///< its policy
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

/// `s` as a JSON string literal (quotes and escapes).
[[nodiscard]] std::string json_string(std::string_view s);

/// True when a price option was given.
[[nodiscard]] bool prices_given(const command_line& cl);

}  // namespace ecrlp::cli
