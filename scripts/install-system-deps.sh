#!/bin/sh
# Installs the Debian/Ubuntu packages the app and its tests need, if any is missing:
# libVLC and its plugins, the libraries Qt's xcb platform loads, Xvfb for headless
# tests, python3-venv, and desktop-file-utils (`make install` refreshes the launcher
# menu with it; a test validates the .desktop entry). Elsewhere it only says what to install.
set -eu

PACKAGES="libvlc5 vlc-plugin-base vlc-plugin-video-output
 libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
 xvfb xauth python3-venv desktop-file-utils"

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not a Debian-like system: install VLC (libVLC 3) yourself; see README.md." >&2
  exit 0
fi

missing=""
for package in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $package" ;;
  esac
done
[ -z "$missing" ] && exit 0

echo "Installing system packages:$missing"
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Please install them as root: apt-get install$missing" >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
