terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }
  }

  # The test passes -backend-config=path=<its temporary folder>/terraform.tfstate, so
  # no state is ever written next to this file.
  backend "local" {}
}
