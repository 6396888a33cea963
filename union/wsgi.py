import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union.settings.production")
application = get_wsgi_application()

from union.warmup import prepare_server_process  # noqa: E402 – needs the apps loaded above

prepare_server_process()
