// What the command line knows about its terminal: colour, width, and a progress line on stderr.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>

namespace pkgsizer::cli {

enum class ColorChoice { kAuto, kAlways, kNever };

// NO_COLOR (https://no-color.org) always wins; otherwise auto means "stdout is a terminal".
bool use_color(ColorChoice choice);

// Columns of the terminal on stdout, 0 when stdout is not a terminal.
std::size_t terminal_width();

// "scanning… 12,345 files" on stderr, redrawn every 100 ms, only when stderr is a terminal.
class Progress {
 public:
  Progress(std::string label, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  std::atomic<std::uint64_t>& counter() { return counter_; }
  void stop();

 private:
  std::string label_;
  std::atomic<std::uint64_t> counter_{0};
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace pkgsizer::cli
