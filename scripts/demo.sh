#!/usr/bin/env bash
# Install everything, load the demo data on SQLite and start the portal on http://127.0.0.1:8000
source "$(dirname "$0")/common.sh"
export DEBUG=${DEBUG:-true}
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo
# ทต.ถาวร's 2566 measures and 6-month report signed off and published, for the public site
# (its notifications go nowhere: the demo accounts have no real mailbox).
EMAIL_URL=dummymail:// .venv/bin/python manage.py publish_demo
echo
ADDRESS=${PORT:-127.0.0.1:8000}
echo "เปิดเบราว์เซอร์ที่ http://${ADDRESS}/staff/  (open it and log in with a demo account above)"
exec .venv/bin/python manage.py runserver "$ADDRESS"
