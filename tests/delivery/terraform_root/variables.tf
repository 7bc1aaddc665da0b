variable "aws_endpoint_url" {
  description = "The moto server."
  type        = string
  default     = null
}

variable "name_prefix" {
  description = "Prefix of the names."
  type        = string
  default     = "ecommerce-dwh-xmachine"
}

variable "topic_suffix" {
  description = "Changes the topic's name: a second plan with another value has changes."
  type        = string
  default     = "one"
}
