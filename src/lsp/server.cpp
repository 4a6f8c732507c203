#include "lsp/server.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "budget/budget_check.hpp"
#include "budget/budget_config.hpp"
#include "budget/config_finder.hpp"
#include "env/locate.hpp"
#include "importtime/profile_json.hpp"
#include "lsp/environment_finder.hpp"
#include "lsp/framing.hpp"
#include "lsp/text_position.hpp"
#include "packaging/name.hpp"
#include "pkgsizer/version.hpp"
#include "recommend/alternatives.hpp"
#include "recommend/project.hpp"
#include "store/scan_cache.hpp"
#include "util/json_nesting.hpp"
#include "util/json_text.hpp"
#include "util/read_file.hpp"
#include "util/size_units.hpp"

namespace pkgsizer::lsp {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// LSP 3.17 DiagnosticSeverity.
constexpr int kSeverityError = 1;
constexpr int kSeverityWarning = 2;
constexpr int kSeverityInformation = 3;
// A document larger than this is not read (a real requirements file or lock is kilobytes to a
// few MB), and only its first kMaxRequirements are measured: each is a prediction, and each
// problem a diagnostic (docs/security.md "Limits").
constexpr std::size_t kMaxDocumentBytes = 8 << 20;
constexpr std::size_t kMaxRequirements = 5000;
// LSP 3.17 MessageType.
constexpr int kMessageWarning = 2;
// A failed scan or prediction is tried again after this, doubled with each failure in a row up
// to the longest: the environment may be repaired or the index come back without anything the
// server can see (docs/lsp.md "Failures").
constexpr std::chrono::seconds kFirstRetry{2};
constexpr std::chrono::seconds kLongestRetry{60};
// How long exit waits for the worker's job before ending the process without it.
constexpr std::chrono::milliseconds kExitGrace{200};
// How many transitive dependencies a hover lists.
constexpr std::size_t kBiggestDependencies = 5;
constexpr std::uint64_t kMaxBudgetFileBytes = 1 << 20;
// Where a project keeps its measured import times (`pkgsizer import-time MODULE --json FILE`),
// first found wins (docs/lsp.md "Hover").
constexpr const char* kImportTimeFiles[] = {".pkgsizer/import-time.json", "import-time.json"};

// A request of a method this server does not have.
class MethodNotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request's params, or an error for the client.
class ParamsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const json& member(const json& object, const char* name) {
  if (!object.is_object()) throw ParamsError(fmt::format("params: not an object"));
  const auto found = object.find(name);
  if (found == object.end()) throw ParamsError(fmt::format("params: no \"{}\"", name));
  return *found;
}

std::string string_member(const json& object, const char* name) {
  const json& value = member(object, name);
  if (!value.is_string()) throw ParamsError(fmt::format("params: \"{}\" is not a string", name));
  return value.get<std::string>();
}

std::size_t position_member(const json& position, const char* name) {
  const json& value = member(position, name);
  if (!value.is_number_unsigned()) throw ParamsError(fmt::format("\"{}\" is not a uinteger", name));
  return value.get<std::size_t>();
}

json position(std::size_t line, std::size_t character) {
  return {{"line", line}, {"character", character}};
}

json name_range(const RequirementSpan& span) {
  return {{"start", position(span.line, span.start)}, {"end", position(span.line, span.end)}};
}

std::vector<std::int64_t> stamps_of(const std::vector<std::string>& directories) {
  std::vector<std::int64_t> stamps;
  for (const std::string& directory : directories) {
    struct stat status {};
    if (::stat(directory.c_str(), &status) != 0) {
      stamps.push_back(-1);
      continue;
    }
    stamps.push_back(static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000000000 +
                     status.st_mtim.tv_nsec);
  }
  return stamps;
}

// The mtime and ctime of each path (-1 when it cannot be stat()ed): a venv repaired by
// recreating site-packages changes its parent's mtime, one made readable again its ctime.
std::vector<std::int64_t> path_stamps(const std::vector<std::string>& paths) {
  std::vector<std::int64_t> stamps;
  for (const std::string& path : paths) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) {
      stamps.insert(stamps.end(), {-1, -1});
      continue;
    }
    stamps.push_back(static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1000000000 +
                     status.st_mtim.tv_nsec);
    stamps.push_back(static_cast<std::int64_t>(status.st_ctim.tv_sec) * 1000000000 +
                     status.st_ctim.tv_nsec);
  }
  return stamps;
}

// What a repair of an environment that could not be scanned would touch: the prefix, its
// pyvenv.cfg and conda-meta/, lib/, each lib/pythonX.Y/ and its site-packages/.
std::vector<std::string> environment_watch_paths(const std::string& prefix) {
  const fs::path root(prefix);
  std::vector<std::string> paths{prefix, (root / "pyvenv.cfg").string(),
                                 (root / "conda-meta").string(), (root / "lib").string()};
  std::error_code error;
  for (fs::directory_iterator it(root / "lib", error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().filename().string().rfind("python", 0) != 0) continue;
    paths.push_back(it->path().string());
    paths.push_back((it->path() / "site-packages").string());
  }
  return paths;
}

// ClientCapabilities.workspace.<feature>.refreshSupport, false when absent or not a boolean.
bool refresh_support(const json& capabilities, const char* feature) {
  const json* at = &capabilities;
  for (const char* key : {"workspace", feature, "refreshSupport"}) {
    if (!at->is_object()) return false;
    const auto found = at->find(key);
    if (found == at->end()) return false;
    at = &*found;
  }
  return at->is_boolean() && at->get<bool>();
}

void limit_requirements(DocumentRequirements& found) {
  if (found.problems.size() > kMaxRequirements) found.problems.resize(kMaxRequirements);
  if (found.requirements.size() > kMaxRequirements) {
    const std::size_t line = found.requirements[kMaxRequirements].line;
    found.requirements.resize(kMaxRequirements);
    found.problems.push_back({line, fmt::format("more than {} requirements: the rest are not "
                                                "measured",
                                                kMaxRequirements)});
  }
}

std::optional<std::string> environment_variable(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value ? std::optional<std::string>(value) : std::nullopt;
}

std::string predicted_label(const predict::PredictedPackage& package) {
  if (package.not_found) return "not on the index";
  if (package.sdist_only)
    return package.download_bytes ? fmt::format("predicted ↓{} / size unknown until built",
                                                format_size(*package.download_bytes))
                                  : std::string("size unknown until built");
  const std::string download =
      package.download_bytes ? format_size(*package.download_bytes) : std::string("?");
  const std::string installed = package.installed_bytes
                                    ? format_size(*package.installed_bytes + package.bytecode_bytes)
                                    : std::string("?");
  return fmt::format("predicted ↓{} / {}", download, installed);
}

const recommend::Alternative* lighter_alternative(
    const std::string& normalized_name, const std::map<std::string, std::size_t>* installed) {
  for (const recommend::Alternative& entry : recommend::curated_alternatives()) {
    if (entry.package != normalized_name || !entry.predict) continue;
    if (!entry.when_installed.empty()) {
      if (!installed) continue;
      if (std::none_of(entry.when_installed.begin(), entry.when_installed.end(),
                       [&](const std::string& name) { return installed->count(name) > 0; }))
        continue;
    }
    return &entry;
  }
  return nullptr;
}

}  // namespace

Server::Server(ServerOptions options, Writer write, Logger log)
    : options_(std::move(options)), write_(std::move(write)), log_(std::move(log)) {
  options_.predict.no_deps = true;  // each requirement's own size; its dependencies are lines too
  worker_ = std::thread([this] { worker_loop(); });
}

Server::~Server() {
  {
    const std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

bool Server::finish(std::chrono::milliseconds grace) {
  {
    const std::lock_guard lock(write_mutex_);
    silenced_ = true;
  }
  cancelled_ = true;
  {
    const std::lock_guard lock(queue_mutex_);
    stopping_ = true;
    queue_.clear();
    queued_.clear();
  }
  queue_changed_.notify_all();
  {
    std::unique_lock lock(queue_mutex_);
    if (!queue_changed_.wait_for(lock, grace, [this] { return worker_done_; })) return false;
  }
  worker_.join();
  return true;
}

// ---------------------------------------------------------------------------------------------
// Messages

void Server::send(const json& message) {
  const std::string body = dump_json(message);
  const std::lock_guard lock(write_mutex_);
  if (!silenced_) write_(body);
}

void Server::respond(const json& id, const json& result) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

void Server::respond_error(const json& id, RpcError code, const std::string& message) {
  send({{"jsonrpc", "2.0"},
        {"id", id},
        {"error", {{"code", static_cast<int>(code)}, {"message", message}}}});
}

void Server::handle(std::string_view body) {
  if (json_too_deep_at(body)) {
    respond_error(nullptr, RpcError::kParseError, "the message nests too deep");
    return;
  }
  json message;
  try {
    message = parse_json(body);
  } catch (const json::exception& error) {
    respond_error(nullptr, RpcError::kParseError, fmt::format("not JSON: {}", error.what()));
    return;
  }
  try {
    dispatch(message);
  } catch (const std::exception& error) {
    // A bug or a resource limit: the session goes on.
    log_(fmt::format("internal error: {}", error.what()));
    if (message.is_object() && message.contains("id") && message.contains("method"))
      respond_error(message["id"], RpcError::kInternalError, error.what());
  }
}

void Server::dispatch(const json& message) {
  // JSON-RPC 2.0 section 4: an object with "jsonrpc": "2.0"; a request has a method and an id
  // (a string or a number), a notification a method and no id, a response an id and a result or
  // an error. LSP sends no batches.
  const bool object = message.is_object();
  const json id = object && message.contains("id") ? message["id"] : json(nullptr);
  const bool id_valid = id.is_string() || id.is_number_integer();
  if (!object || message.value("jsonrpc", json()) != "2.0" ||
      (message.contains("id") && !id_valid)) {
    respond_error(id_valid ? id : json(nullptr), RpcError::kInvalidRequest,
                  "not a JSON-RPC 2.0 message");
    return;
  }
  if (!message.contains("method")) {
    if (message.contains("result") || message.contains("error")) return;  // our refreshes' answers
    respond_error(id, RpcError::kInvalidRequest, "no method");
    return;
  }
  if (!message["method"].is_string()) {
    respond_error(id, RpcError::kInvalidRequest, "the method is not a string");
    return;
  }
  const std::string method = message["method"].get<std::string>();
  const json params = message.value("params", json::object());
  if (!message.contains("id")) {
    handle_notification(method, params);
    return;
  }
  if (!initialized_ && method != "initialize") {
    respond_error(id, RpcError::kServerNotInitialized, "initialize first");
    return;
  }
  if (shutdown_) {
    respond_error(id, RpcError::kInvalidRequest, "the server is shut down");
    return;
  }
  try {
    bool deferred = false;
    json result = handle_request(method, params, id, deferred);
    if (!deferred) respond(id, result);
  } catch (const MethodNotFound& error) {
    respond_error(id, RpcError::kMethodNotFound, error.what());
  } catch (const ParamsError& error) {
    respond_error(id, RpcError::kInvalidParams, error.what());
  } catch (const json::exception& error) {
    respond_error(id, RpcError::kInvalidParams, error.what());
  }
}

json Server::handle_request(const std::string& method, const json& params, const json& id,
                            bool& deferred) {
  if (method == "initialize") return initialize(params);
  if (method == "shutdown") {
    // Nothing queued is needed any more; a job in progress stops at its next step.
    shutdown_ = true;
    cancelled_ = true;
    const std::lock_guard lock(queue_mutex_);
    queue_.clear();
    return nullptr;
  }
  if (method == "textDocument/inlayHint") return inlay_hints(params);
  if (method == "textDocument/codeLens") return code_lenses(params);
  if (method == "textDocument/hover") return hover(params);
  if (method == "textDocument/codeAction") return code_actions(params);
  if (method == "pkgsizer/environment") return environment_request(params, id, deferred);
  throw MethodNotFound(fmt::format("no method \"{}\"", method));
}

void Server::handle_notification(const std::string& method, const json& params) {
  if (method == "exit") {
    exit_code_ = shutdown_ ? 0 : 1;
    return;
  }
  if (!initialized_ || shutdown_) return;  // LSP 3.17: notifications before initialize drop
  try {
    if (method == "textDocument/didOpen") {
      const json& document = member(params, "textDocument");
      open_or_change(string_member(document, "uri"), string_member(document, "text"));
    } else if (method == "textDocument/didChange") {
      change_document(params);
    } else if (method == "textDocument/didClose") {
      const std::string uri = string_member(member(params, "textDocument"), "uri");
      const std::lock_guard lock(state_mutex_);
      documents_.erase(uri);
      send({{"jsonrpc", "2.0"},
            {"method", "textDocument/publishDiagnostics"},
            {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
    } else if (method == "textDocument/didSave") {
      const std::string uri = string_member(member(params, "textDocument"), "uri");
      const std::lock_guard lock(state_mutex_);
      if (const auto found = documents_.find(uri); found != documents_.end())
        request_work(found->second);
    }
  } catch (const ParamsError& error) {
    log_(fmt::format("{}: {}", method, error.what()));
  }
}

json Server::initialize(const json& params) {
  // LSP 3.17 InitializeParams: an object; its capabilities, when given, an object. Checked before
  // anything changes, so a refused initialize leaves the server uninitialized.
  if (!params.is_object()) throw ParamsError("params: not an object");
  const json capabilities = params.value("capabilities", json::object());
  if (!capabilities.is_object()) throw ParamsError("params: \"capabilities\" is not an object");
  initialized_ = true;
  inlay_refresh_ = refresh_support(capabilities, "inlayHint");
  lens_refresh_ = refresh_support(capabilities, "codeLens");
  {
    const std::lock_guard lock(state_mutex_);
    if (params.is_object() && params.contains("workspaceFolders") &&
        params["workspaceFolders"].is_array())
      for (const json& folder : params["workspaceFolders"])
        if (folder.is_object() && folder.contains("uri") && folder["uri"].is_string())
          if (auto path = path_from_uri(folder["uri"].get<std::string>()))
            workspace_roots_.push_back(*path);
    if (workspace_roots_.empty() && params.is_object() && params.contains("rootUri") &&
        params["rootUri"].is_string())
      if (auto path = path_from_uri(params["rootUri"].get<std::string>()))
        workspace_roots_.push_back(*path);
  }
  return {{"capabilities",
           {{"positionEncoding", "utf-16"},
            {"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", true}}},
            {"hoverProvider", true},
            {"inlayHintProvider", true},
            {"codeLensProvider", {{"resolveProvider", false}}},
            {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}}}},
          {"serverInfo", {{"name", "pkgsizer"}, {"version", std::string(kVersion)}}}};
}

// ---------------------------------------------------------------------------------------------
// Documents

// The server asks for whole texts (textDocumentSync.change = 1), but a change with a range (an
// incremental one, LSP 3.17 TextDocumentContentChangeEvent) is applied rather than taken for the
// whole text. A change that does not fit the document (a range reversed or past its last line,
// a field of the wrong type) drops the whole notification: the document stays as it was.
void Server::change_document(const json& params) {
  const std::string uri = string_member(member(params, "textDocument"), "uri");
  const json& changes = member(params, "contentChanges");
  if (!changes.is_array()) throw ParamsError("params: \"contentChanges\" is not an array");
  if (changes.empty()) return;
  std::string text;
  {
    const std::lock_guard lock(state_mutex_);
    if (const auto found = documents_.find(uri); found != documents_.end())
      text = found->second.text;
  }
  for (const json& change : changes) {
    std::string new_text = string_member(change, "text");
    if (!change.contains("range")) {
      text = std::move(new_text);
      continue;
    }
    const json& range = member(change, "range");
    const json& start = member(range, "start");
    const json& end = member(range, "end");
    const TextRange where{{position_member(start, "line"), position_member(start, "character")},
                          {position_member(end, "line"), position_member(end, "character")}};
    if (!apply_change(text, where, new_text))
      throw ParamsError("a change's range is reversed or past the document's last line");
  }
  open_or_change(uri, std::move(text));
}

void Server::open_or_change(const std::string& uri, std::string text) {
  const std::optional<std::string> path = path_from_uri(uri);
  ++edits_;
  const std::lock_guard lock(state_mutex_);
  Document& document = documents_[uri];
  document.uri = uri;
  document.path = path.value_or("");
  document.kind = document_kind(document.path.empty() ? uri : document.path);
  document.text = std::move(text);
  analyse(document);
  request_work(document);
  publish_diagnostics(document);
}

void Server::analyse(Document& document) {
  if (document.text.size() > kMaxDocumentBytes) {
    document.requirements = {};
    document.requirements.problems.push_back(
        {0, fmt::format("{} bytes: over pkgsizer's limit of {} for a document, not read",
                        document.text.size(), format_size(kMaxDocumentBytes))});
  } else {
    document.requirements = find_requirements(document.kind, document.text,
                                              fs::path(document.path).filename().string());
    limit_requirements(document.requirements);
  }
  if (document.path.empty()) return;
  const std::string directory = fs::path(document.path).parent_path().string();
  const auto found = find_environment(directory, workspace_roots_, options_.virtual_env);
  document.environment = found ? found->prefix : std::string();
  if (found) environments_[found->prefix].why = found->why;
  document.project_root = find_project_root(directory, workspace_roots_);
}

// What the document needs that is not known yet, or no longer true: a scan of its environment
// (none yet, or its site-packages changed since), predictions of what is not installed.
void Server::request_work(const Document& document) {
  if (!document.environment.empty()) {
    EnvironmentState& state = environments_[document.environment];
    const bool stale =
        state.scan && stamps_of(state.scan->environment.site_packages) != state.stamps;
    const bool missing_recommendations =
        state.scan && state.recommendations.count(document.project_root) == 0;
    const bool retry = !state.scan && state.failure && retry_due(*state.failure);
    if ((!state.scan && !state.failure) || retry || stale || missing_recommendations) {
      std::set<std::string> roots;
      for (const auto& [uri, open] : documents_)
        if (open.environment == document.environment) roots.insert(open.project_root);
      const std::string prefix = document.environment;
      enqueue("scan " + prefix, [this, prefix, roots] { scan_job(prefix, roots); });
    }
    if (!state.scan && !state.failure) return;  // predictions wait for the scan
  }
  if (document.kind == DocumentKind::kPylock || document.kind == DocumentKind::kUvLock) {
    if (lock_predictions_.count(document.uri) == 0) {
      enqueue("lock " + document.uri, [this, uri = document.uri, path = document.path,
                                       text = document.text] { lock_job(uri, path, text); });
    }
    return;
  }
  std::vector<std::string> wanted;
  for (const RequirementSpan& span : document.requirements.requirements) {
    if (installed(document, span.normalized_name)) continue;
    const auto known = predictions_.find(span.requirement);
    if (known == predictions_.end() || (known->second.failure && retry_due(*known->second.failure)))
      wanted.push_back(span.requirement);
  }
  if (wanted.empty()) return;
  std::string key = "predict";
  for (const std::string& requirement : wanted) key += " " + requirement;
  enqueue(key, [this, wanted] { predict_job(wanted); });
}

const Distribution* Server::installed(const Document& document, const std::string& name) const {
  if (document.environment.empty()) return nullptr;
  const auto state = environments_.find(document.environment);
  if (state == environments_.end() || !state->second.scan) return nullptr;
  const auto found = state->second.by_name.find(name);
  return found == state->second.by_name.end() ? nullptr
                                              : &state->second.scan->distributions[found->second];
}

// ---------------------------------------------------------------------------------------------
// The worker

void Server::enqueue(const std::string& key, std::function<void()> job) {
  {
    const std::lock_guard lock(queue_mutex_);
    if (!queued_.insert(key).second) return;
    queue_.emplace_back(key, std::move(job));
  }
  queue_changed_.notify_all();
}

void Server::worker_loop() {
  while (true) {
    std::pair<std::string, std::function<void()>> job;
    {
      std::unique_lock lock(queue_mutex_);
      queue_changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        worker_done_ = true;
        queue_changed_.notify_all();
        return;
      }
      job = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    try {
      job.second();
    } catch (const std::exception& error) {
      log_(fmt::format("{}: {}", job.first, error.what()));
    }
    if (!cancelled_) after_learning();
    {
      const std::lock_guard lock(queue_mutex_);
      queued_.erase(job.first);
      busy_ = false;
    }
    queue_changed_.notify_all();
  }
}

void Server::wait_idle() {
  std::unique_lock lock(queue_mutex_);
  queue_changed_.wait(lock, [this] { return stopping_ || (queue_.empty() && !busy_); });
}

void Server::scan_job(const std::string& prefix, const std::set<std::string>& project_roots) {
  // What a failure is compared with later: the state before the attempt, so that a repair made
  // while it runs (or fails) is seen as a change.
  const std::uint64_t edits = edits_;
  std::vector<std::string> watched = environment_watch_paths(prefix);
  std::vector<std::int64_t> stamps = path_stamps(watched);
  EnvironmentState fresh;
  std::string failure;
  try {
    const Environment environment = env::environment_from_prefix(prefix, false);
    fresh.stamps = stamps_of(environment.site_packages);
    store::CachedScanResult result = store::scan_trees_cached(
        environment, {}, options_.scan_cache_path,
        options_.scan_cache_path.empty() ? store::CacheUse::kOff : store::CacheUse::kUse);
    for (const std::string& warning : result.warnings) log_(fmt::format("{}: {}", prefix, warning));
    fresh.scan = std::move(result.scan.scan);
    for (std::size_t i = 0; i < fresh.scan->distributions.size(); ++i)
      fresh.by_name.emplace(fresh.scan->distributions[i].normalized_name, i);
    log_(fmt::format("scanned {}: {} distributions", prefix, fresh.scan->distributions.size()));
    if (cancelled_) return;
    for (const std::string& root : project_roots) {
      try {
        const recommend::Project project = recommend::read_project(root);
        recommend::RecommendOptions options;
        options.project = &project;
        options.gpu_present = recommend::gpu_present();
        fresh.recommendations.emplace(root, recommend::recommend(*fresh.scan, options));
      } catch (const std::exception& error) {
        log_(fmt::format("recommend {}: {}", root, error.what()));
        fresh.recommendations.emplace(root, recommend::Recommendations{});
      }
    }
  } catch (const std::exception& error) {
    failure = error.what();
    log_(fmt::format("cannot scan {}: {}", prefix, error.what()));
  }
  std::map<std::string, ImportTimes> times;
  for (const std::string& root : project_roots)
    if (auto found = read_import_times(root)) times[root] = std::move(*found);
  const std::lock_guard lock(state_mutex_);
  for (const std::string& root : project_roots) import_times_.erase(root);
  import_times_.merge(times);
  EnvironmentState& state = environments_[prefix];
  fresh.why = state.why;
  if (!failure.empty()) {
    // Shown once: not again while it fails the same way, again if it fails after working.
    if (!state.failure || state.failure->message != failure)
      show_message(kMessageWarning,
                   fmt::format("pkgsizer: cannot scan the environment {}: {} (tried again when "
                               "it changes)",
                               prefix, failure));
    fresh.failure =
        next_failure(state.failure, failure, edits, std::move(watched), std::move(stamps));
  }
  state = std::move(fresh);
  for (auto& [id, waiting_prefix] : waiting_environment_)
    if (waiting_prefix == prefix) respond(id, environment_summary(prefix));
  std::erase_if(waiting_environment_, [&](const auto& entry) { return entry.second == prefix; });
}

std::optional<Server::ImportTimes> Server::read_import_times(const std::string& root) const {
  for (const char* name : kImportTimeFiles) {
    const fs::path path = fs::path(root) / name;
    std::error_code error;
    if (!fs::is_regular_file(path, error)) continue;
    try {
      const auto text = read_text_file(path.string(), kMaxInputFileBytes);
      if (!text) continue;
      const importtime::ImportProfile profile = importtime::profile_from_json(*text, path.string());
      ImportTimes times;
      times.file = path.string();
      times.target = profile.target;
      for (const importtime::DistributionTiming& timing : profile.distributions)
        if (timing.kind == importtime::AttributionKind::kDistribution)
          times.distributions.emplace(packaging::normalize_name(timing.name), timing);
      return times;
    } catch (const std::exception& error) {
      log_(fmt::format("import times: {}", error.what()));
    }
  }
  return std::nullopt;
}

void Server::predict_job(const std::vector<std::string>& requirements) {
  std::size_t failed = 0;
  std::string first_failure;
  for (const std::string& requirement : requirements) {
    if (cancelled_) return;
    PredictionState result;
    std::string failure;
    try {
      const predict::Prediction prediction = predict::predict(
          "requirement", requirement + "\n", options_.predict, {}, environment_variable);
      if (!prediction.packages.empty()) result.package = prediction.packages.front();
    } catch (const std::exception& error) {
      failure = error.what();
      log_(fmt::format("predict {}: {}", requirement, error.what()));
    }
    const std::lock_guard lock(state_mutex_);
    PredictionState& state = predictions_[requirement];
    if (!failure.empty()) {
      if (failed++ == 0) first_failure = fmt::format("{}: {}", requirement, failure);
      result.failure = next_failure(state.failure, failure, std::nullopt, {}, {});
    }
    state = std::move(result);
  }
  // One message while predictions keep failing (the index down, offline without the cache),
  // not one per requirement or per retry.
  const std::lock_guard lock(state_mutex_);
  if (failed > 0 && !prediction_failure_shown_)
    show_message(kMessageWarning,
                 fmt::format("pkgsizer: cannot predict {} requirement{} ({}); tried again later",
                             failed, failed == 1 ? "" : "s", first_failure));
  prediction_failure_shown_ = failed > 0;
}

bool Server::retry_due(const Failure& failure) const {
  return (failure.edits && edits_ != *failure.edits) || Clock::now() >= failure.retry_at ||
         (!failure.watched.empty() && path_stamps(failure.watched) != failure.stamps);
}

Server::Failure Server::next_failure(const std::optional<Failure>& previous, std::string message,
                                     std::optional<std::uint64_t> edits,
                                     std::vector<std::string> watched,
                                     std::vector<std::int64_t> stamps) const {
  Failure failure;
  failure.message = std::move(message);
  failure.edits = edits;
  failure.attempts = previous ? previous->attempts + 1 : 1;
  const int doublings = std::min(failure.attempts - 1, 5);
  failure.retry_at =
      Clock::now() + std::min<std::chrono::seconds>(kFirstRetry * (1 << doublings), kLongestRetry);
  failure.watched = std::move(watched);
  failure.stamps = std::move(stamps);
  return failure;
}

void Server::show_message(int type, const std::string& text) {
  log_(text);
  send({{"jsonrpc", "2.0"},
        {"method", "window/showMessage"},
        {"params", {{"type", type}, {"message", text}}}});
}

void Server::lock_job(const std::string& uri, const std::string& path, const std::string& text) {
  std::map<std::string, predict::PredictedPackage> packages;
  try {
    const predict::Prediction prediction = predict::predict(
        fs::path(path).filename().string(), text, options_.predict, {}, environment_variable);
    for (const predict::PredictedPackage& package : prediction.packages)
      packages.emplace(package.normalized_name, package);
  } catch (const std::exception& error) {
    log_(fmt::format("predict {}: {}", path, error.what()));
  }
  const std::lock_guard lock(state_mutex_);
  lock_predictions_[uri] = std::move(packages);
}

// New knowledge: hints and lenses are asked for again, diagnostics pushed again, and what a
// document still lacks is queued (the predictions that waited for its environment's scan).
void Server::after_learning() {
  {
    const std::lock_guard lock(state_mutex_);
    for (auto& [uri, document] : documents_) {
      request_work(document);
      publish_diagnostics(document);
    }
  }
  if (inlay_refresh_)
    send({{"jsonrpc", "2.0"},
          {"id", fmt::format("pkgsizer-{}", next_request_++)},
          {"method", "workspace/inlayHint/refresh"}});
  if (lens_refresh_)
    send({{"jsonrpc", "2.0"},
          {"id", fmt::format("pkgsizer-{}", next_request_++)},
          {"method", "workspace/codeLens/refresh"}});
}

// ---------------------------------------------------------------------------------------------
// Features

std::string Server::size_label(const Document& document, const RequirementSpan& span) const {
  if (const Distribution* dist = installed(document, span.normalized_name))
    return fmt::format("{} {}", format_size(dist->size.apparent_bytes), dist->version);
  if (const auto lock = lock_predictions_.find(document.uri); lock != lock_predictions_.end()) {
    if (const auto package = lock->second.find(span.normalized_name); package != lock->second.end())
      return predicted_label(package->second);
  }
  if (const auto prediction = predictions_.find(span.requirement);
      prediction != predictions_.end()) {
    if (prediction->second.package) return predicted_label(*prediction->second.package);
    return "size unknown";
  }
  if (span.locked_download_bytes)
    return fmt::format("locked ↓{}", format_size(*span.locked_download_bytes));
  return {};  // not known yet: the hint comes with the refresh
}

json Server::inlay_hints(const json& params) {
  const std::string uri = string_member(member(params, "textDocument"), "uri");
  const std::lock_guard lock(state_mutex_);
  const auto found = documents_.find(uri);
  if (found == documents_.end()) return json::array();
  const Document& document = found->second;
  request_work(document);
  const std::vector<std::string_view> lines = split_lines(document.text);
  json hints = json::array();
  for (const RequirementSpan& span : document.requirements.requirements) {
    const std::string label = size_label(document, span);
    if (label.empty() || span.line >= lines.size()) continue;
    hints.push_back({{"position", position(span.line, utf16_length(lines[span.line]))},
                     {"label", label},
                     {"paddingLeft", true},
                     {"tooltip", fmt::format("pkgsizer: {}", span.name)}});
  }
  return hints;
}

json Server::code_lenses(const json& params) {
  const std::string uri = string_member(member(params, "textDocument"), "uri");
  const std::lock_guard lock(state_mutex_);
  const auto found = documents_.find(uri);
  if (found == documents_.end()) return json::array();
  const Document& document = found->second;
  json lenses = json::array();
  for (const RequirementSpan& span : document.requirements.requirements) {
    const std::string label = size_label(document, span);
    if (label.empty()) continue;
    // A lens without a command to run (LSP 3.17 Command.command is required: empty runs nothing).
    lenses.push_back(
        {{"range", name_range(span)}, {"command", {{"title", label}, {"command", ""}}}});
  }
  return lenses;
}

std::string Server::hover_text(const Document& document, const RequirementSpan& span) const {
  std::string text;
  const Distribution* dist = installed(document, span.normalized_name);
  if (!dist) {
    text = fmt::format("**{}**", span.name);
    const auto state = environments_.find(document.environment);
    const bool scanned = state != environments_.end() && state->second.scan;
    const bool failed = state != environments_.end() && state->second.failure;
    if (!document.environment.empty() && !scanned && state != environments_.end() && !failed)
      return text + fmt::format(" — measuring… (scanning {})", document.environment);
    const std::string label = size_label(document, span);
    text +=
        document.environment.empty() || failed ? std::string() : std::string(" — not installed");
    text += label.empty() ? std::string(" — predicting…") : " — " + label;
    if (failed && !scanned)
      text += fmt::format("\n\nThe environment {} cannot be scanned: {}", document.environment,
                          state->second.failure->message);
    if (document.environment.empty())
      text += "\n\nNo environment found (pkgsizer.toml [environment], .venv or $VIRTUAL_ENV).";
    return text;
  }
  const EnvironmentState& state = environments_.at(document.environment);
  const Scan& scan = *state.scan;
  text = fmt::format("**{} {}** — {} installed ({} on disk, {} files)\n\n", dist->name,
                     dist->version, format_size(dist->size.apparent_bytes),
                     format_size(dist->size.disk_bytes), format_count(dist->size.file_count));
  text += fmt::format("- with its dependencies: {}\n", format_size(dist->cumulative_bytes));
  if (dist->removable())
    text += fmt::format("- removing it frees: {}\n", format_size(dist->removal_bytes));
  else
    text += fmt::format("- required by {}: removing it would break them\n",
                        fmt::join(dist->required_by, ", "));
  // Its transitive dependencies, each once, largest first.
  std::vector<std::size_t> reached;
  std::vector<std::string> stack{dist->normalized_name};
  std::set<std::string> seen{dist->normalized_name};
  while (!stack.empty()) {
    const auto at = state.by_name.find(stack.back());
    stack.pop_back();
    if (at == state.by_name.end()) continue;
    for (const Dependency& dependency : scan.distributions[at->second].dependencies) {
      if (!seen.insert(dependency.normalized_name).second) continue;
      const auto child = state.by_name.find(dependency.normalized_name);
      if (child == state.by_name.end()) continue;
      reached.push_back(child->second);
      stack.push_back(dependency.normalized_name);
    }
  }
  std::sort(reached.begin(), reached.end(), [&](std::size_t a, std::size_t b) {
    return scan.distributions[a].size.apparent_bytes > scan.distributions[b].size.apparent_bytes;
  });
  if (!reached.empty()) {
    text += "- biggest dependencies:";
    for (std::size_t i = 0; i < reached.size() && i < kBiggestDependencies; ++i)
      text += fmt::format(" {} {}{}", scan.distributions[reached[i]].name,
                          format_size(scan.distributions[reached[i]].size.apparent_bytes),
                          i + 1 < std::min(reached.size(), kBiggestDependencies) ? "," : "");
    text += "\n";
  }
  if (const auto found = state.recommendations.find(document.project_root);
      found != state.recommendations.end()) {
    for (const recommend::Finding& finding : found->second.findings) {
      const bool about = std::any_of(
          finding.distributions.begin(), finding.distributions.end(), [&](const std::string& name) {
            return packaging::normalize_name(name) == span.normalized_name;
          });
      if (!about) continue;
      text += fmt::format(
          "- {}: {}{}\n", recommend::to_string(finding.kind), finding.title,
          finding.bytes ? fmt::format(" (saves {})", format_size(finding.bytes->apparent_bytes))
                        : std::string());
    }
  }
  if (const auto times = import_times_.find(document.project_root); times != import_times_.end()) {
    if (const auto timing = times->second.distributions.find(span.normalized_name);
        timing != times->second.distributions.end())
      text += fmt::format("- import time: {} self, {} with what it imports ({}, {})\n",
                          importtime::format_time(timing->second.self_us),
                          importtime::format_time(timing->second.cumulative_us),
                          times->second.target, fs::path(times->second.file).filename().string());
  }
  text += fmt::format("\nEnvironment: {}", scan.environment.prefix);
  return text;
}

json Server::hover(const json& params) {
  const std::string uri = string_member(member(params, "textDocument"), "uri");
  const json& where = member(params, "position");
  const std::size_t line = position_member(where, "line");
  const std::size_t character = position_member(where, "character");
  const std::lock_guard lock(state_mutex_);
  const auto found = documents_.find(uri);
  if (found == documents_.end()) return nullptr;
  const Document& document = found->second;
  for (const RequirementSpan& span : document.requirements.requirements) {
    if (span.line != line || character < span.start || character > span.end) continue;
    return {{"contents", {{"kind", "markdown"}, {"value", hover_text(document, span)}}},
            {"range", name_range(span)}};
  }
  return nullptr;
}

json Server::diagnostics(const Document& document) const {
  json out = json::array();
  for (const DocumentProblem& problem : document.requirements.problems)
    out.push_back(
        {{"range", {{"start", position(problem.line, 0)}, {"end", position(problem.line, 0)}}},
         {"severity", kSeverityError},
         {"source", "pkgsizer"},
         {"message", problem.message}});
  const EnvironmentState* state = nullptr;
  if (!document.environment.empty())
    if (const auto found = environments_.find(document.environment);
        found != environments_.end() && found->second.scan)
      state = &found->second;
  auto add = [&](const RequirementSpan& span, int severity, const char* code,
                 const std::string& message) {
    out.push_back({{"range", name_range(span)},
                   {"severity", severity},
                   {"source", "pkgsizer"},
                   {"code", code},
                   {"message", message}});
  };
  // The budget, as check-budget grades it: a package's own limit or per_package.
  std::optional<budget::BudgetEvaluation> evaluation;
  if (state && !document.path.empty()) {
    try {
      if (const auto config_path = budget::find_config(fs::path(document.path).parent_path()))
        if (const auto config_text = read_text_file(config_path->string(), kMaxBudgetFileBytes))
          evaluation = budget::evaluate_budget(
              *state->scan, budget::parse_budget_config(*config_text, config_path->string()));
    } catch (const std::exception& error) {
      log_(fmt::format("budget: {}", error.what()));
    }
  }
  const recommend::Recommendations* recommendations = nullptr;
  if (state)
    if (const auto found = state->recommendations.find(document.project_root);
        found != state->recommendations.end())
      recommendations = &found->second;
  for (const RequirementSpan& span : document.requirements.requirements) {
    if (evaluation)
      for (const budget::RuleResult& result : evaluation->results) {
        if (result.status == budget::Status::kOk || result.is_time()) continue;
        if (result.rule != budget::Rule::kPackage && result.rule != budget::Rule::kPerPackage)
          continue;
        if (packaging::normalize_name(result.subject) != span.normalized_name) continue;
        add(span, result.status == budget::Status::kFail ? kSeverityError : kSeverityWarning,
            "budget",
            fmt::format("{}: {} is {:.0f}% of its budget of {} ({}:{}, {})", span.name,
                        format_size(result.used_bytes), result.percent,
                        format_size(result.limit_bytes),
                        fs::path(evaluation->config_file).filename().string(), result.config_line,
                        budget::rule_name(result.rule)));
      }
    if (recommendations)
      for (const recommend::DeclaredUnused& unused : recommendations->declared_unused)
        if (packaging::normalize_name(unused.name) == span.normalized_name)
          add(span, kSeverityWarning, "unused",
              fmt::format("{}: declared but never imported by the project (pkgsizer recommend "
                          "--project)",
                          span.name));
    if (document.kind == DocumentKind::kRequirements || document.kind == DocumentKind::kPyproject)
      if (const recommend::Alternative* alternative =
              lighter_alternative(span.normalized_name, state ? &state->by_name : nullptr))
        add(span, kSeverityInformation, "lighter-alternative",
            fmt::format("{}: a lighter alternative is {} — {}", span.name, alternative->alternative,
                        alternative->why));
  }
  return out;
}

void Server::publish_diagnostics(const Document& document) {
  send({{"jsonrpc", "2.0"},
        {"method", "textDocument/publishDiagnostics"},
        {"params", {{"uri", document.uri}, {"diagnostics", diagnostics(document)}}}});
}

json Server::code_actions(const json& params) {
  const std::string uri = string_member(member(params, "textDocument"), "uri");
  const json& range = member(params, "range");
  const std::size_t first = position_member(member(range, "start"), "line");
  const std::size_t last = position_member(member(range, "end"), "line");
  const std::lock_guard lock(state_mutex_);
  const auto found = documents_.find(uri);
  json actions = json::array();
  if (found == documents_.end()) return actions;
  const Document& document = found->second;
  if (document.kind != DocumentKind::kRequirements && document.kind != DocumentKind::kPyproject)
    return actions;
  const EnvironmentState* state = nullptr;
  if (const auto env = environments_.find(document.environment);
      env != environments_.end() && env->second.scan)
    state = &env->second;
  for (const RequirementSpan& span : document.requirements.requirements) {
    if (span.line < first || span.line > last) continue;
    const recommend::Alternative* alternative =
        lighter_alternative(span.normalized_name, state ? &state->by_name : nullptr);
    if (!alternative) continue;
    json edit = {{"range", name_range(span)}, {"newText", alternative->alternative}};
    actions.push_back(
        {{"title", fmt::format("Use {} instead of {}", alternative->alternative, span.name)},
         {"kind", "quickfix"},
         {"edit", {{"changes", {{uri, json::array({edit})}}}}}});
  }
  return actions;
}

json Server::environment_summary(const std::string& prefix) const {
  const auto found = environments_.find(prefix);
  if (found == environments_.end() || !found->second.scan) return nullptr;
  const Scan& scan = *found->second.scan;
  return {{"path", prefix},
          {"python_version", scan.environment.python_version},
          {"apparent_bytes", scan.totals.all.apparent_bytes},
          {"disk_bytes", scan.totals.all.disk_bytes},
          {"distributions", scan.distributions.size()}};
}

// Answered at once from a finished scan; otherwise when the scan that it queues ends (JSON-RPC
// lets responses come in any order), so the status bar never waits on the main thread.
json Server::environment_request(const json& params, const json& id, bool& deferred) {
  const std::optional<std::string> path = path_from_uri(string_member(params, "uri"));
  if (!path) return nullptr;
  std::error_code error;
  const std::string directory =
      fs::is_directory(*path, error) ? *path : fs::path(*path).parent_path().string();
  const std::lock_guard lock(state_mutex_);
  const auto found = find_environment(directory, workspace_roots_, options_.virtual_env);
  if (!found) return nullptr;
  EnvironmentState& state = environments_[found->prefix];
  if (state.why.empty()) state.why = found->why;
  const bool stale = state.scan && stamps_of(state.scan->environment.site_packages) != state.stamps;
  if (state.scan && !stale) return environment_summary(found->prefix);
  if (!state.scan && state.failure && !retry_due(*state.failure)) return nullptr;
  deferred = true;
  waiting_environment_.emplace_back(id, found->prefix);
  const std::string prefix = found->prefix;
  const std::set<std::string> roots{find_project_root(directory, workspace_roots_)};
  enqueue("scan " + prefix, [this, prefix, roots] { scan_job(prefix, roots); });
  return nullptr;
}

// ---------------------------------------------------------------------------------------------

int run_stdio(const ServerOptions& options, int input_fd, int output_fd,
              const Server::Logger& log) {
  bool output_failed = false;
  const Server::Writer write = [output_fd, &output_failed, &log](const std::string& body) {
    const std::string frame = encode_frame(body);
    std::size_t written = 0;
    while (written < frame.size() && !output_failed) {
      const ssize_t n = ::write(output_fd, frame.data() + written, frame.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        output_failed = true;
        log("cannot write to the client: stopping");
        break;
      }
      written += static_cast<std::size_t>(n);
    }
  };
  Server server(options, write, log);
  const auto finish = [&server, &log](int code) {
    if (!server.finish(kExitGrace)) {
      // The worker is inside a scan or a transfer and still uses `server`: end here, before
      // anything is destroyed under it. The client said exit (or went away); nothing of the
      // job's is needed, and every message was written whole (send() holds the write lock).
      log("exit: not waiting for the job in progress");
      std::_Exit(code);
    }
    return code;
  };
  FrameDecoder decoder;
  std::string buffer(1 << 16, '\0');
  while (!output_failed) {
    const ssize_t n = ::read(input_fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the client went away without exit: LSP says exit code 1
    decoder.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    while (auto body = decoder.next()) {
      server.handle(*body);
      if (server.exit_code()) return finish(*server.exit_code());
    }
    for (const std::string& problem : decoder.take_problems()) log(problem);
  }
  return finish(1);
}

}  // namespace pkgsizer::lsp
