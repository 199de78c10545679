#!/usr/bin/env bash
# Proves that the build stage of each container recipe works, without a Docker engine (CI machines have none).
#
#   bash infra/check-dockerfile.sh [infra/Dockerfile infra/Dockerfile.simulator]
#
# For each Dockerfile it replays the stage named "build" (else the first stage) in a scratch folder: the build
# context is the repository's files minus .gitignore'd build output and minus .dockerignore; each COPY copies
# exactly what it names, in order; WORKDIR and absolute paths in RUN commands (e.g. -o /app) are mapped into the
# scratch folder; each RUN dotnet ... runs there. So a project reference that the restore layer does not copy
# fails here as it would in `docker build` (NETSDK1004 on publish --no-restore). It then checks that what the
# final stage copies --from=build exists, and that the ENTRYPOINT's dll was published.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

fail() { echo "check-dockerfile: $*" >&2; exit 1; }

# Docker-ish .dockerignore matching, enough for the patterns used here: "dir/", "name", "**/dir/", "**/*.ext".
# A path is ignored when it, or one of its parent folders, matches a pattern.
ignore_patterns=()
if [ -f .dockerignore ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%#*}"; line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
    [ -n "$line" ] || continue
    [[ "$line" == !* ]] && fail ".dockerignore exceptions (!pattern) are not supported by this check; extend it"
    line="${line#/}"; line="${line%/}"
    ignore_patterns+=("$line")
  done < .dockerignore
fi

is_ignored() {
  local path="$1" prefix="" part pattern
  local IFS=/
  for part in $path; do
    prefix="${prefix:+$prefix/}$part"
    for pattern in "${ignore_patterns[@]}"; do
      # shellcheck disable=SC2053 # the pattern is a glob on purpose
      if [[ "$prefix" == $pattern ]] || { [[ "$pattern" == '**/'* ]] && [[ "$prefix" == ${pattern#'**/'} ]]; }; then
        return 0
      fi
    done
  done
  return 1
}

# Joins continuation lines and drops comments: one instruction per output line.
instructions() {
  local line joined=""
  while IFS= read -r line || [ -n "$line" ]; do
    [[ -z "$joined" && "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    if [[ "$line" =~ \\[[:space:]]*$ ]]; then
      joined+="${line%\\*} "
      continue
    fi
    printf '%s\n' "$joined$line"
    joined=""
  done < "$1"
}

# An absolute container path, mapped into the scratch folder's root.
container_path() { # $1 path, $2 workdir
  case "$1" in
    /*) printf '%s%s' "$root" "$1" ;;
    *) printf '%s/%s' "$2" "$1" ;;
  esac
}

check_dockerfile() {
  local dockerfile="$1"
  [ -f "$dockerfile" ] || fail "$dockerfile not found"
  echo "== $dockerfile"

  local scratch; scratch="$(mktemp -d)"
  scratches+=("$scratch")
  local context="$scratch/context"
  root="$scratch/root"
  mkdir -p "$context" "$root"

  # The build context: files git knows (tracked or new, not ignored), minus .dockerignore.
  local file count=0
  while IFS= read -r -d '' file; do
    [ -e "$file" ] || continue
    is_ignored "$file" && continue
    mkdir -p "$context/$(dirname "$file")"
    cp -p "$file" "$context/$file"
    count=$((count + 1))
  done < <(git ls-files -z --cached --others --exclude-standard)
  echo "   context: $count files"

  local -a lines
  mapfile -t lines < <(instructions "$dockerfile")

  # Which stage is the build stage: the one named "build", else the first.
  local i stage=-1 first=-1 name
  for i in "${!lines[@]}"; do
    if [[ "${lines[$i]}" =~ ^[[:space:]]*FROM[[:space:]] ]]; then
      [ "$first" -ge 0 ] || first=$i
      name="$(sed -nE 's/.*[[:space:]][Aa][Ss][[:space:]]+([^[:space:]]+)[[:space:]]*$/\1/p' <<<"${lines[$i]}")"
      [ "$name" = build ] && stage=$i
    fi
  done
  [ "$stage" -ge 0 ] || stage=$first
  [ "$stage" -ge 0 ] || fail "$dockerfile has no FROM"

  local workdir="$root" instruction args env_exports="" ran=0
  for ((i = stage + 1; i < ${#lines[@]}; i++)); do
    read -r instruction args <<<"${lines[$i]}"
    instruction="${instruction^^}"
    case "$instruction" in
      FROM) break ;;
      WORKDIR)
        workdir="$(container_path "$args" "$workdir")"
        mkdir -p "$workdir"
        ;;
      ENV | ARG)
        [[ "$args" == *=* ]] || fail "$dockerfile: only '$instruction KEY=value' is supported: ${lines[$i]}"
        env_exports+="export $args; "
        ;;
      COPY | ADD)
        local -a words
        read -r -a words <<<"$args"
        local -a sources=()
        local word
        for word in "${words[@]}"; do
          case "$word" in
            --from=*) fail "$dockerfile: COPY --from in the build stage is not supported: ${lines[$i]}" ;;
            --chown=* | --chmod=* | --link) ;;
            \[*) fail "$dockerfile: JSON-form $instruction is not supported: ${lines[$i]}" ;;
            *) sources+=("$word") ;;
          esac
        done
        [ "${#sources[@]}" -ge 2 ] || fail "$dockerfile: $instruction needs a source and a destination: ${lines[$i]}"
        local dest="${sources[-1]}"
        unset 'sources[-1]'
        local target; target="$(container_path "$dest" "$workdir")"
        local source
        for source in "${sources[@]}"; do
          [[ "$source" == *[*?[]* ]] && fail "$dockerfile: wildcards in COPY are not supported: ${lines[$i]}"
          source="${source%/}"
          [ "$source" = . ] && source=""
          if [ -n "$source" ] && [ ! -e "$context/$source" ]; then
            fail "$dockerfile: COPY source '$source' is not in the build context (missing, or excluded by .gitignore/.dockerignore)"
          fi
          if [ -d "$context/$source" ] || [ -z "$source" ]; then
            # A directory's contents go into the destination, like Docker does.
            mkdir -p "$target"
            cp -a "$context/$source/." "$target/"
          elif [[ "$dest" == */ ]] || [ "${#sources[@]}" -gt 1 ]; then
            mkdir -p "$target"
            cp -p "$context/$source" "$target/"
          else
            mkdir -p "$(dirname "$target")"
            cp -p "$context/$source" "$target"
          fi
        done
        ;;
      RUN)
        [[ "$args" =~ ^dotnet[[:space:]] ]] || fail "$dockerfile: only 'RUN dotnet ...' can be replayed without Docker: ${lines[$i]}"
        # Absolute paths (not MSBuild switches like /p:X=Y) point into the scratch root.
        local mapped; mapped="$(awk -v root="$root" '{ for (i = 1; i <= NF; i++) if ($i ~ /^\// && $i !~ /:/) $i = root $i; print }' <<<"$args")"
        echo "   RUN $args"
        if ! (cd "$workdir" && sh -c "$env_exports$mapped" >"$scratch/run-$i.log" 2>&1); then
          tail -n 30 "$scratch/run-$i.log" >&2
          fail "$dockerfile: 'RUN $args' failed (the end of its output is above)"
        fi
        ran=$((ran + 1))
        ;;
      LABEL | EXPOSE | USER | ENTRYPOINT | CMD | SHELL | STOPSIGNAL | HEALTHCHECK | VOLUME | ONBUILD) ;;
      *) fail "$dockerfile: instruction $instruction in the build stage is not supported by this check" ;;
    esac
  done
  [ "$ran" -gt 0 ] || fail "$dockerfile: the build stage runs no dotnet command"

  # What the runtime stages take from the build stage must exist, and the entry point's dll with it.
  local from_build entry_dll
  for ((i = 0; i < ${#lines[@]}; i++)); do
    if [[ "${lines[$i]}" =~ ^[[:space:]]*COPY[[:space:]]+--from=build[[:space:]]+([^[:space:]]+) ]]; then
      from_build="$root${BASH_REMATCH[1]}"
      [ -e "$from_build" ] || fail "$dockerfile: ${lines[$i]} copies ${BASH_REMATCH[1]}, which the build stage did not produce"
    fi
    if [[ "${lines[$i]}" =~ ^[[:space:]]*ENTRYPOINT[[:space:]]*\[[[:space:]]*\"dotnet\"[[:space:]]*,[[:space:]]*\"([^\"]+\.dll)\" ]]; then
      entry_dll="${BASH_REMATCH[1]}"
    fi
  done
  if [ -n "${entry_dll:-}" ] && [ -n "${from_build:-}" ] && [ ! -f "$from_build/$entry_dll" ]; then
    fail "$dockerfile: the ENTRYPOINT runs $entry_dll, which is not in the published output"
  fi
  echo "   ok: $ran dotnet command(s) succeeded${entry_dll:+, $entry_dll published}"
}

# No MSBuild server or build nodes left running after the check; no first-run banner.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1
scratches=()
trap 'rm -rf "${scratches[@]}"' EXIT
root=""
dockerfiles=("$@")
[ "${#dockerfiles[@]}" -gt 0 ] || dockerfiles=(infra/Dockerfile infra/Dockerfile.simulator)
for dockerfile in "${dockerfiles[@]}"; do
  check_dockerfile "$dockerfile"
done
echo "check-dockerfile: all build stages work"
