# Delivery: how Terraform reaches AWS and a commit reaches production (docs/delivery.md).
# Included by the Makefile; each target runs the same script a workflow step runs.
# Knob: ENV (dev, staging or prod; default dev).
ENV ?= dev

.PHONY: delivery-lint delivery-artifacts delivery-plan delivery-bootstrap delivery-outputs

delivery-lint: ## actionlint + zizmor on .github/workflows (zero findings)
	@scripts/delivery/lint_workflows.sh

delivery-artifacts: ## build the release artifacts (dbt manifest, Glue zip, SHA256SUMS) into dist/
	scripts/delivery/artifacts.sh build dist

delivery-plan: ## plan ENV with your AWS credentials; the plan is stored next to the state
	scripts/delivery/deploy_cli.sh plan --env $(ENV)

delivery-bootstrap: ## apply the bootstrap stack of ENV's account (administrator credentials)
	scripts/delivery/deploy_cli.sh bootstrap --env $(ENV)

delivery-outputs: ## print ENV's Terraform outputs
	scripts/delivery/deploy_cli.sh outputs --env $(ENV)
