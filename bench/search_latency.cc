// Query latency of the search library, called directly (no HTTP): opens DATA/index read-only
// and runs a list of queries, once as the search page does (facets and snippets on) and once as
// a plain top 10 (facets and snippets off), printing p50/p90/p99/max/mean per mode.
//
//   search_latency INDEX_DIR QUERIES_FILE [--mode both|facets|plain|all] [--warmup N]
//                  [--repeat N] [--times FILE] [--json]
//
// --mode all adds facets without snippets and snippets without facets, to tell their costs
// apart.
// --warmup runs the whole list N times first, untimed (default 1: the index's pages in the OS
// cache, as on a server that has been up a while). --repeat N runs the timed pass N times and
// keeps each query's fastest time (default 1): on a shared machine, a query that lost the CPU
// to another process is not counted as slow. --times writes one line per query and mode:
// mode, microseconds, query.
// The clock is std::chrono::steady_clock around Index::Search alone.

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "search/index.h"

namespace {

struct Stats {
  double p50, p90, p99, max, mean;
};

double Percentile(const std::vector<double>& sorted, double p) {
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

Stats Summarise(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  const double sum = std::accumulate(us.begin(), us.end(), 0.0);
  return {Percentile(us, 50), Percentile(us, 90), Percentile(us, 99), us.empty() ? 0 : us.back(),
          us.empty() ? 0 : sum / static_cast<double>(us.size())};
}

int Usage() {
  std::cerr << "usage: search_latency INDEX_DIR QUERIES_FILE [--mode both|facets|plain|all] "
               "[--warmup N] [--repeat N] [--times FILE] [--json]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  const std::string dir = argv[1];
  const std::string queries_file = argv[2];
  std::string mode = "both", times_file;
  int warmup = 1, repeat = 1;
  bool json = false;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json") {
      json = true;
    } else if (i + 1 < argc && a == "--mode") {
      mode = argv[++i];
    } else if (i + 1 < argc && a == "--warmup") {
      warmup = std::atoi(argv[++i]);
    } else if (i + 1 < argc && a == "--repeat") {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (i + 1 < argc && a == "--times") {
      times_file = argv[++i];
    } else {
      return Usage();
    }
  }
  if (mode != "both" && mode != "facets" && mode != "plain" && mode != "all") return Usage();

  std::vector<std::string> queries;
  {
    std::ifstream in(queries_file);
    if (!in) {
      std::cerr << "search_latency: cannot read " << queries_file << "\n";
      return 1;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) queries.push_back(line);
    }
  }
  auto opened = opennos::search::OpenReadOnlyIndex(dir);
  if (!opened.ok()) {
    std::cerr << "search_latency: " << opened.status().message() << "\n";
    return 1;
  }
  opennos::search::Index& index = **opened;

  struct Mode {
    const char* name;
    bool facets, snippets;
  };
  std::vector<Mode> modes;
  if (mode != "plain") modes.push_back({"facets+snippets", true, true});
  if (mode == "all") modes.push_back({"facets only", true, false});
  if (mode == "all") modes.push_back({"snippets only", false, true});
  if (mode != "facets") modes.push_back({"plain top-10", false, false});

  std::ofstream times;
  if (!times_file.empty()) times.open(times_file);
  const auto run = [&](const std::string& text, const Mode& m, std::int64_t* total) {
    opennos::search::Query q;
    q.text = text;
    q.facets = m.facets;
    q.snippets = m.snippets;
    const auto start = std::chrono::steady_clock::now();
    auto r = index.Search(q);
    const auto end = std::chrono::steady_clock::now();
    if (!r.ok()) {
      std::cerr << "search_latency: \"" << text << "\": " << r.status().message() << "\n";
      std::exit(1);
    }
    if (total) *total = r->total;
    return std::chrono::duration<double, std::micro>(end - start).count();
  };

  for (int w = 0; w < warmup; ++w) {
    for (const Mode& m : modes) {
      for (const auto& text : queries) run(text, m, nullptr);
    }
  }
  if (json) std::cout << "{\"queries\": " << queries.size() << ", \"documents\": "
                      << index.Size() << ", \"modes\": {";
  else std::cout << queries.size() << " queries, " << index.Size() << " documents\n";
  bool first = true;
  for (const Mode& m : modes) {
    std::vector<double> us(queries.size(), 1e300);
    std::int64_t matches = 0;
    for (int r = 0; r < repeat; ++r) {
      for (size_t i = 0; i < queries.size(); ++i) {
        std::int64_t total = 0;
        us[i] = std::min(us[i], run(queries[i], m, &total));
        if (r == 0) matches += total;
      }
    }
    if (times) {
      for (size_t i = 0; i < queries.size(); ++i) {
        times << m.name << "\t" << us[i] << "\t" << queries[i] << "\n";
      }
    }
    const Stats s = Summarise(us);
    if (json) {
      std::printf("%s\"%s\": {\"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, "
                  "\"max_ms\": %.3f, \"mean_ms\": %.3f, \"queries\": %zu, \"best_of\": %d}",
                  first ? "" : ", ", m.name, s.p50 / 1000, s.p90 / 1000, s.p99 / 1000,
                  s.max / 1000, s.mean / 1000, us.size(), repeat);
    } else {
      std::printf("%-16s p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms  mean %7.3f ms"
                  "  (%zu queries, best of %d, mean total %.0f)\n",
                  m.name, s.p50 / 1000, s.p90 / 1000, s.p99 / 1000, s.max / 1000, s.mean / 1000,
                  us.size(), repeat, static_cast<double>(matches) / static_cast<double>(us.size()));
    }
    first = false;
  }
  if (json) std::cout << "}}\n";
  return 0;
}
