#include "model/scan_json.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "util/error.hpp"
#include "util/json_text.hpp"

namespace pkgsizer::model {
namespace {

// A closed set's value from its name; absent is "" (unknown), another name a malformed scan.
template <typename Parse>
auto enum_from_json(const nlohmann::json& object, const char* key, Parse parse) {
  const std::string name = object.value(key, "");
  if (auto value = parse(name)) return *value;
  throw Error(ErrorCategory::kEnvironment,
              fmt::format("malformed pkgsizer scan: {} '{}'", key, name));
}

using nlohmann::json;
using ordered = nlohmann::ordered_json;  // written keys keep a readable, stable order

ordered size_to_json(const Size& size) {
  return {{"apparent_bytes", size.apparent_bytes},
          {"disk_bytes", size.disk_bytes},
          {"file_count", size.file_count}};
}

// A count or a byte size: absent is 0; anything but a non-negative integer is an error. (json's
// own value() would convert a float such as 1e300 with a cast that is undefined behaviour, and
// wrap a negative number; found by tests/fuzz/scan_json.)
std::uint64_t unsigned_value(const json& object, const char* key) {
  if (!object.is_object())
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("not an object where {} belongs: {}", key, object.dump()));
  const auto found = object.find(key);
  if (found == object.end()) return 0;
  if (!found->is_number_unsigned())
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{} is not a non-negative integer: {}", key, found->dump()));
  return found->get<std::uint64_t>();
}

// A byte count of a saved scan, which comes from outside: one past 2^62 (4 EiB) is no real
// environment, and would wrap the sums and signed differences made from it (compare,
// max_increase). docs/security.md.
constexpr std::uint64_t kMaxPlausibleBytes = std::uint64_t{1} << 62;

std::uint64_t bytes_from_json(const json& object, const char* key) {
  const std::uint64_t bytes = unsigned_value(object, key);
  if (bytes > kMaxPlausibleBytes)
    throw Error(ErrorCategory::kEnvironment,
                std::string(key) + " " + std::to_string(bytes) +
                    " is more than any environment holds (2^62 bytes)");
  return bytes;
}

Size size_from_json(const json& object) {
  return {bytes_from_json(object, "apparent_bytes"), bytes_from_json(object, "disk_bytes"),
          unsigned_value(object, "file_count")};
}

ordered module_to_json(const ModuleNode& module) {
  ordered node = {{"name", module.name}, {"kind", to_string(module.kind)}};
  node.update(size_to_json(module.size));
  // Only when there is some: absent reads as none (and scans from before 0.x lack it).
  if (module.bytecode.file_count > 0) node["bytecode"] = size_to_json(module.bytecode);
  ordered children = ordered::array();
  for (const ModuleNode& child : module.children) children.push_back(module_to_json(child));
  node["children"] = std::move(children);
  return node;
}

ModuleNode module_from_json(const json& node) {
  ModuleNode module{node.value("name", ""),
                    enum_from_json(node, "kind", module_kind_from_string),
                    size_from_json(node),
                    {},
                    {}};
  for (const json& child : node.value("children", json::array()))
    module.children.push_back(module_from_json(child));
  if (const auto bytecode = node.find("bytecode"); bytecode != node.end())
    module.bytecode = size_from_json(*bytecode);
  return module;
}

ordered distribution_to_json(const Distribution& dist, bool with_modules) {
  // Key by key rather than from an initializer list, which builds every pair as an array
  // first: a 2000-distribution report is written a third faster this way.
  ordered object = ordered::object();
  object["name"] = dist.name;
  object["normalized_name"] = dist.normalized_name;
  object["version"] = dist.version;
  object["location"] = dist.location;
  object["metadata_path"] = dist.metadata_path;
  object["metadata_kind"] = to_string(dist.metadata_kind);
  object["files_source"] = to_string(dist.files_source);
  object["installer"] = dist.installer;
  object["requested"] = dist.requested;
  object["editable"] = dist.editable;
  object["editable_target"] = dist.editable_target;
  object["inherited"] = dist.inherited;
  object["apparent_bytes"] = dist.size.apparent_bytes;
  object["disk_bytes"] = dist.size.disk_bytes;
  object["file_count"] = dist.size.file_count;
  object["outside_bytes"] = dist.outside_bytes;
  object["shared_bytes"] = dist.shared_bytes;
  object["shared_files"] = dist.shared_files;
  object["missing_files"] = dist.missing_files;
  object["requires_dist"] = dist.requires_dist;
  object["top_level"] = dist.top_level;
  object["root"] = dist.root;
  object["cumulative_bytes"] = dist.cumulative_bytes;
  // null: uninstalling it would break what requires it (Distribution::removable).
  object["removable"] = dist.removable();
  object["removal_bytes"] =
      number_or_null(dist.removable() ? std::optional(dist.removal_bytes) : std::nullopt);
  object["required_by"] = dist.required_by;
  if (dist.wheel) {  // only with --show-wheel-size: scans without it keep their shape
    ordered& wheel = object["wheel"] = ordered::object();
    wheel["file"] = dist.wheel->file_name;
    wheel["download_bytes"] = number_or_null(dist.wheel->download_bytes);
    const std::optional<double> ratio = dist.installed_to_wheel_ratio();
    wheel["installed_to_wheel_ratio"] = ratio ? ordered(*ratio) : ordered(nullptr);
    wheel["note"] = dist.wheel->note;
  }
  ordered& dependencies = object["requires"] = ordered::array();
  for (const Dependency& dependency : dist.dependencies) {
    ordered& edge = dependencies.emplace_back(ordered::object());
    edge["requirement"] = dependency.requirement;
    edge["normalized_name"] = dependency.normalized_name;
    edge["extras"] = dependency.extras;
    edge["specifier"] = dependency.specifier;
    edge["installed"] = dependency.installed;
    edge["installed_version"] = dependency.installed_version;
    edge["satisfied"] = dependency.satisfied;
  }
  if (with_modules) {
    ordered& modules = object["modules"] = ordered::array();
    for (const ModuleNode& module : dist.modules) modules.push_back(module_to_json(module));
  }
  return object;
}

Distribution distribution_from_json(const json& object) {
  Distribution dist;
  dist.name = object.at("name").get<std::string>();
  dist.normalized_name = object.value("normalized_name", dist.name);
  dist.version = object.value("version", "");
  dist.location = object.value("location", "");
  dist.metadata_path = object.value("metadata_path", "");
  dist.metadata_kind = enum_from_json(object, "metadata_kind", metadata_kind_from_string);
  dist.files_source = enum_from_json(object, "files_source", files_source_from_string);
  dist.installer = object.value("installer", "");
  dist.requested = object.value("requested", false);
  dist.editable = object.value("editable", false);
  dist.editable_target = object.value("editable_target", "");
  dist.inherited = object.value("inherited", false);
  dist.size = size_from_json(object);
  dist.outside_bytes = bytes_from_json(object, "outside_bytes");
  dist.shared_bytes = bytes_from_json(object, "shared_bytes");
  dist.shared_files = unsigned_value(object, "shared_files");
  dist.missing_files = unsigned_value(object, "missing_files");
  dist.requires_dist = object.value("requires_dist", std::vector<std::string>{});
  dist.top_level = object.value("top_level", std::vector<std::string>{});
  for (const json& module : object.value("modules", json::array()))
    dist.modules.push_back(module_from_json(module));
  dist.root = object.value("root", false);
  dist.cumulative_bytes = bytes_from_json(object, "cumulative_bytes");
  // null when others still require it (Distribution::removable())
  if (const auto removal = object.find("removal_bytes");
      removal != object.end() && removal->is_number_unsigned())
    dist.removal_bytes = bytes_from_json(object, "removal_bytes");
  dist.required_by = object.value("required_by", std::vector<std::string>{});
  if (const auto wheel = object.find("wheel"); wheel != object.end() && wheel->is_object()) {
    WheelDownload download;
    download.file_name = wheel->value("file", "");
    if (const auto bytes = wheel->find("download_bytes");
        bytes != wheel->end() && bytes->is_number_unsigned())
      download.download_bytes = bytes->get<std::uint64_t>();
    download.note = wheel->value("note", "");
    dist.wheel = std::move(download);
  }
  for (const json& edge : object.value("requires", json::array())) {
    Dependency dependency;
    dependency.requirement = edge.value("requirement", "");
    dependency.normalized_name = edge.value("normalized_name", "");
    dependency.extras = edge.value("extras", std::vector<std::string>{});
    dependency.specifier = edge.value("specifier", "");
    dependency.installed = edge.value("installed", false);
    dependency.installed_version = edge.value("installed_version", "");
    dependency.satisfied = edge.value("satisfied", true);
    dist.dependencies.push_back(std::move(dependency));
  }
  return dist;
}

// A scan written before "kind" existed has none: its problems are scan problems.
Problem problem_from_json(const json& warning) {
  const std::string severity = warning.value("severity", "warning");
  const std::string kind = warning.value("kind", "scan");
  Problem problem;
  if (auto value = severity_from_string(severity))
    problem.severity = *value;
  else
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("malformed pkgsizer scan: severity '{}'", severity));
  if (auto value = problem_kind_from_string(kind))
    problem.kind = *value;
  else
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("malformed pkgsizer scan: warning kind '{}'", kind));
  problem.path = warning.value("path", "");
  problem.message = warning.value("message", "");
  return problem;
}

}  // namespace

nlohmann::ordered_json scan_to_json(const Scan& scan) {
  const Environment& env = scan.environment;
  bool with_modules = false;
  for (const Distribution& dist : scan.distributions)
    with_modules = with_modules || !dist.modules.empty();
  ordered distributions = ordered::array();
  distributions.get_ref<ordered::array_t&>().reserve(scan.distributions.size());
  for (const Distribution& dist : scan.distributions)
    distributions.push_back(distribution_to_json(dist, with_modules));
  ordered unowned = ordered::array();
  for (const UnownedEntry& entry : scan.unowned) {
    ordered object = {{"path", entry.path}};
    object.update(size_to_json(entry.size));
    unowned.push_back(std::move(object));
  }
  ordered warnings = ordered::array();
  for (const Problem& problem : scan.problems)
    warnings.push_back({{"severity", to_string(problem.severity)},
                        {"kind", to_string(problem.kind)},
                        {"path", problem.path},
                        {"message", problem.message}});
  const Totals& totals = scan.totals;
  ordered document = {
      {"schema_version", Scan::kSchemaVersion},
      {"tool", {{"name", "pkgsizer"}, {"version", scan.tool_version}}},
      {"created_at", scan.created_at},
      {"environment",
       {{"kind", to_string(env.kind)},
        {"prefix", env.prefix},
        {"interpreter", env.interpreter},
        {"python_version", env.python_version},
        {"python_version_source", env.python_version_source},
        {"platform", env.platform},
        {"site_packages", env.site_packages},
        {"inherited_site_packages", env.inherited_site_packages},
        {"include_system_site_packages", env.include_system_site_packages},
        {"markers", env.markers}}},
      {"totals",
       {{"distributions", totals.distributions},
        {"all", size_to_json(totals.all)},
        {"owned", size_to_json(totals.owned)},
        {"unowned", size_to_json(totals.unowned)},
        {"directories", size_to_json(totals.directories)},
        {"shared", size_to_json(totals.shared)},
        {"outside", size_to_json(totals.outside)},
        {"selected", size_to_json(totals.selected)}}},
  };
  // The long lists are moved in, never copied through an initializer list.
  document["distributions"] = std::move(distributions);
  document["unowned"] = std::move(unowned);
  document["warnings"] = std::move(warnings);
  return document;
}

Scan scan_from_json(const json& object) {
  if (!object.is_object() || !object.contains("schema_version") ||
      !object.contains("distributions"))
    throw Error(ErrorCategory::kEnvironment,
                "not a pkgsizer scan (no schema_version or distributions)");
  const json& version = object.at("schema_version");
  if (!version.is_number_unsigned())
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("schema_version must be a whole number, not {}", version.dump()));
  const std::uint64_t schema_version = version.get<std::uint64_t>();
  if (schema_version > static_cast<std::uint64_t>(Scan::kSchemaVersion))
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("schema_version {} is newer than this pkgsizer reads ({})",
                            schema_version, Scan::kSchemaVersion));
  Scan scan;
  try {
    scan.tool_version = object.value("tool", json::object()).value("version", "");
    scan.created_at = object.value("created_at", "");
    const json environment = object.value("environment", json::object());
    scan.environment.kind = enum_from_json(environment, "kind", environment_kind_from_string);
    scan.environment.prefix = environment.value("prefix", "");
    scan.environment.interpreter = environment.value("interpreter", "");
    scan.environment.python_version = environment.value("python_version", "");
    scan.environment.python_version_source = environment.value("python_version_source", "");
    scan.environment.platform = environment.value("platform", "");
    scan.environment.site_packages = environment.value("site_packages", std::vector<std::string>{});
    scan.environment.inherited_site_packages =
        environment.value("inherited_site_packages", std::vector<std::string>{});
    scan.environment.include_system_site_packages =
        environment.value("include_system_site_packages", false);
    scan.environment.markers = environment.value("markers", std::map<std::string, std::string>{});
    const json totals = object.value("totals", json::object());
    scan.totals.distributions = unsigned_value(totals, "distributions");
    scan.totals.all = size_from_json(totals.value("all", json::object()));
    scan.totals.owned = size_from_json(totals.value("owned", json::object()));
    scan.totals.unowned = size_from_json(totals.value("unowned", json::object()));
    scan.totals.directories = size_from_json(totals.value("directories", json::object()));
    scan.totals.shared = size_from_json(totals.value("shared", json::object()));
    scan.totals.outside = size_from_json(totals.value("outside", json::object()));
    scan.totals.selected = size_from_json(totals.value("selected", json::object()));
    for (const json& dist : object.at("distributions"))
      scan.distributions.push_back(distribution_from_json(dist));
    for (const json& entry : object.value("unowned", json::array()))
      scan.unowned.push_back({entry.value("path", ""), size_from_json(entry)});
    for (const json& warning : object.value("warnings", json::array()))
      scan.problems.push_back(problem_from_json(warning));
  } catch (const json::exception& error) {
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("malformed pkgsizer scan: {}", error.what()));
  }
  return scan;
}

}  // namespace pkgsizer::model
