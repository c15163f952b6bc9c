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
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
# postgresql's post-install would start a system cluster we do not use.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
