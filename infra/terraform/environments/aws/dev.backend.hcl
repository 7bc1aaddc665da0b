bucket         = "tf-state-ecommerce-dwh"
key            = "ecommerce-dwh/dev/terraform.tfstate"
region         = "us-east-2"
dynamodb_table = "tf-locks-ecommerce-dwh"
encrypt        = true
