/* Unit tests for packages.c: Node's "exports" and "imports" maps and
 * "main" as link.c asks them, hostile documents included. */
#include "currant.h"
#include "unit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static JsPackage package_of(const char *dir, const char *json) {
  JsPackage p = {.dir = (char *)dir, .refs = 1};
  p.json = json_loads(json, 0, NULL);
  CHECK(p.json != NULL);
  return p;
}

/* s (taken) equals want, or both are NULL. */
static void check_path(char *s, const char *want) {
  if (!want)
    CHECK(s == NULL);
  else
    CHECK_STR(s ? s : "(null)", want);
  free(s);
}

TEST(packages_exports_conditions_follow_the_importer) {
  JsPackage p = package_of("packages/u", "{\"exports\": {\".\": {\"import\": \"./m.mjs\", \"require\": \"./c.js\"}}}");
  check_path(pkg_exports_path(&p, ".", true), "packages/u/m.mjs");
  check_path(pkg_exports_path(&p, ".", false), "packages/u/c.js");
  check_path(pkg_exports_path(&p, "./other", false), NULL);
  json_decref(p.json);
}

TEST(packages_exports_sugar_and_document_order) {
  JsPackage s = package_of("", "{\"exports\": \"./index.js\"}");
  check_path(pkg_exports_path(&s, ".", false), "index.js");
  check_path(pkg_exports_path(&s, "./x", false), NULL);
  json_decref(s.json);
  /* conditions are tried in the order written: "default" first wins */
  JsPackage o = package_of("", "{\"exports\": {\"default\": \"./d.js\", \"require\": \"./r.js\"}}");
  check_path(pkg_exports_path(&o, ".", false), "d.js");
  json_decref(o.json);
  /* arrays are fallbacks: a bare target is skipped */
  JsPackage a = package_of("", "{\"exports\": [\"lodash\", \"./f.js\"]}");
  check_path(pkg_exports_path(&a, ".", false), "f.js");
  json_decref(a.json);
}

TEST(packages_patterns_take_the_longest_prefix) {
  JsPackage p = package_of("u", "{\"exports\": {\"./*\": \"./lib/*.js\", \"./feat/*\": \"./src/feat/*/index.js\","
                                "\"./feat/hidden/*\": null}}");
  check_path(pkg_exports_path(&p, "./a", false), "u/lib/a.js");
  check_path(pkg_exports_path(&p, "./feat/x", false), "u/src/feat/x/index.js");
  check_path(pkg_exports_path(&p, "./feat/hidden/y", false), NULL); /* null: not exported */
  json_decref(p.json);
}

TEST(packages_targets_stay_inside_the_package) {
  JsPackage p = package_of("u", "{\"exports\": {\"./a\": \"./../x.js\", \"./b\": \"./lib/../../x.js\","
                                "\"./c\": \"./node_modules/x.js\", \"./d\": \"/abs.js\", \"./e\": \"./ok.js\"}}");
  check_path(pkg_exports_path(&p, "./a", false), NULL);
  check_path(pkg_exports_path(&p, "./b", false), NULL);
  check_path(pkg_exports_path(&p, "./c", false), NULL);
  check_path(pkg_exports_path(&p, "./d", false), NULL);
  check_path(pkg_exports_path(&p, "./e", false), "u/ok.js");
  json_decref(p.json);
}

TEST(packages_imports_and_main) {
  JsPackage p = package_of("app", "{\"main\": \"./src/entry\", \"imports\": {\"#db\": \"./db/index.js\","
                                  "\"#lib/*\": {\"node\": \"./lib/*.js\"}, \"#ext\": \"pg\"}}");
  check_path(pkg_imports_path(&p, "#db", false), "app/db/index.js");
  check_path(pkg_imports_path(&p, "#lib/a/b", true), "app/lib/a/b.js");
  check_path(pkg_imports_path(&p, "#ext", false), NULL); /* another package: outside the codebase */
  check_path(pkg_imports_path(&p, "#none", false), NULL);
  check_path(pkg_main_path(&p), "app/src/entry");
  CHECK(!pkg_has_exports(&p));
  json_decref(p.json);
  JsPackage bare = package_of("", "{}");
  check_path(pkg_main_path(&bare), "index");
  check_path(pkg_imports_path(&bare, "#db", false), NULL);
  json_decref(bare.json);
}

TEST(packages_hostile_documents) {
  /* conditions nested past the limit (32) resolve to nothing */
  StrBuf b = {0};
  str_puts(&b, "{\"exports\": ");
  for (int i = 0; i < 40; i++) str_puts(&b, "{\"default\": ");
  str_puts(&b, "\"./deep.js\"");
  for (int i = 0; i < 40; i++) str_puts(&b, "}");
  str_puts(&b, "}");
  json_t *deep = json_loads(b.data, 0, NULL);
  str_free(&b);
  CHECK(deep != NULL);
  JsPackage p = {.dir = "", .json = deep, .refs = 1};
  check_path(pkg_exports_path(&p, ".", false), NULL);
  json_decref(deep);
  JsPackage n = package_of("", "{\"exports\": 42, \"imports\": [1], \"main\": 7}");
  check_path(pkg_exports_path(&n, ".", false), NULL);
  check_path(pkg_imports_path(&n, "#a", false), NULL);
  check_path(pkg_main_path(&n), "index");
  json_decref(n.json);
  JsPackage star = package_of("", "{\"exports\": {\"./*/*\": \"./x/*.js\", \"./*\": \"./y/*.js\"}}");
  check_path(pkg_exports_path(&star, "./a/b", false), "y/a/b.js"); /* two stars: not a pattern */
  json_decref(star.json);
}
