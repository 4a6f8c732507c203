#include "serve/dashboard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "compare/scan_diff.hpp"
#include "model/scan_json.hpp"
#include "recommend/recommend.hpp"
#include "recommend/render.hpp"
#include "report/diff_report.hpp"
#include "report/history_report.hpp"
#include "report/html_report.hpp"
#include "store/history_exchange.hpp"
#include "util/error.hpp"
#include "util/json_nesting.hpp"
#include "util/json_text.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"
#include "util/xml_escape.hpp"

namespace pkgsizer::serve {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kJson = "application/json";

// The dashboard's own pages: no script, no external resource, styles inline.
constexpr const char* kPageStyle =
    "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 1em;"
    "color:#1b1f24;background:#fff}nav{padding:.8em 0;border-bottom:1px solid #d0d7de;"
    "margin-bottom:1em}nav a{margin-right:1em}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #eaeef2}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:90%}"
    ".pager a{margin-right:1em}img.chart{max-width:100%;height:auto;border:1px solid #eaeef2}"
    "@media(prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}a{color:#58a6ff}"
    "th,td{border-color:#30363d}}";

std::string html(std::string_view text) { return escape_xml(text); }

std::string page(const std::string& title, const std::string& body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{0} — pkgsizer</title>\n<style>{1}</style>\n</head>\n<body>\n"
      "<nav><a href=\"/\">pkgsizer dashboard</a><a href=\"/api/environments\">JSON API</a></nav>\n"
      "<h1>{0}</h1>\n{2}</body>\n</html>\n",
      html(title), kPageStyle, body);
}

Response error_response(int status, const std::string& reason, bool api) {
  if (api) return {status, kJson, Json{{"error", reason}, {"status", status}}.dump() + "\n"};
  return {status, "text/html; charset=utf-8",
          page(fmt::format("{} {}", status, status == 404 ? "Not found" : "Error"),
               fmt::format("<p>{}</p>\n", html(reason)))};
}

Response json_response(const Json& value, int status = 200) {
  return {status, kJson, dump_json(value) + "\n"};
}

std::string environment_link(const std::string& name) {
  return fmt::format("<a href=\"/env/{}\">{}</a>", percent_encode(name), html(name));
}

std::string snapshot_link(std::int64_t id, const std::string& text) {
  return fmt::format("<a href=\"/snapshot/{}\">{}</a>", id, html(text));
}

// Page `page` (1-based) of `count` rows: the first index and one past the last.
std::pair<std::size_t, std::size_t> page_bounds(std::size_t count, std::size_t page,
                                                std::size_t page_size) {
  const std::size_t first = std::min(count, (page - 1) * page_size);
  return {first, std::min(count, first + page_size)};
}

std::string pager(const std::string& base, std::size_t page, std::size_t pages) {
  if (pages <= 1) return "";
  std::string out = "<p class=\"pager\">";
  if (page > 1) out += fmt::format("<a href=\"{}?page={}\">← newer</a>", base, page - 1);
  out += fmt::format("page {} of {}", page, pages);
  if (page < pages) out += fmt::format(" <a href=\"{}?page={}\">older →</a>", base, page + 1);
  return out + "</p>\n";
}

std::size_t page_count(std::size_t count, std::size_t page_size) {
  return count == 0 ? 1 : (count + page_size - 1) / page_size;
}

// The report page with a bar of links back to the dashboard, after <body>.
std::string with_navigation(std::string document, const std::string& links) {
  const std::string body = "<body>\n";
  if (const auto at = document.find(body); at != std::string::npos)
    document.insert(at + body.size(),
                    "<nav style=\"padding:.6em 1em;font:14px system-ui\">" + links + "</nav>\n");
  return document;
}

}  // namespace

// A store connection of the pool, returned when the lease ends.
class Dashboard::Lease {
 public:
  explicit Lease(const Dashboard& owner) : owner_(owner) {
    std::unique_lock lock(owner_.pool_mutex_);
    owner_.pool_available_.wait(lock, [&] { return !owner_.pool_.empty(); });
    history_ = std::move(owner_.pool_.back());
    owner_.pool_.pop_back();
  }
  ~Lease() {
    {
      const std::lock_guard lock(owner_.pool_mutex_);
      owner_.pool_.push_back(std::move(history_));
    }
    owner_.pool_available_.notify_one();
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  store::History& operator*() { return *history_; }
  store::History* operator->() { return history_.get(); }

 private:
  const Dashboard& owner_;
  std::unique_ptr<store::History> history_;
};

Dashboard::Dashboard(const DashboardOptions& options) : options_(options) {
  writer_ = std::make_unique<store::History>(options_.history_path, store::HistoryAccess::kWrite,
                                             options_.connect_timeout_seconds);
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.readers); ++i)
    pool_.push_back(std::make_unique<store::History>(
        options_.history_path, store::HistoryAccess::kRead, options_.connect_timeout_seconds));
  refresh();
}

Dashboard::~Dashboard() = default;

void Dashboard::refresh() {
  std::vector<store::SnapshotSummary> all;
  {
    Lease history(*this);
    all = history->list("");
  }
  Index fresh;
  for (store::SnapshotSummary& summary : all) {
    fresh.by_id.emplace(summary.id, summary);
    fresh.by_environment[summary.environment].push_back(std::move(summary));
  }
  const std::unique_lock lock(index_mutex_);
  // Uploads that committed after the list was read are kept.
  const std::int64_t listed_up_to = fresh.by_id.empty() ? 0 : fresh.by_id.rbegin()->first;
  for (auto it = index_.by_id.upper_bound(listed_up_to); it != index_.by_id.end(); ++it) {
    fresh.by_id.emplace(it->first, it->second);
    fresh.by_environment[it->second.environment].push_back(it->second);
  }
  index_ = std::move(fresh);
}

std::size_t Dashboard::snapshot_count() const {
  const std::shared_lock lock(index_mutex_);
  return index_.by_id.size();
}

void Dashboard::add_to_index(const store::SnapshotSummary& summary) {
  const std::unique_lock lock(index_mutex_);
  if (!index_.by_id.emplace(summary.id, summary).second) return;
  auto& list = index_.by_environment[summary.environment];
  list.push_back(summary);
  // Uploads finish in id order under the writer lock; a refresh may interleave: keep it sorted.
  std::sort(list.end() - std::min<std::ptrdiff_t>(2, static_cast<std::ptrdiff_t>(list.size())),
            list.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
}

std::optional<store::SnapshotSummary> Dashboard::summary(std::int64_t id) const {
  {
    const std::shared_lock lock(index_mutex_);
    if (const auto it = index_.by_id.find(id); it != index_.by_id.end()) return it->second;
  }
  Lease history(*this);  // added by another writer since the last refresh
  return history->find(fmt::format("@{}", id), "");
}

Response Dashboard::get(const Route& route, const std::string& page_text) const {
  const std::optional<std::size_t> page_number = parse_page_number(page_text);
  if (!page_number) return error_response(400, "page is a number from 1 to 1000000", route.api);
  try {
    switch (route.kind) {
      case RouteKind::kEnvironments:
        return environments(route, *page_number);
      case RouteKind::kEnvironment:
        return environment(route, *page_number);
      case RouteKind::kEnvironmentChart:
        return chart(route);
      case RouteKind::kSnapshot:
        return snapshot(route);
      case RouteKind::kRecommend:
        return recommendations(route);
      case RouteKind::kDiff:
        return diff(route);
      case RouteKind::kHealth:
        return {200, "text/plain; charset=utf-8", fmt::format("ok {}\n", snapshot_count())};
      case RouteKind::kFavicon:
        return {204, "image/x-icon", ""};
      case RouteKind::kUpload:
      case RouteKind::kNotFound:
        break;
    }
    return error_response(404, route.reason.empty() ? "no such page" : route.reason, route.api);
  } catch (const Error& error) {
    const int status = error.category() == ErrorCategory::kNotFound ? 404 : 500;
    return error_response(status, error.what(), route.api);
  }
}

Response Dashboard::environments(const Route& route, std::size_t page_number) const {
  const std::shared_lock lock(index_mutex_);
  const std::size_t count = index_.by_environment.size();
  const auto [first, last] = page_bounds(count, page_number, options_.page_size);
  auto it = index_.by_environment.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(first));
  Json list = Json::array();
  std::string rows;
  for (std::size_t i = first; i < last; ++i, ++it) {
    const auto& [name, snapshots] = *it;
    const store::SnapshotSummary& latest = snapshots.back();
    if (route.api) {
      list.push_back({{"name", name},
                      {"snapshots", snapshots.size()},
                      {"latest", store::snapshot_summary_to_json(latest)}});
      continue;
    }
    rows += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        environment_link(name), snapshots.size(), html(format_size(latest.apparent_bytes)),
        latest.distributions, html(latest.created_at), snapshot_link(latest.id, latest.label));
  }
  const std::size_t pages = page_count(count, options_.page_size);
  if (route.api)
    return json_response(
        {{"environments", list}, {"total", count}, {"page", page_number}, {"pages", pages}});
  if (count == 0)
    return {200, "text/html; charset=utf-8",
            page("Environments",
                 "<p>No snapshots yet: upload one with <code>pkgsizer track "
                 "snapshot --upload URL --token-file FILE</code>.</p>\n")};
  return {200, "text/html; charset=utf-8",
          page("Environments",
               "<table>\n<tr><th>Environment</th><th class=\"n\">Snapshots</th><th "
               "class=\"n\">Latest total</th><th class=\"n\">Distributions</th><th>Taken</th>"
               "<th>Latest snapshot</th></tr>\n" +
                   rows + "</table>\n" + pager("/", page_number, pages))};
}

Response Dashboard::environment(const Route& route, std::size_t page_number) const {
  const std::shared_lock lock(index_mutex_);
  const auto found = index_.by_environment.find(route.environment);
  if (found == index_.by_environment.end())
    return error_response(404, fmt::format("no environment {}", printable(route.environment)),
                          route.api);
  const std::vector<store::SnapshotSummary>& snapshots = found->second;  // oldest first
  const std::size_t count = snapshots.size();
  const auto [first, last] = page_bounds(count, page_number, options_.page_size);
  const std::size_t pages = page_count(count, options_.page_size);
  Json list = Json::array();
  std::string rows;
  // Newest first: row i of the page is snapshot count-1-i.
  for (std::size_t i = first; i < last; ++i) {
    const std::size_t at = count - 1 - i;
    const store::SnapshotSummary& s = snapshots[at];
    if (route.api) {
      list.push_back(store::snapshot_summary_to_json(s));
      continue;
    }
    std::string change = "—";
    std::string diff_link;
    if (at > 0) {
      change = report::format_size_change(snapshots[at - 1].apparent_bytes, s.apparent_bytes);
      diff_link = fmt::format("<a href=\"/diff/{}/{}\">diff</a>", snapshots[at - 1].id, s.id);
    }
    rows += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td><code>{}</code></td><td>{} <a "
        "href=\"/snapshot/{}/recommend\">recommend</a></td></tr>\n",
        snapshot_link(s.id, fmt::format("#{}", s.id)), html(s.label), html(s.created_at),
        html(format_size(s.apparent_bytes)), html(change), s.distributions,
        html(s.git_commit.substr(0, 12)), diff_link, s.id);
  }
  if (route.api)
    return json_response({{"environment", route.environment},
                          {"total", count},
                          {"page", page_number},
                          {"pages", pages},
                          {"snapshots", list}});
  const std::string encoded = percent_encode(route.environment);
  return {200, "text/html; charset=utf-8",
          page(route.environment,
               fmt::format("<p><img class=\"chart\" src=\"/chart/{0}.svg\" alt=\"The total "
                           "size of the newest {1} snapshots\" width=\"900\" height=\"400\"></p>\n"
                           "<p><a href=\"/api/env/{0}\">JSON</a></p>\n",
                           encoded, options_.chart_snapshots) +
                   "<table>\n<tr><th>Snapshot</th><th>Label</th><th>Taken</th><th "
                   "class=\"n\">Total</th><th class=\"n\">Change</th><th "
                   "class=\"n\">Distributions</th><th>Commit</th><th></th></tr>\n" +
                   rows + "</table>\n" + pager("/env/" + encoded, page_number, pages))};
}

Response Dashboard::chart(const Route& route) const {
  std::vector<store::SnapshotSummary> newest;
  {
    const std::shared_lock lock(index_mutex_);
    const auto found = index_.by_environment.find(route.environment);
    if (found == index_.by_environment.end())
      return error_response(404, fmt::format("no environment {}", printable(route.environment)),
                            false);
    const auto& all = found->second;
    const std::size_t keep = std::min(all.size(), options_.chart_snapshots);
    newest.assign(all.end() - static_cast<std::ptrdiff_t>(keep), all.end());
  }
  return {200, "image/svg+xml", report::render_history_svg(newest, route.environment)};
}

Response Dashboard::snapshot(const Route& route) const {
  const std::optional<store::SnapshotSummary> found = summary(route.first);
  if (!found) return error_response(404, fmt::format("no snapshot {}", route.first), route.api);
  Scan scan;
  {
    Lease history(*this);
    scan = history->load(route.first);
  }
  if (route.api) return json_response(model::scan_to_json(scan));
  return {200, "text/html; charset=utf-8",
          with_navigation(
              report::render_scan_html(scan),
              fmt::format("<a href=\"/\">dashboard</a> · {} · snapshot #{} "
                          "· <a href=\"/snapshot/{}/recommend\">recommend</a> · "
                          "<a href=\"/api/snapshots/{}\">JSON</a>",
                          environment_link(found->environment), found->id, found->id, found->id))};
}

Response Dashboard::recommendations(const Route& route) const {
  const std::optional<store::SnapshotSummary> found = summary(route.first);
  if (!found) return error_response(404, fmt::format("no snapshot {}", route.first), route.api);
  Scan scan;
  {
    Lease history(*this);
    scan = history->load(route.first);
  }
  recommend::RecommendOptions options;
  options.files_on_disk = false;
  const recommend::Recommendations result = recommend::recommend(scan, options);
  const recommend::RenderContext context{scan.environment.prefix, scan.environment.python_version,
                                         SizeUnits::kDecimal};
  if (route.api) {
    Json json = recommend::to_json(result, context);
    json["stored_scan"] = true;
    json["kinds_run"] = Json::array({"heavier"});
    return json_response(json);
  }
  std::string rows;
  for (const recommend::Finding& finding : result.findings) {
    std::string evidence;
    for (const std::string& line : finding.evidence) evidence += html(line) + "<br>";
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>\n",
                        html(recommend::to_string(finding.kind)), html(finding.title), evidence,
                        html(finding.action));
  }
  const std::string table =
      rows.empty() ? "<p>No findings.</p>\n"
                   : "<table>\n<tr><th>Kind</th><th>Finding</th><th>Evidence</th><th>Action</th>"
                     "</tr>\n" +
                         rows + "</table>\n";
  return {200, "text/html; charset=utf-8",
          page(fmt::format("Recommendations for snapshot #{}", found->id),
               fmt::format("<p>{} · {} · <a href=\"/api/snapshots/{}/recommend\">JSON</a></p>\n"
                           "<p>A stored scan has its sizes and metadata but not its files, "
                           "which stay on the machine that was scanned: only the findings that "
                           "need no files are made here (heavier: lighter alternatives). Run "
                           "<code>pkgsizer recommend</code> in the environment for bloat, native "
                           "libraries, leftovers and unused distributions.</p>\n",
                           environment_link(found->environment),
                           snapshot_link(found->id, fmt::format("snapshot #{}", found->id)),
                           found->id) +
                   table)};
}

Response Dashboard::diff(const Route& route) const {
  const auto before = summary(route.first);
  const auto after = summary(route.second);
  if (!before || !after)
    return error_response(404, fmt::format("no snapshot {}", before ? route.second : route.first),
                          route.api);
  Scan old_scan, new_scan;
  {
    Lease history(*this);
    old_scan = history->load(before->id);
    new_scan = history->load(after->id);
  }
  compare::ScanDiff result = compare::diff_scans(old_scan, new_scan);
  result.before.source = fmt::format("@{} ({})", before->id, before->label);
  result.after.source = fmt::format("@{} ({})", after->id, after->label);
  const report::DiffOptions options;
  if (route.api) return json_response(report::diff_to_json(result, options));
  return {200, "text/html; charset=utf-8",
          with_navigation(report::render_diff_html(result, options),
                          fmt::format("<a href=\"/\">dashboard</a> · {} · {} → {} · <a "
                                      "href=\"/api/diff/{}/{}\">JSON</a>",
                                      environment_link(after->environment),
                                      snapshot_link(before->id, fmt::format("#{}", before->id)),
                                      snapshot_link(after->id, fmt::format("#{}", after->id)),
                                      before->id, after->id))};
}

namespace {

// The field `key` of an upload's body, over the query's value; a non-string is an error.
void take_field(const nlohmann::json& body, const char* key, std::string& value) {
  if (!body.contains(key)) return;
  if (!body[key].is_string())
    throw Error(ErrorCategory::kUsage, fmt::format("{} is not a string", key));
  value = body[key].get<std::string>();
}

}  // namespace

Response Dashboard::upload(const std::string& body, UploadFields fields) {
  if (const std::optional<std::size_t> at = json_too_deep_at(body))
    return error_response(
        400, fmt::format("JSON nested more than {} deep (byte {})", kMaxJsonNesting, *at + 1),
        true);
  nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded() || !document.is_object())
    return error_response(400, "the body is not a JSON object (the scan of scan-env --json)", true);
  Scan scan;
  try {
    if (document.contains("scan")) {
      take_field(document, "environment", fields.environment);
      take_field(document, "label", fields.label);
      take_field(document, "git_commit", fields.git_commit);
      take_field(document, "git_branch", fields.git_branch);
      scan = model::scan_from_json(document["scan"]);
    } else {
      scan = model::scan_from_json(document);
    }
  } catch (const Error& error) {
    return error_response(400, fmt::format("invalid scan: {}", error.what()), true);
  }
  if (fields.environment.empty()) fields.environment = scan.environment.prefix;
  if (!valid_name(fields.environment))
    return error_response(400, "environment: 1 to 512 bytes of UTF-8 without control characters",
                          true);
  if (!valid_optional_text(fields.label) || !valid_optional_text(fields.git_branch))
    return error_response(400, "label and git_branch: up to 512 bytes without control characters",
                          true);
  if (!valid_git_commit(fields.git_commit))
    return error_response(400, "git_commit: 4 to 64 hexadecimal digits", true);
  if (fields.label.empty())
    fields.label = fields.git_commit.empty()
                       ? scan.created_at
                       : fmt::format("{} ({})", fields.git_commit.substr(0, 12), fields.git_branch);
  try {
    std::optional<store::SnapshotSummary> added;
    {
      const std::lock_guard lock(writer_mutex_);
      const std::int64_t id = writer_->add_snapshot(fields.environment, fields.label,
                                                    fields.git_commit, fields.git_branch, scan);
      added = writer_->find(fmt::format("@{}", id), "");
      if (added) add_to_index(*added);
    }
    if (!added) return error_response(500, "the snapshot was written but cannot be read", true);
    Json answer = store::snapshot_summary_to_json(*added);
    answer["url"] = fmt::format("/snapshot/{}", added->id);
    return json_response(answer, 201);
  } catch (const Error& error) {
    return error_response(500, error.what(), true);
  }
}

}  // namespace pkgsizer::serve
