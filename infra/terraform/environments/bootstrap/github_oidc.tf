# GitHub Actions' OIDC identity provider and, per environment of this account, two
# roles that only this repository's workflows (and, for planning, the Airflow
# deployment) can assume. No AWS key is ever stored in GitHub: a job exchanges its
# short-lived OIDC token for the role's temporary credentials.
#
#   tf-deploy-<prefix>-<env>  applies <env>. Trusted for the OIDC subject
#                             repo:<owner>/<repo>:environment:<env> only, i.e. a job
#                             that declares the GitHub environment <env> and has
#                             passed its protection rules (reviewers for staging, prod).
#   tf-plan-<prefix>-<env>    plans <env>: reads its resources and state, stores plan
#                             files, changes nothing. Trusted for the main branch's
#                             runs (the promotion's plan jobs), pull requests (for
#                             pull_request_plan_environments) and airflow_principal_arns.
#
# The roles' names start with "tf-", outside every pattern their policies allow
# (deploy_policies.tf), so no deploy role can modify itself or another role here.

locals {
  github_enabled = var.github_repository != null
  role_envs      = local.github_enabled ? toset(var.environments) : toset([])
  github_issuer  = "token.actions.githubusercontent.com"

  oidc_provider_arn = !local.github_enabled ? null : (
    var.create_github_oidc_provider
    ? aws_iam_openid_connect_provider.github[0].arn
    : data.aws_iam_openid_connect_provider.github[0].arn
  )

  plan_subjects = {
    for env in local.role_envs : env => concat(
      ["repo:${var.github_repository}:ref:refs/heads/${var.github_main_branch}"],
      contains(var.pull_request_plan_environments, env) ? ["repo:${var.github_repository}:pull_request"] : [],
    )
  }
}

resource "aws_iam_openid_connect_provider" "github" {
  count = local.github_enabled && var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_issuer}"
  client_id_list = ["sts.amazonaws.com"]
  # AWS trusts GitHub's certificate through its own CA library and ignores these;
  # provider versions before 5.81 still require the argument. GitHub's two published
  # intermediate thumbprints.
  thumbprint_list = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
  ]
}

data "aws_iam_openid_connect_provider" "github" {
  count = local.github_enabled && !var.create_github_oidc_provider ? 1 : 0

  url = "https://${local.github_issuer}"
}

# Deploy role: a job of this repository running in the GitHub environment <env>.
data "aws_iam_policy_document" "deploy_trust" {
  for_each = local.role_envs

  statement {
    sid     = "GitHubEnvironment${title(each.key)}"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_issuer}:sub"
      values   = ["repo:${var.github_repository}:environment:${each.key}"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  for_each = local.role_envs

  name                 = "tf-deploy-${var.name_prefix}-${each.key}"
  description          = "Terraform applies ${var.name_prefix} ${each.key}: GitHub environment ${each.key} of ${var.github_repository} only"
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust[each.key].json
  max_session_duration = var.deploy_role_max_session_seconds
}

# Plan role: the main branch's runs, pull requests (some environments), Airflow.
data "aws_iam_policy_document" "plan_trust" {
  for_each = local.role_envs

  statement {
    sid     = "GitHubMainAndPullRequests"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_issuer}:sub"
      values   = local.plan_subjects[each.key]
    }
  }

  dynamic "statement" {
    for_each = length(lookup(var.airflow_principal_arns, each.key, [])) > 0 ? [1] : []

    content {
      sid     = "AirflowTerraformConnection"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = var.airflow_principal_arns[each.key]
      }
    }
  }
}

resource "aws_iam_role" "plan" {
  for_each = local.role_envs

  name                 = "tf-plan-${var.name_prefix}-${each.key}"
  description          = "Terraform plans ${var.name_prefix} ${each.key} (read-only): main branch, pull requests, Airflow"
  assume_role_policy   = data.aws_iam_policy_document.plan_trust[each.key].json
  max_session_duration = var.deploy_role_max_session_seconds
}
