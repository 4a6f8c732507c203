#include "cli/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "util/size_units.hpp"

namespace pkgsizer::cli {

bool use_color(ColorChoice choice) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  if (choice == ColorChoice::kNever) return false;
  if (choice == ColorChoice::kAlways) return true;
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && !(term && std::string(term) == "dumb");
}

std::size_t terminal_width() {
  if (!::isatty(STDOUT_FILENO)) return 0;
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) return std::strtoul(columns, nullptr, 10);
  return 80;
}

Progress::Progress(std::string label, bool enabled) : label_(std::move(label)) {
  if (!enabled || !::isatty(STDERR_FILENO)) return;
  running_ = true;
  thread_ = std::thread([this] {
    const auto started = std::chrono::steady_clock::now();
    while (running_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      // Quick scans finish before anything is drawn, so short runs leave no trace.
      if (!running_ || std::chrono::steady_clock::now() - started < std::chrono::milliseconds(300))
        continue;
      std::fprintf(stderr, "\r\033[K%s… %s files", label_.c_str(),
                   format_count(counter_.load()).c_str());
      std::fflush(stderr);
    }
  });
}

void Progress::stop() {
  if (!running_.exchange(false)) return;
  thread_.join();
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

Progress::~Progress() { stop(); }

}  // namespace pkgsizer::cli
