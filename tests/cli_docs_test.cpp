// SPDX-License-Identifier: MIT
// The man pages and shell completions (lib/cli/docs.hpp) against the option tables they are
// generated from, and against the parser: every option the parser accepts is documented and
// completed, with its choices and its rules; nothing is completed that the parser refuses.
// tests/docs/ checks the files the build writes, with groff and bash.

#ifdef ECRLP_HAVE_CLI

#  include <algorithm>
#  include <regex>
#  include <set>
#  include <string>
#  include <string_view>
#  include <vector>

#  include "app.hpp"
#  include "catch.hpp"
#  include "docs.hpp"
#  include "options.hpp"

namespace {

using namespace ecrlp::cli;

/// The text after the first `begin` and before the next `end` ("" when absent).
std::string between(const std::string& text, const std::string& begin, const std::string& end) {
  auto from = text.find(begin);
  if (from == std::string::npos) return {};
  from += begin.size();
  const auto to = text.find(end, from);
  return text.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

/// Every `--name` in `text`.
std::set<std::string> options_in(const std::string& text) {
  static const std::regex option(R"(--[a-z][a-z-]*)");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), option);
       it != std::sregex_iterator(); ++it) {
    out.insert(it->str());
  }
  return out;
}

/// "--max-rows" as roff writes it: "\-\-max\-rows".
std::string roff_dashes(std::string_view text) {
  std::string out;
  for (const char c : text) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

std::set<std::string> table_options(const command_def& cmd) {
  std::set<std::string> out{"--help"};
  for (const auto& o : cmd.options) out.insert("--" + std::string(o.name));
  return out;
}

std::string bash_block(const command_def& cmd) {
  return between(bash_completion(), "\n    " + std::string(cmd.name) + ")\n", "\n      ;;\n");
}

std::string zsh_block(const command_def& cmd) {
  return between(zsh_completion(), "\n        " + std::string(cmd.name) + ")\n",
                 "\n          ;;\n");
}

std::string joined(std::span<const std::string_view> words) {
  std::string out;
  for (const auto w : words) out += (out.empty() ? "" : " ") + std::string(w);
  return out;
}

}  // namespace

TEST_CASE("docs: every option the parser accepts is in the man page and both completions",
          "[docs]") {
  REQUIRE(!commands().empty());
  for (const command_def* cmd : commands()) {
    INFO("command " << cmd->name);
    const std::string man = man_page(*cmd);
    const std::string bash = bash_block(*cmd);
    const std::string zsh = zsh_block(*cmd);
    REQUIRE(!bash.empty());
    REQUIRE(!zsh.empty());
    CHECK(man.find("\n.TH ECRLP\\-") != std::string::npos);
    for (const auto& o : cmd->options) {
      INFO("option --" << o.name);
      // The parser accepts it: whatever else is wrong with this command line, not the option.
      command_line cl;
      const std::string flag = "--" + std::string(o.name);
      std::vector<std::string_view> args{flag};
      if (o.type == value_type::choice) args.push_back(o.choices.front());
      if (o.type != value_type::none && o.type != value_type::choice) args.emplace_back("x");
      const auto error = parse_command_line(*cmd, args, cl);
      CHECK_FALSE((error && error->find("unknown option") != std::string::npos));

      CHECK(man.find("\\fB" + roff_dashes(flag) + "\\fR") != std::string::npos);
      if (!o.value.empty()) {
        CHECK(man.find("\\fB" + roff_dashes(flag) + "\\fR \\fI" + std::string(o.value)) !=
              std::string::npos);
      }
      CHECK(options_in(bash).contains(flag));
      CHECK(zsh.find("--" + std::string(o.name) + (o.type == value_type::none ? "[" : "=[")) !=
            std::string::npos);
      for (const auto& choice : o.choices)
        CHECK(man.find(roff_dashes(choice)) != std::string::npos);
      if (o.type == value_type::choice) {
        CHECK(bash.find(flag + ") _ecrlp_words '" + joined(o.choices) + "'") != std::string::npos);
        CHECK(zsh.find(":(" + joined(o.choices) + ")'") != std::string::npos);
      }
      if (o.type == value_type::file || o.type == value_type::output) {
        CHECK(std::regex_search(bash, std::regex("[|\\s]" + flag + "[|)][^\\n]*_ecrlp_files")));
        CHECK(zsh.find("]:" + std::string(o.value) + ":_files'") != std::string::npos);
      }
      if (o.type == value_type::directory) {
        CHECK(std::regex_search(bash, std::regex("[|\\s]" + flag + "[|)][^\\n]*_ecrlp_dirs")));
        CHECK(zsh.find("]:" + std::string(o.value) + ":_files -/'") != std::string::npos);
      }
    }
    // Both completions offer exactly the options the parser knows (and --help).
    CHECK(options_in(bash) == table_options(*cmd));
    std::set<std::string> zsh_options = options_in(zsh);
    CHECK(zsh_options == table_options(*cmd));
    // The rules are stated.
    for (const auto& r : cmd->rules) {
      INFO("rule on --" << r.option);
      if (r.what == option_rule::kind::required) CHECK(man.find("Required") != std::string::npos);
      if (r.what == option_rule::kind::needs) {
        CHECK(man.find("Only with " + roff_dashes("--" + std::string(r.other))) !=
              std::string::npos);
      }
      if (r.what == option_rule::kind::excludes) {
        CHECK(man.find("Not with " + roff_dashes("--" + std::string(r.other))) !=
              std::string::npos);
        // In _arguments, each of the two lists the other among those it excludes: "(--a --b)".
        const auto excludes = [&](std::string_view spec, std::string_view other) {
          return std::regex_search(zsh, std::regex("'\\(([^)]* )?--" + std::string(other) +
                                                   "[ )][^\n]*--" + std::string(spec) + "=?\\["));
        };
        CHECK(excludes(r.option, r.other));
        CHECK(excludes(r.other, r.option));
      }
    }
    if (cmd->positional.max > 0) {
      CHECK(man.find(".SH ARGUMENTS") != std::string::npos);
      CHECK(bash.find("' yes ;;") != std::string::npos);
      CHECK(zsh.find(":" + std::string(cmd->positional.name) + ":_files'") != std::string::npos);
    } else {
      CHECK(bash.find("' no ;;") != std::string::npos);
    }
  }
}

TEST_CASE("docs: ecrlp(1) lists every command and exit code, both completions every command",
          "[docs]") {
  const std::string man = man_page();
  const std::string bash = bash_completion();
  const std::string zsh = zsh_completion();
  const std::string first_words = between(bash, "_ecrlp_words '", "'");
  for (const command_def* cmd : commands()) {
    INFO("command " << cmd->name);
    CHECK(man.find(".TP\n\\fB" + roff_dashes(cmd->name) + "\\fR\n") != std::string::npos);
    CHECK(man.find(".BR ecrlp\\-" + roff_dashes(cmd->name) + " (1)") != std::string::npos);
    CHECK(man_page_name(*cmd) == "ecrlp-" + std::string(cmd->name) + ".1");
    CHECK((" " + first_words + " ").find(" " + std::string(cmd->name) + " ") != std::string::npos);
    CHECK(zsh.find("        '" + std::string(cmd->name) + ":") != std::string::npos);
  }
  CHECK(first_words.ends_with("--help --version"));
  for (const auto& e : exit_code_docs) {
    CHECK(man.find(".TP\n\\fB" + std::to_string(static_cast<int>(e.code)) + "\\fR\n") !=
          std::string::npos);
  }
  CHECK(zsh.starts_with("#compdef ecrlp\n"));
  CHECK(bash.find("\ncomplete -F _ecrlp ecrlp\n") != std::string::npos);
}

TEST_CASE("docs: the man pages are plain man(7) roff", "[docs]") {
  static const std::set<std::string> macros{".TH", ".SH", ".TP", ".PP",  ".IP",
                                            ".BR", ".br", ".nh", ".\\\""};
  std::vector<std::string> pages{man_page()};
  for (const command_def* cmd : commands()) pages.push_back(man_page(*cmd));
  for (const auto& page : pages) {
    INFO(page.substr(0, page.find('\n', page.find(".TH"))));
    std::size_t at = 0;
    while (at < page.size()) {
      const std::size_t end = page.find('\n', at);
      REQUIRE(end != std::string::npos);  // every line ends
      const std::string line = page.substr(at, end - at);
      at = end + 1;
      INFO("line: " << line);
      CHECK_FALSE(line.empty());  // a blank line is a paragraph break in roff: use .PP
      if (line.empty()) continue;
      CHECK(line[0] != ' ');
      CHECK(line[0] != '\'');
      if (line[0] == '.') CHECK(macros.contains(line.substr(0, line.find(' '))));
      CHECK(std::all_of(line.begin(), line.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    }
  }
}

TEST_CASE("docs: unwrap rejoins wrapped help text", "[docs]") {
  using v = std::vector<std::string>;
  CHECK(unwrap("one\ntwo") == v{"one two"});
  CHECK(unwrap("a single-\nrepository table") == v{"a single-repository table"});
  CHECK(unwrap("kept -\n> expired") == v{"kept - > expired"});
  CHECK(unwrap("first.\n\nsecond\nline\n") == v{"first.", "second line"});
  constexpr std::string_view formats[] = {"table", "json"};
  CHECK(unwrap("table (default): a report.\njson: the shape of\n      `aws` output.\njsonish",
               formats) ==
        v{"table (default): a report.", "json: the shape of `aws` output. jsonish"});
  CHECK(unwrap("") == v{});
}

#endif  // ECRLP_HAVE_CLI
