variable "aws_endpoint_url" {
  description = "Endpoint of the moto server every service is pointed at."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-2"
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener: the apply test imports a self-signed one into moto; a plan needs none to exist."
  type        = string
  default     = "arn:aws:acm:us-east-2:123456789012:certificate/00000000-0000-0000-0000-000000000000"
}
