"""The WSGI entry point gunicorn serves: `gunicorn graph_service.api.wsgi:app`.

Each worker loads the serving model as it starts, so no request waits a second for it (or, if no
model is trained yet, /ready answers 503 and scores load it once one is).
"""

from graph_service.api import context, create_app

app = create_app()
with app.app_context():
    try:
        context.trained_model()
    except context.ModelUnavailable:
        pass
