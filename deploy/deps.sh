#!/usr/bin/env bash
# Installs the Debian packages jobfair needs to build, run and test, and
# only those missing. Runs apt-get as root, or through sudo.
set -euo pipefail

packages=(
	build-essential cmake pkg-config clang libclang-rt-14-dev
	libevent-dev libpq-dev libcjson-dev libqrencode-dev libcmocka-dev
	libpng-dev zlib1g-dev libcurl4-openssl-dev libssl-dev libutf8proc-dev
	libsodium-dev libsystemd-dev libcairo2-dev libpango1.0-dev fonts-noto-cjk
	libxlsxwriter-dev
	postgresql postgresql-contrib postgresql-15-pgtap
	curl jq zbar-tools iproute2 procps valgrind poppler-utils python3-openpyxl
	python3-aiosmtpd
	nginx openssl systemd dpkg-dev fakeroot
	chromium chromium-driver python3-selenium fonts-ipafont-gothic
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# npm (for the pages' one library, below): Debian's, unless a Node.js
# that brings its own is there already.
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "deps: installing ${missing[*]}" >&2
	$sudo apt-get update -qq
	# postgresql's post-install would start a system cluster we do not use.
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The desk page's QR decoder (jsQR), exactly as package-lock.json pins
# it, into node_modules/; server/web/vendor/ links to it.
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -e "$top/node_modules/.package-lock.json" ] ||
	[ "$top/package-lock.json" -nt "$top/node_modules/.package-lock.json" ]; then
	(cd "$top" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
