// PEP 508 requirements ("name[extra] >=1.0 ; marker", "name @ url"): parse, and print back; what
// str() prints must parse again.
#include "fuzz_target.hpp"
#include "packaging/requirement.hpp"

using pkgsizer::packaging::Requirement;
using pkgsizer::packaging::RequirementError;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const Requirement requirement = Requirement::parse(pkgsizer::fuzz::as_text(data, size));
    Requirement::parse(requirement.str());  // throws (and fails the target) if str() is not one
  } catch (const RequirementError&) {
  }
  return 0;
}
