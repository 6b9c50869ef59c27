#!/bin/sh
# Puts Transcript Player on this user's desktop (Linux, freedesktop.org), and takes it off again:
#
#   sh scripts/install-desktop.sh install LAUNCHER   the launcher entry (Exec=LAUNCHER %f) with the media
#                                                    and transcript types it opens, the icon at every size,
#                                                    the transcript types the MIME database lacks (.sbv, .ttml)
#   sh scripts/install-desktop.sh uninstall          removes all of that
#
# Everything goes under $XDG_DATA_HOME (default ~/.local/share). The desktop's caches are
# refreshed by update-desktop-database, update-mime-database and gtk-update-icon-cache when
# they are there; none is required. Install notes the folders and caches it made in
# transcript-player/desktop-install.txt, so that uninstall leaves the data folder as it found it.
set -eu

ID=transcript-player
HERE=$(cd "$(dirname "$0")/.." && pwd)
RESOURCES="$HERE/resources"

DATA=${XDG_DATA_HOME:-}
case "$DATA" in
  /*) ;;
  *) DATA="$HOME/.local/share" ;;  # unset, empty or relative: the spec says use the default
esac
APPS="$DATA/applications"
HICOLOR="$DATA/icons/hicolor"
MIME="$DATA/mime"
MANIFEST="$DATA/$ID/desktop-install.txt"

say() { echo "install-desktop: $*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# The folders mkdir -p would make for $1, outermost first.
missing_dirs() {
  dir=$1 list=""
  while [ ! -e "$dir" ]; do
    list="$dir
$list"
    dir=$(dirname "$dir")
  done
  printf '%s' "$list"
}

CREATED=""   # what this run made: "dir PATH" / "cache PATH" lines, added to the manifest at the end

make_dir() {
  missing=$(missing_dirs "$1")
  if [ -n "$missing" ]; then
    CREATED="$CREATED$(printf '%s\n' "$missing" | sed 's/^/dir /')
"
  fi
  mkdir -p "$1"
}

note_new() {  # "cache" or "dir" $2 that a desktop tool is about to make: remembered if it is new
  [ -e "$2" ] || CREATED="${CREATED}$1 $2
"
}

# The launcher as one argument of an Exec line: quoted when it needs to be, reserved characters
# escaped for the quoting and again for the string ("Desktop Entry Specification", Exec key).
exec_argument() {
  case "$1" in
    *[!A-Za-z0-9_./+,:=@-]*)
      printf '"%s"' "$(printf '%s' "$1" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')" ;;
    *) printf '%s' "$1" ;;
  esac
}

refresh_caches() {
  if [ -d "$APPS" ] && have update-desktop-database; then
    update-desktop-database -q "$APPS" || say "update-desktop-database failed (the menu may update later)"
  fi
  if [ -d "$MIME/packages" ] && have update-mime-database; then
    update-mime-database "$MIME" >/dev/null || say "update-mime-database failed"
  fi
  if [ -d "$HICOLOR" ] && have gtk-update-icon-cache; then
    touch "$HICOLOR"  # icon themes notice new icons by the folder's time
    gtk-update-icon-cache -q -t -f "$HICOLOR" || say "gtk-update-icon-cache failed"
  fi
}

install_entry() {
  launcher=$1
  case "$launcher" in
    /*) ;;
    *) say "the launcher must be an absolute path: $launcher" >&2; exit 2 ;;
  esac
  if [ ! -x "$launcher" ]; then
    say "no launcher at $launcher: run 'make setup' first" >&2
    exit 2
  fi
  case "$launcher" in
    *'
'*) say "a launcher path with a line break cannot go in a .desktop file" >&2; exit 2 ;;
  esac

  make_dir "$APPS"
  exec_line="Exec=$(exec_argument "$launcher") %f"
  tryexec_line="TryExec=$(printf '%s' "$launcher" | sed 's/\\/\\\\/g')"
  tmp="$APPS/.$ID.desktop.tmp"
  # awk, not sed: the launcher's path may hold any character sed would read as syntax.
  EXEC_LINE=$exec_line TRYEXEC_LINE=$tryexec_line awk '
    /^Exec=/ { print ENVIRON["EXEC_LINE"]; next }
    /^TryExec=/ { print ENVIRON["TRYEXEC_LINE"]; next }
    /^# scripts\/install-desktop.sh/ { next }
    { print }' "$RESOURCES/linux/$ID.desktop" > "$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$APPS/$ID.desktop"

  for png in "$RESOURCES"/icons/hicolor/*/apps/$ID.png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    make_dir "$HICOLOR/$size/apps"
    cp -f "$png" "$HICOLOR/$size/apps/$ID.png"
  done
  make_dir "$HICOLOR/scalable/apps"
  cp -f "$RESOURCES/icons/$ID.svg" "$HICOLOR/scalable/apps/$ID.svg"

  make_dir "$MIME/packages"
  cp -f "$RESOURCES/linux/$ID-mime.xml" "$MIME/packages/$ID.xml"

  have update-desktop-database && note_new cache "$APPS/mimeinfo.cache"
  have gtk-update-icon-cache && note_new cache "$HICOLOR/icon-theme.cache"
  if have update-mime-database; then
    note_new cache "$MIME/mime.cache"
    # It makes a folder per media type and leaves it, empty, when the type goes.
    note_new dir "$MIME/text"
    note_new dir "$MIME/application"
  fi
  refresh_caches

  make_dir "$(dirname "$MANIFEST")"
  printf '%s' "$CREATED" >> "$MANIFEST"
  say "installed $APPS/$ID.desktop (runs $launcher)"
}

made() {  # did install make this ("dir" or "cache", path)?
  [ -f "$MANIFEST" ] && grep -qxF "$1 $2" "$MANIFEST"
}

uninstall_entry() {
  rm -f "$APPS/$ID.desktop" "$MIME/packages/$ID.xml"
  for icon in "$HICOLOR"/*/apps/$ID.png "$HICOLOR"/*/apps/$ID.svg; do
    [ -e "$icon" ] && rm -f "$icon"
  done

  # A cache install made goes (the desktop did without it before: GLib and GTK read the
  # folders themselves when there is none); one that was there before is refreshed.
  if made cache "$APPS/mimeinfo.cache"; then
    rm -f "$APPS/mimeinfo.cache"
  elif [ -d "$APPS" ] && have update-desktop-database; then
    update-desktop-database -q "$APPS" || true
  fi
  if made cache "$HICOLOR/icon-theme.cache"; then
    rm -f "$HICOLOR/icon-theme.cache"
  elif [ -d "$HICOLOR" ] && have gtk-update-icon-cache; then
    gtk-update-icon-cache -q -t -f "$HICOLOR" || true
  fi
  if made dir "$MIME" && [ -z "$(ls -A "$MIME/packages" 2>/dev/null)" ]; then
    rm -rf "$MIME"  # all generated from packages/, which is empty now
  elif [ -d "$MIME/packages" ] && have update-mime-database; then
    update-mime-database "$MIME" >/dev/null || true
  fi

  if [ -f "$MANIFEST" ]; then
    # Folders install made, innermost first; rmdir leaves any that hold something now.
    dirs=$(sed -n 's/^dir //p' "$MANIFEST" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
    rm -f "$MANIFEST"
    printf '%s\n' "$dirs" | while IFS= read -r dir; do
      [ -n "$dir" ] && [ -d "$dir" ] && rmdir "$dir" 2>/dev/null || true
    done
  fi
  say "removed $ID from $DATA"
}

case "${1:-}" in
  install) install_entry "${2:?usage: install-desktop.sh install LAUNCHER}" ;;
  uninstall) uninstall_entry ;;
  *) echo "usage: sh scripts/install-desktop.sh install LAUNCHER | uninstall" >&2; exit 2 ;;
esac
