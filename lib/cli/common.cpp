// SPDX-License-Identifier: MIT
#include "common.hpp"

#include <ecrlp/manifest_parser.hpp>
#include <ecrlp/render.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <ostream>

#include <unistd.h>

#include "app.hpp"

namespace ecrlp::cli {

int usage_error(std::ostream& err, std::string_view command, std::string_view message) {
  err << "ecrlp" << (command.empty() ? "" : " ") << command << ": " << message << "\n"
      << "Try 'ecrlp " << command << (command.empty() ? "" : " ") << "--help'.\n";
  return exit_usage;
}

int status_for(const std::vector<diagnostic>& diags) {
  const bool io = std::any_of(diags.begin(), diags.end(), [](const diagnostic& d) {
    return d.level == severity::error && d.code.starts_with("io.");
  });
  if (io) return exit_io;
  return has_errors(diags) ? exit_invalid : exit_ok;
}

std::optional<timestamp> now_option(const command_line& cl, std::string_view command,
                                    std::ostream& err) {
  const auto t = cl.get("now");
  if (!t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  }
  if (const auto parsed = parse_timestamp(*t)) return parsed;
  (void)usage_error(err, command,
                    "--now '" + *t +
                        "' is not a time: use ISO-8601 with an offset (2026-11-28T00:00:00Z) or "
                        "epoch seconds");
  return std::nullopt;
}

std::optional<parsed_policy> load_policy_reporting(const command_line& cl, std::string_view arg,
                                                   std::string_view command, std::ostream& err,
                                                   int& status) {
  auto p = load_one_policy_reporting(arg, policy_format_of(cl), command, err, status);
  if (!p) return std::nullopt;
  return std::move(p->policy);
}

std::optional<inventory> load_images_reporting(const std::vector<std::string>& paths,
                                               std::ostream& err, int& status) {
  const std::vector<std::filesystem::path> files(paths.begin(), paths.end());
  auto parsed = load_inventory(files);
  report(err, parsed.diagnostics);
  status = std::max(status, status_for(parsed.diagnostics));
  if (!parsed.ok()) {
    status = std::max(status, static_cast<int>(exit_invalid));
    return std::nullopt;
  }
  return std::move(parsed.value);
}

std::optional<std::size_t> max_rows_option(const command_line& cl, std::string_view command,
                                           bool& bad, std::ostream& err) {
  const auto m = cl.get("max-rows");
  if (!m) return std::nullopt;
  std::size_t n = 0;
  const auto* end = m->data() + m->size();
  const auto [p, ec] = std::from_chars(m->data(), end, n);
  if (ec != std::errc{} || p != end || m->empty()) {
    (void)usage_error(err, command, "--max-rows takes a whole number, not '" + *m + "'");
    bad = true;
    return std::nullopt;
  }
  return n;
}

std::optional<report_choice> report_option(const command_line& cl, std::string_view command,
                                           std::ostream& err) {
  report_choice choice;
  if (const auto f = cl.get("format")) choice.format = parse_output_format(*f).value_or(output_format::text);
  bool bad = false;
  choice.options.max_rows = max_rows_option(cl, command, bad, err);
  if (bad) return std::nullopt;
  if (const auto m = cl.get("max-chars")) {
    std::size_t n = 0;
    const auto* end = m->data() + m->size();
    const auto [p, ec] = std::from_chars(m->data(), end, n);
    if (ec != std::errc{} || p != end || m->empty() || n < 1024) {
      (void)usage_error(err, command,
                        "--max-chars takes a whole number of at least 1024, not '" + *m + "'");
      return std::nullopt;
    }
    choice.options.max_chars = n;
  }
  return choice;
}

std::string display_name(std::string_view path) {
  return path == "-" ? std::string("<stdin>") : std::string(path);
}

void report(std::ostream& err, std::span<const diagnostic> diags) {
  if (!diags.empty()) render(err, diagnostics_document{diags}, output_format::text);
}

std::optional<image_input> load_image_input(const command_line& cl, std::ostream& err,
                                            int& status) {
  image_input in;
  in.independent_images = cl.has("independent-images");
  if (const auto dir = cl.get("registry")) {
    auto loaded = load_registry(*dir);
    report(err, loaded.diagnostics);
    status = std::max(status, status_for(loaded.diagnostics));
    if (!loaded.ok()) {
      status = std::max(status, static_cast<int>(exit_invalid));
      return std::nullopt;
    }
    for (const auto& repo : loaded.value->repositories) {
      report(err, repo.diagnostics);
      if (repo.failed()) {
        err << "ecrlp: repository '" << repo.name
            << "' has errors (above) and is skipped; the others are evaluated\n";
        status = std::max(status, static_cast<int>(exit_invalid));
      }
    }
    in.registry = std::move(*loaded.value);
    return in;
  }
  const auto paths = cl.all("images");
  if (paths.empty()) return in;
  auto inv = load_images_reporting(paths, err, status);
  if (!inv) return std::nullopt;
  if (const auto manifest_paths = cl.all("manifests"); !manifest_paths.empty()) {
    const std::vector<std::filesystem::path> files(manifest_paths.begin(), manifest_paths.end());
    auto indexes = load_index_manifests(files);
    report(err, indexes.diagnostics);
    status = std::max(status, status_for(indexes.diagnostics));
    if (!indexes.ok()) {
      status = std::max(status, static_cast<int>(exit_invalid));
      return std::nullopt;
    }
    inv->indexes = std::move(*indexes.value);
  }
  in.single = std::move(*inv);
  return in;
}

std::optional<in_use_input> load_in_use_reporting(const command_line& cl, std::string_view command,
                                                  std::ostream& err, int& status) {
  in_use_input in;
  const auto files = cl.all("in-use");
  in.given = !files.empty();
  in.fail = cl.has("fail-on-in-use");
  if (in.fail && !in.given) {
    (void)usage_error(err, command, "--fail-on-in-use needs --in-use FILE");
    status = exit_usage;
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& f : files) {
    auto list = load_in_use(f);
    report(err, list.diagnostics);
    status = std::max(status, status_for(list.diagnostics));
    if (!list.ok()) {
      status = std::max(status, static_cast<int>(exit_invalid));
      ok = false;
      continue;
    }
    for (auto& r : list.value->refs) in.refs.push_back(std::move(r));
  }
  if (!ok) return std::nullopt;
  return in;
}

std::optional<registry_run> load_registry_run(const command_line& cl, std::string_view command,
                                              std::ostream& err, int& status) {
  registry_run run;
  run.policy_path = cl.get("policy");
  if (run.policy_path && command == "preview") {
    // Infrastructure code of several repositories: each policy for the repository it names.
    auto policies = load_policies_reporting(*run.policy_path, policy_format_of(cl), err, status);
    if (!policies) return std::nullopt;
    if (policies->size() == 1) {
      run.override_policy = std::move(policies->front().policy);
    } else {
      for (const auto& p : *policies) {
        if (!p.repository.empty()) continue;
        err << "ecrlp " << command << ": " << p.label
            << " names no repository literally; give it as --policy FILE#ADDRESS to apply it to "
               "every repository\n";
        status = exit_usage;
        return std::nullopt;
      }
      if (status != exit_ok) return std::nullopt;  // a policy of the file is unusable
      run.repository_policies = std::move(*policies);
      for (const auto& p : run.repository_policies) {
        run.by_repository.push_back({p.repository, &p.policy.policy});
      }
    }
  } else if (run.policy_path) {
    run.override_policy = load_policy_reporting(cl, *run.policy_path, command, err, status);
    if (!run.override_policy) return std::nullopt;
  }
  auto in_use = load_in_use_reporting(cl, command, err, status);
  if (!in_use) return std::nullopt;
  run.in_use = std::move(*in_use);
  auto input = load_image_input(cl, err, status);
  if (!input || !input->registry) {
    status = std::max(status, static_cast<int>(exit_invalid));
    return std::nullopt;
  }
  run.input = std::move(*input);
  return run;
}

void warn_unmatched(std::ostream& err, std::string_view command, std::span<const in_use_ref> refs,
                    std::span<const std::size_t> unmatched) {
  for (const std::size_t k : unmatched) {
    if (k >= refs.size()) continue;
    const auto& r = refs[k];
    err << r.source;
    if (r.line != 0) err << ":" << r.line << ":" << r.column;
    err << ": warning[in_use.unmatched]";
    if (!r.pointer.empty()) err << " at " << r.pointer;
    err << ": ecrlp " << command << ": in-use reference '" << r.text
        << "' names no image of the repositories evaluated\n";
  }
}

namespace {

std::optional<double> parse_price(const command_line& cl, std::string_view name,
                                  std::string_view command, std::ostream& err) {
  const auto v = cl.get(name);
  if (!v) return std::nullopt;
  double d = 0;
  const auto* end = v->data() + v->size();
  const auto [p, ec] = std::from_chars(v->data(), end, d, std::chars_format::fixed);
  if (v->empty() || ec != std::errc{} || p != end || !std::isfinite(d) || d < 0) {
    (void)usage_error(err, command,
                      "--" + std::string(name) + " takes a price in US dollars per GB-month (e.g. " +
                          "0.10), not '" + *v + "'");
    return -1.0;
  }
  return d;
}

}  // namespace

std::optional<storage_prices> prices_option(const command_line& cl, std::string_view command,
                                            std::ostream& err) {
  storage_prices p;
  if (const auto s = parse_price(cl, "price-standard", command, err)) {
    if (*s < 0) return std::nullopt;
    p.standard_per_gb_month = *s;
  }
  if (const auto a = parse_price(cl, "price-archive", command, err)) {
    if (*a < 0) return std::nullopt;
    p.archive_per_gb_month = *a;
  }
  return p;
}

repository_outcome make_outcome(std::string_view repository_name, std::string_view registry_id,
                                std::span<const image> images,
                                std::span<const index_manifest> indexes,
                                const evaluation_result& result, const storage_prices& prices,
                                const in_use_input& in_use, in_use_coverage& coverage) {
  repository_outcome o;
  o.name = repository_name;
  o.images = images;
  o.result = &result;
  o.effect = compute_impact(images, result, prices);
  if (in_use.given) {
    o.matches = match_in_use(in_use.refs, repository_name, registry_id, images, indexes);
    o.violations = find_violations(o.matches, result);
    coverage.add(o.matches);
  }
  return o;
}

progress_bar::progress_bar(std::ostream& err) : err_{err} {
  on_ = &err == &std::cerr && ::isatty(2) == 1;
  start_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::steady_clock::now().time_since_epoch())
                  .count();
}

registry_progress progress_bar::callback() {
  if (!on_) return {};
  return [this](std::size_t done, std::size_t total, std::size_t images) {
    const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    const double secs = static_cast<double>(now_ns - start_ns_) / 1e9;
    constexpr std::size_t width = 30;
    const std::size_t filled = total == 0 ? width : done * width / total;
    std::string bar(filled, '#');
    bar.append(width - filled, '.');
    const double rate = secs > 0 ? static_cast<double>(images) / secs : 0.0;
    err_ << "\r[" << bar << "] " << done << "/" << total << " repositories, "
         << static_cast<std::uint64_t>(rate) << " images/s " << std::flush;
    drawn_ = true;
  };
}

void progress_bar::clear() {
  if (!drawn_) return;
  err_ << "\r" << std::string(79, ' ') << "\r" << std::flush;
  drawn_ = false;
}

bool prices_given(const command_line& cl) {
  return cl.has("price-standard") || cl.has("price-archive");
}

}  // namespace ecrlp::cli
