// The standard error of `python -X importtime` (pkgsizer import-time): whatever the measured
// code prints is interleaved with it, so any bytes can come. Bad lines are kept aside, never
// thrown; the tree must stay a tree (each node once, parents before nothing).
#include "fuzz_target.hpp"
#include "importtime/import_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto log = pkgsizer::importtime::parse_import_log(pkgsizer::fuzz::as_text(data, size));
  const auto order = pkgsizer::importtime::preorder(log);
  if (order.size() != log.nodes.size()) __builtin_trap();  // every node reached exactly once
  for (const auto& node : log.nodes)
    for (std::size_t child : node.children)
      if (child >= log.nodes.size() || log.nodes[child].parent == child) __builtin_trap();
  return 0;
}
