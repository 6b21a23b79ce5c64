/* test_glob_catalogue.c — config.c's glob_match, link.c's canonical_module
 * and the catalogue (catalogue.c): the entries the issue requires. */
#include <stdlib.h>
#include <string.h>

#include "currant.h"
#include "unit.h"

TEST(glob_star_stays_in_a_segment) {
  CHECK(glob_match("*.py", "a.py"));
  CHECK(!glob_match("*.py", "d/a.py"));
  CHECK(!glob_match("*.py", "a.js"));
  CHECK(glob_match("src/*.js", "src/a.js"));
  CHECK(!glob_match("src/*.js", "src/x/a.js"));
}

TEST(glob_double_star_crosses_segments) {
  CHECK(glob_match("**/*.py", "d/e/a.py"));
  CHECK(glob_match("src/**", "src/a/b.js"));
  CHECK(glob_match("src/**/test_*.py", "src/a/b/test_x.py"));
  CHECK(!glob_match("src/**", "lib/a.js"));
}

TEST(glob_question_mark_one_char) {
  CHECK(glob_match("a?.py", "ab.py"));
  CHECK(!glob_match("a?.py", "a.py"));
  CHECK(!glob_match("a?.py", "abc.py"));
}

TEST(canonical_module_names) {
  char *s = canonical_module(LANG_JAVASCRIPT, "node:fs");
  CHECK_STR(s, "fs");
  free(s);
  s = canonical_module(LANG_JAVASCRIPT, "fs/promises");
  CHECK_STR(s, "fs.promises");
  free(s);
  s = canonical_module(LANG_JAVASCRIPT, "node:fs/promises");
  CHECK_STR(s, "fs.promises");
  free(s);
  s = canonical_module(LANG_PYTHON, "os.path");
  CHECK_STR(s, "os.path");
  free(s);
}

static void must_have(Lang lang, const char *name, CallForm form, const char *category) {
  const CatEntry *e = cat_lookup(lang, name, form);
  if (!e) {
    unit_fail(__FILE__, __LINE__, "catalogue (%s) lacks %s", lang == LANG_PYTHON ? "python" : "javascript", name);
    return;
  }
  if (category && strcmp(e->category, category) != 0)
    unit_fail(__FILE__, __LINE__, "%s: category %s, expected %s", name, e->category, category);
}

TEST(catalogue_python_required_entries) {
  const char *clock[] = {"time.time", "time.time_ns", "time.monotonic", "time.perf_counter",
                         "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
                         "datetime.date.today"};
  for (size_t i = 0; i < sizeof clock / sizeof *clock; i++) must_have(LANG_PYTHON, clock[i], CALL_PLAIN, "clock");
  must_have(LANG_PYTHON, "time.sleep", CALL_PLAIN, NULL);
  must_have(LANG_PYTHON, "random.random", CALL_PLAIN, "random");
  must_have(LANG_PYTHON, "random.choice", CALL_PLAIN, "random");
  must_have(LANG_PYTHON, "uuid.uuid1", CALL_PLAIN, NULL);
  must_have(LANG_PYTHON, "uuid.uuid4", CALL_PLAIN, NULL);
  must_have(LANG_PYTHON, "os.urandom", CALL_PLAIN, NULL);
  must_have(LANG_PYTHON, "secrets.token_hex", CALL_PLAIN, NULL);
  must_have(LANG_PYTHON, "os.getenv", CALL_PLAIN, "env");
  must_have(LANG_PYTHON, "os.environ", CALL_READ, "env");
  must_have(LANG_PYTHON, "input", CALL_PLAIN, NULL);
  must_have(LANG_PYTHON, "subprocess.run", CALL_PLAIN, "process");
  must_have(LANG_PYTHON, "subprocess.check_output", CALL_PLAIN, "process");
  must_have(LANG_PYTHON, "subprocess.Popen", CALL_PLAIN, "process");
  must_have(LANG_PYTHON, "urllib.request.urlopen", CALL_PLAIN, NULL);
  must_have(LANG_PYTHON, "open", CALL_PLAIN, "file");
  must_have(LANG_PYTHON, "<open>.read", CALL_PLAIN, "file");
  must_have(LANG_PYTHON, "<open>.write", CALL_PLAIN, "file");
  must_have(LANG_PYTHON, "<pathlib.Path>.read_text", CALL_PLAIN, "file");
  must_have(LANG_PYTHON, "<pathlib.Path>.write_text", CALL_PLAIN, "file");
}

TEST(catalogue_python_non_entries) {
  CHECK(cat_lookup(LANG_PYTHON, "time.strptime", CALL_PLAIN) == NULL);
  /* the generator classes: making one draws nothing */
  CHECK(cat_lookup(LANG_PYTHON, "random.Random", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_PYTHON, "random.SystemRandom", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_PYTHON, "secrets.SystemRandom", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_PYTHON, "secrets.token_hex", CALL_PLAIN) != NULL);
  CHECK(cat_lookup(LANG_PYTHON, "os.path.join", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_PYTHON, "print", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_PYTHON, "len", CALL_PLAIN) == NULL);
  /* "random.*" is one segment: a method of random.Random is not the module. */
  CHECK(cat_lookup(LANG_PYTHON, "random.Random.random", CALL_PLAIN) == NULL);
  /* os.environ as a call is not the read. */
  CHECK(cat_lookup(LANG_PYTHON, "os.environ", CALL_PLAIN) == NULL);
}

TEST(catalogue_javascript_required_entries) {
  must_have(LANG_JAVASCRIPT, "Date.now", CALL_PLAIN, "clock");
  must_have(LANG_JAVASCRIPT, "Date", CALL_NEW, "clock");
  must_have(LANG_JAVASCRIPT, "Math.random", CALL_PLAIN, "random");
  must_have(LANG_JAVASCRIPT, "crypto.randomUUID", CALL_PLAIN, NULL);
  must_have(LANG_JAVASCRIPT, "crypto.getRandomValues", CALL_PLAIN, NULL);
  must_have(LANG_JAVASCRIPT, "crypto.randomBytes", CALL_PLAIN, NULL);
  must_have(LANG_JAVASCRIPT, "performance.now", CALL_PLAIN, "clock");
  must_have(LANG_JAVASCRIPT, "process.hrtime", CALL_PLAIN, "clock");
  must_have(LANG_JAVASCRIPT, "process.env", CALL_READ, "env");
  must_have(LANG_JAVASCRIPT, "fetch", CALL_PLAIN, "net");
  must_have(LANG_JAVASCRIPT, "fs.readFileSync", CALL_PLAIN, "file");
  must_have(LANG_JAVASCRIPT, "fs.readFile", CALL_PLAIN, "file");
  must_have(LANG_JAVASCRIPT, "fs.writeFile", CALL_PLAIN, "file");
  must_have(LANG_JAVASCRIPT, "fs.promises.readFile", CALL_PLAIN, "file");
  must_have(LANG_JAVASCRIPT, "child_process.execSync", CALL_PLAIN, "process");
  must_have(LANG_JAVASCRIPT, "child_process.spawn", CALL_PLAIN, "process");
  must_have(LANG_JAVASCRIPT, "readline.createInterface", CALL_PLAIN, NULL);
}

TEST(catalogue_javascript_non_entries) {
  CHECK(cat_lookup(LANG_JAVASCRIPT, "Math.floor", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_JAVASCRIPT, "JSON.parse", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_JAVASCRIPT, "path.join", CALL_PLAIN) == NULL);
  CHECK(cat_lookup(LANG_JAVASCRIPT, "Map", CALL_NEW) == NULL);
  CHECK(cat_lookup(LANG_JAVASCRIPT, "process.env", CALL_PLAIN) == NULL);
}

TEST(catalogue_tables_well_formed) {
  for (int l = 0; l < LANG_COUNT; l++) {
    const CatEntry *t = cat_table((Lang)l);
    int n = 0;
    for (; t[n].pattern; n++) {
      CHECK(t[n].category != NULL && t[n].category[0] != '\0');
      CHECK(t[n].note != NULL && t[n].note[0] != '\0');
      /* Every entry finds itself. */
      const CatEntry *e = cat_lookup((Lang)l, t[n].pattern, t[n].form);
      if (strstr(t[n].pattern, ".*") == NULL && e != &t[n])
        unit_fail(__FILE__, __LINE__, "cat_lookup(%s) does not find its own entry", t[n].pattern);
      /* No duplicate (pattern, form). */
      for (int k = 0; k < n; k++)
        if (strcmp(t[k].pattern, t[n].pattern) == 0 && t[k].form == t[n].form)
          unit_fail(__FILE__, __LINE__, "duplicate catalogue entry %s", t[n].pattern);
    }
    CHECK(n > 20);
  }
}
