#!/usr/bin/env bash
# Sourced by the install-*.sh scripts: `apt_install NAME PACKAGE...` installs Debian
# packages with apt-get (as root, or through sudo), running `apt-get update` and trying
# again when the first attempt fails; `apt_fail NAME MESSAGE` stops with the packages
# named.  Nothing is downloaded outside apt.

apt_fail() {
    local name=$1
    shift
    echo "error: $*" >&2
    echo "error: install the Debian packages ${APT_PACKAGES:-} yourself, then run $name again" >&2
    exit 1
}

apt_install() {
    local name=$1
    shift
    APT_PACKAGES="$*"
    command -v apt-get >/dev/null 2>&1 || apt_fail "$name" "apt-get not found; $name only knows Debian/Ubuntu"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || apt_fail "$name" "not root and sudo is not available"
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    echo "$name: installing $* with apt-get"
    if ! "${sudo[@]}" apt-get install -y --no-install-recommends "$@"; then
        echo "$name: install failed; running apt-get update and trying again"
        "${sudo[@]}" apt-get update || apt_fail "$name" "apt-get update failed"
        "${sudo[@]}" apt-get install -y --no-install-recommends "$@" || apt_fail "$name" "apt-get install $* failed"
    fi
}
