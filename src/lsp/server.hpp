// `pkgsizer lsp`: a language server (LSP 3.17) that shows what each requirement costs where it
// is typed. The main thread reads messages and answers from what is known; a worker thread scans
// environments, predicts sizes and runs recommend, then asks the client to refresh
// (workspace/inlayHint/refresh, workspace/codeLens/refresh) and publishes diagnostics again.
// Nothing a request waits for touches the disk beyond a stat() or the network (docs/lsp.md).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "importtime/profile.hpp"
#include "lsp/documents.hpp"
#include "model/model.hpp"
#include "predict/predictor.hpp"
#include "recommend/recommend.hpp"

namespace pkgsizer::lsp {

struct ServerOptions {
  predict::PredictOptions predict;  // offline: only what the HTTP cache holds
  std::string scan_cache_path;      // the scan cache; empty: none
  std::string virtual_env;          // $VIRTUAL_ENV
};

// JSON-RPC 2.0 error codes (section 5.1) and LSP's own (LSP 3.17 "ErrorCodes").
enum class RpcError : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  kServerNotInitialized = -32002,
};

class Server {
 public:
  using Writer = std::function<void(const std::string& body)>;
  using Logger = std::function<void(const std::string& line)>;
  Server(ServerOptions options, Writer write, Logger log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // One message body. Never throws: what is wrong with it is answered as a JSON-RPC error.
  void handle(std::string_view body);
  // After the exit notification: the process's exit code (0 when shutdown came first).
  std::optional<int> exit_code() const { return exit_code_; }
  // Waits until the worker has nothing left to do (tests and benchmarks).
  void wait_idle();
  // Ends the session: no more messages are written, queued work is dropped, and the worker stops
  // after the job it is in. True when it stopped within `grace`; false when a job still runs (a
  // scan of a large tree, a slow index): the worker still uses this object, so the caller must
  // end the process without destroying it (run_stdio does).
  bool finish(std::chrono::milliseconds grace);

 private:
  struct Document {
    std::string uri;
    std::string path;
    DocumentKind kind = DocumentKind::kOther;
    std::string text;
    DocumentRequirements requirements;
    std::string environment;  // prefix, empty when none
    std::string project_root;
  };
  using Clock = std::chrono::steady_clock;
  // A scan or a prediction that failed, and when it is worth trying again: when a document was
  // edited since (scans), when one of the watched paths changed (a venv repaired, site-packages
  // created or made readable), or after a back-off that doubles with each failure in a row.
  struct Failure {
    std::string message;
    Clock::time_point retry_at;
    std::optional<std::uint64_t> edits;  // edits_ when the failed job started; none: edits do
                                         // not matter (a prediction: the index is elsewhere)
    int attempts = 0;                    // failures in a row
    std::vector<std::string> watched;    // paths whose stat() may tell it changed
    std::vector<std::int64_t> stamps;    // their mtime and ctime when the failed job started
  };
  struct EnvironmentState {
    std::string why;  // how it was found
    std::optional<Scan> scan;
    std::map<std::string, std::size_t> by_name;  // PEP 503 name -> index in scan->distributions
    std::vector<std::int64_t> stamps;            // site-packages mtimes at the scan
    std::optional<Failure> failure;              // why it could not be scanned
    std::map<std::string, recommend::Recommendations> recommendations;  // by project root
  };
  struct PredictionState {
    std::optional<predict::PredictedPackage> package;
    std::optional<Failure> failure;
  };

  // Per project root: the import times of its saved `import-time --json` file, by PEP 503 name.
  struct ImportTimes {
    std::string file;
    std::string target;
    std::map<std::string, importtime::DistributionTiming> distributions;
  };

  void dispatch(const nlohmann::json& message);
  nlohmann::json handle_request(const std::string& method, const nlohmann::json& params,
                                const nlohmann::json& id, bool& deferred);
  void handle_notification(const std::string& method, const nlohmann::json& params);

  nlohmann::json initialize(const nlohmann::json& params);
  void open_or_change(const std::string& uri, std::string text);
  void change_document(const nlohmann::json& params);
  nlohmann::json inlay_hints(const nlohmann::json& params);
  nlohmann::json code_lenses(const nlohmann::json& params);
  nlohmann::json hover(const nlohmann::json& params);
  nlohmann::json code_actions(const nlohmann::json& params);
  nlohmann::json environment_request(const nlohmann::json& params, const nlohmann::json& id,
                                     bool& deferred);

  // Under state_mutex_.
  void analyse(Document& document);
  void request_work(const Document& document);
  std::string size_label(const Document& document, const RequirementSpan& span) const;
  std::string hover_text(const Document& document, const RequirementSpan& span) const;
  nlohmann::json diagnostics(const Document& document) const;
  nlohmann::json environment_summary(const std::string& prefix) const;
  const Distribution* installed(const Document& document, const std::string& name) const;
  void publish_diagnostics(const Document& document);

  void enqueue(const std::string& key, std::function<void()> job);
  void worker_loop();
  void scan_job(const std::string& prefix, const std::set<std::string>& project_roots);
  void predict_job(const std::vector<std::string>& requirements);
  std::optional<ImportTimes> read_import_times(const std::string& root) const;
  void lock_job(const std::string& uri, const std::string& path, const std::string& text);
  void after_learning();

  bool retry_due(const Failure& failure) const;
  Failure next_failure(const std::optional<Failure>& previous, std::string message,
                       std::optional<std::uint64_t> edits, std::vector<std::string> watched,
                       std::vector<std::int64_t> stamps) const;
  void show_message(int type, const std::string& text);

  void send(const nlohmann::json& message);
  void respond(const nlohmann::json& id, const nlohmann::json& result);
  void respond_error(const nlohmann::json& id, RpcError code, const std::string& message);

  ServerOptions options_;
  Writer write_;
  Logger log_;
  std::mutex write_mutex_;
  bool silenced_ = false;  // under write_mutex_: after exit, nothing more is written

  bool initialized_ = false;
  bool shutdown_ = false;
  std::optional<int> exit_code_;
  bool inlay_refresh_ = false;
  bool lens_refresh_ = false;
  std::int64_t next_request_ = 0;

  mutable std::mutex state_mutex_;
  std::vector<std::string> workspace_roots_;
  std::map<std::string, Document> documents_;  // by URI
  std::map<std::string, EnvironmentState> environments_;
  std::map<std::string, PredictionState> predictions_;  // by requirement text
  std::map<std::string, std::map<std::string, predict::PredictedPackage>> lock_predictions_;
  std::map<std::string, ImportTimes> import_times_;                          // by project root
  std::vector<std::pair<nlohmann::json, std::string>> waiting_environment_;  // (id, prefix)
  bool prediction_failure_shown_ = false;  // the last prediction job's failure was shown
  std::atomic<std::uint64_t> edits_{0};    // documents opened or changed so far

  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::deque<std::pair<std::string, std::function<void()>>> queue_;
  std::set<std::string> queued_;
  bool busy_ = false;
  bool stopping_ = false;
  bool worker_done_ = false;            // under queue_mutex_: worker_loop has returned
  std::atomic<bool> cancelled_{false};  // jobs stop between their steps
  std::thread worker_;
};

// Reads framed messages from `input_fd` until the exit notification or the end of the input;
// the exit code (LSP 3.17 "exit": 0 after shutdown, 1 otherwise). When a job of the worker is
// still running then (it cannot be interrupted inside a scan or a transfer), the process ends
// at once with that code (std::_Exit, after the log is flushed) instead of waiting for it.
int run_stdio(const ServerOptions& options, int input_fd, int output_fd, const Server::Logger& log);

}  // namespace pkgsizer::lsp
