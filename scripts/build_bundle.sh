#!/usr/bin/env bash
# Build the program folder with build_installer.spec, prove it with its own --selftest, then
# compile the NSIS installer script around it. CI runs this after the tests (.ci/run):
#     python3 -m uv run --frozen bash scripts/build_bundle.sh
# On Linux this proves the spec and the script build; the installer it writes wraps a Linux
# program and is NOT usable on Windows (build there for that: README, "Windows installer").
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
bundle=dist/estate-office

echo "== bundle (pyinstaller build_installer.spec)"
started=$SECONDS
pyinstaller --noconfirm --log-level WARN build_installer.spec
echo "bundle built in $((SECONDS - started)) s: $(du -sh "$bundle" | cut -f1) in $bundle"

echo "== bundled self-test"
# a fresh home and data root: the self-test must not write outside its temporary folder
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
for program in estate-office estate-office-cli; do  # the window's and the commands' program
    echo "-- $program --selftest"
    HOME="$home" XDG_DATA_HOME="$home/data" QT_QPA_PLATFORM=offscreen "$bundle/$program" --selftest
    if [[ -n "$(ls -A "$home")" ]]; then
        echo "the self-test wrote into the home folder: $(ls -A "$home")" >&2
        exit 1
    fi
done

echo "== installer script (makensis)"
setup="dist/estate-office-setup-$version.exe"
makensis -V2 -DNOCOMPRESS -DVERSION="$version" -DSOURCE="$PWD/$bundle" -DOUTFILE="$PWD/$setup" \
    installer/estate-office.nsi
echo "installer script compiled: $setup, $(du -h "$setup" | cut -f1)" \
    "(uncompressed, around the Linux bundle: proves the script, not a Windows installer)"
