#!/usr/bin/env bash
# Backup of the content folder with its whole history (git bundle) and of the state folder
# (accounts, the review signing key, waiting edits). Run daily from cron as the pufa user:
#   15 2 * * * /srv/pufa/deploy/backup-content.sh /srv/pufa /var/backups/pufa
# Restore the content: git clone /var/backups/pufa/content-YYYYmmdd.bundle content
# The state archive holds the signing key and password hashes: keep it where only
# administrators can read it.
set -euo pipefail
project="${1:-/srv/pufa}"
dest="${2:-/var/backups/pufa}"
keep_days="${KEEP_DAYS:-60}"
stamp="$(date +%Y%m%d-%H%M%S)"
umask 077
mkdir -p "$dest"

repo="$(git -C "$project/content" rev-parse --show-toplevel)"
# Uncommitted command-line edits are included too: bundle a snapshot commit made on a
# temporary ref, so the repository's own branch and index stay untouched.
snapshot="$(cd "$repo" && tmp_index="$(mktemp)" && GIT_INDEX_FILE="$tmp_index" git read-tree HEAD \
  && GIT_INDEX_FILE="$tmp_index" git add -A -- "$project/content" \
  && tree="$(GIT_INDEX_FILE="$tmp_index" git write-tree)" && rm -f "$tmp_index" \
  && git -c user.name=backup -c user.email=backup@localhost commit-tree "$tree" -p HEAD -m "备份快照 $stamp")"
git -C "$repo" update-ref refs/backup/latest "$snapshot"
git -C "$repo" bundle create "$dest/content-$stamp.bundle" --all
git -C "$repo" bundle verify "$dest/content-$stamp.bundle" >/dev/null

if [ -d "$project/.pufa-state" ]; then
  tar -C "$project" --exclude='.pufa-state/print-preview' --exclude='.pufa-state/overlay-*' \
    -czf "$dest/state-$stamp.tar.gz" .pufa-state
fi

find "$dest" -name 'content-*.bundle' -mtime +"$keep_days" -delete
find "$dest" -name 'state-*.tar.gz' -mtime +"$keep_days" -delete
echo "备份完成：$dest/content-$stamp.bundle"
