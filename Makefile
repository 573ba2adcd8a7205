# Top-level build. Run ./configure.sh first: it writes config.mk.
-include config.mk

PREFIX ?= /usr/local
DESTDIR ?=
DOTNET ?= dotnet
RID ?= linux-x64
SYSLOG ?= false
BIN := build/bin
PROGRAMS := mosh mosh-client mosh-server
VERSION := $(shell cat VERSION)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: all publish check bench compare clean install uninstall deb rpm

all: publish

# Native AOT single-file executables; only the executable itself is copied into build/bin.
publish:
	@mkdir -p $(BIN)
	$(DOTNET) publish src/Mosh.Client/Mosh.Client.csproj -c Release -r $(RID) -o build/publish/mosh-client --nologo -v q
	$(DOTNET) publish src/Mosh.Server/Mosh.Server.csproj -c Release -r $(RID) -o build/publish/mosh-server --nologo -v q -p:MoshSyslog=$(SYSLOG)
	$(DOTNET) publish src/Mosh.Wrapper/Mosh.Wrapper.csproj -c Release -r $(RID) -o build/publish/mosh --nologo -v q
	@for p in $(PROGRAMS); do install -m 0755 build/publish/$$p/$$p $(BIN)/$$p; done
	@ls -l $(BIN)

# Builds everything (benchmarks too) and runs every test; ends with "N passed, N failed, N skipped".
check: publish
	@MOSH_BIN_DIR=$(CURDIR)/$(BIN) build-aux/run-tests.sh

bench:
	$(DOTNET) run -c Release --project benchmarks/Mosh.Benchmarks -- --filter '*' --job short $(BENCH_ARGS)

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
	packaging/deb/build-debs.sh $(VERSION) $(BIN) build/packages

# RPM packages of the same split, from the prebuilt executables (no rebuild inside rpmbuild).
rpm: $(addprefix $(BIN)/,$(PROGRAMS))
	@mkdir -p build/rpm build/packages
	rpmbuild -bb packaging/rpm/mosh.spec --quiet \
	    --define "_topdir $(CURDIR)/build/rpm" \
	    --define "_rpmdir $(CURDIR)/build/packages" \
	    --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
	    --define "mosh_version $(VERSION)" \
	    --define "mosh_source $(CURDIR)" \
	    --define "mosh_bin $(abspath $(BIN))"
	@ls -l build/packages/*.rpm
