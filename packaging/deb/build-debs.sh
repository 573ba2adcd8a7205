#!/bin/sh
# Builds the Debian packages from the prebuilt executables with dpkg-deb:
#   mosh-server  the server alone (for hosts people log in to),
#   mosh-client  the client and the mosh command (needs ssh),
#   mosh         a metapackage that installs both.
# Usage: build-debs.sh VERSION BINDIR OUTDIR [ARCH]    (run from the top of the repository)
# ARCH is the Debian architecture of the executables in BINDIR (amd64, arm64); default: this machine's.
set -eu

version=$1
bindir=$2
outdir=$3
arch=${4:-$(dpkg --print-architecture)}
stage=build/deb-$arch
maintainer="Mosh for .NET authors <mosh-dotnet@users.noreply.github.com>"
# Debian's own mosh package ships the same /usr/bin files in one package.
conflicts="mosh (>= 1.0~)"

rm -rf "$stage"
mkdir -p "$stage" "$outdir"
rm -f "$outdir"/mosh_*_all.deb "$outdir/mosh-client_"*"_$arch.deb" "$outdir/mosh-server_"*"_$arch.deb"

# The C library versions the executables need, as dpkg-shlibdeps computes them.
shlibs_depends() {
    work=$stage/shlibs
    mkdir -p "$work/debian"
    printf 'Source: mosh-dotnet\n\nPackage: mosh-dotnet\nArchitecture: any\n' > "$work/debian/control"
    for f in "$@"; do cp "$f" "$work/"; done
    (cd "$work" && dpkg-shlibdeps -O $(for f in "$@"; do printf -- '-e%s ' "$(basename "$f")"; done) 2>/dev/null) |
        sed -n 's/^shlibs:Depends=//p'
    rm -rf "$work"
}

# Documentation every package carries: copyright and a native-package changelog.
add_docs() {
    pkg=$1
    doc=$stage/$pkg/usr/share/doc/$pkg
    install -d "$doc"
    install -m 0644 packaging/deb/copyright "$doc/copyright"
    {
        printf 'mosh-dotnet (%s) unstable; urgency=medium\n\n' "$version"
        printf '  * Mosh for .NET %s.\n\n' "$version"
        printf ' -- %s  %s\n' "$maintainer" "$(date -R -u -d "@$(git log -1 --format=%ct -- VERSION 2>/dev/null || stat -c %Y VERSION)")"
    } | gzip -9n > "$doc/changelog.gz"
    chmod 0644 "$doc/changelog.gz"
}

add_zlib_override() {
    # zlib is linked into the Native AOT executables on purpose: the product is self-contained executables that
    # need nothing but libc at run time (and the protocol needs zlib's exact output, which upstream also uses).
    pkg=$1; shift
    dir=$stage/$pkg/usr/share/lintian/overrides
    install -d "$dir"
    for program in "$@"; do
        printf '%s: embedded-library zlib [usr/bin/%s]\n' "$pkg" "$program"
    done > "$dir/$pkg"
    chmod 0644 "$dir/$pkg"
}

add_program() {
    pkg=$1
    program=$2
    install -d "$stage/$pkg/usr/bin" "$stage/$pkg/usr/share/man/man1"
    install -m 0755 "$bindir/$program" "$stage/$pkg/usr/bin/$program"
    gzip -9n < "man/$program.1" > "$stage/$pkg/usr/share/man/man1/$program.1.gz"
    chmod 0644 "$stage/$pkg/usr/share/man/man1/$program.1.gz"
}

# ufw's application profile, as Debian's mosh ships it, so `ufw allow mosh` opens the server's UDP ports.
add_ufw_profile() {
    pkg=$1
    install -d "$stage/$pkg/etc/ufw/applications.d"
    install -m 0644 packaging/ufw/mosh "$stage/$pkg/etc/ufw/applications.d/mosh"
}

# Writes DEBIAN/control (fields from the arguments) and DEBIAN/md5sums, then builds the .deb.
finish() {
    pkg=$1
    pkg_arch=$2
    depends=$3
    extra_fields=$4
    description=$5
    install -d "$stage/$pkg/DEBIAN"
    size=$(du -sk --exclude=DEBIAN "$stage/$pkg" | cut -f1)
    {
        printf 'Package: %s\nSource: mosh-dotnet\nVersion: %s\nArchitecture: %s\n' "$pkg" "$version" "$pkg_arch"
        printf 'Maintainer: %s\nInstalled-Size: %s\n' "$maintainer" "$size"
        printf 'Depends: %s\n' "$depends"
        [ -n "$extra_fields" ] && printf '%s\n' "$extra_fields"
        printf 'Section: net\nPriority: optional\nDescription: %s\n' "$description"
    } > "$stage/$pkg/DEBIAN/control"
    (cd "$stage/$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs -r md5sum) \
        > "$stage/$pkg/DEBIAN/md5sums"
    chmod 0644 "$stage/$pkg/DEBIAN/control" "$stage/$pkg/DEBIAN/md5sums"
    # Everything under /etc is a conffile: an administrator's edits survive upgrades.
    if [ -d "$stage/$pkg/etc" ]; then
        (cd "$stage/$pkg" && find etc -type f -printf '/%p\n' | LC_ALL=C sort) > "$stage/$pkg/DEBIAN/conffiles"
        chmod 0644 "$stage/$pkg/DEBIAN/conffiles"
    fi
    if [ -d "packaging/deb/lintian-overrides" ] && [ -f "packaging/deb/lintian-overrides/$pkg" ]; then
        install -d "$stage/$pkg/usr/share/lintian/overrides"
        install -m 0644 "packaging/deb/lintian-overrides/$pkg" "$stage/$pkg/usr/share/lintian/overrides/$pkg"
    fi
    dpkg-deb --root-owner-group -Zxz --build "$stage/$pkg" "$outdir/${pkg}_${version}_${pkg_arch}.deb" >/dev/null
    echo "$outdir/${pkg}_${version}_${pkg_arch}.deb"
}

common_text=' Mosh is a remote terminal that stays connected while the client roams
 between networks or sleeps, and echoes typing locally on slow links. This is
 Mosh for .NET, a wire-compatible reimplementation that works with upstream
 mosh 1.4.0 clients and servers.'

# mosh-server
umask 022
add_program mosh-server mosh-server
add_ufw_profile mosh-server
add_docs mosh-server
add_zlib_override mosh-server mosh-server
# libutempter0 is loaded at run time for utmp entries (quietly skipped when absent), hence Recommends.
finish mosh-server "$arch" "$(shlibs_depends "$bindir/mosh-server")" \
    "Recommends: libutempter0
Conflicts: $conflicts
Replaces: $conflicts" \
    "mobile shell server (Mosh for .NET)
$common_text
 .
 This package holds mosh-server, which the mosh command starts on the remote
 host over ssh. Install it on machines that people log in to."

# mosh-client: the client and the mosh wrapper, which runs ssh.
add_program mosh-client mosh-client
add_program mosh-client mosh
install -d "$stage/mosh-client/usr/share/bash-completion/completions"
install -m 0644 packaging/bash-completion/mosh "$stage/mosh-client/usr/share/bash-completion/completions/mosh"
add_docs mosh-client
add_zlib_override mosh-client mosh-client
finish mosh-client "$arch" "$(shlibs_depends "$bindir/mosh-client" "$bindir/mosh"), openssh-client" \
    "Conflicts: $conflicts
Replaces: $conflicts" \
    "mobile shell client and mosh command (Mosh for .NET)
$common_text
 .
 This package holds mosh, which logs in with ssh and starts the server, and
 mosh-client, which then runs the session."

# mosh: installs both halves.
add_docs mosh
finish mosh all "mosh-client (>= $version), mosh-server (>= $version)" "" \
    "mobile shell (Mosh for .NET) - metapackage
$common_text
 .
 This metapackage installs both mosh-client and mosh-server."
