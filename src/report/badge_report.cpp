#include "report/badge_report.hpp"

#include <fmt/format.h>

#include <optional>

#include "report/history_report.hpp"
#include "util/size_units.hpp"
#include "util/xml_escape.hpp"

namespace pkgsizer::report {
namespace {

using store::SnapshotSummary;

// The snapshot before the newest one, of the same environment (oldest first in `snapshots`).
std::optional<SnapshotSummary> previous_of_last(const std::vector<SnapshotSummary>& snapshots) {
  for (auto it = snapshots.rbegin() + 1; it != snapshots.rend(); ++it)
    if (it->environment == snapshots.back().environment) return *it;
  return std::nullopt;
}

// Characters, not bytes: ▲ is three bytes of UTF-8 and one glyph.
std::size_t glyphs(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++count;
  return count;
}

// shields.io measures Verdana 11px; about 7 px a character and 5 px of padding each side keep
// every text inside its box without a font at hand.
std::size_t text_width(const std::string& text) { return glyphs(text) * 7 + 10; }

}  // namespace

std::string badge_value(const std::vector<SnapshotSummary>& snapshots, SizeUnits units) {
  if (snapshots.empty()) return "no data";
  const SnapshotSummary& last = snapshots.back();
  std::string value = format_size(last.apparent_bytes, units);
  if (const auto previous = snapshots.size() > 1 ? previous_of_last(snapshots) : std::nullopt)
    value += " " + format_size_change(previous->apparent_bytes, last.apparent_bytes, units);
  return value;
}

std::string render_badge_svg(const std::vector<SnapshotSummary>& snapshots,
                             const std::string& label, SizeUnits units) {
  const std::string value = badge_value(snapshots, units);
  const char* color = "#9f9f9f";
  if (!snapshots.empty()) {
    const auto previous = snapshots.size() > 1 ? previous_of_last(snapshots) : std::nullopt;
    color =
        previous && snapshots.back().apparent_bytes > previous->apparent_bytes ? "#fe7d37" : "#4c1";
  }
  const std::size_t left = text_width(label);
  const std::size_t right = text_width(value);
  const std::size_t width = left + right;
  const std::string label_text = escape_xml(label);
  const std::string value_text = escape_xml(value);
  return fmt::format(
      R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{label}: {value}">
<title>{label}: {value}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/><rect x="{left}" width="{right}" height="20" fill="{color}"/><rect width="{width}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="{label_x}" y="15" fill="#010101" fill-opacity=".3">{label}</text><text x="{label_x}" y="14">{label}</text>
<text x="{value_x}" y="15" fill="#010101" fill-opacity=".3">{value}</text><text x="{value_x}" y="14">{value}</text>
</g>
</svg>
)svg",
      fmt::arg("width", width), fmt::arg("left", left), fmt::arg("right", right),
      fmt::arg("color", color), fmt::arg("label", label_text), fmt::arg("value", value_text),
      fmt::arg("label_x", left / 2), fmt::arg("value_x", left + right / 2));
}

}  // namespace pkgsizer::report
