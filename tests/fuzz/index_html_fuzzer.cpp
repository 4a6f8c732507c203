// A PEP 503 HTML project page from an index (gumbo parses it; pkgsizer reads <a>, <base>, <meta>
// and the PEP 592/658/714 data- attributes), with the URLs of its files resolved.
#include <string>

#include "fuzz_target.hpp"
#include "predict/simple_index.hpp"

using namespace pkgsizer::predict;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const ProjectPage page = parse_html_project_page(pkgsizer::fuzz::as_text(data, size),
                                                     "https://index.example/simple/demo/");
    for (const auto& file : page.files) file.core_metadata_url();
  } catch (const IndexError&) {
  }
  return 0;
}
