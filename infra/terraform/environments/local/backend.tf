# State stays on the machine: the caller chooses the file with
# `terraform init -backend-config=path=<state dir>/terraform.tfstate`.
terraform {
  backend "local" {}
}
