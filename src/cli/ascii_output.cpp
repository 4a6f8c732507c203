#include "cli/ascii_output.hpp"

#include <langinfo.h>
#include <locale.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct AsciiStream {
  int fd;
  std::string pending;  // the start of a UTF-8 sequence the next write completes
};

// The streams' states live until the process ends (stdout is flushed after every destructor
// has run); kept here so that they stay reachable, not leaked, for LeakSanitizer.
AsciiStream* stream_states[2] = {nullptr, nullptr};

// Bytes at the end of `text` that begin a UTF-8 sequence not complete yet (RFC 3629 §3).
std::size_t incomplete_tail(std::string_view text) {
  for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
    const auto byte = static_cast<unsigned char>(text[text.size() - back]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

bool write_all(int fd, const std::string& bytes) {
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    done += static_cast<std::size_t>(written);
  }
  return true;
}

ssize_t write_ascii(void* cookie, const char* data, std::size_t size) {
  auto& stream = *static_cast<AsciiStream*>(cookie);
  std::string text = stream.pending + std::string(data, size);
  const std::size_t tail = incomplete_tail(text);
  stream.pending = text.substr(text.size() - tail);
  text.resize(text.size() - tail);
  if (!write_all(stream.fd, ascii_symbols(text))) return -1;
  return static_cast<ssize_t>(size);
}

int close_ascii(void* cookie) {
  auto* stream = static_cast<AsciiStream*>(cookie);
  if (!stream->pending.empty()) write_all(stream->fd, stream->pending);
  for (AsciiStream*& state : stream_states)
    if (state == stream) state = nullptr;
  delete stream;
  return 0;
}

FILE* ascii_stream(int fd, int buffering) {
  cookie_io_functions_t functions{};
  functions.write = write_ascii;
  functions.close = close_ascii;
  auto* state = new AsciiStream{fd, {}};
  stream_states[fd == STDOUT_FILENO ? 0 : 1] = state;
  FILE* file = ::fopencookie(state, "w", functions);
  if (file != nullptr) std::setvbuf(file, nullptr, buffering, BUFSIZ);
  return file;
}

}  // namespace

bool locale_is_utf8() {
  // newlocale reads LC_ALL, LC_CTYPE and LANG as setlocale would, without changing ours.
  locale_t user = ::newlocale(LC_CTYPE_MASK, "", static_cast<locale_t>(nullptr));
  if (user == static_cast<locale_t>(nullptr)) return false;  // a locale not installed: "C"
  const std::string codeset = ::nl_langinfo_l(CODESET, user);
  ::freelocale(user);
  return codeset == "UTF-8";
}

void write_ascii_symbols() {
  // stderr stays unbuffered, stdout line-buffered on a terminal: the order of lines between
  // the two is what it would be without the translation.
  if (FILE* out = ascii_stream(STDOUT_FILENO, ::isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF))
    stdout = out;
  if (FILE* err = ascii_stream(STDERR_FILENO, _IONBF)) stderr = err;
}

}  // namespace pkgsizer::cli
