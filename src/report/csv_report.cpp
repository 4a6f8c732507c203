#include "report/csv_report.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "report/table_report.hpp"

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

// --show-wheel-size's columns: empty fields when unknown (CSV has no null).
std::string wheel_fields(const Distribution& dist) {
  const std::optional<double> ratio = dist.installed_to_wheel_ratio();
  const WheelDownload none;
  const WheelDownload& wheel = dist.wheel ? *dist.wheel : none;
  return fmt::format(",{},{},{},{}", csv_field(wheel.file_name),
                     wheel.download_bytes ? std::to_string(*wheel.download_bytes) : "",
                     ratio ? fmt::format("{:.3f}", *ratio) : "", csv_field(wheel.note));
}

}  // namespace

std::string render_csv(const Scan& scan) {
  const bool wheels = has_wheel_sizes(scan);
  std::string out =
      "name,normalized_name,version,apparent_bytes,disk_bytes,file_count,outside_bytes,shared_"
      "bytes,"
      "editable,inherited,installer,location";
  out +=
      wheels ? ",wheel_file,wheel_download_bytes,installed_to_wheel_ratio,wheel_note\r\n" : "\r\n";
  for (const Distribution& dist : scan.distributions)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}{}\r\n", csv_field(dist.name),
                       csv_field(dist.normalized_name), csv_field(dist.version),
                       dist.size.apparent_bytes, dist.size.disk_bytes, dist.size.file_count,
                       dist.outside_bytes, dist.shared_bytes, dist.editable, dist.inherited,
                       csv_field(dist.installer), csv_field(dist.location),
                       wheels ? wheel_fields(dist) : "");
  return out;
}

}  // namespace pkgsizer::report
