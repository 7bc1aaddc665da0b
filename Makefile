# ecommerce-dwh: the two commands are `make run` and `make test`; both set up first.
SHELL := /bin/bash
PY    := .venv/bin/python

# make run knobs: make run DAYS=3 START=2024-03-01 ORDERS=500 STOP_MOTO=1 MOTO_PORT=5055
DAYS      ?= 2
START     ?= 2024-01-01
ORDERS    ?= 200
SEED      ?= 42
STOP_MOTO ?=
MOTO_PORT ?= 5055
# make dashboard knob: make dashboard DASHBOARD_PORT=8600
DASHBOARD_PORT ?= 8501

.PHONY: help setup run dashboard test airflow airflow-stop moto-start moto-stop lint lock clean

# Delivery targets (plan, bootstrap, artifacts, workflow lint): docs/delivery.md.
include mk/delivery.mk

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

setup: ## create .venv from the pinned requirements and build the dbt manifest
	@scripts/setup.sh

run: setup ## the whole pipeline locally: moto + Terraform + Airflow DAGs + dbt on DuckDB
	$(PY) -m ecommerce_dwh.local run --start $(START) --days $(DAYS) \
	  --orders-per-day $(ORDERS) --seed $(SEED) --moto-port $(MOTO_PORT) \
	  $(if $(STOP_MOTO),--stop-moto)

dashboard: ## serve the warehouse dashboard on http://127.0.0.1:8501 (after make run; DASHBOARD_PORT=...)
	@scripts/setup_dashboard.sh
	@echo "dashboard: http://127.0.0.1:$(DASHBOARD_PORT)  (reads $${DWH_DUCKDB_PATH:-.local/warehouse.duckdb}; Ctrl-C stops it)"
	cd dashboard && ../.venv-dashboard/bin/streamlit run app.py \
	  --server.address 127.0.0.1 --server.port $(DASHBOARD_PORT) \
	  --server.headless true --browser.gatherUsageStats false

test: ## set up, then run every test (pytest); no tests collected is a failure
	@scripts/test.sh

airflow: setup ## start a real local Airflow (UI on http://localhost:8080) and moto
	$(PY) -m ecommerce_dwh.local airflow-start

airflow-stop: ## stop the local Airflow components, the local Spark service and moto, by PID
	$(PY) -m ecommerce_dwh.local airflow-stop

moto-start: setup ## start only the moto server (emulated AWS) on 127.0.0.1:5055
	$(PY) -m ecommerce_dwh.local moto-start

moto-stop: ## stop the moto server
	$(PY) -m ecommerce_dwh.local moto-stop

lint: setup ## ruff on Python, terraform fmt on infra/
	.venv/bin/ruff check dags include tests benchmarks scripts dashboard
	terraform fmt -check -recursive infra/terraform

lock: ## regenerate requirements.lock from requirements-dev.txt (needs the registry)
	rm -rf .venv-lock && python3 -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements-dev.txt
	{ sed -n '1,3p' requirements.lock; .venv-lock/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .venv-lock

clean: ## remove local state (.local: Airflow home, DuckDB, Terraform state); keeps .venv
	-$(PY) -m ecommerce_dwh.local airflow-stop
	rm -rf .local include/dbt/target include/dbt/logs
