/**
 * The stand-in `nvidia-smi`: a POSIX sh script answering from the files the simulated GPU
 * node rewrites every tick (state-files.ts), so each run costs a shell, not a Node start.
 * It answers `--query-gpu=… --format=csv` (refusing an unknown field as nvidia-smi does),
 * `--help-query-gpu` and `-q -x`; anything else exits 2 saying what it simulates.
 */
export function standInScript(stateDir: string): string {
  const dir = `'${stateDir.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh
# Simulated nvidia-smi (Layerwatch layer simulator): no GPU here. Answers from ${stateDir}.
S=${dir}
fields= q= x=
for a in "$@"; do
  case "$a" in
    --help-query-gpu) exec cat "$S/help-query-gpu.txt" ;;
    --query-gpu=*) fields="\${a#--query-gpu=}" ;;
    -q) q=1 ;;
    -x) x=1 ;;
  esac
done
if [ -n "$q" ] && [ -n "$x" ]; then exec cat "$S/query.xml"; fi
if [ -z "$fields" ]; then
  echo "simulated nvidia-smi: only --query-gpu=FIELDS --format=csv, --help-query-gpu and -q -x are simulated" >&2
  exit 2
fi
IFS=,
header=
for f in $fields; do
  if [ ! -f "$S/fields/$f" ]; then
    echo "Field \\"$f\\" is not a valid field to query." >&2
    exit 2
  fi
  IFS= read -r h < "$S/fields/$f"
  header="\${header:+$header, }$h"
done
echo "$header"
for g in "$S"/gpus/*; do
  line=
  for f in $fields; do
    IFS= read -r v < "$g/$f"
    line="\${line:+$line, }$v"
  done
  echo "$line"
done
`;
}
