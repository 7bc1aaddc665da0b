# The local Spark service of `astro dev start` (docker-compose.override.yml): what runs
# the Glue job's script in local mode, as moto stands in for AWS's APIs. Java 17,
# Python 3.11 and pyspark 3.5.4: Glue 5.0's versions (the pins of requirements-dev.txt).
# Only local mode uses it: the Airflow image (Dockerfile) carries neither Java nor Spark.
FROM python:3.11.7-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir py4j==0.10.9.7 pyspark==3.5.4

COPY include/glue/local_spark_service.py /opt/local-spark/local_spark_service.py

# The uid of the Astro Runtime's `astro` user: the scratch volume it shares with the
# scheduler holds folders that user creates.
USER 50000
ENTRYPOINT ["python", "/opt/local-spark/local_spark_service.py"]
