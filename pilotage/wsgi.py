import os

from django.core.wsgi import get_wsgi_application

from pilotage.core.heap import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilotage.settings")
application = get_wsgi_application()
settle()
