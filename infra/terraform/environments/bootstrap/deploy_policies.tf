# What Terraform may do for one environment: the deploy role (apply) and the plan role
# (read). Every statement is scoped to that environment's names, tags or state keys;
# nothing here reaches another environment's resources.
#
# The modules name resources two ways: <prefix>-<env>[-<what>] (Redshift namespace and
# workgroup, alerts topic, alarms, EventBridge rules, dashboard, Glue security
# configuration) and <prefix>-<what>-<env>[-<suffix>] (buckets, roles, crawler, Glue job,
# key aliases); Glue databases use underscores. The patterns below cover both and
# nothing of another environment (tests/delivery/test_deploy_roles.py checks that
# against the names of a real dev plan). Resources whose ARNs carry a generated id
# instead of a name (KMS keys, Redshift Serverless, Cost Explorer monitors) are scoped
# by their Environment tag, which the root module's provider default_tags sets on
# everything it creates.
#
# Resource "*" is used only where the service has no resource-level permission for
# the action (each such statement says so): kms:CreateKey (a key has no ARN before it
# exists; conditioned on its Environment tag) and kms:ListAliases, Glue security
# configurations, ec2:Describe*, secretsmanager:GetRandomPassword and
# redshift-serverless:List*.

locals {
  db_prefix = replace(var.name_prefix, "-", "_")
  acct      = local.account_id
  p         = local.partition

  # <prefix>-<env>* and <prefix>-*-<env>* (the second also covers bucket_name_suffix,
  # which must therefore never start with another environment's name).
  names     = { for env in local.role_envs : env => ["${var.name_prefix}-${env}*", "${var.name_prefix}-*-${env}*"] }
  databases = { for env in local.role_envs : env => ["${local.db_prefix}_*_${env}"] }

  bucket_arns   = { for env, names in local.names : env => [for n in names : "arn:${local.p}:s3:::${n}"] }
  artifact_arns = { for env, names in local.names : env => [for n in names : "arn:${local.p}:s3:::${n}/${var.artifacts_prefix}/*"] }
  role_arns = { for env, names in local.names : env => concat(
    [for n in names : "arn:${local.p}:iam::${local.acct}:role/${n}"],
    [for n in names : "arn:${local.p}:iam::${local.acct}:policy/${n}"],
  ) }
  alias_arns = { for env, names in local.names : env => [for n in names : "arn:${local.p}:kms:*:${local.acct}:alias/${n}"] }
  glue_arns = { for env in local.role_envs : env => concat(
    ["arn:${local.p}:glue:*:${local.acct}:catalog"],
    [for d in local.databases[env] : "arn:${local.p}:glue:*:${local.acct}:database/${d}"],
    [for d in local.databases[env] : "arn:${local.p}:glue:*:${local.acct}:table/${d}/*"],
    [for n in local.names[env] : "arn:${local.p}:glue:*:${local.acct}:crawler/${n}"],
    [for n in local.names[env] : "arn:${local.p}:glue:*:${local.acct}:job/${n}"],
  ) }
  topic_arns = { for env, names in local.names : env => concat(
    [for n in names : "arn:${local.p}:sns:*:${local.acct}:${n}"],
    [for n in names : "arn:${local.p}:sns:*:${local.acct}:${n}:*"],
  ) }
  monitoring_arns = { for env, names in local.names : env => concat(
    [for n in names : "arn:${local.p}:cloudwatch:*:${local.acct}:alarm:${n}"],
    [for n in names : "arn:${local.p}:cloudwatch::${local.acct}:dashboard/${n}"],
    [for n in names : "arn:${local.p}:events:*:${local.acct}:rule/${n}"],
  ) }
  redshift_arns = [
    "arn:${local.p}:redshift-serverless:*:${local.acct}:namespace/*",
    "arn:${local.p}:redshift-serverless:*:${local.acct}:workgroup/*",
    "arn:${local.p}:redshift-serverless:*:${local.acct}:usagelimit/*",
  ]
  anomaly_arns = [
    "arn:${local.p}:ce::${local.acct}:anomalymonitor/*",
    "arn:${local.p}:ce::${local.acct}:anomalysubscription/*",
  ]
  state_objects = { for env in local.role_envs : env => "${aws_s3_bucket.this.arn}/${var.state_key_prefix}/${env}/*" }
  plan_objects  = { for env in local.role_envs : env => "${aws_s3_bucket.this.arn}/${var.state_key_prefix}/${env}/plans/*" }
  lock_keys     = { for env in local.role_envs : env => "${var.state_bucket_name}/${var.state_key_prefix}/${env}/*" }
}

# -----------------------------------------------------------------------------
# Shared by both roles: the environment's state, lock items and state key
# -----------------------------------------------------------------------------
data "aws_iam_policy_document" "state" {
  for_each = local.role_envs

  statement {
    sid       = "ListStateBucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
    # No prefix condition: the S3 backend lists workspaces under env:/ at init.
    # Listing shows key names only; object contents stay scoped below.
  }

  statement {
    sid       = "ReadStateAndPlans"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = [local.state_objects[each.key]]
  }

  statement {
    sid       = "StorePlans"
    actions   = ["s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject"]
    resources = [local.plan_objects[each.key]]
  }

  statement {
    sid       = "LockThisEnvironmentsState"
    actions   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.this.arn]

    condition {
      test     = "ForAllValues:StringLike"
      variable = "dynamodb:LeadingKeys"
      values   = [local.lock_keys[each.key]]
    }
  }

  statement {
    sid       = "UseStateKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }
}

# -----------------------------------------------------------------------------
# Plan role: read the environment
# -----------------------------------------------------------------------------
data "aws_iam_policy_document" "plan" {
  for_each = local.role_envs

  statement {
    sid       = "ReadBuckets"
    actions   = ["s3:GetBucket*", "s3:GetLifecycleConfiguration", "s3:GetEncryptionConfiguration", "s3:GetAccelerateConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = local.bucket_arns[each.key]
  }

  statement {
    sid       = "ReadUploadedArtifactsOnly"
    actions   = ["s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion"]
    resources = local.artifact_arns[each.key]
  }

  statement {
    sid       = "ReadKeysOfThisEnvironment"
    actions   = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]
    resources = ["arn:${local.p}:kms:*:${local.acct}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "ActionsWithoutResourceTypes"
    actions   = ["kms:ListAliases", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeAccountAttributes", "ec2:DescribeAvailabilityZones", "glue:GetSecurityConfiguration", "glue:GetSecurityConfigurations", "redshift-serverless:ListNamespaces", "redshift-serverless:ListWorkgroups", "redshift-serverless:ListUsageLimits", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroupRules", "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcEndpointServices", "ec2:DescribeFlowLogs", "ec2:DescribePrefixLists", "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadRoles"
    actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags", "iam:ListInstanceProfilesForRole", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags"]
    resources = local.role_arns[each.key]
  }

  statement {
    sid       = "ReadGlue"
    actions   = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartitionIndexes", "glue:GetCrawler", "glue:GetJob", "glue:GetTags"]
    resources = local.glue_arns[each.key]
  }

  statement {
    sid       = "ReadTopic"
    actions   = ["sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"]
    resources = local.topic_arns[each.key]
  }

  statement {
    sid       = "ReadMonitoring"
    actions   = ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:GetDashboard", "events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"]
    resources = local.monitoring_arns[each.key]
  }

  statement {
    sid       = "ReadRedshiftServerlessOfThisEnvironment"
    actions   = ["redshift-serverless:GetNamespace", "redshift-serverless:GetWorkgroup", "redshift-serverless:GetUsageLimit", "redshift-serverless:ListTagsForResource"]
    resources = local.redshift_arns

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "ReadCostAnomalyMonitors"
    actions   = ["ce:GetAnomalyMonitors", "ce:GetAnomalySubscriptions", "ce:ListTagsForResource"]
    resources = local.anomaly_arns
  }
}


# -----------------------------------------------------------------------------
# Deploy role: what the plan role reads, plus creating, changing and deleting the
# environment's resources. Managed policies, one per concern: an inline policy holds
# at most 10,240 characters per role and a managed one 6,144.
# -----------------------------------------------------------------------------
# Deploy role, buckets, uploaded artifacts, KMS keys and aliases.
data "aws_iam_policy_document" "deploy_storage" {
  for_each = local.role_envs

  statement {
    sid       = "ManageBuckets"
    actions   = ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucket*", "s3:DeleteBucketPolicy", "s3:DeleteBucketOwnershipControls", "s3:PutLifecycleConfiguration", "s3:PutEncryptionConfiguration", "s3:PutAccelerateConfiguration"]
    resources = local.bucket_arns[each.key]
  }

  statement {
    sid       = "UploadArtifacts"
    actions   = ["s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteObjectTagging"]
    resources = local.artifact_arns[each.key]
  }

  statement {
    sid       = "CreateTaggedKeys"
    actions   = ["kms:CreateKey", "kms:TagResource"]
    resources = ["*"] # CreateKey has no resource; the new key must carry Environment=<env>

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "ManageKeysOfThisEnvironment"
    actions   = ["kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:ListGrants", "kms:RetireGrant"]
    resources = ["arn:${local.p}:kms:*:${local.acct}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "GrantKeysToAwsServices"
    actions   = ["kms:CreateGrant"]
    resources = ["arn:${local.p}:kms:*:${local.acct}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  statement {
    sid       = "ManageAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = local.alias_arns[each.key]
  }
}

# Deploy role, the environment's IAM roles and policies.
data "aws_iam_policy_document" "deploy_identity" {
  for_each = local.role_envs

  statement {
    sid       = "ManageRolesAndPolicies"
    actions   = ["iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"]
    resources = local.role_arns[each.key]
  }

  statement {
    sid       = "AttachOnlyThisEnvironmentsPolicies"
    actions   = ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]
    resources = local.role_arns[each.key]

    condition {
      test     = "ArnLike"
      variable = "iam:PolicyARN"
      values   = [for n in local.names[each.key] : "arn:${local.p}:iam::${local.acct}:policy/${n}"]
    }
  }

  statement {
    sid       = "PassRolesToTheirServices"
    actions   = ["iam:PassRole"]
    resources = [for n in local.names[each.key] : "arn:${local.p}:iam::${local.acct}:role/${n}"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["glue.amazonaws.com", "redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]
    }
  }

  statement {
    sid       = "RedshiftServiceLinkedRole"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:${local.p}:iam::${local.acct}:role/aws-service-role/redshift.amazonaws.com/*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["redshift.amazonaws.com"]
    }
  }
}

# Deploy role, Glue catalog, crawler and job; alerts topic, alarms, rules, dashboard.
data "aws_iam_policy_document" "deploy_catalog" {
  for_each = local.role_envs

  statement {
    sid       = "ManageGlue"
    actions   = ["glue:CreateDatabase", "glue:UpdateDatabase", "glue:DeleteDatabase", "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:CreatePartitionIndex", "glue:DeletePartitionIndex", "glue:CreateCrawler", "glue:UpdateCrawler", "glue:DeleteCrawler", "glue:CreateJob", "glue:UpdateJob", "glue:DeleteJob", "glue:TagResource", "glue:UntagResource"]
    resources = local.glue_arns[each.key]
  }

  statement {
    sid       = "GlueSecurityConfigurationsHaveNoResource"
    actions   = ["glue:CreateSecurityConfiguration", "glue:DeleteSecurityConfiguration", "secretsmanager:GetRandomPassword"]
    resources = ["*"]
  }

  statement {
    sid       = "ManageTopic"
    actions   = ["sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource", "sns:Subscribe", "sns:Unsubscribe", "sns:SetSubscriptionAttributes"]
    resources = local.topic_arns[each.key]
  }

  statement {
    sid       = "ManageMonitoring"
    actions   = ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards", "events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets", "events:TagResource", "events:UntagResource"]
    resources = local.monitoring_arns[each.key]
  }
}

# Deploy role, Redshift Serverless, its admin secret, Cost Explorer monitors, MWAA.
data "aws_iam_policy_document" "deploy_warehouse" {
  for_each = local.role_envs

  statement {
    sid       = "CreateTaggedRedshiftServerless"
    actions   = ["redshift-serverless:CreateNamespace", "redshift-serverless:CreateWorkgroup", "redshift-serverless:TagResource"]
    resources = local.redshift_arns

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "ManageRedshiftServerlessOfThisEnvironment"
    actions   = ["redshift-serverless:UpdateNamespace", "redshift-serverless:DeleteNamespace", "redshift-serverless:UpdateWorkgroup", "redshift-serverless:DeleteWorkgroup", "redshift-serverless:CreateUsageLimit", "redshift-serverless:UpdateUsageLimit", "redshift-serverless:DeleteUsageLimit", "redshift-serverless:TagResource", "redshift-serverless:UntagResource"]
    resources = local.redshift_arns

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "RedshiftManagedAdminSecret"
    actions   = ["secretsmanager:CreateSecret", "secretsmanager:DescribeSecret", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret", "secretsmanager:RotateSecret", "secretsmanager:TagResource"]
    resources = ["arn:${local.p}:secretsmanager:*:${local.acct}:secret:redshift!${var.name_prefix}-${each.key}-*"]
  }

  statement {
    sid       = "RedshiftServerlessNetworking"
    actions   = ["ec2:DescribeNetworkInterfaces", "ec2:DescribeAddresses", "ec2:DescribeInternetGateways"]
    resources = ["*"] # these ec2:Describe* have no resource-level permissions
  }

  statement {
    sid       = "RedshiftServerlessVpcAttributes"
    actions   = ["ec2:DescribeVpcAttribute"]
    resources = ["arn:${local.p}:ec2:*:${local.acct}:vpc/*"]
  }

  statement {
    sid       = "CreateTaggedCostAnomalyMonitors"
    actions   = ["ce:CreateAnomalyMonitor", "ce:CreateAnomalySubscription", "ce:TagResource"]
    resources = local.anomaly_arns # ids are generated: the Environment tag scopes them

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "ManageCostAnomalyMonitorsOfThisEnvironment"
    actions   = ["ce:UpdateAnomalyMonitor", "ce:DeleteAnomalyMonitor", "ce:UpdateAnomalySubscription", "ce:DeleteAnomalySubscription", "ce:TagResource", "ce:UntagResource"]
    resources = local.anomaly_arns

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }
  }

  dynamic "statement" {
    for_each = contains(keys(var.mwaa_environments), each.key) ? [var.mwaa_environments[each.key]] : []

    content {
      sid       = "SyncMwaaBucket"
      actions   = ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      resources = ["arn:${local.p}:s3:::${statement.value.bucket_name}", "arn:${local.p}:s3:::${statement.value.bucket_name}/dags/*", "arn:${local.p}:s3:::${statement.value.bucket_name}/requirements.txt"]
    }
  }

  dynamic "statement" {
    for_each = contains(keys(var.mwaa_environments), each.key) ? [var.mwaa_environments[each.key]] : []

    content {
      sid       = "SmokeCheckThroughMwaa"
      actions   = ["airflow:InvokeRestApi", "airflow:GetEnvironment"]
      resources = ["arn:${local.p}:airflow:*:${local.acct}:environment/${statement.value.environment_name}", "arn:${local.p}:airflow:*:${local.acct}:role/${statement.value.environment_name}/*"]
    }
  }
}

# Deploy role, the network module: VPC, private subnets, route tables, security groups
# and their rules, VPC endpoints, flow logs. EC2 ids are generated, so the Environment
# tag scopes everything: a new resource must be created with Environment=<env>, and
# every existing resource a call touches (the VPC of a new subnet, ...) must carry it.
data "aws_iam_policy_document" "deploy_network" {
  for_each = local.role_envs

  # Creating a resource, or tagging an untagged one: the VPC's default security group,
  # which aws_default_security_group adopts (tags, then empties). A resource tagged for
  # another environment can never be re-tagged.
  statement {
    sid     = "CreateTaggedNetworkResources"
    actions = ["ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:CreateVpcEndpoint", "ec2:CreateFlowLogs", "ec2:CreateTags"]
    resources = [for type in ["vpc", "subnet", "route-table", "security-group", "security-group-rule", "vpc-endpoint", "vpc-flow-log"] :
    "arn:${local.p}:ec2:*:${local.acct}:${type}/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/Environment"
      values   = ["true"]
    }
  }

  statement {
    sid       = "ChangeNetworkResourcesOfThisEnvironment"
    actions   = ["ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:CreateVpcEndpoint", "ec2:CreateFlowLogs", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress", "ec2:ModifyVpcAttribute", "ec2:ModifySubnetAttribute", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpc", "ec2:DeleteSubnet", "ec2:DeleteRouteTable", "ec2:DeleteSecurityGroup", "ec2:DeleteVpcEndpoints", "ec2:DeleteFlowLogs", "ec2:CreateTags", "ec2:DeleteTags"]
    resources = ["arn:${local.p}:ec2:*:${local.acct}:*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }

    condition {
      test     = "StringEqualsIfExists"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }
  }

  statement {
    sid       = "FlowLogsToS3HaveNoResource"
    actions   = ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"]
    resources = ["*"] # CloudWatch Logs vended-log delivery has no resource-level permission
  }
}

locals {
  policy_documents = {
    state     = data.aws_iam_policy_document.state
    read      = data.aws_iam_policy_document.plan
    storage   = data.aws_iam_policy_document.deploy_storage
    identity  = data.aws_iam_policy_document.deploy_identity
    catalog   = data.aws_iam_policy_document.deploy_catalog
    warehouse = data.aws_iam_policy_document.deploy_warehouse
    network   = data.aws_iam_policy_document.deploy_network
  }
  # role kind -> the policies it gets
  role_policies = {
    plan   = ["state", "read"]
    deploy = ["state", "read", "storage", "identity", "catalog", "warehouse", "network"]
  }
  policies = merge([for env in local.role_envs : {
    for name, documents in local.policy_documents : "${env}/${name}" => {
      env = env, name = name, json = documents[env].json
    }
  }]...)
}

resource "aws_iam_policy" "terraform" {
  for_each = local.policies

  # tf-* like the roles: outside the names the policies let a role manage.
  name        = "tf-${var.name_prefix}-${each.value.env}-${each.value.name}"
  description = "Terraform of ${var.name_prefix} ${each.value.env}: ${each.value.name}"
  policy      = each.value.json
}

resource "aws_iam_role_policy_attachment" "plan" {
  for_each = merge([for env in local.role_envs : {
    for name in local.role_policies.plan : "${env}/${name}" => { env = env, name = name }
  }]...)

  role       = aws_iam_role.plan[each.value.env].name
  policy_arn = aws_iam_policy.terraform[each.key].arn
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = merge([for env in local.role_envs : {
    for name in local.role_policies.deploy : "${env}/${name}" => { env = env, name = name }
  }]...)

  role       = aws_iam_role.deploy[each.value.env].name
  policy_arn = aws_iam_policy.terraform[each.key].arn
}
