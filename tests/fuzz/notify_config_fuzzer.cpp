// The [notify] table of pkgsizer.toml / [tool.pkgsizer.notify] of pyproject.toml, and the
// webhook URLs in it (the first byte chooses the file name, so that one corpus covers both).
#include "fuzz_target.hpp"
#include "notify/webhook.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char* file_name = data[0] % 2 == 0 ? "pkgsizer.toml" : "pyproject.toml";
  try {
    const pkgsizer::notify::NotifyConfig config = pkgsizer::notify::parse_notify_config(
        pkgsizer::fuzz::as_text(data + 1, size - 1), file_name);
    for (const std::string& url : config.urls)
      (void)pkgsizer::notify::redact_url(pkgsizer::notify::parse_target(url).url);
  } catch (const pkgsizer::Error&) {
  }
  return 0;
}
