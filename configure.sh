#!/bin/sh
# Checks what building and testing Mosh for .NET needs, installs what is missing when run as
# root on Debian (apt-get), otherwise prints the exact command; then writes config.mk for make.
set -eu

PREFIX=/usr/local
SYSLOG=false
for arg in "$@"; do
    case "$arg" in
        --prefix=*) PREFIX=${arg#--prefix=} ;;
        --enable-syslog) SYSLOG=true ;;
        --disable-syslog) SYSLOG=false ;;
        --help|-h)
            echo "Usage: ./configure.sh [--prefix=DIR] [--enable-syslog]"
            echo "--enable-syslog: mosh-server logs session begin, connections and end to syslog (as upstream's option)."
            echo "Checks the .NET 10 SDK, the Native AOT toolchain (clang, lld, zlib headers) and the test"
            echo "tools (openssh-server, Debian's mosh, tmux, ...); installs missing Debian packages as root."
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
unicode-data:/usr/share/unicode/UnicodeData.txt vim-tiny:/usr/bin/vim.tiny less:/usr/bin/less \
ncurses-term:/usr/share/terminfo/x/xterm-256color ncurses-base:/usr/share/terminfo/x/xterm \
locales:/usr/bin/locale man-db:/usr/bin/man lintian:/usr/bin/lintian rpm:/usr/bin/rpmbuild \
dpkg-dev:/usr/bin/dpkg-architecture iproute2:/usr/sbin/ip procps:/usr/bin/ps python3:/usr/bin/python3"
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

# A UTF-8 locale is needed by mosh (ours and upstream's); C.UTF-8 ships with glibc.
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || fail "the C.UTF-8 locale is missing"

cat > config.mk <<MK
# Written by configure.sh; read by Makefile.
PREFIX = $PREFIX
DOTNET = $(command -v dotnet)
RID = linux-x64
SYSLOG = $SYSLOG
MK
echo "configure.sh: wrote config.mk (PREFIX=$PREFIX)"
