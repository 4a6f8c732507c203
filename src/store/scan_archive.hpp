// The scan cache's binary form of a scan: cereal's binary archive of the model (a cache is
// local to one machine). The history keeps scans as JSON (a documented, long-lived format); the
// cache only needs to read back what this very build wrote, fast: a cached 2000-distribution
// scan with its 55,111 directory stamps decodes in 12-15 ms this way, against ~45 ms through
// MessagePack and a JSON tree.
//
// Every field of the model (model/model.hpp) must be listed here: tests/e2e/test_cache.py
// compares a cached scan's JSON with a fresh one's, field by field.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "scan/scanner.hpp"

namespace pkgsizer::store {

// The scan, its shared files, its roots and their directory stamps, and its parts.
std::string encode_scan(const scan::EnvironmentScan& full);
// The inverse, into `full`. The roots and directory stamps come first: `stamps_read` is called
// once they are in `full`, before the rest is read, so that a caller can start checking them.
// The parts come last, and are read only when `parts_wanted` (if given) returns true: a cache
// hit does not need them. Throws pkgsizer::Error on bytes it cannot read.
void decode_scan(std::string_view bytes, scan::EnvironmentScan& full,
                 const std::function<void(const scan::EnvironmentScan&)>& stamps_read = {},
                 const std::function<bool()>& parts_wanted = {});

}  // namespace pkgsizer::store
