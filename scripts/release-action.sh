#!/usr/bin/env bash
# Makes the commit a workflow's `uses: <owner>/ai-gaps@v1` runs: this commit's files plus the bundled
# action (dist-action/, built here), on the branch named by $1 (default v1). Nothing is pushed.
#   scripts/release-action.sh v1 && git push origin v1
set -euo pipefail
cd "$(dirname "$0")/.."
branch="${1:-v1}"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "release-action: commit or stash your changes first (the release is built from HEAD)" >&2
  exit 2
fi
npx tsx scripts/build-action.ts >/dev/null
index="$(mktemp)"
trap 'rm -f "$index"' EXIT
export GIT_INDEX_FILE="$index"
git read-tree HEAD
git add -f dist-action
tree="$(git write-tree)"
unset GIT_INDEX_FILE
parents=(-p HEAD)
if previous="$(git rev-parse --verify --quiet "refs/heads/$branch")"; then parents=(-p "$previous" -p HEAD); fi
commit="$(git commit-tree "$tree" "${parents[@]}" -m "Action bundle of $(git rev-parse --short HEAD)")"
git update-ref "refs/heads/$branch" "$commit"
echo "$branch -> $commit (push it: git push origin $branch)"
