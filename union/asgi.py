import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union.settings.production")
application = get_asgi_application()

from union.warmup import prepare_server_process  # noqa: E402 – needs the apps loaded above

prepare_server_process()
