/*
 * arena.c — where tree-sitter's memory goes during a build: a bump arena
 * per thread, emptied whole between files.
 *
 * A build parses a file, runs its names pass and drops the tree at once
 * (driver.c, analyse_for_build): nothing tree-sitter allocates for a file
 * outlives that file.  Freeing a tree node by node walks every node
 * (ts_subtree_release), and millions of small mallocs and frees cost more;
 * a bare parse into an arena that is then simply reset measured 13-16%
 * faster than the same parse on malloc (npm's JavaScript 0.565 -> 0.492 s,
 * the stdlib 2.80 -> 2.46 s, single-threaded).  So while a thread's arena
 * is open (arena_open .. arena_close), tree-sitter's allocations on that
 * thread bump a pointer in a region reserved for it, its frees do nothing,
 * and closing forgets it all.  The parser must live there too (its stacks
 * grow during a parse): parse.c makes a fresh one per file in an open arena.
 *
 * Outside an open arena (currantc check, which keeps its trees; a thread
 * that never opened one) every allocation goes to malloc, and a free of
 * malloc'd memory to free.  A file too big for the region spills: what no
 * longer fits goes to malloc, and arena_spilled() tells the caller to free
 * the tree and the parser the usual way (frees of arena blocks stay no-ops);
 * the region then grows for the next file.
 * Under ASan a closed arena is poisoned, so a node read after its tree was
 * dropped is reported as a use after free would be.
 *
 * Invariant: arena memory is used by the thread that allocated it, between
 * its arena_open and arena_close, and nothing allocated in it is kept past
 * arena_close.
 */
#include "currant.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* A thread's region starts small and, when a file did not fit, is made
 * big enough for it before the next file (nothing in it is alive between
 * files, so it can move).  Its size is address space only until used, but
 * address space can be limited (ulimit -v): reserving the most a file
 * could need for each of 16 threads up front made a build that ran in
 * 600 MB of address space need 2 GB.  Trees take ~40 bytes per source
 * byte: the stdlib's largest file needed 12.7 MB, npm's 8.5 MB. */
#define ARENA_FIRST ((size_t)4 << 20)
#define ARENA_MAX ((size_t)256 << 20)
/* Pages kept between files: a file that went past this returns the rest
 * to the system when its arena closes, so one big file does not keep a
 * build's memory high to the end. */
#define ARENA_KEEP ((size_t)32 << 20)
/* Each block is preceded by its size (realloc must copy it); 16 keeps
 * the alignment malloc gives. */
#define HEADER 16

typedef struct {
  char *base;   /* the reserved region, NULL until the first open */
  size_t size;  /* its size */
  char *top;    /* the next free byte */
  char *high;   /* how far pages are committed (the highest top since the last trim) */
  size_t want;  /* what the last file needed, when it did not fit (0: it fit) */
  bool open;    /* between arena_open and arena_close */
  bool spilled; /* some allocation since arena_open went to malloc */
  bool failed;  /* no region could be reserved: this thread never uses one */
} Arena;

static __thread Arena arena;
static bool installed; /* arena_install was called: tree-sitter allocates here */

static bool owns(const void *p) { return arena.base && (uintptr_t)p - (uintptr_t)arena.base < arena.size; }

static size_t rounded(size_t n) { return (n + HEADER - 1) & ~(size_t)(HEADER - 1); }

/* A block of n bytes at the top of the open arena, or NULL (closed, or full). */
static void *bump(size_t n) {
  if (!arena.open) return NULL;
  size_t need = HEADER + rounded(n);
  if ((size_t)(arena.base + arena.size - arena.top) < need) {
    arena.spilled = true;
    arena.want += need; /* on top of the region's size: see arena_close */
    return NULL;
  }
  char *p = arena.top + HEADER;
  UNPOISON(arena.top, need);
  memcpy(arena.top, &(size_t){rounded(n)}, sizeof(size_t));
  arena.top += need;
  return p;
}

static size_t block_size(const void *p) {
  size_t n;
  memcpy(&n, (const char *)p - HEADER, sizeof n);
  return n;
}

static void *arena_malloc(size_t n) {
  void *p = bump(n);
  return p ? p : xmalloc(n);
}

static void *arena_calloc(size_t k, size_t n) {
  if (n && k > SIZE_MAX / n) return xcalloc(k, n); /* overflows: calloc says so */
  void *p = bump(k * n);
  return p ? memset(p, 0, k * n) : xcalloc(k, n); /* arena memory is reused, not zeroed */
}

static void *arena_realloc(void *p, size_t n) {
  if (!p) return arena_malloc(n);
  if (!owns(p)) return xrealloc(p, n);
  size_t old = block_size(p);
  /* the last block grows in place: a parser's stacks grow this way */
  if (arena.open && (char *)p + old == arena.top &&
      (size_t)(arena.base + arena.size - (char *)p) >= rounded(n)) {
    UNPOISON(p, rounded(n));
    memcpy((char *)p - HEADER, &(size_t){rounded(n)}, sizeof(size_t));
    arena.top = (char *)p + rounded(n);
    return p;
  }
  if (n <= old) return p;
  void *q = arena_malloc(n);
  memcpy(q, p, old);
  return q;
}

static void arena_free(void *p) {
  if (!owns(p)) free(p);
}

void arena_install(void) {
  installed = true;
  ts_set_allocator(arena_malloc, arena_calloc, arena_realloc, arena_free);
}

/* Transparent huge pages are 2 MiB, aligned. */
#define HUGE_PAGE ((size_t)2 << 20)

/* Maps a region of size bytes (a multiple of HUGE_PAGE) for this thread,
 * aligned to HUGE_PAGE and advised to be backed by huge pages (the old
 * region, if any, goes: nothing in it is alive between files).  A parse
 * walks its stacks and the tree it is building all over the region; with
 * 4 KiB pages that is a TLB miss and, the first time, a page fault every
 * 4 KiB (-j1, interleaved runs, median task-clock: npm's JavaScript
 * 801 -> 790 ms with 21.0k -> 16.2k page faults, the stdlib 3592 -> 3524
 * ms).  Where THP is off the advice does nothing.  False if no region
 * could be had. */
static bool reserve(size_t size) {
  int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  char *raw = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (raw == MAP_FAILED) return false;
  char *m = (char *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
  if (m > raw) munmap(raw, (size_t)(m - raw));
  munmap(m + size, (size_t)(raw + HUGE_PAGE - m)); /* what is left past the region */
  madvise(m, size, MADV_HUGEPAGE);
  if (arena.base) munmap(arena.base, arena.size);
  arena.base = arena.top = arena.high = m;
  arena.size = size;
  POISON(arena.base, size);
  return true;
}

/* The region's size for a file that needed want bytes: doubled until it fits. */
static size_t grown(size_t want) {
  size_t size = arena.size;
  while (size < want && size < ARENA_MAX) size *= 2;
  return size;
}

bool arena_open(void) {
  if (!installed || arena.failed) return false;
  if (!arena.base && !reserve(ARENA_FIRST)) {
    arena.failed = true; /* e.g. a tight ulimit -v: malloc serves, as before */
    return false;
  }
  if (arena.want > arena.size) reserve(grown(arena.want)); /* or keep the old one: files spill */
  arena.want = 0;
  arena.top = arena.base;
  arena.open = true;
  arena.spilled = false;
  return true;
}

bool arena_is_open(void) { return arena.open; }

bool arena_spilled(void) { return arena.open && arena.spilled; }

void arena_close(void) {
  if (!arena.open) return;
  arena.open = false;
  if (arena.spilled) arena.want += arena.size; /* what fit, and what did not */
  if (arena.top > arena.high) arena.high = arena.top;
  if (arena.high > arena.base + ARENA_KEEP) {
    madvise(arena.base + ARENA_KEEP, (size_t)(arena.high - arena.base) - ARENA_KEEP, MADV_DONTNEED);
    arena.high = arena.base + ARENA_KEEP;
  }
  POISON(arena.base, (size_t)(arena.top - arena.base));
  arena.top = arena.base;
}

void arena_thread_done(void) {
  if (!arena.base) return;
  arena_close();
  munmap(arena.base, arena.size);
  arena = (Arena){0};
}
