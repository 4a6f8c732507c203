// A PEP 691 JSON project page from an index (PEP 700 sizes and versions, PEP 592 yanking,
// PEP 658/714 core metadata), with the URLs of its files resolved.
#include <string>

#include "fuzz_target.hpp"
#include "predict/simple_index.hpp"

using namespace pkgsizer::predict;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const ProjectPage page = parse_project_page(pkgsizer::fuzz::as_text(data, size),
                                                "https://index.example/simple/demo/");
    for (const auto& file : page.files) file.core_metadata_url();
  } catch (const IndexError&) {
  }
  return 0;
}
