"""The raw crawl: the Amazon provider's ``GlueCrawlerRunOperator``, deferred, with a bound.

``dwh_ingest`` starts the raw crawler (Terraform owns its definition) and waits for the
crawl in the triggerer: the provider's ``GlueCrawlerCompleteTrigger`` polls
``GetCrawler`` with the ``crawler_ready`` waiter, so no worker slot is held while Glue
crawls. The provider's *synchronous* wait is not used: it also calls
``GetCrawlerMetrics``, which moto does not implement; the waiter needs only
``GetCrawler``, which behaves the same on AWS and moto (moto's last crawl says
``COMPLETED`` where AWS says ``SUCCEEDED``; the waiter only looks at ``FAILED`` and
``CANCELLED``).

:class:`BoundedGlueCrawlerRunOperator` adds one thing to the provider's operator: its
``execution_timeout`` also bounds the trigger's number of polls. Under a triggerer the
timeout alone would end the wait; ``airflow dags test`` (``make run``, the end-to-end
tests) runs triggers in line and ignores timeouts, so without the bound a crawl that
never ends would hang the run instead of failing it and alerting.
"""

from __future__ import annotations

import math
from typing import Any

from airflow.providers.amazon.aws.operators.glue_crawler import GlueCrawlerRunOperator
from airflow.providers.amazon.aws.triggers.base import AwsBaseWaiterTrigger
from airflow.sdk.exceptions import AirflowException


class BoundedGlueCrawlerRunOperator(GlueCrawlerRunOperator):
    """``GlueCrawlerRunOperator`` (deferrable) whose wait ends after ``execution_timeout``.

    Args:
        execution_timeout: required: how long a crawl may take before the task fails.
        **kwargs: the provider operator's arguments (``crawler_name``,
            ``poll_interval``, ``aws_conn_id``...); ``deferrable`` is always on.
    """

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("execution_timeout") is None:
            raise ValueError("BoundedGlueCrawlerRunOperator needs an execution_timeout")
        kwargs["deferrable"] = True
        super().__init__(**kwargs)

    def max_polls(self) -> int:
        """How many ``GetCrawler`` polls fit in the timeout."""
        return max(1, math.ceil(self.execution_timeout.total_seconds()
                                / max(self.poll_interval, 1)))

    def defer(self, *, trigger: Any, method_name: str, kwargs: dict | None = None,
              timeout: Any = None) -> None:
        if isinstance(trigger, AwsBaseWaiterTrigger):
            trigger.attempts = self.max_polls()
        super().defer(trigger=trigger, method_name=method_name, kwargs=kwargs,
                      timeout=timeout or self.execution_timeout)

    def execute_complete(self, context: Any, event: dict[str, Any] | None = None) -> str:
        if event and event.get("status") != "success":
            raise AirflowException(
                f"Glue crawler {self.crawler_name} did not finish a successful crawl within "
                f"{self.execution_timeout} ({self.max_polls()} polls, every "
                f"{self.poll_interval}s): {event.get('message', event)}")
        return super().execute_complete(context, event)
