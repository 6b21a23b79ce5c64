# coordinator/build.mk — `currant`, the coordinator, and its C unit tests.
# Included by the top Makefile.  Built with warnings as errors, C11, linked
# with SQLite and jansson (Debian packages installed by tools/install-deps.sh).

COORD_SRCS := $(filter-out coordinator/main.c,$(wildcard coordinator/*.c))
COORD_HDRS := $(wildcard coordinator/*.h)
COORD_OBJS := $(patsubst coordinator/%.c,$(BUILD)/coord/%.o,$(COORD_SRCS))
COORD_CFLAGS := -O2 -g -std=c11 -D_GNU_SOURCE $(WARN) -Icoordinator \
                -DCURRANT_DATADIR='"$(DATADIR)"'
COORD_LIBS := -lsqlite3 -ljansson

all: $(BUILD)/currant

$(BUILD)/coord/%.o: coordinator/%.c $(COORD_HDRS) $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(COORD_CFLAGS) -c $< -o $@

$(BUILD)/currant: $(COORD_OBJS) $(BUILD)/coord/main.o
	$(CC) -o $@ $^ $(COORD_LIBS)

$(BUILD)/coord/tests/%.o: coordinator/tests/%.c $(COORD_HDRS) $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(COORD_CFLAGS) -c $< -o $@

COORD_TEST_OBJS := $(patsubst coordinator/tests/%.c,$(BUILD)/coord/tests/%.o,$(wildcard coordinator/tests/*.c))
$(BUILD)/coord-tests: $(COORD_OBJS) $(COORD_TEST_OBJS)
	$(CC) -o $@ $^ $(COORD_LIBS)

test: $(BUILD)/currant $(BUILD)/coord-tests

# The unit tests again under ASan+UBSan (leaks included), for the suite.
$(BUILD)/asan/coord-tests: $(COORD_SRCS) $(wildcard coordinator/tests/*.c) $(COORD_HDRS) $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -std=c11 -D_GNU_SOURCE $(WARN) -Icoordinator \
	  -DCURRANT_DATADIR='"$(DATADIR)"' -o $@ $(COORD_SRCS) $(wildcard coordinator/tests/*.c) $(COORD_LIBS)

# currant itself under ASan+UBSan: the end-to-end suites can run it (CURRANT=...).
$(BUILD)/asan/currant: $(COORD_SRCS) coordinator/main.c $(COORD_HDRS) $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ASAN_FLAGS) -std=c11 -D_GNU_SOURCE $(WARN) -Icoordinator \
	  -DCURRANT_DATADIR='"$(DATADIR)"' -o $@ $(COORD_SRCS) coordinator/main.c $(COORD_LIBS)
