#!/usr/bin/env sh
# Install the unpacked Bureau bundle for this user: the program in ~/.local/opt/bureau, a `bureau`
# command in ~/.local/bin, the launcher entry and the icons. Run it from the unpacked folder:
#   tar xzf bureau-*.tar.gz && ./bureau/install.sh
# Your data (tasks, settings, backups) lives elsewhere (~/.local/share/Bureau) and is never touched:
# installing a newer bundle over an older one is an upgrade.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
dest=$prefix/opt/bureau
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications"
if [ "$here" != "$dest" ]; then
    rm -rf "$dest.new"
    cp -a "$here" "$dest.new"
    rm -rf "$dest.old"
    [ -d "$dest" ] && mv "$dest" "$dest.old"
    mv "$dest.new" "$dest"
    rm -rf "$dest.old"
fi
ln -sf "$dest/bureau" "$prefix/bin/bureau"
for png in "$dest"/icons/bureau-*.png; do
    size=$(basename "$png" .png | sed 's/bureau-//')
    mkdir -p "$prefix/share/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$prefix/share/icons/hicolor/${size}x${size}/apps/bureau.png"
done
mkdir -p "$prefix/share/icons/hicolor/scalable/apps"
cp "$dest/icons/bureau.svg" "$prefix/share/icons/hicolor/scalable/apps/bureau.svg"
sed "s|^Exec=.*|Exec=$dest/bureau|" "$dest/bureau.desktop" > "$prefix/share/applications/bureau.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$prefix/share/applications" || true
echo "Bureau is installed: start it from your launcher, or run $prefix/bin/bureau"
