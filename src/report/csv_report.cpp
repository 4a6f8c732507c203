#include "report/csv_report.hpp"

#include <fmt/format.h>

namespace pkgsizer::report {
namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string render_csv(const Scan& scan) {
  std::string out =
      "name,normalized_name,version,apparent_bytes,disk_bytes,file_count,outside_bytes,shared_"
      "bytes,"
      "editable,inherited,installer,location\r\n";
  for (const Distribution& dist : scan.distributions)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_field(dist.name),
                       csv_field(dist.normalized_name), csv_field(dist.version),
                       dist.size.apparent_bytes, dist.size.disk_bytes, dist.size.file_count,
                       dist.outside_bytes, dist.shared_bytes, dist.editable, dist.inherited,
                       csv_field(dist.installer), csv_field(dist.location));
  return out;
}

}  // namespace pkgsizer::report
