# The API image, with the scoring extras (a model is scored on demand in the API) and PyTorch's CPU build.
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
RUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir -e ".[gnn]"
USER nobody
EXPOSE 5000
# The schema first (idempotent), then the API; state (.env, .run) is never written here.
CMD ["sh", "-c", "trustnet init-schema && exec trustnet serve --host 0.0.0.0 --port 5000"]
