"""Failure alerts: every task that fails after its retries publishes to the SNS topic
that Terraform creates (output ``alerts_topic_arn``; locally the topic lives in moto).

The topic ARN is read at run time from the ``dwh_infra_outputs`` Variable through a
template, so parsing a DAG file never touches the Variable store or AWS.
"""

from __future__ import annotations

from airflow.providers.amazon.aws.notifications.sns import SnsNotifier

from ecommerce_dwh.settings import AWS_CONN_ID, INFRA_OUTPUTS_VARIABLE

TOPIC_ARN_TEMPLATE = (
    f"{{{{ var.json.get('{INFRA_OUTPUTS_VARIABLE}', {{}}).get('alerts_topic_arn', '') }}}}"
)

SUBJECT_TEMPLATE = "[ecommerce-dwh] {{ ti.dag_id }}.{{ ti.task_id }} failed"

MESSAGE_TEMPLATE = """\
A task of the ecommerce-dwh pipeline failed after its retries.

DAG:          {{ ti.dag_id }}
Task:         {{ ti.task_id }}
Run:          {{ run_id }}
Logical date: {{ logical_date }}
Try:          {{ ti.try_number }}
Log:          {{ ti.log_url }}
Error:        {{ exception }}
"""


def failure_notifier() -> SnsNotifier:
    """An ``on_failure_callback`` that publishes the failure to the alerts topic."""
    return SnsNotifier(
        aws_conn_id=AWS_CONN_ID,
        target_arn=TOPIC_ARN_TEMPLATE,
        subject=SUBJECT_TEMPLATE,
        message=MESSAGE_TEMPLATE,
    )
