// Core metadata of wheels whose index does not serve it on its own (no PEP 658 file, as with
// many HTML-only indexes): the wheel's METADATA member read out of the remote file with Range
// requests — the central directory, which measuring the wheel's size reads (and caches) anyway,
// then the member's local header and data — as pip's "lazy wheel" does, without a download.
// What was read is cached with the wheel's URL and size.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "predict/http_client.hpp"
#include "predict/simple_index.hpp"
#include "predict/wheel_size.hpp"
#include "predict/zip_central_directory.hpp"

namespace pkgsizer::predict {

class IndexCache;

// One lookup per file, in order; an error names the URL. `cache` may be null. The wheels'
// central directories, read on the way, are added to `measured` (by URL) when it is given, so
// that measuring their sizes afterwards asks for nothing again.
std::vector<MetadataLookup> wheel_core_metadata(
    HttpClient& http, const std::vector<DistributionFile>& files, IndexCache* cache,
    std::map<std::string, WheelSize>* measured = nullptr);

// Pure: the wheel's "NAME-VERSION.dist-info/METADATA" (its top-level .dist-info, PEP 427), or
// null when it has none.
const ZipMember* metadata_member(const std::vector<ZipMember>& members);

}  // namespace pkgsizer::predict
