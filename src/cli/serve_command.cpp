#include "cli/serve_command.hpp"

#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "serve/server.hpp"
#include "serve/tokens.hpp"
#include "store/history.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

constexpr const char* kExamples = R"(Examples:
  pkgsizer serve                                  the dashboard on http://127.0.0.1:8080/
  pkgsizer serve --listen 0.0.0.0:8080 --private  for a team, behind a TLS reverse proxy
  pkgsizer serve --history postgresql://ci@db/pkgsizer
  pkgsizer serve token add --scope upload --name ci   prints a new token once
  pkgsizer track snapshot --upload https://sizes.example --token-file token.txt)";

struct ServeCommandOptions {
  std::string history_path;
  std::string listen = "127.0.0.1:8080";
  std::string tokens_path;
  bool private_reads = false;
  std::string max_upload = "32MiB";
  std::size_t threads = 64;
  int connect_timeout = 0;
  int refresh_seconds = 5;
  bool quiet = false;
  std::string scope = "read";
  std::string token_name;
  std::string revoke;
  bool json = false;
};

std::string tokens_path(const ServeCommandOptions& options) {
  if (!options.tokens_path.empty()) return options.tokens_path;
  std::string path = serve::tokens_path_from_environment();
  if (path.empty())
    throw Error(ErrorCategory::kUsage, "no place for the tokens file: give --tokens FILE");
  return path;
}

int run_serve(const ServeCommandOptions& options) {
  serve::ServerOptions server;
  server.dashboard.history_path =
      options.history_path.empty() ? store::history_path_from_environment() : options.history_path;
  if (server.dashboard.history_path.empty())
    throw Error(ErrorCategory::kUsage,
                "no history store: no home directory (use --history FILE or set PKGSIZER_HISTORY)");
  server.dashboard.connect_timeout_seconds = options.connect_timeout;
  server.dashboard.readers = std::clamp<std::size_t>(options.threads / 4, 2, 16);
  const auto listen = serve::parse_listen_address(options.listen);
  if (!listen)
    throw Error(
        ErrorCategory::kUsage,
        fmt::format("--listen {}: not HOST:PORT ([::1]:PORT for IPv6)", printable(options.listen)));
  server.listen = *listen;
  const std::optional<std::uint64_t> max_upload = parse_size(options.max_upload);
  if (!max_upload || *max_upload == 0)
    throw Error(ErrorCategory::kUsage, fmt::format("--max-upload {}: not a size (32MiB, 100MB)",
                                                   printable(options.max_upload)));
  server.max_upload_bytes = *max_upload;
  server.tokens_path = tokens_path(options);
  server.private_reads = options.private_reads;
  server.threads = options.threads;
  server.refresh_seconds = options.refresh_seconds;
  server.quiet = options.quiet;
  return serve::run_server(server);
}

int run_token_add(const ServeCommandOptions& options) {
  const auto scope = serve::token_scope_from_string(options.scope);
  if (!scope) throw Error(ErrorCategory::kUsage, "--scope: read or upload");
  if (!options.token_name.empty() && !serve::valid_name(options.token_name))
    throw Error(ErrorCategory::kUsage, "--name: printable text, at most 512 bytes");
  serve::TokenFile file(tokens_path(options));
  const std::string token = file.add(*scope, options.token_name);
  fmt::print("{}\n", token);
  fmt::print(stderr,
             "A new {} token, shown only now (its SHA-256 is kept in {}). Send it as "
             "\"Authorization: Bearer TOKEN\", or give it to track snapshot --token-file.\n",
             options.scope, file.path());
  return kExitOk;
}

int run_token_list(const ServeCommandOptions& options) {
  const serve::TokenFile file(tokens_path(options));
  const std::vector<serve::TokenRecord> tokens = file.read();
  if (options.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& token : tokens)
      list.push_back({{"id", token.id},
                      {"name", token.name},
                      {"scope", serve::to_string(token.scope)},
                      {"created_at", token.created_at}});
    fmt::print("{}\n", dump_json(nlohmann::ordered_json{{"tokens", list}}, 2));
    return kExitOk;
  }
  if (tokens.empty()) {
    fmt::print("No tokens in {}: make one with `pkgsizer serve token add --scope upload`.\n",
               file.path());
    return kExitOk;
  }
  fmt::print("{:<10} {:<7} {:<21} {}\n", "ID", "SCOPE", "CREATED", "NAME");
  for (const auto& token : tokens)
    fmt::print("{:<10} {:<7} {:<21} {}\n", token.id, serve::to_string(token.scope),
               token.created_at, printable(token.name));
  return kExitOk;
}

int run_token_revoke(const ServeCommandOptions& options) {
  serve::TokenFile file(tokens_path(options));
  if (!file.revoke(options.revoke))
    throw Error(ErrorCategory::kNotFound,
                fmt::format("no token {} in {}", printable(options.revoke), file.path()));
  fmt::print("Revoked {}\n", printable(options.revoke));
  return kExitOk;
}

void add_tokens_option(CLI::App& command, ServeCommandOptions& options) {
  command
      .add_option("--tokens", options.tokens_path,
                  "The tokens file (default: $XDG_STATE_HOME/pkgsizer/serve-tokens.json)")
      ->type_name("FILE");
}

}  // namespace

std::function<int()> register_serve(CLI::App& app) {
  auto options = std::make_shared<ServeCommandOptions>();
  CLI::App* serve_app = app.add_subcommand(
      "serve", "The team dashboard: history pages, reports, diffs and an upload API over HTTP");
  serve_app->footer(kExamples);
  serve_app
      ->add_option("--history", options->history_path,
                   "The history store: a file or a postgresql:// URL (default: "
                   "$PKGSIZER_HISTORY, else XDG)")
      ->type_name("FILE|URL");
  serve_app
      ->add_option("--listen", options->listen,
                   "Address and port (default 127.0.0.1:8080; port 0: any free one)")
      ->type_name("HOST:PORT");
  add_tokens_option(*serve_app, *options);
  serve_app->add_flag("--private", options->private_reads,
                      "Reads need a token too (Authorization: Bearer)");
  serve_app
      ->add_option("--max-upload", options->max_upload,
                   "The largest request body (default 32MiB): larger ones get 413")
      ->type_name("SIZE");
  serve_app->add_option("--threads", options->threads, "Worker threads (default 64)")
      ->check(CLI::Range(2, 1024));
  serve_app
      ->add_option("--timeout", options->connect_timeout,
                   "Seconds to wait for a PostgreSQL history's server")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 3600));
  serve_app
      ->add_option("--refresh", options->refresh_seconds,
                   "Seconds between re-reads of the store for other writers' snapshots "
                   "(default 5; 0: never)")
      ->check(CLI::Range(0, 86400));
  serve_app->add_flag("-q,--quiet", options->quiet, "No access log on stderr");

  CLI::App* token = serve_app->add_subcommand("token", "Access tokens: add, list, revoke");
  token->require_subcommand(1);
  CLI::App* add = token->add_subcommand("add", "Make a token and print it (once)");
  add->add_option("--scope", options->scope, "read or upload (upload may also read)")
      ->check(CLI::IsMember({"read", "upload"}))
      ->required();
  add->add_option("--name", options->token_name, "What it is for (default: its id)");
  add_tokens_option(*add, *options);
  CLI::App* list = token->add_subcommand("list", "The tokens: id, scope, date, name (no secrets)");
  list->add_flag("--json", options->json, "As JSON on stdout");
  add_tokens_option(*list, *options);
  CLI::App* revoke = token->add_subcommand("revoke", "Remove a token by id or name");
  revoke->add_option("token", options->revoke, "Its id or name")->required();
  add_tokens_option(*revoke, *options);

  return [=]() -> int {
    if (!serve_app->parsed()) return -1;
    if (add->parsed()) return run_token_add(*options);
    if (list->parsed()) return run_token_list(*options);
    if (revoke->parsed()) return run_token_revoke(*options);
    return run_serve(*options);
  };
}

}  // namespace pkgsizer::cli
