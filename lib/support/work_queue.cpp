// SPDX-License-Identifier: MIT
//
// The work queue of the registry runs (declared in <ecrlp/registry.hpp>): repository indices,
// largest first, over std::jthread workers; loading a snapshot, evaluating, diffing and
// simulating it all go through it.

#include <ecrlp/registry.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

namespace ecrlp::detail {

unsigned worker_count(unsigned requested, std::size_t jobs) noexcept {
  unsigned n = requested != 0 ? requested : std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  if (jobs < n) n = static_cast<unsigned>(std::max<std::size_t>(jobs, 1));
  return n;
}

void for_each_repository(std::size_t count, std::span<const std::size_t> weights, unsigned threads,
                         const std::function<void(std::size_t)>& fn) {
  std::vector<std::size_t> jobs(count);
  for (std::size_t i = 0; i < count; ++i) jobs[i] = i;
  if (!weights.empty()) {
    std::stable_sort(jobs.begin(), jobs.end(),
                     [&](std::size_t a, std::size_t b) { return weights[a] > weights[b]; });
  }
  const unsigned n = worker_count(threads, count);
  if (n <= 1) {
    for (const std::size_t j : jobs) fn(j);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  const auto record = [&](std::exception_ptr e) {
    stop.store(true, std::memory_order_relaxed);
    const std::lock_guard lock(failure_mutex);
    if (!failure) failure = std::move(e);
  };
  {
    std::vector<std::jthread> workers;
    workers.reserve(n);
    try {
      for (unsigned t = 0; t < n; ++t) {
        workers.emplace_back([&] {
          try {
            while (!stop.load(std::memory_order_relaxed)) {
              const std::size_t k = next.fetch_add(1, std::memory_order_relaxed);
              if (k >= jobs.size()) break;
              fn(jobs[k]);
            }
          } catch (...) {
            record(std::current_exception());
          }
        });
      }
    } catch (...) {
      // A thread could not be started: the running ones stop after their current job.
      record(std::current_exception());
    }
  }  // joins
  if (failure) std::rethrow_exception(failure);
}

}  // namespace ecrlp::detail
