"""The operator that runs the Glue ETL job, chosen once by the environment.

On AWS it is the Amazon provider's ``GlueJobOperator`` itself. In local mode it is
:class:`LocalSparkGlueJobOperator`, a subclass whose job run is recorded in moto (the
same ``GetJob``/``StartJobRun`` calls, against the job Terraform defined there) and then
executed on local Spark by :mod:`ecommerce_dwh.silver.local_run`, because moto runs
nothing. The DAG file calls :func:`glue_job_operator_class` and never branches itself,
as the dbt target is chosen in ``cosmos_config``.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.amazon.aws.operators.glue import GlueJobOperator

from ecommerce_dwh.settings import get_settings


class LocalSparkGlueJobOperator(GlueJobOperator):
    """A ``GlueJobOperator`` whose run executes on this machine's Spark (local mode).

    Everything but the compute is the provider's path: the connection, the templated
    ``job_name`` and ``script_args``, the job definition read from Glue (moto), the run
    id pushed to XCom. The run's result is the local Spark run's: a failure there fails
    the task with the job's own error.
    """

    def execute(self, context: Any) -> str:
        from airflow.providers.amazon.aws.hooks.s3 import S3Hook

        from ecommerce_dwh.silver.local_run import run_job_locally

        glue = self.hook.conn
        job = glue.get_job(JobName=self.job_name)["Job"]
        arguments = {str(k): str(v) for k, v in (self.script_args or {}).items()}
        run_id = glue.start_job_run(JobName=self.job_name, Arguments=arguments)["JobRunId"]
        context["ti"].xcom_push(key="glue_job_run_id", value=run_id)
        self.log.info("Glue job %s run %s recorded in moto; executing it on local Spark",
                      self.job_name, run_id)
        s3 = S3Hook(aws_conn_id=self.aws_conn_id).get_conn()
        log_dir = get_settings().state_dir / "logs" / "spark"
        result = run_job_locally(s3, glue, job, arguments, log_dir=log_dir)
        self.log.info("local run of %s for %s: %.1fs, wrote %s, partitions %s (Spark log %s)",
                      self.job_name, result.day, result.seconds, result.uploaded,
                      result.partitions, result.log_file)
        return run_id


def glue_job_operator_class() -> type[GlueJobOperator]:
    """``GlueJobOperator`` on AWS; :class:`LocalSparkGlueJobOperator` in local mode."""
    return LocalSparkGlueJobOperator if get_settings().is_local else GlueJobOperator
