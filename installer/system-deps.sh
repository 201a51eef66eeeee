#!/usr/bin/env bash
# Debian packages Qt needs (offscreen tests, and a real window under Xvfb for screenshots).
# Installs only what is missing; does nothing where apt-get is absent or we are not root.
set -euo pipefail
pkgs=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
      xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
      libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0
      xdotool imagemagick)  # the last two: bench/gui_session.py drives the real window and takes pictures
command -v apt-get >/dev/null 2>&1 || exit 0
[ "$(id -u)" = 0 ] || { echo "system-deps: not root; install these if Qt fails to start: ${pkgs[*]}" >&2; exit 0; }
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "system-deps: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
