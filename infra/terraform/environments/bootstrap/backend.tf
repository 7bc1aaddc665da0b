# The bootstrap stack cannot keep its state in the bucket it creates: it keeps
# it in a local file. scripts/deploy.sh passes
# `-backend-config=path=<repo>/.local/terraform/bootstrap.tfstate`; losing that
# file is harmless (terraform import the bucket and the table).
terraform {
  backend "local" {}
}
