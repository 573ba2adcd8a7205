# Top-level build. Run ./configure.sh first: it writes config.mk.
-include config.mk

PREFIX ?= /usr/local
DESTDIR ?=
DOTNET ?= dotnet
# The build machine's own runtime identifier; RID (from config.mk, or `make RID=linux-arm64`) may name another:
# linux-x64 and linux-arm64 are built natively or across (an x86-64 Debian host cross-builds linux-arm64).
HOST_RID := $(if $(filter aarch64 arm64,$(shell uname -m)),linux-arm64,linux-x64)
RID ?= $(HOST_RID)
SYSLOG ?= false
# The host's executables live in build/bin (what the tests run); another architecture's in build/RID/bin.
BIN := $(if $(filter $(RID),$(HOST_RID)),build/bin,build/$(RID)/bin)
PUBLISH := $(if $(filter $(RID),$(HOST_RID)),build/publish,build/$(RID)/publish)
DEB_ARCH := $(if $(filter linux-arm64,$(RID)),arm64,amd64)
RPM_ARCH := $(if $(filter linux-arm64,$(RID)),aarch64,x86_64)
# make check on x86-64 also cross-builds the arm64 executables and unit tests and runs them under qemu
# (configure.sh sets ARM64_CHECK=yes there and installs the cross toolchain and qemu-user).
ARM64_CHECK ?= no
ARM64_BIN := build/linux-arm64/bin
ARM64_CORE_TESTS := build/linux-arm64/core-tests
PROGRAMS := mosh mosh-client mosh-server
VERSION := $(shell cat VERSION)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: all publish check check-arm64-build bench server-path compare clean install uninstall deb rpm

all: publish

# Native AOT single-file executables; only the executable itself is copied into build/bin.
publish:
	@mkdir -p $(BIN)
	$(DOTNET) publish src/Mosh.Client/Mosh.Client.csproj -c Release -r $(RID) -o $(PUBLISH)/mosh-client --nologo -v q
	$(DOTNET) publish src/Mosh.Server/Mosh.Server.csproj -c Release -r $(RID) -o $(PUBLISH)/mosh-server --nologo -v q -p:MoshSyslog=$(SYSLOG)
	$(DOTNET) publish src/Mosh.Wrapper/Mosh.Wrapper.csproj -c Release -r $(RID) -o $(PUBLISH)/mosh --nologo -v q
	@for p in $(PROGRAMS); do install -m 0755 $(PUBLISH)/$$p/$$p $(BIN)/$$p; done
	@ls -l $(BIN)

# Builds everything (benchmarks too) and runs every test; ends with "N passed, N failed, N skipped".
check: publish check-arm64-build
	@MOSH_BIN_DIR=$(CURDIR)/$(BIN) MOSH_ARM64_BIN_DIR=$(CURDIR)/$(ARM64_BIN) \
	    MOSH_ARM64_CORE_TESTS=$(CURDIR)/$(ARM64_CORE_TESTS) ARM64_CHECK=$(ARM64_CHECK) build-aux/run-tests.sh

# The arm64 executables (build/linux-arm64/bin) and the core unit tests as a self-contained arm64 program (NUnit's
# own runner, no VSTest host) for make check; a build failure fails the check, a missing toolchain is reported.
check-arm64-build:
	@if [ "$(ARM64_CHECK)" != yes ]; then \
	    echo "arm64 checks: off (./configure.sh turns them on for x86-64 machines)"; \
	elif [ ! -e /usr/lib/aarch64-linux-gnu/libz.a ] || [ ! -e /usr/lib/aarch64-linux-gnu/libc.so ]; then \
	    echo "arm64 checks: no arm64 cross toolchain (./configure.sh as root installs it); arm64 tests will be skipped"; \
	else \
	    $(MAKE) --no-print-directory publish RID=linux-arm64 BIN=$(ARM64_BIN) PUBLISH=build/linux-arm64/publish && \
	    $(DOTNET) publish tests/Mosh.Core.Tests/Mosh.Core.Tests.csproj -c Release -r linux-arm64 -p:MoshSelfTest=true \
	        -o $(ARM64_CORE_TESTS) --nologo -v q; \
	fi

bench:
	$(DOTNET) run -c Release --project benchmarks/Mosh.Benchmarks -- --filter '*' --job short $(BENCH_ARGS)

# The server's per-line cost from pty bytes to sealed datagrams, natively compiled as mosh-server is (the JIT's
# profile-guided code runs it faster than users' binaries do): SERVER_PATH_ARGS="rounds [seq|colour]".
server-path:
	$(DOTNET) publish benchmarks/Mosh.Benchmarks.Aot/Mosh.Benchmarks.Aot.csproj -c Release -r $(RID) -o build/server-path --nologo -v q
	build/server-path/mosh-server-path $(SERVER_PATH_ARGS)

# Whole-process comparison against Debian's mosh 1.4.0 (/usr/bin), side by side; prints a Markdown table.
compare: $(addprefix $(BIN)/,$(PROGRAMS))
	python3 benchmarks/compare-upstream.py $(COMPARE_ARGS)

clean:
	rm -rf build
	$(DOTNET) clean mosh.sln -v q --nologo

# Installation: the three executables, their man pages and the bash completion for mosh.
# PREFIX comes from config.mk (./configure.sh --prefix=DIR); DESTDIR stages into another root.
BINDIR := $(PREFIX)/bin
MAN1DIR := $(PREFIX)/share/man/man1
COMPLETIONDIR := $(PREFIX)/share/bash-completion/completions
MANPAGES := $(addsuffix .1,$(addprefix man/,$(PROGRAMS)))

# Install what build/bin holds; publish only when it is missing.
$(BIN)/mosh $(BIN)/mosh-client $(BIN)/mosh-server:
	$(MAKE) publish

install: $(addprefix $(BIN)/,$(PROGRAMS))
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(addprefix $(BIN)/,$(PROGRAMS)) $(DESTDIR)$(BINDIR)
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MAN1DIR)
	install -m 0644 packaging/bash-completion/mosh $(DESTDIR)$(COMPLETIONDIR)/mosh

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(PROGRAMS))
	rm -f $(addprefix $(DESTDIR)$(MAN1DIR)/,$(addsuffix .1,$(PROGRAMS)))
	rm -f $(DESTDIR)$(COMPLETIONDIR)/mosh

# Debian packages (mosh-server, mosh-client, and the mosh metapackage) into build/packages.
deb: $(addprefix $(BIN)/,$(PROGRAMS))
	packaging/deb/build-debs.sh $(VERSION) $(BIN) build/packages $(DEB_ARCH)

# RPM packages of the same split, from the prebuilt executables (no rebuild inside rpmbuild).
rpm: $(addprefix $(BIN)/,$(PROGRAMS))
	@mkdir -p build/rpm-$(RPM_ARCH) build/packages
	rpmbuild -bb packaging/rpm/mosh.spec --quiet --target $(RPM_ARCH)-linux \
	    --define "_topdir $(CURDIR)/build/rpm-$(RPM_ARCH)" \
	    --define "_rpmdir $(CURDIR)/build/packages" \
	    --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
	    --define "mosh_version $(VERSION)" \
	    --define "mosh_source $(CURDIR)" \
	    --define "mosh_bin $(abspath $(BIN))"
	@ls -l build/packages/*.$(RPM_ARCH).rpm
