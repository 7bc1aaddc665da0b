# A small root module with a remote S3 backend, for the cross-machine test of the plan
# store (tests/delivery/test_cross_machine.py): plan on one machine, apply on another.
# environments/aws cannot be applied whole against moto (no Redshift Serverless); this
# root has only resources moto implements, so its apply must succeed.

resource "aws_sns_topic" "this" {
  name = "${var.name_prefix}-alerts-${var.topic_suffix}"
}

resource "aws_iam_role" "this" {
  name = "${var.name_prefix}-role"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
}
