/*
 * main.c — the currantc command line.
 *
 *   currantc build SRC... -o OUT [-j N] [-q|-v] [--no-cache | --cache-dir DIR]
 *   currantc check SRC... [--format F] [--baseline FILE] ...
 *   currantc graph MANIFEST [--format F] [-o FILE]
 *   currantc catalogue [--markdown]
 *   currantc --help | --version
 *
 * Parsing only: everything else is the driver's.  Usage errors exit 2 with a
 * one-line hint, as a user would expect from a compiler.
 */
#include "currant.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: currantc build SRC... -o OUT [-j N] [-q | -v] [--no-cache | --cache-dir DIR]\n"
    "       currantc graph MANIFEST [--format dot|mermaid|json|html|svg] [-o FILE]\n"
    "       currantc check SRC... [--format text|json|sarif|github] [-o FILE]\n"
    "                      [--fail-on LEVEL] [--baseline FILE] [--write-baseline FILE]\n"
    "                      [--affected REV] [-j N] [-q]\n"
    "       currantc catalogue [--markdown]\n"
    "       currantc --help | --version\n"
    "\n"
    "Instruments a Python/JavaScript codebase for durable execution: every call\n"
    "that crosses a std-API boundary (clock, randomness, environment, files,\n"
    "network, processes, currant's std API, user tasks) becomes a checkpoint.\n"
    "\n"
    "build: SRC are files or directories (walked recursively: .py .js .mjs .cjs;\n"
    "skips .git, node_modules, __pycache__, virtualenvs and .gitignore'd paths;\n"
    "reads currant.json at the first SRC). OUT receives the instrumented tree at\n"
    "the same relative paths (JS with .map source maps) and currant.graph.json.\n"
    "A rebuild redoes only what changed: OUT/.currant-cache keeps what the last\n"
    "build learned, keyed by content hash, currant.json and the compiler binary.\n"
    "\n"
    "graph: renders OUT/currant.graph.json (or OUT) as Graphviz DOT, Mermaid,\n"
    "normalized JSON, one self-contained HTML page, or SVG (needs Graphviz);\n"
    "the format defaults to FILE's extension. See docs/VIEWS.md.\n"
    "\n"
    "check: runs the passes without writing anything and reports what would\n"
    "break a durable run (syntax errors, unrecordable boundaries, non-determinism,\n"
    "unresolved cross-language references, task cycles) as text, JSON, SARIF or\n"
    "GitHub annotations; exit 0 clean, 1 findings at or above --fail-on, 2 usage\n"
    "or internal error. `currantc check --help`, docs/CHECK.md.\n"
    "\n"
    "catalogue: prints the built-in boundary tables (docs/CATALOGUE.md).\n"
    "\n"
    "build options:\n"
    "  -o, --output OUT   output directory (required; must not contain a SRC)\n"
    "  -j, --jobs N       worker threads (default: all cores)\n"
    "  -q, --quiet        only errors\n"
    "  -v, --verbose      say what is done\n"
    "      --no-cache     neither use nor update the build cache\n"
    "      --cache-dir DIR  keep the build cache in DIR (default OUT/.currant-cache)\n"
    "  -h, --help         this text\n"
    "      --version      print the version\n"
    "\n"
    "exit status:\n"
    "  0  built, no errors\n"
    "  1  built, but some inputs had errors (syntax, unreadable, binary): those\n"
    "     are copied unchanged and not instrumented\n"
    "  2  usage error or invalid currant.json\n"
    "  3  fatal: output could not be written\n"
    "\n"
    "environment: NO_COLOR disables coloured diagnostics.\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "currantc: error: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'currantc --help'.\n");
  return EXIT_USAGE;
}

static int parse_jobs(const char *s, int *jobs) {
  char *end;
  long n = strtol(s, &end, 10);
  if (*end || n < 1 || n > 1024) return -1;
  *jobs = (int)n;
  return 0;
}

static int cmd_build(int argc, char **argv) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                       {"jobs", required_argument, 0, 'j'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"verbose", no_argument, 0, 'v'},
                                       {"help", no_argument, 0, 'h'},
                                       {"no-cache", no_argument, 0, 'N'},
                                       {"cache-dir", required_argument, 0, 'C'},
                                       {0, 0, 0, 0}};
  BuildOptions opt = {.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN)};
  if (opt.jobs < 1) opt.jobs = 1;
  int c;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:j:qvh", opts, NULL)) != -1) {
    switch (c) {
    case 'o': opt.out = optarg; break;
    case 'j':
      if (parse_jobs(optarg, &opt.jobs) < 0)
        return usage_error("-j needs a number from 1 to 1024, not '%s'", optarg);
      break;
    case 'q': opt.verbosity = -1; break;
    case 'v': opt.verbosity = 1; break;
    case 'h': fputs(usage_text, stdout); return EXIT_OK;
    case 'N': opt.no_cache = true; break;
    case 'C': opt.cache_dir = optarg; break;
    default: return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
    }
  }
  if (!opt.out) return usage_error("%s", "missing -o OUT");
  if (optind >= argc) return usage_error("%s", "missing SRC (files or directories to instrument)");
  opt.srcs = argv + optind;
  opt.nsrcs = argc - optind;
  diag_init(opt.verbosity);
  return driver_build(&opt);
}

static const char *form_name(CallForm f) {
  switch (f) {
  case CALL_READ: return "read";
  case CALL_NEW: return "new";
  default: return "call";
  }
}

static int cmd_catalogue(int argc, char **argv) {
  bool markdown = argc > 1 && strcmp(argv[1], "--markdown") == 0;
  if (argc > 1 && !markdown) return usage_error("unknown option '%s'", argv[1]);
  static const char *lang_names[] = {"Python", "JavaScript"};
  for (int l = 0; l < LANG_COUNT; l++) {
    const CatEntry *t = cat_table((Lang)l);
    if (markdown)
      printf("%s## %s\n\n| pattern | form | category | note |\n|---|---|---|---|\n", l ? "\n" : "",
             lang_names[l]);
    for (; t->pattern; t++) {
      if (markdown)
        printf("| `%s` | %s | %s | %s |\n", t->pattern, form_name(t->form), t->category, t->note);
      else
        printf("%s\t%s\t%s\t%s\t%s\n", l == LANG_PYTHON ? "python" : "javascript", t->pattern,
               form_name(t->form), t->category, t->note);
    }
  }
  return EXIT_OK;
}

int main(int argc, char **argv) {
  arena_install(); /* tree-sitter's memory: arena.c */
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(usage_text, stdout);
    return EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("currantc %s (tree-sitter ABI %d, manifest %s)\n", CURRANTC_VERSION, TREE_SITTER_LANGUAGE_VERSION,
           MANIFEST_FORMAT);
    return EXIT_OK;
  }
  if (strcmp(cmd, "build") == 0) return cmd_build(argc - 1, argv + 1);
  if (strcmp(cmd, "graph") == 0) return views_command(argc - 1, argv + 1);
  if (strcmp(cmd, "check") == 0) return check_command(argc - 1, argv + 1);
  if (strcmp(cmd, "catalogue") == 0) return cmd_catalogue(argc - 1, argv + 1);
  return usage_error("unknown command '%s' (build, check, graph, catalogue)", cmd);
}
