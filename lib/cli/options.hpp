// SPDX-License-Identifier: MIT
#pragma once

// The command line, declared once: every command is a table of its options, the rules between
// them and its help texts (cmd_*.cpp). The parser, the usage errors, `--help`, the man pages
// and the shell completions (lib/cli/docs.cpp, completion.cpp) are all generated from these tables.

#include <cstddef>
#include <iosfwd>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::cli {

/// What an option's value is, for completion and the man pages.
enum class value_type : unsigned char {
  none,       ///< a flag: takes no value
  file,       ///< a file read ("-": standard input)
  output,     ///< a file written
  directory,  ///< a directory
  time,       ///< ISO-8601 with an offset, or epoch seconds
  number,     ///< a number
  text,       ///< anything else (a tag, a digest, a template)
  choice      ///< one of `choices`
};

/// One `--name VALUE` option (or `--name` flag) of a command.
struct option_def {
  std::string_view name;         ///< without the dashes
  std::string_view value;        ///< the value's placeholder in help ("FILE"); "" for a flag
  value_type type = value_type::none;
  /// The help text: sentences; lines after the first are continuation lines, already wrapped.
  std::string_view help;
  bool repeatable = false;
  std::span<const std::string_view> choices = {};  ///< the values a choice takes, default first
};

/// A rule between options, checked after parsing; its message is generated from the table.
struct option_rule {
  enum class kind : unsigned char {
    required,  ///< `option` must be given, unless `other` is ("--policy FILE is required")
    needs,     ///< `option` is given only with `other` ("--manifests needs --images FILE")
    excludes   ///< `option` and `other` are never given together
  };
  kind what = kind::required;
  std::string_view option;
  std::string_view other;
  std::string_view message = {};  ///< instead of the generated one
};

/// The positional arguments a command takes.
struct positional_def {
  std::string_view name;   ///< "POLICY", "CASE" ("": none is taken)
  std::size_t min = 0;     ///< fewer: "no POLICY file given"
  std::size_t max = 0;     ///< more: "give exactly one POLICY file" (or "unexpected argument")
  std::string_view unless; ///< an option that makes them optional (`--registry`)
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

/// One command: its tables and its help texts.
struct command_def {
  std::string_view name;
  std::string_view summary;                  ///< one line for `ecrlp --help` and the man page
  std::span<const std::string_view> usage;   ///< after "ecrlp NAME "
  std::string_view description;              ///< paragraphs, wrapped
  std::span<const option_def> options;
  std::span<const option_rule> rules = {};
  positional_def positional = {};
  std::string_view exit_status = {};         ///< "Exit status: ..." paragraph, wrapped
  /// Runs the command on a command line that passed the tables' checks.
  int (*run)(const command_line&, std::ostream& out, std::ostream& err) = nullptr;
};

/// Every command, in the order `ecrlp --help` lists them.
[[nodiscard]] std::span<const command_def* const> commands() noexcept;

/// The command named `name`, or nullptr.
[[nodiscard]] const command_def* find_command(std::string_view name) noexcept;

/// The option `name` of `cmd`, or nullptr.
[[nodiscard]] const option_def* find_option(const command_def& cmd, std::string_view name) noexcept;

/// Parses `args` against the command's options (`--name value`, `--name=value`, `--flag`,
/// `-h`/`--help`, `--`, positional arguments), then checks choices, the command's rules and its
/// positional arguments. Returns the usage error's message on failure.
[[nodiscard]] std::optional<std::string> parse_command_line(const command_def& cmd,
                                                            std::span<const std::string_view> args,
                                                            command_line& cl);

/// The `--help` text of a command, and of `ecrlp` itself.
[[nodiscard]] std::string command_help(const command_def& cmd);
[[nodiscard]] std::string main_help();

/// `option` as help prints it: "--images FILE", "--fail-on-in-use".
[[nodiscard]] std::string option_synopsis(const option_def& option);

}  // namespace ecrlp::cli
