#!/usr/bin/env bash
# Source checks that the compiler and linker cannot make (ctest: lint_sources).
#   tests/lint/check_sources.sh [ROOT]
# 1. Layering: a folder includes only the headers of the folders below it
#    (the link lines of asr/CMakeLists.txt). The link checks of
#    tests/CMakeLists.txt catch a call into a folder outside them; this also
#    catches a header-only dependency, which links anyway.
# 2. One definition per type name: two classes named verbatim::X in two
#    files, whose inline members the linker merges silently (an ODR
#    violation: which one a program gets depends on link order). Types inside
#    an anonymous namespace are private to their file and may repeat.
# Exit status 1 and one line per problem when a check fails.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"

# Folders and what each may include besides itself (direct dependencies;
# the allowed set is their closure).
declare -A deps=(
  [base]=""
  [frontend]="base"
  [asr/util]="base"
  [asr/config]="base"
  [asr/text]="asr/config asr/util"
  [asr/eval]="asr/text asr/util"
  [asr/plot]="asr/util"
  [asr/model]="asr/config asr/text frontend asr/util"
  [asr/search]="asr/model"
  [asr/data]="frontend asr/util"
  [asr/decode]="asr/search asr/model frontend"
  [asr/transcribe]="asr/decode"
  [asr/train]="asr/data asr/model asr/search asr/eval asr/config"
)

closure() {  # closure FOLDER: FOLDER and everything below it
  local todo=("$1") seen=" " f d
  while ((${#todo[@]})); do
    f=${todo[0]}
    todo=("${todo[@]:1}")
    [[ $seen == *" $f "* ]] && continue
    seen+="$f "
    for d in ${deps[$f]}; do todo+=("$d"); done
  done
  echo "$seen"
}

problems=0
report() {
  echo "$*"
  problems=$((problems + 1))
}

for folder in "${!deps[@]}"; do
  allowed=$(closure "$folder")
  while IFS=: read -r file line include; do
    target=${include%/*}
    [[ $allowed == *" $target "* ]] ||
      report "$file:$line: includes $include, but $folder may include only:$allowed"
  done < <(grep -Hno '^#include "[a-z_/]*\.h"' "$folder"/*.h "$folder"/*.cc 2>/dev/null |
    sed 's/#include "\(.*\)"/\1/')
done

# Namespace-scope type definitions (column 0: the code does not indent
# namespaces), outside anonymous namespaces.
folders=$(ls -d base frontend asr tools tests bench fuzz 2>/dev/null || true)
definitions=$(find $folders -name '*.h' -o -name '*.cc' | sort |
  xargs awk '
    FNR == 1 { anonymous = 0 }
    /^namespace \{/ { anonymous = 1 }
    /^\}  \/\/ namespace$/ { anonymous = 0 }
    !anonymous && /^(class|struct|enum class|enum|union) [A-Za-z_][A-Za-z0-9_]*( final)? *[:{]/ &&
    !/^[a-z ]+ [A-Za-z0-9_]+::/ {
      name = $2; if (name == "class") name = $3
      sub(/[^A-Za-z0-9_].*/, "", name)
      print name, FILENAME ":" FNR
    }')
while read -r name count; do
  report "type $name is defined in $count places: $(awk -v n="$name" '$1 == n {print $2}' \
    <<<"$definitions" | tr '\n' ' ')"
done < <(awk '{print $1}' <<<"$definitions" | sort | uniq -c | awk '$1 > 1 {print $2, $1}')

if ((problems > 0)); then
  echo "check_sources.sh: $problems problem(s)"
  exit 1
fi
echo "check_sources.sh: layering of ${#deps[@]} folders and $(wc -l <<<"$definitions") type names checked"
