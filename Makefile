# currant — top-level build.  `make` builds currantc (and what it needs),
# `make demo` runs it on the samples, `make test` runs every suite and ends
# with one "N passed, N failed" line, `make bench` measures, `make fuzz` fuzzes.
# Each folder with more to build keeps a build.mk fragment included below.

CC      ?= cc
BUILD   := build
VENDOR  := $(BUILD)/vendor
TSLIB   := $(VENDOR)/tree-sitter/vendor/tree-sitter/lib
PYGRAM  := $(VENDOR)/tree-sitter-python/src
JSGRAM  := $(VENDOR)/tree-sitter-javascript/src

WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -pthread
INC     := -I$(TSLIB)/include -Icompiler
# passes/cursor.c alone reads tree-sitter's internal headers (it says why).
%/passes/cursor.o: INC += -I$(TSLIB)/src
LDLIBS  := -ljansson -lcrypto -lxxhash -lpthread
# The shipped currantc allocates with mimalloc (Debian's libmimalloc-dev),
# linked first so that it serves every malloc of the process: the names
# state is millions of small blocks, and glibc's malloc spent 0.4-0.5 s more
# on them over the stdlib (consolidation, cold frees).  A build's trees go
# to per-thread arenas (compiler/arena.c) in every build.  Sanitizer, unit
# and fuzz builds keep the system allocator, which the sanitizers replace.
ALLOC_LIBS := -lmimalloc
# Where currantc and currant find the runtimes unless told otherwise.
DATADIR ?= $(CURDIR)

COMPILER_SRCS := $(wildcard compiler/*.c) $(wildcard passes/*.c) $(wildcard emit/*.c)
COMPILER_MAIN := compiler/main.c
COMPILER_LIB  := $(filter-out $(COMPILER_MAIN),$(COMPILER_SRCS))
HEADERS       := $(wildcard compiler/*.h passes/*.h emit/*.h)

VENDOR_OBJS := $(BUILD)/obj/ts_lib.o $(BUILD)/obj/py_parser.o $(BUILD)/obj/py_scanner.o \
               $(BUILD)/obj/js_parser.o $(BUILD)/obj/js_scanner.o

.PHONY: all deps demo test bench fuzz clean format install
all: $(BUILD)/currantc $(BUILD)/.runtime-pyc

# The Python runtime, byte-compiled: every instrumented script imports it,
# and where Python writes no bytecode (PYTHONDONTWRITEBYTECODE, a read-only
# install) compiling it again cost each start ~4 ms (7.0 -> 3.2 ms).
# Python checks each .pyc against its source, so a stale one is not used.
$(BUILD)/.runtime-pyc: $(wildcard runtime-py/currant/*.py)
	@python3 -m compileall -q runtime-py/currant
	@mkdir -p $(@D) && touch $@

# ---- dependencies: Debian packages and pinned npm tarballs ----------------
$(BUILD)/.deps: tools/install-deps.sh
	@mkdir -p $(BUILD)
	@tools/install-deps.sh
	@touch $@

$(VENDOR)/.pins: grammars/pins.txt grammars/fetch.sh
	@grammars/fetch.sh $(VENDOR)

deps: $(BUILD)/.deps $(VENDOR)/.pins

# ---- vendored C (built without -Werror: not our code) ---------------------
VENDOR_CFLAGS := -O2 -g -std=c11 -D_GNU_SOURCE -w
$(BUILD)/obj/ts_lib.o: $(VENDOR)/.pins
	@mkdir -p $(@D)
	$(CC) $(VENDOR_CFLAGS) -I$(TSLIB)/include -I$(TSLIB)/src -c $(TSLIB)/src/lib.c -o $@
$(BUILD)/obj/py_%.o: $(VENDOR)/.pins
	@mkdir -p $(@D)
	$(CC) $(VENDOR_CFLAGS) -I$(PYGRAM) -c $(PYGRAM)/$*.c -o $@
$(BUILD)/obj/js_%.o: $(VENDOR)/.pins
	@mkdir -p $(@D)
	$(CC) $(VENDOR_CFLAGS) -I$(JSGRAM) -c $(JSGRAM)/$*.c -o $@

# ---- currantc -------------------------------------------------------------
$(BUILD)/obj/%.o: %.c $(HEADERS) $(BUILD)/.deps $(VENDOR)/.pins
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(INC) -DCURRANT_DATADIR='"$(DATADIR)"' -c $< -o $@

COMPILER_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(COMPILER_SRCS))
$(BUILD)/currantc: $(COMPILER_OBJS) $(VENDOR_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(ALLOC_LIBS) $(LDLIBS)

# The same compiler under ASan+UBSan, for the test suites.
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ASAN_OBJS := $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(COMPILER_SRCS)) \
             $(patsubst $(BUILD)/obj/%,$(BUILD)/asan/vobj/%,$(VENDOR_OBJS))
$(BUILD)/asan/currantc: $(ASAN_OBJS)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)
$(BUILD)/asan/obj/%.o: %.c $(HEADERS) $(BUILD)/.deps $(VENDOR)/.pins
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(INC) -DCURRANT_DATADIR='"$(DATADIR)"' -c $< -o $@
$(BUILD)/asan/vobj/ts_lib.o: $(VENDOR)/.pins
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -std=c11 -D_GNU_SOURCE -w -I$(TSLIB)/include -I$(TSLIB)/src -c $(TSLIB)/src/lib.c -o $@
$(BUILD)/asan/vobj/py_%.o: $(VENDOR)/.pins
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -std=c11 -w -I$(PYGRAM) -c $(PYGRAM)/$*.c -o $@
$(BUILD)/asan/vobj/js_%.o: $(VENDOR)/.pins
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -std=c11 -w -I$(JSGRAM) -c $(JSGRAM)/$*.c -o $@

-include coordinator/build.mk
-include emit/build.mk
-include tests/build.mk
-include bench/build.mk

# ---- the two commands of the README ---------------------------------------
demo: all
	@tools/demo.sh

test: all $(BUILD)/asan/currantc
	@tests/run_all.sh

format:
	clang-format -i $(COMPILER_SRCS) $(HEADERS)

clean:
	rm -rf $(BUILD)/obj $(BUILD)/asan $(BUILD)/gen $(BUILD)/currantc $(BUILD)/test-out $(BUILD)/.runtime-pyc \
	  runtime-py/currant/__pycache__

# ---- install (PREFIX, DESTDIR) ----------------------------------------------
# currantc and currant in bin/, the runtimes in share/currant/ (where currant
# finds them relative to its own binary), docs in share/doc/currant/, man
# pages in share/man/man1/.
PREFIX  ?= /usr/local
INSTALL_SHARE := $(DESTDIR)$(PREFIX)/share/currant
INSTALL_MAN1  := $(DESTDIR)$(PREFIX)/share/man/man1
.PHONY: install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(INSTALL_SHARE) $(DESTDIR)$(PREFIX)/share/doc/currant $(INSTALL_MAN1)
	install -m 755 $(BUILD)/currantc $(BUILD)/currant $(DESTDIR)$(PREFIX)/bin/
	tar -cf - --exclude=tests --exclude=test --exclude=__pycache__ --exclude='*.pyc' runtime-py runtime-js \
	  | tar -xf - -C $(INSTALL_SHARE)
	python3 -m compileall -q -d $(PREFIX)/share/currant/runtime-py/currant $(INSTALL_SHARE)/runtime-py/currant
	install -m 644 README.md docs/*.md docs/currant.graph.schema.json $(DESTDIR)$(PREFIX)/share/doc/currant/
	install -m 644 docs/man/currantc.1 docs/man/currant.1 $(INSTALL_MAN1)/
	@echo "installed currantc and currant in $(DESTDIR)$(PREFIX)/bin, runtimes in $(INSTALL_SHARE), man pages in $(INSTALL_MAN1)"
