// SPDX-License-Identifier: MIT
#pragma once

// The manual pages (docs.cpp) and the shell completions (completion.cpp), generated from the
// option tables (options.hpp) of every command in commands(): what the parser accepts is what
// they document and complete. ecrlp-docgen (lib/cli/docgen/) writes them at build time.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"

namespace ecrlp::cli {

/// The manual page ecrlp(1), in roff (man(7)): the commands, the global options, the exit status.
[[nodiscard]] std::string man_page();

/// The manual page ecrlp-NAME(1) of one command: its synopsis, description, options (with their
/// value, choices and rules), arguments and exit status.
[[nodiscard]] std::string man_page(const command_def& cmd);

/// The file name of a command's manual page: "ecrlp-preview.1".
[[nodiscard]] std::string man_page_name(const command_def& cmd);

/// The bash completion script (installed as share/bash-completion/completions/ecrlp): commands,
/// each command's options, the values of choice options, file and directory names.
[[nodiscard]] std::string bash_completion();

/// The zsh completion script (`#compdef ecrlp`, installed as share/zsh/vendor-completions/_ecrlp).
[[nodiscard]] std::string zsh_completion();

/// A help text's lines rejoined into running text, for formats that wrap it themselves. A new
/// entry starts at each blank line and at each line that begins with one of `items` followed by
/// ":" or " (" ("json: ...", "table (default): ..." in a --format help); the indentation of
/// continuation lines is dropped, and a word cut at a hyphen ("single-") is joined again.
[[nodiscard]] std::vector<std::string> unwrap(std::string_view text,
                                              std::span<const std::string_view> items = {});

}  // namespace ecrlp::cli
