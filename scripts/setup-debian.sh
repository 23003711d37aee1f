#!/usr/bin/env bash
# Installs what building and testing Dangan needs on Debian (run as root, or with sudo).
# Rust itself comes from rustup (https://rustup.rs); everything else is here.
set -euo pipefail

need=()
command -v cc >/dev/null || need+=(build-essential)      # the bundled SQLite is C
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v setpriv >/dev/null || need+=(util-linux)      # tests act as an unprivileged user
# The desktop app's window test: a virtual X server, a screenshot, typed keys.
command -v Xvfb >/dev/null || need+=(xvfb)
command -v import >/dev/null || need+=(imagemagick)
command -v xdotool >/dev/null || need+=(xdotool)
command -v xwininfo >/dev/null || need+=(x11-utils)
# The label tests: render the PDFs and read their barcodes back, as a scanner would.
command -v zbarimg >/dev/null || need+=(zbar-tools)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# Scans: OCR of Chinese and English pages (optional for the app; its tests use it).
command -v tesseract >/dev/null || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || [ -e /usr/share/tesseract-ocr/4.00/tessdata/chi_sim.traineddata ] || need+=(tesseract-ocr-chi-sim)
[ -e /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || [ -e /usr/share/tesseract-ocr/4.00/tessdata/eng.traineddata ] || need+=(tesseract-ocr-eng)
# Libraries the window opens at run time (X11, keyboard maps, GL for wgpu; tiny-skia needs none).
for lib in libX11.so.6 libXcursor.so.1 libXrandr.so.2 libXi.so.6 libxkbcommon-x11.so.0 libEGL.so.1; do
    if ! ldconfig -p | grep -q "$lib"; then
        case $lib in
            libX11.so.6) need+=(libx11-6) ;;
            libXcursor.so.1) need+=(libxcursor1) ;;
            libXrandr.so.2) need+=(libxrandr2) ;;
            libXi.so.6) need+=(libxi6) ;;
            libxkbcommon-x11.so.0) need+=(libxkbcommon-x11-0) ;;
            libEGL.so.1) need+=(libegl1) ;;
        esac
    fi
done

if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then
            SUDO="sudo"
        else
            echo "setup: these Debian packages are missing: ${need[*]}" >&2
            echo "setup: install them as root (apt-get install ${need[*]}), then run this again" >&2
            exit 1
        fi
    fi
    echo "setup: installing ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs" >&2; exit 1; }
echo "setup: all build and test dependencies are present"
