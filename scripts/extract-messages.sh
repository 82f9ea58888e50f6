#!/usr/bin/env bash
# Regenerate the message template from the Python code and the Jinja templates, then merge it
# into each translation catalogue. New messages arrive untranslated (the i18n tests say which);
# messages no longer in the code are dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
LOCALE_DIR=src/accord/locale
TEMPLATE="$LOCALE_DIR/messages.pot"

# babel.cfg matches paths from the repository root, so extraction starts there.
"$PYBABEL" --quiet extract -F babel.cfg \
  -k _ -k gettext_ -k ngettext:1,2 -k N_ \
  --add-comments=TRANSLATORS: \
  --project=Accord --version=0.1.0 --copyright-holder=Accord --sort-by-file \
  --header-comment="# Messages of Accord, extracted from its Python code and Jinja templates." \
  -o "$TEMPLATE" .

for catalogue in "$LOCALE_DIR"/*/LC_MESSAGES/messages.po; do
  [ -e "$catalogue" ] || continue
  language="$(basename "$(dirname "$(dirname "$catalogue")")")"
  "$PYBABEL" --quiet update --ignore-obsolete -l "$language" -D messages \
    -i "$TEMPLATE" -d "$LOCALE_DIR"
done
