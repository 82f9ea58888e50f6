#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests: install it when missing and possible.
# Where it cannot be installed the browser tests skip with a reason (under CI=true they fail).
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium for the browser tests…"
  (apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium) >/dev/null 2>&1 \
    || echo "Could not install chromium; browser tests will be skipped."
else
  echo "chromium is missing and cannot be installed here (needs root and apt-get); browser tests will be skipped."
fi
exit 0
