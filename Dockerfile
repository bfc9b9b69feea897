# The API image: no torch and no scoring extras, so the image stays slim.
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY graph_service ./graph_service
COPY loaders ./loaders
COPY synthetic ./synthetic
COPY scoring ./scoring
COPY cypher ./cypher
# Editable, so the code finds cypher/ beside it, as in a checkout.
RUN pip install --no-cache-dir -e .
USER nobody
EXPOSE 5000
# The schema first (idempotent), then the API; state (.env, .run) is never written here.
CMD ["sh", "-c", "trustnet init-schema && exec trustnet serve --host 0.0.0.0 --port 5000"]
