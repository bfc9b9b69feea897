"""The WSGI entry point gunicorn serves: `gunicorn graph_service.api.wsgi:app`."""

from graph_service.api import create_app

app = create_app()
