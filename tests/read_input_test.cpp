// SPDX-License-Identifier: MIT
// Standard input ("-") for every loader, and the input module they share (lib/read/input.hpp).
//
// Standard input is descriptor 0: each test puts a pipe there (a thread writes the text into it),
// runs the loader, and puts the old descriptor back. ctest runs every test case in a process of
// its own; run in one process, the tests restore what they change.

#include "catch.hpp"
#include "test_files.hpp"

#include <ecrlp/in_use.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/manifest_parser.hpp>
#include <ecrlp/policy_parser.hpp>

#include "read/input.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
const fs::path data_dir{ECRLP_TEST_DATA};

/// Runs `load` with standard input reading `text` from a pipe, then restores descriptor 0. The
/// writer may be left with bytes nobody reads (a loader that stops at a limit): the read end is
/// closed before the writer is joined, and SIGPIPE is ignored meanwhile.
template <class Load>
auto with_stdin_pipe(std::string text, Load load) {
  int fds[2] = {-1, -1};
  REQUIRE(::pipe(fds) == 0);
  const int saved = ::dup(0);
  REQUIRE(saved >= 0);
  REQUIRE(::dup2(fds[0], 0) == 0);
  ::close(fds[0]);
  const auto old_handler = std::signal(SIGPIPE, SIG_IGN);
  std::thread writer([fd = fds[1], text = std::move(text)] {
    std::size_t done = 0;
    while (done < text.size()) {
      const auto n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
  auto result = load();
  ::dup2(saved, 0);  // closes the pipe's read end: a blocked writer gets EPIPE
  ::close(saved);
  writer.join();
  std::signal(SIGPIPE, old_handler);
  return result;
}

/// Runs `load` with standard input redirected from the file `path`, then restores descriptor 0.
template <class Load>
auto with_stdin_file(const fs::path& path, Load load) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  const int saved = ::dup(0);
  REQUIRE(::dup2(fd, 0) == 0);
  ::close(fd);
  auto result = load();
  ::dup2(saved, 0);
  ::close(saved);
  return result;
}

/// Everything a diagnostic says, on one line.
std::string describe(const ecrlp::diagnostic& d) {
  return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ":" +
         std::to_string(d.byte) + ": " + d.pointer + ": " + d.code + ": " + d.message;
}

std::vector<std::string> describe_all(const std::vector<ecrlp::diagnostic>& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(describe(d));
  return out;
}

/// A describe-images page of `n` images, pretty-printed as the AWS CLI writes it (about 330 bytes
/// an image), with a bad timestamp in image 7 and image 9's digest repeated by the last image.
std::string generated_page(int n) {
  std::string doc = "{\n    \"imageDetails\": [\n";
  for (int k = 0; k < n; ++k) {
    const int digest = k + 1 == n ? 9 : k;
    doc += "        {\n            \"registryId\": \"012345678910\",\n";
    doc += "            \"repositoryName\": \"app\",\n";
    doc += "            \"imageDigest\": \"sha256:" + std::string(56, 'c') +
           std::to_string(10000000 + digest) + "\",\n";
    doc += "            \"imageTags\": [\n                \"build-" + std::to_string(k) +
           "\"\n            ],\n";
    doc += "            \"imageSizeInBytes\": " + std::to_string(1000 + k) + ",\n";
    doc += std::string("            \"imagePushedAt\": \"") +
           (k == 7 ? "2021-02-30T10:00:00+00:00" : "2023-09-27T00:06:14.575000+08:00") + "\"\n";
    doc += k + 1 < n ? "        },\n" : "        }\n";
  }
  doc += "    ],\n    \"nextToken\": \"more\"\n}\n";
  return doc;
}

}  // namespace

TEST_CASE("load_policy(\"-\") reads standard input, named <stdin>", "[read_input]") {
  const std::string text = test_files::read_text(data_dir / "policies/valid/fifty-rules.json");
  REQUIRE_FALSE(text.empty());
  const auto from_stdin = with_stdin_pipe(text, [] { return ecrlp::load_policy("-"); });
  const auto from_memory = ecrlp::parse_policy(text, "<stdin>");
  REQUIRE(from_stdin.ok());
  CHECK(from_stdin.value->policy.rules.size() == from_memory.value->policy.rules.size());
  CHECK(from_stdin.value->text == text);

  SECTION("diagnostics about the content name <stdin>, at the same places") {
    const std::string broken = "{\"rules\": [{\"rulePriority\": \"1\"}]}";
    const auto r = with_stdin_pipe(broken, [] { return ecrlp::load_policy("-"); });
    REQUIRE_FALSE(r.diagnostics.empty());
    CHECK(r.diagnostics[0].file == "<stdin>");
    CHECK(describe_all(r.diagnostics) ==
          describe_all(ecrlp::parse_policy(broken, "<stdin>").diagnostics));
  }
  SECTION("a pipe longer than 16 MiB is io.too_large, found while reading") {
    const auto r = with_stdin_pipe(std::string((std::size_t{16} << 20) + 1, ' '),
                                   [] { return ecrlp::load_policy("-"); });
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "io.too_large");
    CHECK(r.diagnostics[0].file == "<stdin>");
    CHECK(r.diagnostics[0].message ==
          "<stdin> is larger than 16 MiB; no lifecycle policy document is that big");
  }
  SECTION("a file redirected to standard input") {
    const auto r = with_stdin_file(data_dir / "policies/valid/fifty-rules.json",
                                   [] { return ecrlp::load_policy("-"); });
    REQUIRE(r.ok());
    CHECK(r.value->text == text);
  }
}

TEST_CASE("load_inventory reads a page \"-\" from standard input", "[read_input]") {
  SECTION("a large page (windows over the buffer) gives what parse_inventory gives") {
    const std::string page = generated_page(20000);
    REQUIRE(page.size() > (std::size_t{4} << 20));  // the size from which pages go in windows
    const auto r = with_stdin_pipe(page, [] {
      const std::vector<fs::path> files{"-"};
      return ecrlp::load_inventory(files);
    });
    const auto expected = ecrlp::parse_inventory(page, "<stdin>");
    CHECK(describe_all(r.diagnostics) == describe_all(expected.diagnostics));
    REQUIRE(r.diagnostics.size() == 3);  // the timestamp, the repeated digest, the nextToken
    CHECK(r.diagnostics[0].code == "image.timestamp");
    CHECK(r.diagnostics[0].file == "<stdin>");
    CHECK(r.diagnostics[1].code == "image.duplicate_digest");
    CHECK(r.diagnostics[1].message.ends_with("already appears as image 9 (/imageDetails/9)"));
    CHECK(r.diagnostics[2].code == "inventory.next_token");
  }
  SECTION("pages from files and from standard input make one inventory") {
    const std::string page2 = test_files::read_text(data_dir / "inventories/page-2.json");
    const auto r = with_stdin_pipe(page2, [] {
      const std::vector<fs::path> files{data_dir / "inventories/page-1.json", "-"};
      return ecrlp::load_inventory(files);
    });
    const std::vector<fs::path> both{data_dir / "inventories/page-1.json",
                                     data_dir / "inventories/page-2.json"};
    const auto expected = ecrlp::load_inventory(both);
    REQUIRE(r.ok());
    REQUIRE(expected.ok());
    REQUIRE(r.value->images.size() == expected.value->images.size());
    for (std::size_t i = 0; i < r.value->images.size(); ++i) {
      CHECK(r.value->images[i].digest == expected.value->images[i].digest);
      CHECK(r.value->images[i].tags == expected.value->images[i].tags);
      CHECK(r.value->images[i].pushed_at == expected.value->images[i].pushed_at);
    }
  }
  SECTION("standard input is read once: a second \"-\" is empty") {
    const std::string page = test_files::read_text(data_dir / "inventories/cli-v2.json");
    const auto r = with_stdin_pipe(page, [] {
      const std::vector<fs::path> files{"-", "-"};
      return ecrlp::load_inventory(files);
    });
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "inventory.empty");
    CHECK(r.diagnostics[0].file == "<stdin>");
  }
  SECTION("a closed standard input is io.read") {
    const int saved = ::dup(0);
    ::close(0);
    const std::vector<fs::path> files{"-"};
    const auto r = ecrlp::load_inventory(files);
    ::dup2(saved, 0);
    ::close(saved);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "io.read");
    CHECK(r.diagnostics[0].file == "<stdin>");
    CHECK(r.diagnostics[0].message == "cannot read the file: Bad file descriptor");
  }
}

TEST_CASE("load_index_manifests and load_in_use read \"-\" from standard input", "[read_input]") {
  SECTION("index manifests") {
    const fs::path file = data_dir / "registry-lib/manifests/batch-a.json";
    const std::string text = test_files::read_text(file);
    const auto r = with_stdin_pipe(text, [] {
      const std::vector<fs::path> files{"-"};
      return ecrlp::load_index_manifests(files);
    });
    const auto expected = ecrlp::parse_index_manifests(text, "<stdin>");
    CHECK(describe_all(r.diagnostics) == describe_all(expected.diagnostics));
    REQUIRE(r.value.has_value() == expected.value.has_value());
    if (r.value) {
      REQUIRE(r.value->size() == expected.value->size());
      for (std::size_t i = 0; i < r.value->size(); ++i) {
        CHECK((*r.value)[i].digest == (*expected.value)[i].digest);
        CHECK((*r.value)[i].manifests == (*expected.value)[i].manifests);
      }
    }
  }
  SECTION("in-use lists, text and JSON") {
    for (const char* name : {"refs.txt", "pods.json", "bad-reference.json"}) {
      const std::string text = test_files::read_text(data_dir / "in_use" / name);
      REQUIRE_FALSE(text.empty());
      const auto r = with_stdin_pipe(text, [] { return ecrlp::load_in_use("-"); });
      const auto expected = ecrlp::parse_in_use(text, "<stdin>");
      INFO(name);
      CHECK(describe_all(r.diagnostics) == describe_all(expected.diagnostics));
      REQUIRE(r.value.has_value() == expected.value.has_value());
      if (r.value) {
        REQUIRE(r.value->refs.size() == expected.value->refs.size());
        for (std::size_t i = 0; i < r.value->refs.size(); ++i) {
          CHECK(r.value->refs[i].text == expected.value->refs[i].text);
          CHECK(r.value->refs[i].source == "<stdin>");
          CHECK(r.value->refs[i].line == expected.value->refs[i].line);
        }
      }
    }
  }
}

TEST_CASE("input_file reads pipes whole, padded, and files by offset", "[read_input]") {
  using ecrlp::read::input_file;
  using ecrlp::read::input_text;
  SECTION("a pipe of several MiB grows one buffer and keeps every byte") {
    std::string text;
    for (int i = 0; text.size() < (std::size_t{5} << 20); ++i) text += std::to_string(i) + '\n';
    // No REQUIRE inside: the writer thread must be joined whatever happens.
    const auto got = with_stdin_pipe(text, [] {
      ecrlp::read::input_failure failure;
      auto file = input_file::open("-", {.max_bytes = std::size_t{1} << 30}, failure);
      input_text out;
      if (!file || file->regular() || !file->read_all(out, failure)) return std::string("failed");
      const std::string_view v = out.view();
      // The padding after the text is readable and zero.
      if (std::string_view(v.data() + v.size(), ecrlp::read::input_padding) !=
          std::string(ecrlp::read::input_padding, '\0')) {
        return std::string("padding");
      }
      return std::string(v);
    });
    CHECK(got == text);
  }
  SECTION("a regular file: mapped or read, and read at any offset") {
    const test_files::temp_dir tmp{"ecrlp-input-test-"};
    const auto path = tmp.write("x.json", "0123456789");
    ecrlp::read::input_failure failure;
    auto file = input_file::open(path, {.max_bytes = 100}, failure);
    REQUIRE(file);
    CHECK(file->regular());
    CHECK(file->size() == 10);
    char buffer[4] = {};
    CHECK(file->read_at(7, buffer, 4) == 3);
    CHECK(std::string_view(buffer, 3) == "789");
    for (const bool map : {false, true}) {
      input_text out;
      REQUIRE(file->read_all(out, failure, map));
      CHECK(out.view() == "0123456789");
      CHECK(out.view().data()[out.view().size()] == '\0');
    }
  }
  SECTION("the checks before reading, in their order") {
    const test_files::temp_dir tmp{"ecrlp-input-test-"};
    ecrlp::read::input_failure failure;
    CHECK_FALSE(input_file::open(tmp.path / "missing", {.max_bytes = 100}, failure));
    CHECK(failure.problem == ecrlp::read::input_problem::status);
    CHECK(failure.reason == "No such file or directory");
    CHECK_FALSE(input_file::open(tmp.path, {.max_bytes = 100}, failure));
    CHECK(failure.problem == ecrlp::read::input_problem::directory);
    CHECK_FALSE(input_file::open(tmp.write("big", std::string(101, 'x')), {.max_bytes = 100},
                                 failure));
    CHECK(failure.problem == ecrlp::read::input_problem::too_large);
    CHECK(failure.size == 101);
    CHECK(ecrlp::read::io_diagnostic(failure, "big", ecrlp::read::the_file_wording).message ==
          "the file is larger than 100 bytes, the most accepted for it");
  }
  SECTION("\"-\" is standard input, \"./-\" a file") {
    CHECK(ecrlp::read::is_stdin("-"));
    CHECK_FALSE(ecrlp::read::is_stdin("./-"));
    CHECK(ecrlp::read::input_name("-") == "<stdin>");
    CHECK(ecrlp::read::input_name("a/b.json") == "a/b.json");
  }
}
