#!/bin/sh
# Checks what building and testing Mosh for .NET needs, installs what is missing when run as
# root on Debian (apt-get), otherwise prints the exact command; then writes config.mk for make.
set -eu

PREFIX=/usr/local
SYSLOG=false
# The machine's own runtime identifier; --rid names another to cross-build for.
case "$(uname -m)" in
    aarch64|arm64) HOST_RID=linux-arm64 ;;
    *) HOST_RID=linux-x64 ;;
esac
RID=$HOST_RID
# On x86-64 the arm64 cross toolchain and qemu are set up too, so `make check` can build and run the arm64
# executables and tests; --disable-arm64-check skips that.
ARM64_CHECK=$([ "$HOST_RID" = linux-x64 ] && echo yes || echo no)
for arg in "$@"; do
    case "$arg" in
        --prefix=*) PREFIX=${arg#--prefix=} ;;
        --enable-syslog) SYSLOG=true ;;
        --disable-syslog) SYSLOG=false ;;
        --rid=linux-x64|--rid=linux-arm64) RID=${arg#--rid=} ;;
        --rid=*) echo "configure.sh: --rid must be linux-x64 or linux-arm64" >&2; exit 2 ;;
        --disable-arm64-check) ARM64_CHECK=no ;;
        --help|-h)
            echo "Usage: ./configure.sh [--prefix=DIR] [--enable-syslog] [--rid=linux-x64|linux-arm64] [--disable-arm64-check]"
            echo "--enable-syslog: mosh-server logs session begin, connections and end to syslog (as upstream's option)."
            echo "Checks the .NET 10 SDK, the Native AOT toolchain (clang, lld, zlib headers) and the test"
            echo "tools (openssh-server, Debian's mosh, tmux, ...); installs missing Debian packages as root."
            echo "--rid=linux-arm64: make builds (and packages) the executables for aarch64; on an x86-64 machine this"
            echo "  is a cross build (arm64 multiarch libc and zlib). A native build on ARM64 needs no option."
            echo "On x86-64, also sets up the arm64 cross build and qemu-user (binfmt_misc) so make check runs the"
            echo "arm64 executables and unit tests under emulation; --disable-arm64-check skips that."
            exit 0 ;;
        *) echo "configure.sh: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

fail() { echo "configure.sh: $*" >&2; exit 1; }

# .NET 10 SDK
command -v dotnet >/dev/null 2>&1 || fail "the .NET 10 SDK is required (dotnet not found on PATH)"
sdk_major=$(dotnet --version 2>/dev/null | cut -d. -f1)
[ "${sdk_major:-0}" -ge 10 ] || fail "the .NET 10 SDK is required (found $(dotnet --version 2>/dev/null || echo none))"
echo "checking for the .NET SDK... $(dotnet --version)"

# Debian packages: the AOT link, then what the tests drive (sshd, upstream mosh 1.4.0, tmux, ...).
# Each entry is package:probe-file.
needed="clang:/usr/bin/clang lld:/usr/bin/ld.lld zlib1g-dev:/usr/include/zlib.h \
openssh-server:/usr/sbin/sshd openssh-client:/usr/bin/ssh mosh:/usr/bin/mosh-server tmux:/usr/bin/tmux \
unicode-data:/usr/share/unicode/UnicodeData.txt vim-tiny:/usr/bin/vim.tiny less:/usr/bin/less htop:/usr/bin/htop \
ncurses-term:/usr/share/terminfo/x/xterm-256color ncurses-base:/usr/share/terminfo/x/xterm \
locales:/usr/bin/locale man-db:/usr/bin/man lintian:/usr/bin/lintian rpm:/usr/bin/rpmbuild \
dpkg-dev:/usr/bin/dpkg-architecture iproute2:/usr/sbin/ip procps:/usr/bin/ps python3:/usr/bin/python3 \
ufw:/usr/sbin/ufw"
missing=""
for entry in $needed; do
    pkg=${entry%%:*}; probe=${entry#*:}
    if [ -e "$probe" ]; then
        echo "checking for $pkg... yes"
    else
        echo "checking for $pkg... no"
        missing="$missing $pkg"
    fi
done

if [ -n "$missing" ]; then
    cmd="apt-get install -y --no-install-recommends$missing"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq || true
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >/dev/null || fail "apt-get failed; run: $cmd"
    else
        fail "missing packages; as root run: $cmd"
    fi
fi

# The arm64 cross build (Debian multiarch) and qemu-user to run its results here. Needed for --rid=linux-arm64 on
# x86-64, and for make check's arm64 tests.
cross_needed=no
[ "$RID" = linux-arm64 ] && [ "$HOST_RID" != linux-arm64 ] && cross_needed=yes
[ "$ARM64_CHECK" = yes ] && cross_needed=yes
if [ "$cross_needed" = yes ]; then
    cross="libc6-dev:arm64:/usr/lib/aarch64-linux-gnu/libc.so zlib1g-dev:arm64:/usr/lib/aarch64-linux-gnu/libz.a \
libgcc-12-dev:arm64:/usr/lib/gcc/aarch64-linux-gnu/12/libgcc.a qemu-user-static:/usr/bin/qemu-aarch64-static \
binfmt-support:/usr/sbin/update-binfmts"
    cross_missing=""
    for entry in $cross; do
        probe=${entry##*:}; pkg=${entry%:*}
        if [ -e "$probe" ]; then
            echo "checking for $pkg... yes"
        else
            echo "checking for $pkg... no"
            cross_missing="$cross_missing $pkg"
        fi
    done
    if [ -n "$cross_missing" ]; then
        cmds="dpkg --add-architecture arm64 && apt-get update && apt-get install -y --no-install-recommends$cross_missing"
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "installing:$cross_missing"
            export DEBIAN_FRONTEND=noninteractive
            dpkg --add-architecture arm64
            apt-get update -qq || true
            # shellcheck disable=SC2086
            apt-get install -y -qq --no-install-recommends $cross_missing >/dev/null \
                || fail "apt-get failed; run: $cmds"
        elif [ "$RID" = linux-arm64 ]; then
            fail "the arm64 cross build needs packages; as root run: $cmds"
        else
            echo "configure.sh: the arm64 checks need packages; as root run: $cmds"
            echo "configure.sh: until then make check skips the arm64 tests (and says so)"
        fi
    fi
    # qemu runs aarch64 executables transparently only through binfmt_misc (mosh-server re-executes itself to
    # detach, so running it as `qemu-aarch64-static mosh-server` is not enough).
    if [ -e /usr/bin/qemu-aarch64-static ]; then
        if [ ! -e /proc/sys/fs/binfmt_misc/status ] && [ "$(id -u)" = 0 ]; then
            mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
        fi
        if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] && [ "$(id -u)" = 0 ] && command -v update-binfmts >/dev/null; then
            update-binfmts --enable qemu-aarch64 2>/dev/null || true
        fi
        if [ "$(head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null)" = enabled ]; then
            echo "checking whether aarch64 executables run here (qemu-user, binfmt_misc)... yes"
        else
            echo "checking whether aarch64 executables run here (qemu-user, binfmt_misc)... no"
            echo "configure.sh: as root run: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-aarch64"
            echo "configure.sh: until then make check skips the arm64 tests that run code (and says so)"
        fi
    fi
fi

# A UTF-8 locale is needed by mosh (ours and upstream's); C.UTF-8 ships with glibc.
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || fail "the C.UTF-8 locale is missing"

cat > config.mk <<MK
# Written by configure.sh; read by Makefile.
PREFIX = $PREFIX
DOTNET = $(command -v dotnet)
RID = $RID
ARM64_CHECK = $ARM64_CHECK
SYSLOG = $SYSLOG
MK
echo "configure.sh: wrote config.mk (PREFIX=$PREFIX, RID=$RID)"
