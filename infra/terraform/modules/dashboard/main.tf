# The warehouse dashboard (dashboard/, Streamlit) on ECS Fargate behind an
# Application Load Balancer that admits only people signed in with Cognito:
#
#   browser --HTTPS--> ALB listener rule: authenticate-cognito, then forward
#           --HTTP (VPC only)--> task in a private subnet --IAM--> Redshift Serverless
#
# Least privilege: the task role may only call redshift-serverless:GetCredentials on
# the one workgroup; what the database user may read is a GRANT (SELECT on the marts
# and audit schemas) to the role's database user "IAMR:<task role name>", made by the
# database bootstrap step (see docs/dashboard.md). The execution role may only write
# this service's log group (and pull its image from one ECR repository, if given).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name           = "${var.name_prefix}-dashboard-${var.environment}"
  container_name = "dashboard"
  cognito_domain = coalesce(var.cognito_domain_prefix, local.name)
  account_id     = data.aws_caller_identity.current.account_id
  partition      = data.aws_partition.current.partition
  region         = data.aws_region.current.name
}

################################################################################
# Sign-in: a Cognito user pool where only administrators create users
################################################################################

resource "aws_cognito_user_pool" "this" {
  name                = local.name
  deletion_protection = var.enable_deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration   = "OPTIONAL"

  # No self sign-up: an administrator invites each person (admin-create-user).
  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length                   = 14
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  software_token_mfa_configuration {
    enabled = true
  }

  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  tags = var.tags
}

resource "aws_cognito_user_pool_domain" "this" {
  domain       = local.cognito_domain
  user_pool_id = aws_cognito_user_pool.this.id
}

resource "aws_cognito_user_pool_client" "this" {
  name         = local.name
  user_pool_id = aws_cognito_user_pool.this.id

  # The load balancer is a confidential OAuth client (authorization code flow).
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = ["https://${var.domain_name}/oauth2/idpresponse"]
  prevent_user_existence_errors        = "ENABLED"
}

################################################################################
# Network: the ALB admits allowed_cidr_blocks; the tasks admit only the ALB
################################################################################

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Dashboard load balancer: HTTPS in from allowed ranges"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${local.name}-alb" })
}

resource "aws_security_group" "task" {
  name        = "${local.name}-task"
  description = "Dashboard tasks: the container port from the load balancer only"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${local.name}-task" })
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = toset(var.allowed_cidr_blocks)

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from an allowed range"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  for_each = var.enable_http_redirect ? toset(var.allowed_cidr_blocks) : toset([])

  security_group_id = aws_security_group.alb.id
  description       = "HTTP from an allowed range (redirected to HTTPS)"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_task" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the dashboard tasks"
  referenced_security_group_id = aws_security_group.task.id
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
}

resource "aws_vpc_security_group_egress_rule" "alb_to_idp" {
  #checkov:skip=CKV_AWS_382:authenticate-cognito makes the ALB call Cognito's public token and user-info endpoints over HTTPS; their addresses are not fixed.
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS to Cognito's token and user-info endpoints"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "task_from_alb" {
  security_group_id            = aws_security_group.task.id
  description                  = "The container port, from the load balancer only"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
}

resource "aws_vpc_security_group_egress_rule" "task_to_aws_apis" {
  #checkov:skip=CKV_AWS_382:The task calls AWS APIs (Redshift Serverless GetCredentials, CloudWatch Logs, ECR) over HTTPS through NAT; their addresses are not fixed.
  security_group_id = aws_security_group.task.id
  description       = "HTTPS to AWS APIs (credentials, logs, image pull)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "task_to_redshift" {
  count = var.enable_redshift_security_group_rules ? 1 : 0

  security_group_id            = aws_security_group.task.id
  description                  = "To the Redshift Serverless workgroup"
  referenced_security_group_id = var.redshift_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = var.redshift_port
  to_port                      = var.redshift_port
}

resource "aws_vpc_security_group_ingress_rule" "redshift_from_task" {
  count = var.enable_redshift_security_group_rules ? 1 : 0

  security_group_id            = var.redshift_security_group_id
  description                  = "From the dashboard tasks"
  referenced_security_group_id = aws_security_group.task.id
  ip_protocol                  = "tcp"
  from_port                    = var.redshift_port
  to_port                      = var.redshift_port
}

################################################################################
# Load balancer: HTTPS listener; one rule authenticates, then forwards
################################################################################

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_28:A WAF web ACL is optional (web_acl_arn); every request must first pass Cognito sign-in on the listener rule.
  #checkov:skip=CKV2_AWS_76:No WAF web ACL by default (see CKV2_AWS_28); one given in web_acl_arn should include the AWS managed Log4j rule set.
  #checkov:skip=CKV_AWS_91:Access logs need an ELB-writable bucket, given in alb_access_logs_bucket; the default leaves them off.
  name                       = substr(local.name, 0, 32)
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = var.enable_deletion_protection
  idle_timeout               = 120 # Streamlit keeps one websocket per browser tab

  dynamic "access_logs" {
    for_each = var.alb_access_logs_bucket != null ? [var.alb_access_logs_bucket] : []
    content {
      bucket  = access_logs.value
      prefix  = local.name
      enabled = true
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(var.public_subnet_ids) >= 2 && length(var.private_subnet_ids) >= 1
      error_message = "The dashboard needs public_subnet_ids in two availability zones and at least one private subnet."
    }
    precondition {
      condition     = length(var.allowed_cidr_blocks) > 0
      error_message = "allowed_cidr_blocks is empty: nobody could reach the dashboard."
    }
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.web_acl_arn != null ? 1 : 0

  resource_arn = aws_lb.this.arn
  web_acl_arn  = var.web_acl_arn
}

resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; the hop to the task stays inside the VPC, and the task admits only the load balancer's security group.
  name                 = substr(local.name, 0, 32)
  target_type          = "ip"
  protocol             = "HTTP"
  port                 = var.container_port
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    path                = "/_stcore/health"
    matcher             = "200"
    interval            = 30
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  # Streamlit keeps a session's state in the task that served it.
  stickiness {
    type            = "lb_cookie"
    cookie_duration = var.session_timeout_seconds
    enabled         = true
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  # Nothing is forwarded without the authenticated rule below.
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "Forbidden"
      status_code  = "403"
    }
  }

  tags = var.tags
}

resource "aws_lb_listener_rule" "authenticated" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1

  action {
    type  = "authenticate-cognito"
    order = 1

    authenticate_cognito {
      user_pool_arn              = aws_cognito_user_pool.this.arn
      user_pool_client_id        = aws_cognito_user_pool_client.this.id
      user_pool_domain           = aws_cognito_user_pool_domain.this.domain
      on_unauthenticated_request = "authenticate"
      scope                      = "openid email"
      session_timeout            = var.session_timeout_seconds
    }
  }

  action {
    type             = "forward"
    order            = 2
    target_group_arn = aws_lb_target_group.this.arn
  }

  condition {
    path_pattern {
      values = ["/*"]
    }
  }

  tags = var.tags
}

resource "aws_lb_listener" "http" {
  count = var.enable_http_redirect ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

################################################################################
# IAM: the task reads Redshift; the execution role writes logs (and pulls the image)
################################################################################

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "task" {
  name               = "${local.name}-task"
  description        = "The dashboard's tasks: IAM credentials for one Redshift Serverless workgroup"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = var.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "RedshiftServerlessCredentials"
    actions   = ["redshift-serverless:GetCredentials"]
    resources = [var.redshift_workgroup_arn]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "redshift-read"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

resource "aws_iam_role" "execution" {
  name               = "${local.name}-execution"
  description        = "ECS pulls the dashboard image and writes its logs"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  tags = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
  }

  dynamic "statement" {
    for_each = var.ecr_repository_arn != null ? [var.ecr_repository_arn] : []
    content {
      sid       = "PullImage"
      actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.ecr_repository_arn != null ? [1] : []
    content {
      # ECR's GetAuthorizationToken has no resource-level permissions: "*" is the only form.
      sid       = "EcrLogin"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "logs-and-image"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

################################################################################
# ECS: cluster, task definition, service
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:The log holds Streamlit's server lines, no warehouse data; pass log_kms_key_arn (a key whose policy admits CloudWatch Logs) to use a customer key.
  name              = "/ecs/${local.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn

  tags = var.tags
}

resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = var.tags
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # The root file system is read-only; /tmp is the task's ephemeral storage.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = local.container_name
      image                  = var.image
      essential              = true
      readonlyRootFilesystem = true
      portMappings = [{
        containerPort = var.container_port
        protocol      = "tcp"
      }]
      mountPoints = [{
        sourceVolume  = "tmp"
        containerPath = "/tmp"
        readOnly      = false
      }]
      environment = [
        { name = "STREAMLIT_SERVER_PORT", value = tostring(var.container_port) },
        { name = "DWH_ENVIRONMENT", value = var.environment },
        { name = "DWH_REDSHIFT_WORKGROUP", value = var.redshift_workgroup_name },
        { name = "DWH_REDSHIFT_DATABASE", value = var.redshift_database_name },
        { name = "DWH_REDSHIFT_HOST", value = var.redshift_host },
        { name = "DWH_REDSHIFT_PORT", value = tostring(var.redshift_port) },
        { name = "AWS_DEFAULT_REGION", value = local.region },
        # The URL Streamlit prints; set, it never looks up the machine's external IP.
        { name = "STREAMLIT_BROWSER_SERVER_ADDRESS", value = var.domain_name },
      ]
      healthCheck = {
        command     = ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${var.container_port}/_stcore/health', timeout=4)"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 20
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = local.region
          awslogs-stream-prefix = local.container_name
        }
      }
    }
  ])

  tags = var.tags
}

resource "aws_ecs_service" "this" {
  name             = local.name
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.this.arn
  desired_count    = var.desired_count
  launch_type      = "FARGATE"
  platform_version = "LATEST"
  propagate_tags   = "SERVICE"

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = local.container_name
    container_port   = var.container_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # The target group must be attached to a listener before the service registers in it.
  depends_on = [aws_lb_listener_rule.authenticated]

  tags = var.tags
}
