// SPDX-License-Identifier: MIT
#pragma once

// Pieces every ecrlp command shares: option parsing, usage errors, loading inputs.

#include <ecrlp/image.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
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

/// One `--name VALUE` option a command accepts.
struct option_spec {
  std::string_view name;
  bool repeatable = false;
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
};

/// Parses `--name value`, `--name=value`, `-h`/`--help`, `--` and positional arguments; every
/// option takes a value. Returns an error message on failure.
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

}  // namespace ecrlp::cli
