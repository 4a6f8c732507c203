// PEP 508 environment markers: parse, evaluate (with and without extras), and print back; what
// str() prints must parse again.
#include <string>

#include "fuzz_target.hpp"
#include "packaging/marker.hpp"

using pkgsizer::packaging::Marker;
using pkgsizer::packaging::MarkerEnvironment;
using pkgsizer::packaging::MarkerError;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const Marker marker = Marker::parse(pkgsizer::fuzz::as_text(data, size));
    MarkerEnvironment environment = MarkerEnvironment::for_cpython("3.11.7", "linux-x86_64");
    marker.evaluate(environment);
    environment.extras = {"test", "dev"};
    marker.evaluate(environment);
    Marker::parse(marker.str());  // throws (and fails the target) if str() is not a marker
  } catch (const MarkerError&) {
  }
  return 0;
}
