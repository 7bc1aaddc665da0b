# Astro Runtime 3.3-2 = Apache Airflow 3.3.2 (the version pinned in requirements-dev.txt).
# Its ONBUILD steps install packages.txt and requirements.txt, then copy the project
# into /usr/local/airflow, so the RUN below sees the dbt project.
FROM astrocrpublic.azurecr.io/runtime:3.3-2

# Nothing calls home (Cosmos, dbt, Scarf, Terraform checkpoint).
ENV AIRFLOW__COSMOS__ENABLE_TELEMETRY=False \
    AIRFLOW__USAGE_DATA_COLLECTION__ENABLED=False \
    SCARF_ANALYTICS=false \
    SCARF_NO_ANALYTICS=true \
    DO_NOT_TRACK=true \
    DBT_SEND_ANONYMOUS_USAGE_STATS=False \
    CHECKPOINT_DISABLE=1 \
    PYTHONPATH=/usr/local/airflow/include

# Cosmos keeps the watcher producer's XCom backup in memory and writes it to a Variable
# only from its failure and retry callbacks (local mode sets the same:
# ecommerce_dwh.local.environment.COSMOS_SETTINGS, where the trade-off is explained).
ENV AIRFLOW__COSMOS__ENABLE_WATCHER_RELIABLE_RETRY=False

# dwh_infrastructure runs the real Terraform CLI (the same version as CI uses),
# verified against HashiCorp's published checksums.
ARG TERRAFORM_VERSION=1.11.4
USER root
RUN set -eux; \
    arch="$(dpkg --print-architecture)"; \
    base="https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}"; \
    cd /tmp; \
    curl -fsSLO "${base}/terraform_${TERRAFORM_VERSION}_linux_${arch}.zip"; \
    curl -fsSLO "${base}/terraform_${TERRAFORM_VERSION}_SHA256SUMS"; \
    grep "_linux_${arch}.zip" "terraform_${TERRAFORM_VERSION}_SHA256SUMS" | sha256sum -c -; \
    python -m zipfile -e "terraform_${TERRAFORM_VERSION}_linux_${arch}.zip" /usr/local/bin/; \
    chmod 0755 /usr/local/bin/terraform; \
    rm -f /tmp/terraform_*
USER astro

# Cosmos renders the dbt task groups from this manifest (LoadMode.DBT_MANIFEST):
# build it once at image build time instead of running `dbt ls` at every DAG parse.
RUN dbt parse --quiet --project-dir include/dbt --profiles-dir include/dbt --target local

# The zip of the modules the Glue job imports (Terraform uploads it; dwh_infrastructure
# rebuilds it before each plan, byte for byte the same).
RUN python -m ecommerce_dwh.silver.package

# Java and Spark are not in this image: local mode's Spark runs in its own container
# (docker-compose.override.yml, docker/local-spark.Dockerfile). This folder is the
# mount point of the scratch volume the two share, owned by the astro user.
RUN mkdir -p /usr/local/airflow/spark-scratch
