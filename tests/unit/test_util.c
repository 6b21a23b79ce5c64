/* test_util.c — util.c: buffers, vectors, files, hashing, positions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "currant.h"
#include "unit.h"

TEST(strbuf_append_printf_take) {
  StrBuf b = {0};
  str_puts(&b, "ab");
  str_append(&b, "cdef", 2);
  str_printf(&b, "-%d-%s", 42, "x");
  CHECK_INT(b.len, 9);
  CHECK_STR(b.data, "abcd-42-x");
  CHECK(b.data[b.len] == '\0');
  char *s = str_take(&b);
  CHECK_STR(s, "abcd-42-x");
  CHECK_INT(b.len, 0);
  free(s);
  str_free(&b);
}

TEST(strbuf_grows_past_many_reallocs) {
  StrBuf b = {0};
  for (int i = 0; i < 100000; i++) str_append(&b, "0123456789", 10);
  CHECK_INT(b.len, 1000000);
  CHECK(b.data[999999] == '9');
  CHECK(b.data[1000000] == '\0');
  str_free(&b);
  CHECK(b.data == NULL || b.len == 0);
}

TEST(strbuf_append_binary_bytes) {
  StrBuf b = {0};
  str_append(&b, "a\0b", 3);
  CHECK_INT(b.len, 3);
  CHECK(memcmp(b.data, "a\0b", 3) == 0);
  str_free(&b);
}

TEST(vec_push_and_has_str) {
  Vec v = {0};
  char *items[] = {"alpha", "beta", "gamma"};
  for (int i = 0; i < 3; i++) vec_push(&v, items[i]);
  for (int i = 0; i < 1000; i++) vec_push(&v, "filler");
  CHECK_INT(v.len, 1003);
  CHECK(vec_has_str(&v, "beta"));
  CHECK(!vec_has_str(&v, "delta"));
  CHECK_STR((char *)v.items[2], "gamma");
  vec_free(&v);
  Vec empty = {0};
  CHECK(!vec_has_str(&empty, "x"));
}

TEST(xasprintf_and_strndup) {
  char *s = xasprintf("%s:%u:%u", "a.py", 3u, 14u);
  CHECK_STR(s, "a.py:3:14");
  free(s);
  char *t = xstrndup("abcdef", 3);
  CHECK_STR(t, "abc");
  free(t);
  char *u = xstrdup("");
  CHECK_STR(u, "");
  free(u);
}

TEST(sha256_known_vectors) {
  char out[65];
  sha256_hex("", 0, out);
  CHECK_STR(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sha256_hex("abc", 3, out);
  CHECK_STR(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* XXH3-128 in canonical (big-endian) order: the empty input's is the
 * reference value of xxhash's own sanity tests. */
TEST(digest_known_vectors) {
  char out[DIGEST_HEX + 1];
  digest_hex("", 0, out);
  CHECK_STR(out, "99aa06d3014798d86001c324468d497f");
  digest_hex("abc", 3, out);
  CHECK_STR(out, "06b05ab6733a618578af5f94892f3950");
}

TEST(offset_to_line_col_counts_bytes) {
  const char *t = "ab\ncd\n\nxyz";
  uint32_t l, c;
  offset_to_line_col(t, 0, &l, &c);
  CHECK_INT(l, 1);
  CHECK_INT(c, 1);
  offset_to_line_col(t, 4, &l, &c);
  CHECK_INT(l, 2);
  CHECK_INT(c, 2);
  offset_to_line_col(t, 6, &l, &c);
  CHECK_INT(l, 3);
  CHECK_INT(c, 1);
  offset_to_line_col(t, 9, &l, &c);
  CHECK_INT(l, 4);
  CHECK_INT(c, 3);
}

/* A fresh temporary directory for file tests. */
static char *temp_dir(void) {
  char *d = xstrdup("/tmp/currant-unit.XXXXXX");
  if (!mkdtemp(d)) {
    free(d);
    return NULL;
  }
  return d;
}

static void rm_rf(const char *d) {
  char *cmd = xasprintf("rm -rf '%s'", d);
  if (system(cmd) != 0) { /* best effort */
  }
  free(cmd);
}

TEST(write_atomic_then_read_back) {
  char *d = temp_dir();
  CHECK(d != NULL);
  if (!d) return;
  char *p = xasprintf("%s/sub/dir/f.txt", d);
  CHECK_INT(make_parent_dirs(p), 0);
  CHECK_INT(write_file_atomic(p, "hello\0world", 11), 0);
  size_t len = 0;
  char *got = read_file(p, &len);
  CHECK(got != NULL);
  CHECK_INT(len, 11);
  if (got) {
    CHECK(memcmp(got, "hello\0world", 11) == 0);
    CHECK(got[11] == '\0');
  }
  free(got);
  /* Overwrite: the old content is replaced whole. */
  CHECK_INT(write_file_atomic(p, "x", 1), 0);
  got = read_file(p, &len);
  CHECK_INT(len, 1);
  free(got);
  /* No temp file is left behind. */
  char *cmd = xasprintf("test $(ls -A '%s/sub/dir' | wc -l) -eq 1", d);
  CHECK_INT(system(cmd), 0);
  free(cmd);
  free(p);
  rm_rf(d);
  free(d);
}

/* What an OutFile digests as it writes, in pieces, and what digest_file
 * reads back in its 1 MiB chunks are digest_hex of the whole bytes. */
TEST(digest_streamed_equals_whole) {
  char *d = temp_dir();
  CHECK(d != NULL);
  if (!d) return;
  size_t n = (3u << 20) + 12345;
  char *data = xmalloc(n);
  for (size_t i = 0; i < n; i++) data[i] = (char)(i * 2654435761u >> 13);
  char whole[DIGEST_HEX + 1], written[DIGEST_HEX + 1] = "", read_back[DIGEST_HEX + 1] = "";
  digest_hex(data, n, whole);
  char *p = xasprintf("%s/big", d);
  OutFile f;
  CHECK_INT(outfile_open(&f, p, true), 0);
  for (size_t at = 0, step = 1; at < n; at += step, step = step * 3 + 1)
    outfile_write(&f, data + at, step < n - at ? step : n - at);
  CHECK_INT(outfile_close(&f, written), 0);
  CHECK_STR(written, whole);
  CHECK_INT(digest_file(p, read_back), 0);
  CHECK_STR(read_back, whole);
  free(p), free(data);
  rm_rf(d);
  free(d);
}

TEST(read_file_empty_missing_and_directory) {
  char *d = temp_dir();
  CHECK(d != NULL);
  if (!d) return;
  char *p = xasprintf("%s/empty.py", d);
  CHECK_INT(write_file_atomic(p, "", 0), 0);
  size_t len = 99;
  char *got = read_file(p, &len);
  CHECK(got != NULL);
  CHECK_INT(len, 0);
  if (got) CHECK_STR(got, "");
  free(got);
  char *missing = xasprintf("%s/missing.py", d);
  errno = 0;
  CHECK(read_file(missing, &len) == NULL);
  CHECK_INT(errno, ENOENT);
  errno = 0;
  CHECK(read_file(d, &len) == NULL);
  CHECK_INT(errno, EISDIR);
  free(p);
  free(missing);
  rm_rf(d);
  free(d);
}

TEST(write_atomic_does_not_follow_a_symlink) {
  /* OUT/a.py is a symlink to a file outside OUT: the write replaces the
   * link, the outside file keeps its bytes. */
  char *d = temp_dir();
  CHECK(d != NULL);
  if (!d) return;
  char *victim = xasprintf("%s/victim.txt", d);
  char *outdir = xasprintf("%s/out", d);
  char *link = xasprintf("%s/out/a.py", d);
  CHECK_INT(write_file_atomic(victim, "precious", 8), 0);
  CHECK_INT(mkdir(outdir, 0755), 0);
  CHECK_INT(symlink(victim, link), 0);
  CHECK_INT(write_file_atomic(link, "new", 3), 0);
  size_t len = 0;
  char *v = read_file(victim, &len);
  CHECK(v != NULL);
  if (v) CHECK_STR(v, "precious");
  free(v);
  struct stat st;
  CHECK_INT(lstat(link, &st), 0);
  CHECK(S_ISREG(st.st_mode));
  free(victim);
  free(outdir);
  free(link);
  rm_rf(d);
  free(d);
}

TEST(util_path_is_plain) {
  CHECK(path_is_plain("a"));
  CHECK(path_is_plain("a/b.py"));
  CHECK(path_is_plain("..a/b.."));
  CHECK(!path_is_plain(""));
  CHECK(!path_is_plain("/a"));
  CHECK(!path_is_plain("."));
  CHECK(!path_is_plain(".."));
  CHECK(!path_is_plain("a/../b"));
  CHECK(!path_is_plain("a/.."));
  CHECK(!path_is_plain("a//b"));
  CHECK(!path_is_plain("a/./b"));
  CHECK(!path_is_plain("a/"));
}
