// A conda package record (conda-meta/*.json) of a conda environment: pkgsizer::Error only.
#include "fuzz_target.hpp"
#include "metadata/conda_meta.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto record =
        pkgsizer::metadata::parse_conda_record(pkgsizer::fuzz::as_text(data, size), "record.json");
    volatile std::size_t sink = record.files.size() + record.name.size();
    (void)sink;
  } catch (const pkgsizer::Error&) {
  }
  return 0;
}
