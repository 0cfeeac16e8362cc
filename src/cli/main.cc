// opennos: the command-line interface. Parses arguments and hands each command to
// cli/commands.cc; every failure is reported there, once.

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"

namespace {

std::string DefaultDataDir() {
  const char* env = std::getenv("OPENNOS_DATA");
  return env != nullptr && *env != '\0' ? env : "./var";
}

std::string DefaultDatabase() {
  const char* env = std::getenv("OPENNOS_DATABASE_URL");
  return env != nullptr ? env : "";
}

std::string DefaultAuthor() {
  for (const char* var : {"OPENNOS_USER", "USER", "LOGNAME"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
  using opennos::cli::Globals;
  CLI::App app{
      "OpenNOS: publish, search, author and analyse occupational competence standards.\n"
      "Data lives in a data directory (--data, default $OPENNOS_DATA or ./var): a SQLite\n"
      "database and the search index. With --database postgresql://... (or\n"
      "$OPENNOS_DATABASE_URL) the data is in PostgreSQL and the directory holds the index."};
  app.require_subcommand(1);
  Globals g{DefaultDataDir(), DefaultDatabase()};
  app.add_option("--data", g.data_dir, "data directory")->capture_default_str();
  app.add_option("--database", g.database,
                 "a PostgreSQL URL (postgresql://USER@HOST/DB, or ?host=/socket/dir); default "
                 "$OPENNOS_DATABASE_URL, else SQLite in the data directory");

  auto* init = app.add_subcommand("init", "Create an empty data directory (idempotent)");

  auto* demo = app.add_subcommand("demo", "Load the demo suites (idempotent)");

  auto* migrate = app.add_subcommand(
      "migrate",
      "Apply pending schema migrations (PostgreSQL, after an upgrade; SQLite migrates itself)");

  std::vector<std::string> files;
  std::string format = "auto", author = DefaultAuthor(), reason;
  bool progress = false;
  auto* import = app.add_subcommand(
      "import",
      "Import framework files, all or nothing (native JSON, the OpenNOS CSV layout, CASE, the "
      "NOS catalogue export, SOC 2020, ESCO, O*NET)");
  import->add_option("FILE", files, "files to import")->required()->check(CLI::ExistingFile);
  import->add_option("--format", format,
                     "auto (from the content), native, csv, case, case-1.0, nos-catalogue, "
                     "soc2020, esco or onet")
      ->capture_default_str();
  import->add_option("--as", author, "who makes this change (recorded in each revision)")
      ->capture_default_str();
  import->add_option("--why", reason, "why (recorded in each revision)");
  import->add_flag("--progress", progress, "report progress on stderr");
  std::string report_file;
  import->add_option("--report", report_file,
                     "write the whole problems report (what could not be read as given) to "
                     "this file; stderr shows a summary and the first lines");
  std::string import_org;
  import->add_option("--org", import_org,
                     "the organisation (name or id) that owns the frameworks this import "
                     "creates (default: the first organisation added)");
  bool no_index = false;
  import->add_flag("--no-index", no_index,
                   "leave the search index for later (a running server, the next search or "
                   "`reindex` brings it up to date)");

  std::string name, output, export_format = "native";
  auto* exp = app.add_subcommand("export", "Export a framework (CODE, CODE@EDITION or UUID)");
  exp->add_option("FRAMEWORK", name, "CODE, CODE@EDITION or UUID")->required();
  exp->add_option("--format", export_format, "native, csv, case (CASE v1.1) or case-1.0")
      ->capture_default_str();
  exp->add_option("-o,--output", output, "file to write (default: standard output)");

  bool json = false;
  auto* list = app.add_subcommand("list", "List frameworks with unit and statement counts");
  list->add_flag("--json", json, "print JSON");

  std::string key;
  auto* show = app.add_subcommand("show", "Show one unit, readable (URN or UUID)");
  show->add_option("KEY", key, "a unit's URN (any case) or an item's UUID")->required();

  opennos::cli::SearchOptions search_options;
  auto* search = app.add_subcommand("search", "Search units and statements");
  search->add_option("QUERY", search_options.query, "words, \"a phrase\", AND/OR/NOT, +must -not")
      ->required();
  search->add_option("--filter", search_options.filters,
                     "KEY=VALUE, repeatable: suite (CODE@EDITION), type, occupation, developer, "
                     "validity, category");
  search->add_option("--page", search_options.page, "page of results, from 1")
      ->capture_default_str();
  search->add_option("--size", search_options.size, "results per page (1-100)")
      ->capture_default_str();
  search->add_flag("--json", search_options.json, "print JSON (the API's shape)");

  auto* reindex = app.add_subcommand(
      "reindex",
      "Rebuild the search index from the store; prints its documents (one per unit) "
      "and the units and statements they hold");

  std::string backup_file;
  auto* backup = app.add_subcommand(
      "backup", "Write a consistent copy of the store to a new file (a SQLite database), "
                "while it is in use");
  backup->add_option("FILE", backup_file, "the backup file to create")->required();

  std::string restore_file;
  bool replace = false;
  auto* restore = app.add_subcommand(
      "restore", "Put a backup's contents into the store, all or nothing");
  restore->add_option("FILE", restore_file, "a file written by `opennos backup`")
      ->required()
      ->check(CLI::ExistingFile);
  restore->add_flag("--replace", replace,
                    "replace what the store holds (without it, the store must be empty)");

  std::string copy_from, copy_to;
  auto* copy = app.add_subcommand(
      "copy", "Copy a whole store into another, e.g. from SQLite to PostgreSQL, all or nothing");
  copy->add_option("--from", copy_from,
                   "sqlite:PATH (a data directory or its database file) or postgresql://...")
      ->required();
  copy->add_option("--to", copy_to, "sqlite:PATH or postgresql://...")->required();
  copy->add_flag("--replace", replace,
                 "replace what the target holds (without it, the target must be empty)");
  opennos::cli::AnalyseOptions analyse_options;
  analyse_options.author = author;
  auto* analyse = app.add_subcommand(
      "analyse", "Analyse frameworks: duplicates, coverage, crosswalk suggestions, editions");
  analyse->require_subcommand(1);
  auto& ao = analyse_options;
  bool no_progress = false, force_progress = false;
  // Each analysis has its own default threshold.
  double duplicates_t = 0.8, coverage_t = 0.5, crosswalk_t = 0.5, editions_t = 0.3;
  auto common = [&](CLI::App* cmd, double& threshold) {
    cmd->add_option("--threshold", threshold,
                    "cosine similarity from which statements match, in (0, 1]")
        ->capture_default_str();
    cmd->add_flag("--json", ao.json, "print JSON (docs/analysis.md)");
    cmd->add_option("--limit", ao.limit, "rows shown in each table")->capture_default_str();
    cmd->add_option("--threads", ao.threads, "worker threads (0: one per core)")
        ->capture_default_str();
    cmd->add_flag("--progress", force_progress, "show a progress bar even when not on a terminal");
    cmd->add_flag("--no-progress", no_progress, "never show a progress bar");
  };
  auto* duplicates = analyse->add_subcommand(
      "duplicates", "Near-identical statements across the units of a framework, in clusters");
  duplicates->add_option("FRAMEWORK", ao.frameworks, "CODE, CODE@EDITION or UUID")
      ->required()->expected(1);
  common(duplicates, duplicates_t);
  std::string against;
  auto* coverage = analyse->add_subcommand(
      "coverage", "How well another framework covers each statement, unit and key area");
  coverage->add_option("FRAMEWORK", ao.frameworks, "the framework covered")->required()->expected(1);
  coverage->add_option("--against", against, "the framework that covers it")->required();
  coverage->add_option("--svg", ao.svg, "also write the per-key-area chart to this SVG file");
  common(coverage, coverage_t);
  auto* crosswalk = analyse->add_subcommand(
      "crosswalk", "Suggested exactMatchOf / isRelatedTo links between two frameworks");
  crosswalk->add_option("FRAMEWORKS", ao.frameworks, "FROM and TO (CODE, CODE@EDITION or UUID)")
      ->required()->expected(2);
  crosswalk->add_option("--exact", ao.exact_threshold,
                        "suggest exactMatchOf from this score, isRelatedTo below it")
      ->capture_default_str();
  crosswalk->add_flag("--store", ao.store,
                      "keep the pairs as suggestions (pending) in FROM, for an editor to decide");
  crosswalk->add_option("--as", ao.author, "who stores them (recorded in each revision)");
  crosswalk->add_option("--why", ao.reason, "why (recorded in each revision)");
  common(crosswalk, crosswalk_t);
  auto* editions = analyse->add_subcommand(
      "editions", "Which units of an older edition became which units of a newer one");
  editions->add_option("EDITIONS", ao.frameworks, "OLD and NEW (CODE@EDITION or UUID)")
      ->required()->expected(2);
  editions->add_option("--by", ao.by,
                       "auto (authored replacedBy links, similarity for the units they leave "
                       "out), authored, or similarity")
      ->capture_default_str();
  common(editions, editions_t);
  std::string decide_framework;
  std::vector<std::string> decide_ids;
  std::string decide_author = author, decide_reason;
  auto* suggestions = analyse->add_subcommand(
      "suggestions", "List the crosswalk suggestions a framework states, with their decisions");
  suggestions->add_option("FRAMEWORK", decide_framework, "CODE, CODE@EDITION or UUID")->required();
  suggestions->add_flag("--json", ao.json, "print JSON");
  auto* accept = analyse->add_subcommand("accept", "Accept crosswalk suggestions (admin work)");
  auto* reject = analyse->add_subcommand("reject", "Reject crosswalk suggestions (admin work)");
  for (auto* cmd : {accept, reject}) {
    cmd->add_option("FRAMEWORK", decide_framework, "the framework stating them")->required();
    cmd->add_option("ID", decide_ids, "suggestion UUIDs (`analyse suggestions` lists them)")
        ->required();
    cmd->add_option("--as", decide_author, "who decides (recorded in each revision)")
        ->capture_default_str();
    cmd->add_option("--why", decide_reason, "why (recorded in each revision)");
  }
  std::string org_name, org_kind, email, role;
  auto* org = app.add_subcommand("org", "Organisations: standards bodies, employers, ...");
  org->require_subcommand(1);
  auto* org_add = org->add_subcommand("add", "Add an organisation");
  org_add->add_option("NAME", org_name, "the organisation's name")->required();
  org_add->add_option("--kind", org_kind,
                      "standards-body, employer, awarding-body or training-provider")
      ->required();
  org_add->add_option("--as", author, "who runs this (recorded in the audit log)")
      ->capture_default_str();
  auto* org_list = org->add_subcommand("list", "List the organisations");

  auto* user = app.add_subcommand("user", "Users: accounts, roles, passwords and API tokens");
  user->require_subcommand(1);
  bool password_stdin = false;
  auto* user_add = user->add_subcommand(
      "add", "Add a user with a role in an organisation (or add an existing user to another)");
  user_add->add_option("EMAIL", email, "the user's email address (their sign-in name)")
      ->required();
  user_add->add_option("--org", org_name, "the organisation (name or id)")->required();
  user_add->add_option("--role", role, "admin, editor, reviewer or viewer")->required();
  user_add->add_flag("--password-stdin", password_stdin,
                     "read the user's password from the first line of standard input "
                     "(without it, the user cannot sign in until one is set)");
  user_add->add_option("--as", author, "who runs this (recorded in the audit log)")
      ->capture_default_str();
  auto* user_role = user->add_subcommand("role", "Change a user's role");
  user_role->add_option("EMAIL", email, "the user's email address")->required();
  user_role->add_option("ROLE", role, "admin, editor, reviewer or viewer")->required();
  user_role->add_option("--org", org_name,
                        "the organisation (needed when the user belongs to several)");
  user_role->add_option("--as", author, "who runs this (recorded in the audit log)")
      ->capture_default_str();
  auto* user_password = user->add_subcommand(
      "password", "Set a user's password from the first line of standard input");
  user_password->add_option("EMAIL", email, "the user's email address")->required();
  user_password->add_option("--as", author, "who runs this (recorded in the audit log)")
      ->capture_default_str();
  std::string token_name = "command line";
  auto* user_token = user->add_subcommand(
      "token", "Print a new API token for the user (shown once; programs send it as "
               "\"Authorization: Bearer TOKEN\")");
  user_token->add_option("EMAIL", email, "the user's email address")->required();
  user_token->add_option("--name", token_name, "what the token is for")->capture_default_str();
  user_token->add_option("--as", author, "who runs this (recorded in the audit log)")
      ->capture_default_str();

  opennos::cli::ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve", "Serve the web site and JSON API over HTTP");
  serve->add_option("--host", serve_options.host, "address to listen on")->capture_default_str();
  serve->add_option("--port", serve_options.port, "port to listen on (0: any free port)")
      ->capture_default_str();
  serve->add_option("--threads", serve_options.threads, "I/O threads (0: one per core)")
      ->capture_default_str();
  serve->add_flag("--quiet", serve_options.quiet, "log only warnings and errors");
  serve->add_flag("--migrate", serve_options.migrate,
                  "apply pending schema migrations first (PostgreSQL refuses to serve an older "
                  "schema otherwise)");
  serve->add_flag("--behind-proxy", serve_options.behind_proxy,
                  "a proxy in front terminates TLS: take the client's address from "
                  "X-Forwarded-For and mark cookies Secure when X-Forwarded-Proto is https "
                  "(only when every request passes through that proxy)");
  serve->add_flag("--secure-cookies", serve_options.secure_cookies,
                  "mark every cookie Secure (users reach the site over HTTPS)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    if (*init) return opennos::cli::Init(g);
    if (*demo) return opennos::cli::Demo(g);
    if (*migrate) return opennos::cli::Migrate(g);
    if (*import) return opennos::cli::Import(g, files, format, author, reason, progress, !no_index,
                                               report_file, import_org);
    if (*org_add) return opennos::cli::OrgAdd(g, org_name, org_kind, author);
    if (*org_list) return opennos::cli::OrgList(g);
    if (*user_add) return opennos::cli::UserAdd(g, email, org_name, role, password_stdin, author);
    if (*user_role) return opennos::cli::UserRole(g, email, role, org_name, author);
    if (*user_password) return opennos::cli::UserPassword(g, email, author);
    if (*user_token) return opennos::cli::UserToken(g, email, token_name, author);
    if (*exp) return opennos::cli::Export(g, name, export_format, output);
    if (*list) return opennos::cli::List(g, json);
    if (*show) return opennos::cli::Show(g, key);
    if (*serve) return opennos::cli::Serve(g, serve_options);
    if (*search) return opennos::cli::Search(g, search_options);
    if (*reindex) return opennos::cli::Reindex(g);
    if (*backup) return opennos::cli::Backup(g, backup_file);
    if (*restore) return opennos::cli::Restore(g, restore_file, replace);
    if (*copy) return opennos::cli::Copy(g, copy_from, copy_to, replace);
    if (*analyse) {
      ao.progress = no_progress ? 0 : force_progress ? 1 : -1;
      ao.threshold = *duplicates ? duplicates_t : *coverage ? coverage_t
                     : *crosswalk ? crosswalk_t : editions_t;
      if (*duplicates) return opennos::cli::AnalyseDuplicates(g, ao);
      if (*coverage) {
        ao.frameworks.push_back(against);
        return opennos::cli::AnalyseCoverage(g, ao);
      }
      if (*crosswalk) return opennos::cli::AnalyseCrosswalk(g, ao);
      if (*editions) return opennos::cli::AnalyseEditions(g, ao);
      if (*suggestions) return opennos::cli::AnalyseSuggestions(g, decide_framework, ao.json);
      if (*accept || *reject) {
        return opennos::cli::AnalyseDecide(g, decide_framework, decide_ids, accept->parsed(),
                                           decide_author, decide_reason);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "opennos: internal error: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
