// SPDX-License-Identifier: MIT
#include "app.hpp"

#include <ecrlp/version.hpp>

#include <algorithm>
#include <ostream>
#include <string>

#include "commands.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view main_help = R"(ecrlp - offline simulator of Amazon ECR lifecycle policies

Usage:
  ecrlp validate [--format text|json] [--registry DIR] POLICY...
  ecrlp preview --policy FILE --images FILE [--images FILE ...] [--now TIME]
                [--format table|json|csv|html] [--max-rows N]
  ecrlp preview --registry DIR [--policy FILE] [--in-use FILE ...] [--fail-on-in-use]
                [--price-standard USD] [--price-archive USD] [--format table|json|csv|html]
  ecrlp test [--junit FILE] [--format text] CASE...
  ecrlp explain --policy FILE --images FILE [--images FILE ...] [--now TIME]
                [--image DIGEST_OR_TAG ...] [--format text|json]
  ecrlp diff --policy OLD --policy NEW --images FILE [--images FILE ...] [--now TIME]
             [--format table|json|csv|html] [--max-rows N]
  ecrlp lint POLICY [--images FILE ...] [--now TIME] [--format text|json]
             [--fail-on warning|error] [--max-remove-percent N]
  ecrlp simulate --policy FILE --images FILE [--images FILE ...] --from TIME --to TIME
                 [--every 1d] [--mode replay|static] [--watch DIGEST_OR_TAG ...]
                 [--push-rate TEMPLATE=N ...] [--format table|json|csv|html] [--max-rows N]
  ecrlp simulate --registry DIR [--policy FILE] --from TIME --to TIME [same options]
  ecrlp COMMAND --help
  ecrlp --version

Commands:
  validate   Check lifecycle policies against every rule ECR enforces.
  preview    Show which images a policy would expire or archive, and why.
  test       Run unit tests of policies: case files of images and expected fates.
  explain    Say why each image is kept, expired or transitioned, and what protected it.
  diff       Show which images change fate when one policy replaces another.
  lint       Warn about valid policies that probably do not do what was meant.
  simulate   Apply a policy day after day: what it removes and archives, and when.

Images: --images FILE... [--manifests FILE...] for one repository, or --registry DIR (a snapshot
from examples/export-registry.sh) for all; --independent-images ignores indexes and referrers.
--in-use FILE marks running images (preview, explain, simulate).

Exit status: 0 success, 1 invalid policy or inventory, 2 usage error, 3 unreadable file,
4 an in-use image would be expired or transitioned (--fail-on-in-use).
Documentation: docs/cli.md
)";

struct command {
  std::string_view name;
  int (*run)(std::span<const std::string_view>, std::ostream&, std::ostream&);
};

// Every command, in the order `ecrlp --help` lists them.
constexpr command commands[] = {
    {"validate", cmd_validate},
    {"preview", cmd_preview},
    {"test", cmd_test},
    {"explain", cmd_explain},
    {"diff", cmd_diff},
    {"lint", cmd_lint},
    {"simulate", cmd_simulate},
};

}  // namespace

int run(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << main_help;
    return exit_usage;
  }
  const std::string_view name = args.front();
  if (name == "-h" || name == "--help" || name == "help") {
    out << main_help;
    return exit_ok;
  }
  if (name == "--version" || name == "version") {
    out << "ecrlp " << version_string << "\n";
    return exit_ok;
  }
  const auto* it = std::find_if(std::begin(commands), std::end(commands),
                                [&](const command& c) { return c.name == name; });
  if (it == std::end(commands)) {
    return usage_error(err, "", "unknown command '" + std::string(name) + "'");
  }
  return it->run(args.subspan(1), out, err);
}

}  // namespace ecrlp::cli
