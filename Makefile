# Top-level build. Run ./configure.sh first: it writes config.mk.
-include config.mk

PREFIX ?= /usr/local
DESTDIR ?=
DOTNET ?= dotnet
RID ?= linux-x64
BIN := build/bin
PROGRAMS := mosh mosh-client mosh-server
VERSION := $(shell cat VERSION)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: all publish check test-core test-e2e bench clean install uninstall

all: publish

# Native AOT single-file executables; only the executable itself is copied into build/bin.
publish:
	@mkdir -p $(BIN)
	$(DOTNET) publish src/Mosh.Client/Mosh.Client.csproj -c Release -r $(RID) -o build/publish/mosh-client --nologo -v q
	$(DOTNET) publish src/Mosh.Server/Mosh.Server.csproj -c Release -r $(RID) -o build/publish/mosh-server --nologo -v q
	$(DOTNET) publish src/Mosh.Wrapper/Mosh.Wrapper.csproj -c Release -r $(RID) -o build/publish/mosh --nologo -v q
	@for p in $(PROGRAMS); do install -m 0755 build/publish/$$p/$$p $(BIN)/$$p; done
	@ls -l $(BIN)

# Every test, unit and end-to-end; ends with "N passed, N failed".
check: publish
	@MOSH_BIN_DIR=$(CURDIR)/$(BIN) build-aux/run-tests.sh

bench:
	$(DOTNET) run -c Release --project benchmarks/Mosh.Benchmarks -- --filter '*' --job short $(BENCH_ARGS)

clean:
	rm -rf build
	$(DOTNET) clean mosh.sln -v q --nologo
