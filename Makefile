# SPDX-License-Identifier: GPL-2.0-only
# canister: builds the BPF objects, their skeletons, libcanister, canisterd and canister; runs the tests.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
SYSCONFDIR ?= /etc
MANDIR ?= $(PREFIX)/share/man
# Where podman and CRI-O look for OCI hook files: /usr/share/containers/oci/hooks.d is read when
# PREFIX is /usr; for another PREFIX, point them at HOOKSDIR or set HOOKSDIR=/etc/containers/...
HOOKSDIR ?= $(PREFIX)/share/containers/oci/hooks.d

# The one place the version is kept: the binaries, libcanister, its soname's
# file name and canister.pc all take it from VERSION.
VERSION := $(shell cat VERSION)

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config

BUILD := build
OBJ := $(BUILD)/obj
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
VMLINUX_FALLBACK := src/vmlinux/vmlinux.h

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
# Debian's hardening for userspace binaries, on by default: PIE, stack protector,
# _FORTIFY_SOURCE, full RELRO with BIND_NOW.  CPPFLAGS, CFLAGS and LDFLAGS from the
# environment (as dpkg-buildflags gives them) come after these and win; fortify is
# left to CPPFLAGS when they name it, and dropped at -O0, where glibc refuses it.
# The BPF objects take none of this (BPF_CFLAGS).
HARDEN_CPPFLAGS = $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS))$(findstring -O0,$(CFLAGS)),,-D_FORTIFY_SOURCE=2)
HARDEN_CFLAGS := -fPIE -fstack-protector-strong
HARDEN_LDFLAGS := -pie -Wl,-z,relro -Wl,-z,now
CANISTER_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -D_GNU_SOURCE -fno-strict-aliasing \
	-Iinclude -Isrc -I$(BUILD)
# Each binary links what it uses: the CLI and libcanister need only json-c; the OCI hook
# also libcrypto (derived contids are SHA-256 digests); canisterd also libsystemd for
# sd_notify (the static one links a stub: src/core/static/no_systemd.c), and libcrypto for
# the integrity capability's digests.
# The integrity capability's TPMs (integrity_tpm = swtpm): ESAPI over the swtpm TCTI, linked
# directly (no tctildr dlopen); the static canisterd links a stub instead (no static TSS).
TSS_LIBS := -ltss2-esys -ltss2-mu -ltss2-rc -ltss2-tcti-swtpm
LIBS := -lbpf -lelf -lz -ljson-c -lauparse -laudit -lsystemd -lcrypto -lcap-ng $(TSS_LIBS)
# The CLI checks an appraisal certificate as canisterd will, before it registers anything.
CLI_LIBS := -ljson-c -lcrypto -lcap-ng
HOOK_LIBS := -ljson-c -lcrypto -lcap-ng
# The VM's initramfs holds no shared libraries, so its binaries link everything in.
# (glibc warns that libaudit's and libcap-ng's user lookups need NSS at run time;
# canisterd calls none of them.)
STATIC_LIBS := -static -lbpf -lelf -lz -lzstd -ljson-c -lauparse -laudit -lcap-ng -lcrypto
STATIC_CLI_LIBS := -static -ljson-c -lcrypto -lcap-ng
STATIC_TOOL_LIBS := -static -lbpf -lelf -lz -lzstd -ljson-c -lcrypto

# What every userspace compile and link takes (the static binaries link without -pie).
USER_CFLAGS = $(HARDEN_CPPFLAGS) $(HARDEN_CFLAGS) $(CANISTER_CFLAGS) $(CPPFLAGS) $(CFLAGS)
USER_LDFLAGS = $(HARDEN_CFLAGS) $(CFLAGS) $(HARDEN_LDFLAGS) $(LDFLAGS)

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror -Iinclude -I$(BUILD)

# One folder per capability (src/identity, src/audit, ...) beside the daemon's core (src/core)
# and the shared helpers (src/lib).  A capability's BPF programs sit in its bpf/ folder; each
# X.bpf.c gives build/X.skel.h.  Adding a capability adds a folder, nothing here.
CAPABILITIES := $(filter-out core lib cli hook audisp vmlinux,$(notdir $(wildcard src/*)))
BPF_SRCS := $(wildcard src/core/bpf/*.bpf.c $(patsubst %,src/%/bpf/*.bpf.c,$(CAPABILITIES)))
BPF_NAMES := $(patsubst %.bpf.c,%,$(notdir $(BPF_SRCS)))
BPF_OBJS := $(patsubst %,$(OBJ)/bpf/%.bpf.o,$(BPF_NAMES))
SKELS := $(patsubst %,$(BUILD)/%.skel.h,$(BPF_NAMES))
vpath %.bpf.c $(sort $(dir $(BPF_SRCS)))

LIB_SRCS := $(wildcard src/lib/*.c)
# canisterd: its core and every capability; main.c alone is kept out of the archive that
# unit tests and tools link (they take from it only what they call).
CAP_SRCS := $(wildcard $(patsubst %,src/%/*.c,$(CAPABILITIES)))
CORE_SRCS := $(filter-out src/core/main.c,$(wildcard src/core/*.c))
CLI_SRCS := $(wildcard src/cli/*.c)
HOOK_SRCS := $(wildcard src/hook/*.c)
AUDISP_SRCS := $(wildcard src/audisp/*.c)
LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(LIB_SRCS))
INTERNAL_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(LIB_SRCS) $(CAP_SRCS) $(CORE_SRCS))
CLI_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(CLI_SRCS))
HOOK_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(HOOK_SRCS))
AUDISP_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(AUDISP_SRCS))
INTERNAL := $(BUILD)/libcanister-internal.a

# libcanister.so: the public API (include/canister/canister.h) and the helpers it calls, built
# again with -fPIC; the version script keeps the helpers' names local.  SOVERSION changes when
# the ABI breaks, VERSION with every release.
SOVERSION := 0
SHLIB_SRCS := $(addprefix src/lib/,client.c version.c name.c protocol.c reply.c contid.c \
	errnames.c json_strict.c status.c status_json.c hex.c tpm_choice.c why.c)
SHLIB_OBJS := $(patsubst %.c,$(OBJ)/pic/%.o,$(SHLIB_SRCS))
SHLIB_MAP := src/lib/libcanister.map
SHLIB := $(BUILD)/libcanister.so.$(VERSION)

# Written by hand in man(7); make install fills in @VERSION@ and @HOOKSDIR@.
MAN_PAGES := $(wildcard man/*.[0-9])

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))

.DELETE_ON_ERROR:
# Skeletons are kept: they are what a reader greps for the generated API.
.SECONDARY: $(SKELS) $(BPF_OBJS)
.PHONY: all static test run test-unit test-host test-host-loaded test-vm fuzz bench install uninstall clean deps \
	install-systemd deb \
	format check-format

all: $(BUILD)/canisterd $(BUILD)/canister $(BUILD)/canister-oci-hook $(BUILD)/canister-audisp \
	$(BUILD)/libcanister.a $(SHLIB)

# vmlinux.h comes from the running kernel's BTF when it has one; CO-RE relocations
# make the objects load on other kernels (the 6.1 guest) all the same.
$(BUILD)/vmlinux.h:
	$(Q)mkdir -p $(@D)
	$(call msg,GEN,$@)
	$(Q)if [ -r $(VMLINUX_BTF) ]; then \
		$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@; \
	else \
		echo "  note: $(VMLINUX_BTF) not readable, using $(VMLINUX_FALLBACK)"; \
		cp $(VMLINUX_FALLBACK) $@; \
	fi

$(BUILD)/version.h: VERSION
	$(Q)mkdir -p $(@D)
	$(call msg,GEN,$@)
	$(Q)printf '/* generated from VERSION by the Makefile */\n#define CANISTER_VERSION "%s"\n' \
		"$(VERSION)" >$@

$(OBJ)/bpf/%.bpf.o: %.bpf.c $(BUILD)/vmlinux.h
	$(Q)mkdir -p $(@D)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.skel.h: $(OBJ)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

# Every object depends on the headers it includes (-MMD -MP); the skeletons are generated
# before any C is compiled, since the dependency files do not exist yet on a first build.
$(OBJ)/%.o: %.c | $(SKELS) $(BUILD)/version.h
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libcanister.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OBJ)/pic/%.o: %.c | $(SKELS) $(BUILD)/version.h
	$(Q)mkdir -p $(@D)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CANISTER_CFLAGS) $(CFLAGS) -fPIC -MMD -MP -c $< -o $@

# The build folder gets the soname's and the linker's links too, to link and run tests against.
$(SHLIB): $(SHLIB_OBJS) $(SHLIB_MAP)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libcanister.so.$(SOVERSION) \
		-Wl,--version-script=$(SHLIB_MAP) -Wl,--no-undefined -o $@ $(SHLIB_OBJS) -ljson-c
	$(Q)ln -sf $(@F) $(BUILD)/libcanister.so.$(SOVERSION)
	$(Q)ln -sf libcanister.so.$(SOVERSION) $(BUILD)/libcanister.so

$(INTERNAL): $(INTERNAL_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/canisterd: $(OBJ)/src/core/main.o $(INTERNAL)
	$(call msg,LD,$@)
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/canister: $(CLI_OBJS) $(INTERNAL)
	$(call msg,LD,$@)
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $^ $(CLI_LIBS)

$(BUILD)/canister-oci-hook: $(HOOK_OBJS) $(INTERNAL)
	$(call msg,LD,$@)
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $^ $(HOOK_LIBS)

# auditd's plugin (plugins.d/canister.conf): relays auditd's events to canisterd.
$(BUILD)/canister-audisp: $(AUDISP_OBJS) $(INTERNAL)
	$(call msg,LD,$@)
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $^

# Test tools (attackers and orchestrators in miniature) for the host and VM cases; libcrypto
# for the integrity lists' digests (statically linked, it warns of dlopen and getaddrinfo,
# which no tool calls).
TOOL_LIBS := $(LIBS) -lcrypto
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))
STATIC_TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/static/%,$(TOOL_SRCS))

static: $(BUILD)/static/canisterd $(BUILD)/static/canister $(BUILD)/static/canister-oci-hook $(STATIC_TOOLS)

$(BUILD)/static/%: tests/tools/%.c $(INTERNAL)
	$(Q)mkdir -p $(@D) $(OBJ)/deps
	$(call msg,LD,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(LDFLAGS) -MMD -MP -MF $(OBJ)/deps/$(subst /,_,$@).d -o $@ $(filter-out %.h,$^) $(STATIC_TOOL_LIBS)

$(BUILD)/tools/%: tests/tools/%.c $(INTERNAL)
	$(Q)mkdir -p $(@D) $(OBJ)/deps
	$(call msg,LD,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(HARDEN_LDFLAGS) $(LDFLAGS) -MMD -MP -MF $(OBJ)/deps/$(subst /,_,$@).d -o $@ $(filter-out %.h,$^) $(TOOL_LIBS)

# No libsystemd.a in Debian and no systemd in the initramfs: sd_notify is a stub there.
$(BUILD)/static/canisterd: $(OBJ)/src/core/main.o $(OBJ)/src/core/static/no_systemd.o \
		$(OBJ)/src/integrity/static/no_tpm.o $(INTERNAL)
	$(Q)mkdir -p $(@D)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(STATIC_LIBS)

$(BUILD)/static/canister: $(CLI_OBJS) $(INTERNAL)
	$(Q)mkdir -p $(@D)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(STATIC_CLI_LIBS)

# The VM's runc cases register their containers through the hook (VM 146).
$(BUILD)/static/canister-oci-hook: $(HOOK_OBJS) $(INTERNAL)
	$(Q)mkdir -p $(@D)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(STATIC_CLI_LIBS)

# The dependency files name headers as prerequisites: only the sources and the archive are inputs.
$(BUILD)/tests/%: tests/unit/%.c $(INTERNAL)
	$(Q)mkdir -p $(@D) $(OBJ)/deps
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) $(HARDEN_LDFLAGS) $(LDFLAGS) -MMD -MP -MF $(OBJ)/deps/$(subst /,_,$@).d -o $@ $(filter-out %.h,$^) -lcmocka -lauparse -lcrypto $(LIBS)

# libFuzzer harnesses; clang builds the parsers again with sanitizers, into an archive of
# its own from which each harness takes what it calls.
FUZZ_OBJ := $(BUILD)/fuzz/obj
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined -Iinclude -Isrc -I$(BUILD) \
	-D_GNU_SOURCE
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_OBJ)/%.o,$(LIB_SRCS) $(CAP_SRCS) $(CORE_SRCS))

$(FUZZ_OBJ)/%.o: %.c | $(SKELS) $(BUILD)/version.h
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_FLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzz/libfuzzed.a: $(FUZZ_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/fuzz/libfuzzed.a
	$(Q)mkdir -p $(@D)
	$(call msg,FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ -ljson-c -lcrypto -lauparse -laudit -lcap-ng

# make test installs what is missing, builds, runs the three layers and prints
# one total; see tests/run-layers.  Packages come first: nothing builds without them.
test:
	$(Q)scripts/install-deps --test
	$(Q)$(MAKE) --no-print-directory all static $(TOOLS) $(UNIT_BINS) $(FUZZ_BINS)
	$(Q)tests/run-layers unit host vm

# The README's first command: packages, build, then the daemon in the foreground.
run:
	$(Q)scripts/install-deps
	$(Q)$(MAKE) --no-print-directory all
	exec $(BUILD)/canisterd -f

test-unit: $(UNIT_BINS) $(FUZZ_BINS)
	$(Q)tests/run-layers unit

test-host: all $(TOOLS) $(BUILD)/static/backstop-try
	$(Q)tests/run-layers host

# The host layer LOADED_ROUNDS times in a row under a load that keeps every core
# busy (tests/host/loaded); too long for make test.
LOADED_ROUNDS ?= 5
test-host-loaded: all $(TOOLS) $(BUILD)/static/backstop-try
	$(Q)tests/host/loaded $(LOADED_ROUNDS)

test-vm: static
	$(Q)tests/run-layers vm

fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run $(FUZZ_BINS)

bench: all
	$(Q)bench/run
	$(Q)bench/churn

# What make test needs (make run installs only what building and running need).
deps:
	$(Q)scripts/install-deps --test

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR)/canister $(DESTDIR)$(SYSCONFDIR)/canister
	install -m 0755 $(BUILD)/canisterd $(DESTDIR)$(SBINDIR)/canisterd
	install -m 0755 $(BUILD)/canister $(DESTDIR)$(BINDIR)/canister
	install -m 0755 $(BUILD)/canister-oci-hook $(DESTDIR)$(BINDIR)/canister-oci-hook
	install -m 0644 $(BUILD)/libcanister.a $(DESTDIR)$(LIBDIR)/libcanister.a
	install -m 0755 $(SHLIB) $(DESTDIR)$(LIBDIR)/libcanister.so.$(VERSION)
	ln -sf libcanister.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libcanister.so.$(SOVERSION)
	ln -sf libcanister.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libcanister.so
	install -m 0644 include/canister/*.h $(DESTDIR)$(INCLUDEDIR)/canister/
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' canister.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/canister.pc
	install -m 0644 docs/canister.conf.example $(DESTDIR)$(SYSCONFDIR)/canister/canister.conf.example
	$(Q)mkdir -p $(BUILD)/install
	sed -e 's|@BINDIR@|$(BINDIR)|' docs/oci/canister-hook.json.in >$(BUILD)/install/canister-hook.json
	install -D -m 0644 $(BUILD)/install/canister-hook.json \
		$(DESTDIR)$(HOOKSDIR)/canister-hook.json
	for page in $(MAN_PAGES); do \
		sed -e 's|@VERSION@|$(VERSION)|' -e 's|@HOOKSDIR@|$(HOOKSDIR)|' $$page \
			>$(BUILD)/install/$${page##*/} && \
		install -D -m 0644 $(BUILD)/install/$${page##*/} \
			$(DESTDIR)$(MANDIR)/man$${page##*.}/$${page##*/} || exit 1; \
	done
	install -m 0750 $(BUILD)/canister-audisp $(DESTDIR)$(SBINDIR)/canister-audisp
	install -d $(DESTDIR)$(SYSCONFDIR)/audit/plugins.d
	sed -e 's|@SBINDIR@|$(SBINDIR)|' dist/auditd-plugin.conf.in \
		>$(DESTDIR)$(SYSCONFDIR)/audit/plugins.d/canister.conf
	chmod 0640 $(DESTDIR)$(SYSCONFDIR)/audit/plugins.d/canister.conf

# The systemd unit, its ExecStart pointed at SBINDIR (Debian's package puts it in /lib).
UNITDIR ?= $(PREFIX)/lib/systemd/system
install-systemd:
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|^ExecStart=/usr/sbin/canisterd|ExecStart=$(SBINDIR)/canisterd|' systemd/canisterd.service \
		>$(DESTDIR)$(UNITDIR)/canisterd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/canisterd.service

# Debian packages (canister, libcanister-dev) built by dpkg-buildpackage in a copy of
# the tree under DEB_DIR, where they end up; see scripts/make-deb.
DEB_DIR ?= $(BUILD)/deb
deb:
	$(Q)scripts/make-deb $(DEB_DIR)

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/canisterd $(DESTDIR)$(BINDIR)/canister \
		$(DESTDIR)$(BINDIR)/canister-oci-hook \
		$(DESTDIR)$(LIBDIR)/libcanister.a $(DESTDIR)$(LIBDIR)/pkgconfig/canister.pc \
		$(DESTDIR)$(LIBDIR)/libcanister.so.$(VERSION) \
		$(DESTDIR)$(LIBDIR)/libcanister.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libcanister.so \
		$(DESTDIR)$(SYSCONFDIR)/canister/canister.conf.example \
		$(DESTDIR)$(HOOKSDIR)/canister-hook.json \
		$(DESTDIR)$(SBINDIR)/canister-audisp $(DESTDIR)$(SYSCONFDIR)/audit/plugins.d/canister.conf \
		$(foreach page,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(page)))/$(notdir $(page)))
	rm -rf $(DESTDIR)$(INCLUDEDIR)/canister

format:
	clang-format -i $$(git ls-files '*.c' '*.h' | grep -v vmlinux.h)

check-format:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h' | grep -v vmlinux.h)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
