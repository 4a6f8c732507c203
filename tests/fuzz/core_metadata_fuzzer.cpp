// METADATA / PKG-INFO (core metadata, RFC 822 style headers) of an installed distribution or an
// index's .metadata file: never throws.
#include "fuzz_target.hpp"
#include "metadata/core_metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pkgsizer::metadata::parse_core_metadata(pkgsizer::fuzz::as_text(data, size));
  return 0;
}
