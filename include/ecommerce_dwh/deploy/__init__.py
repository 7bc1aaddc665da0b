"""How Terraform reaches AWS: one code path for the DAG, ``scripts/deploy.sh`` and CI.

* :mod:`~ecommerce_dwh.deploy.environments`: an environment's root, var files and backend;
* :mod:`~ecommerce_dwh.deploy.access`: credentials and the emulator endpoint;
* :mod:`~ecommerce_dwh.deploy.plans`: saved plans stored next to the state, verified;
* :mod:`~ecommerce_dwh.deploy.steps`: init, plan, apply, outputs;
* :mod:`~ecommerce_dwh.deploy.bootstrap`: the per-account stack (state, OIDC, deploy roles);
* :mod:`~ecommerce_dwh.deploy.smoke`: the smoke check of a deployed Airflow;
* ``python -m ecommerce_dwh.deploy --help``: the command line.

Nothing here imports Airflow at module level: the CLI runs in a venv with boto3 only.
"""
