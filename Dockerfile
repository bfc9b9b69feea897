# The API image: no torch (the `gnn` extra stays out so the image stays slim).
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY graph_service ./graph_service
COPY loaders ./loaders
COPY synthetic ./synthetic
COPY cypher ./cypher
RUN pip install --no-cache-dir .
ENV TRUSTNET_STATE_DIR=/app
EXPOSE 5000
USER nobody
CMD ["trustnet", "serve", "--host", "0.0.0.0", "--port", "5000"]
