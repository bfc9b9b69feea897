# The API image, with the scoring extras (a model is scored on demand in the API) and PyTorch's CPU build.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# What the build needs: pyproject.toml, its readme, and every package its [tool.setuptools.packages.find]
# includes (tests/packaging/test_dockerfile.py checks the list).
WORKDIR /src
COPY pyproject.toml README.md ./
COPY graph_service ./graph_service
COPY loaders ./loaders
COPY synthetic ./synthetic
COPY scoring ./scoring
COPY gnn ./gnn
COPY cypher ./cypher
# Not editable: the packages carry their data (cypher/**/*.cypher, the Browser style, the Neo4j pom.xml),
# so the sources are removed once installed.
RUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir ".[gnn]" \
 && rm -rf /src
# The state folder (the API serves models from /app/models); state (.env, .run) is never written here.
WORKDIR /app
USER nobody
EXPOSE 5000
# The schema first (idempotent), then the API.
CMD ["sh", "-c", "trustnet init-schema && exec trustnet serve --host 0.0.0.0 --port 5000"]
