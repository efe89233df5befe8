#!/usr/bin/env bash
# Install psoas companion on a Raspberry Pi (Raspberry Pi OS, Debian or Ubuntu; any Pi, the Zero W
# too), from a clone:
#
#   sudo ./install.sh [--nightly | --always-on] [--web] [--no-apt]   install; after `git pull`: upgrade
#   sudo ./install.sh --uninstall [--purge]     remove it (--purge: the history and config too)
#
# Steps: check the system (root, Python >= 3.11), the setup with the system's Python (the options,
# the config, the screen's bus: I2C enabled?) before anything slow, the apt packages (each on
# its own: the compiled libraries come from apt where the OS has them), a venv in
# /opt/psoas-companion that sees them, the project into it from binary wheels only (nothing is
# compiled on the Pi; lgpio from its wheel where apt has none), /usr/local/bin/psoas,
# `psoas install` (the systemd units, the service restarted), then `psoas doctor`. One line per
# step; a failing step says what failed and the fix, and the script stops (exit 1; 2 for a
# wrong option). Safe to run again.
set -euo pipefail

APP=psoas-companion
VENV_DIR=/opt/$APP                 # as the installed system sees it (inside --root)
LINK_PATH=/usr/local/bin/psoas
# venv; the compiled libraries (Pillow, cbor2 for luma.core, MarkupSafe for Flask, lgpio for
# gpiozero), so pip builds nothing; i2cdetect. Each is checked and installed on its own.
APT_PACKAGES=(python3-venv python3-pil python3-cbor2 python3-markupsafe python3-lgpio i2c-tools)
PYTHON=${PYTHON:-/usr/bin/python3} # the system Python: the apt packages are installed for it
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    cat <<EOF
usage: sudo ./install.sh [--nightly | --always-on] [--web] [--no-apt] [--root DIR]
       sudo ./install.sh --uninstall [--purge] [--root DIR]

  --nightly    start at bedtime by a timer and stop after the night, instead of always on
  --always-on  always on (the first install's default); without either, an upgrade keeps the mode
  --web        also serve the phone page on the home network (\`psoas install --web\`)
  --no-apt     skip the apt packages (${APT_PACKAGES[*]});
               install python3-venv yourself, and pip takes binary wheels where it can
  --uninstall  remove the units, the venv and the link; keep the history and the config
  --purge      --uninstall, and remove the history, the config and the psoas user too
  --root DIR   for tests: put every file under DIR (apt-get, systemctl, useradd still run here)
EOF
}

ROOT=""
MODE=""
APT=1
UNINSTALL=0
PURGE=0
PSOAS_OPTIONS=()
while (($#)); do
    case $1 in
        --nightly) MODE=nightly ;;
        --always-on) MODE=always-on ;;
        --web) PSOAS_OPTIONS+=("$1") ;;
        --no-apt) APT=0 ;;
        --uninstall) UNINSTALL=1 ;;
        --purge) UNINSTALL=1 PURGE=1 ;;
        --root)
            [[ $# -ge 2 && -n $2 ]] || { echo "install.sh: --root needs a directory (see ./install.sh --help)" >&2; exit 2; }
            ROOT=${2%/}
            shift
            ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see ./install.sh --help)" >&2; exit 2 ;;
    esac
    shift
done

VENV=$ROOT$VENV_DIR
LINK=$ROOT$LINK_PATH
UNITS=$ROOT/etc/systemd/system
MODE_KEPT=""
if [[ -z $MODE && -e $UNITS/$APP-nightly.timer ]]; then  # an upgrade keeps the mode installed
    MODE=nightly MODE_KEPT=1
elif [[ -z $MODE && -e $UNITS/$APP.service ]]; then
    MODE=always-on MODE_KEPT=1
fi
[[ $MODE == nightly ]] && PSOAS_OPTIONS=(--nightly "${PSOAS_OPTIONS[@]}")
LOG=$(mktemp "${TMPDIR:-/tmp}/psoas-install.XXXXXX")
BUILD=""
cleanup() {
    if [[ -n $BUILD ]]; then rm -rf "$BUILD"; fi
}
trap cleanup EXIT

STEP_START=0  # the log's length when the step began: what it wrote comes after
ok() {
    printf 'ok    %s\n' "$1"
    STEP_START=$(wc -l <"$LOG")
}

# fail WHAT FIX: one line with the last line the step wrote (if any), the fix, and the log.
fail() {
    local detail
    detail=$(sed -n "$((STEP_START + 1)),\$p" "$LOG" | grep -v '^[[:space:]]*$' | tail -n 1 || true)
    if [[ -n $detail ]]; then
        printf 'FAIL  %s: %s; %s (all output: %s)\n' "$1" "$detail" "$2" "$LOG" >&2
    else
        printf 'FAIL  %s; %s\n' "$1" "$2" >&2
        rm -f "$LOG"
    fi
    exit 1
}

# quiet COMMAND...: run it with its output in the log; its status is returned.
quiet() {
    STEP_START=$(wc -l <"$LOG")
    "$@" >>"$LOG" 2>&1
}

psoas_root_option=()
[[ -n $ROOT ]] && psoas_root_option=(--root "$ROOT")

check_root() {
    if [[ $(id -u) != 0 ]]; then
        fail "root: install.sh changes system files" "run it as root: sudo ./install.sh"
    fi
}

check_system() {
    local version board=""
    MACHINE=$(uname -m)
    case $MACHINE in
        armv6*) board=" (Pi Zero / Zero W / Pi 1)" ;;
        armv7* | armv8l) board=" (32-bit)" ;;
        aarch64 | arm64) board=" (64-bit)" ;;
    esac
    if [[ ! -x $PYTHON ]]; then
        fail "python: $PYTHON not found" "install Raspberry Pi OS Bookworm (it has Python 3.11), or set PYTHON=/path/to/python3"
    fi
    version=$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        fail "python: $PYTHON is $version, too old" "psoas needs Python 3.11 or newer: Raspberry Pi OS Bookworm"
    fi
    ok "system: $MACHINE$board, Python $version"
}

check_mode() {
    if [[ $MODE == nightly ]]; then
        ok "mode: nightly, started at bedtime by a timer${MODE_KEPT:+ (as installed; --always-on to change)}"
    else
        ok "mode: always on${MODE_KEPT:+ (as installed; --nightly to change)}"
    fi
}

# The options for psoas install, the config and the screen's bus (I2C enabled? the fix that fits
# this OS), checked by the clone's own code with the system's Python: first, before minutes of
# apt and pip on a Pi Zero. It needs nothing but Python's standard library.
check_setup() {
    if ! (cd / && PYTHONPATH=$SRC PYTHONDONTWRITEBYTECODE=1 "$PYTHON" -m device.setup.preflight \
        --root "${ROOT:-/}" -- "${PSOAS_OPTIONS[@]}"); then
        rm -f "$LOG"
        exit 1
    fi
}

# apt_installed PACKAGE...: those of them that are installed (not only known), one a line.
apt_installed() {
    dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null | awk '$NF == "installed" { print $1 }'
}

# apt_candidates PACKAGE...: those of them apt can install (it knows a version), one a line.
apt_candidates() {
    apt-cache policy "$@" 2>/dev/null |
        awk '/^[^ ].*:$/ { name = substr($0, 1, length($0) - 1) } $1 == "Candidate:" && $2 != "(none)" { print name }'
}

# The apt packages, each checked on its own, so one this OS lacks (python3-lgpio outside
# Raspberry Pi OS) does not keep the others out: those not installed yet that apt knows are
# installed in one go (each on its own if that fails); the package lists are updated once,
# when one is not known. Slow on a Pi Zero, so apt is asked as few times as that allows.
APT_MISSING=()
apt_packages() {
    if ((!APT)); then
        ok "apt: skipped (--no-apt)"
        return
    fi
    export DEBIAN_FRONTEND=noninteractive
    local package update_failed=0 installed=() present=() wanted=() known=()
    mapfile -t installed < <(apt_installed "${APT_PACKAGES[@]}")
    for package in "${APT_PACKAGES[@]}"; do
        [[ " ${installed[*]} " == *" $package "* ]] || wanted+=("$package")
    done
    if ((${#wanted[@]})); then
        mapfile -t known < <(apt_candidates "${wanted[@]}")
        if ((${#known[@]} < ${#wanted[@]})); then
            quiet apt-get update || update_failed=1
            mapfile -t known < <(apt_candidates "${wanted[@]}")
        fi
        if ((${#known[@]})) && ! quiet apt-get install -y --no-install-recommends "${known[@]}"; then
            for package in "${known[@]}"; do
                quiet apt-get install -y --no-install-recommends "$package" || true
            done
        fi
        mapfile -t installed < <(apt_installed "${APT_PACKAGES[@]}")
    fi
    for package in "${APT_PACKAGES[@]}"; do
        if [[ " ${installed[*]} " == *" $package "* ]]; then present+=("$package"); else APT_MISSING+=("$package"); fi
    done
    if ((${#present[@]})); then ok "apt: ${present[*]}"; fi
    for package in "${APT_MISSING[@]}"; do
        if ((update_failed)); then
            skip "apt: $package not installed (apt-get update failed: check the network)"
        elif [[ " ${known[*]} " == *" $package "* ]]; then
            skip "apt: $package did not install (see: sudo apt-get install $package)$(apt_instead "$package")"
        else
            skip "apt: $package is not in this system's apt$(apt_instead "$package")"
        fi
    done
}

# apt_instead PACKAGE: what takes the place of a package apt does not have.
apt_instead() {
    case $1 in
        python3-venv) echo "; install it (the venv needs it)" ;;
        python3-lgpio) echo "; pip installs lgpio's wheel instead" ;;
        i2c-tools) echo " (only for i2cdetect)" ;;
        python3-*) echo "; pip installs ${1#python3-}'s wheel instead" ;;
    esac
}

skip() {
    printf 'skip  %s\n' "$1"
    STEP_START=$(wc -l <"$LOG")
}

make_venv() {
    if [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
        ok "venv: $VENV_DIR (kept)"
        return
    fi
    rm -rf "$VENV"
    quiet "$PYTHON" -m venv --system-site-packages "$VENV" ||
        fail "venv: creating $VENV_DIR" "install python3-venv (sudo apt install python3-venv), then run install.sh again"
    ok "venv: $VENV_DIR (created; it sees the system's Python packages from apt)"
}

# apt_name DISTRIBUTION: Debian's package of a Python distribution (Pillow is python3-pil).
apt_name() {
    local name=${1,,}
    [[ $name == pillow ]] && name=pil
    echo "python3-$name"
}

# pip_fix: the fix for a failed pip install, from what pip said: a missing wheel (never
# compiled here), or the network.
pip_fix() {
    local said missing platform
    said=$(sed -n "$((STEP_START + 1)),\$p" "$LOG")
    platform=$("$VENV/bin/python" -c 'import sysconfig, sys; print("%s, Python %d.%d" % (sysconfig.get_platform(), *sys.version_info[:2]))')
    if grep -qiE 'NewConnectionError|Temporary failure in name resolution|Network is unreachable|Max retries exceeded|Could not fetch URL|ReadTimeoutError|SSLError' <<<"$said"; then
        echo "pip could not reach its index: check the network, then run install.sh again"
        return
    fi
    missing=$(grep -oE 'No matching distribution found for [^ ]+' <<<"$said" | tail -n 1 | cut -d' ' -f6 || true)
    missing=${missing%%[<>=!~;]*}
    if [[ -n $missing ]]; then
        echo "no binary wheel of $missing for this system ($platform), and install.sh compiles nothing: install $(apt_name "$missing") with apt, or see README: Install on a Raspberry Pi"
        return
    fi
    echo "see the log; then run install.sh again"
}

# The project from a copy of the clone, so the clone gets no root-owned build files; every
# dependency apt did not supply from a binary wheel (--only-binary: nothing is compiled).
install_project() {
    local version
    BUILD=$(mktemp -d "${TMPDIR:-/tmp}/psoas-build.XXXXXX")
    tar -C "$SRC" --exclude=./.git --exclude=./.venv --exclude=./build --exclude='*.egg-info' \
        --exclude=__pycache__ --exclude=.pytest_cache -cf - . | tar -C "$BUILD" -xf -
    quiet "$VENV/bin/python" -m pip install --only-binary=:all: --upgrade "$BUILD" ||
        fail "pip: installing $APP into $VENV_DIR" "$(pip_fix)"
    version=$("$VENV/bin/python" -c "from importlib.metadata import version; print(version('$APP'))")
    ok "package: $APP $version in $VENV_DIR"
}

# gpiozero's pins on a Pi: the apt python3-lgpio, else lgpio's binary wheel. Not on other machines.
install_lgpio() {
    [[ $MACHINE == arm* || $MACHINE == aarch64 ]] || return 0
    if ((APT)) && [[ " ${APT_MISSING[*]} " != *" python3-lgpio "* ]]; then return 0; fi  # apt has it
    if ((!APT)) && "$VENV/bin/python" -c 'import lgpio' >/dev/null 2>&1; then return 0; fi
    if quiet "$VENV/bin/python" -m pip install --only-binary=:all: lgpio; then
        ok "lgpio: $("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("lgpio"))') from its wheel (no python3-lgpio from apt)"
    else
        skip "lgpio: $(pip_fix); without it the button and haptics have no pins (psoas doctor says so)"
    fi
}

link_command() {
    mkdir -p "$(dirname "$LINK")"
    ln -sfn "$VENV_DIR/bin/psoas" "$LINK"
    ok "command: $LINK_PATH -> $VENV_DIR/bin/psoas"
}

config_option=()
find_config() {
    if [[ -n $ROOT && -f $ROOT/etc/$APP/config.toml ]]; then
        config_option=(--config "$ROOT/etc/$APP/config.toml")
    fi
}

install_units() {
    if ! quiet "$VENV/bin/psoas" install "${psoas_root_option[@]}" "${config_option[@]}" "${PSOAS_OPTIONS[@]}"; then
        fail "service: psoas install" "fix that, then run install.sh again"
    fi
    local phone_page
    phone_page=$(sed -n "$((STEP_START + 1)),\$p" "$LOG" | grep -m 1 '^phone page: ' || true)
    if [[ $MODE == nightly ]]; then
        ok "service: nightly, $APP-nightly.timer enabled (next start: systemctl list-timers $APP-nightly.timer)"
    else
        ok "service: always on, $APP.service enabled and (re)started"
    fi
    if [[ -n $phone_page ]]; then ok "$phone_page"; fi
}

doctor() {
    echo "psoas doctor:"
    if "$VENV/bin/psoas" doctor "${config_option[@]}"; then
        echo "installed. Logs: journalctl -u $APP -f; settings: /etc/$APP/config.toml (README)"
    else
        echo "installed, but psoas doctor found a problem: fix the first FAIL above, then run psoas doctor again"
    fi
}

uninstall() {
    local unit units=()
    if [[ -x $VENV/bin/psoas ]]; then
        quiet "$VENV/bin/psoas" uninstall "${psoas_root_option[@]}" ||
            fail "service: psoas uninstall" \
                "remove the units by hand: sudo systemctl disable --now $APP $APP-nightly.timer $APP-web"
    else  # no venv left to ask: remove whatever units are there
        for unit in "$APP.service" "$APP-nightly.service" "$APP-nightly.timer" "$APP-web.service"; do
            [[ -e $UNITS/$unit ]] || continue
            quiet systemctl disable --now "$unit" || true
            rm -f "$UNITS/$unit"
            units+=("$unit")
        done
        if ((${#units[@]})); then quiet systemctl daemon-reload || true; fi
    fi
    ok "service: units removed"
    rm -rf "$VENV"
    ok "venv: $VENV_DIR removed"
    if [[ -L $LINK && $(readlink "$LINK") == "$VENV_DIR/bin/psoas" ]]; then
        rm -f "$LINK"
    fi
    ok "command: $LINK_PATH removed"
    if ((PURGE)); then
        rm -rf "$ROOT/var/lib/${APP:?}" "$ROOT/etc/${APP:?}" "$UNITS/$APP.service.d" "$UNITS/$APP-nightly.service.d" \
            "$UNITS/$APP-web.service.d"
        if [[ -z $ROOT ]] && getent passwd psoas >/dev/null; then
            quiet userdel psoas || fail "userdel psoas" "remove the user by hand: sudo userdel psoas"
        fi
        ok "purged: the history (/var/lib/$APP), the config (/etc/$APP) and the psoas user"
    else
        ok "kept: the history in /var/lib/$APP and the config in /etc/$APP (to remove them: sudo ./install.sh --purge)"
    fi
}

check_root
if ((UNINSTALL)); then
    uninstall
else
    check_system
    check_mode
    check_setup
    apt_packages
    make_venv
    install_project
    install_lgpio
    link_command
    find_config
    install_units
    rm -f "$LOG"
    doctor
    exit 0
fi
rm -f "$LOG"
