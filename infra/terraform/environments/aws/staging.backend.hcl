bucket         = "tf-state-ecommerce-dwh"
key            = "ecommerce-dwh/staging/terraform.tfstate"
region         = "us-east-2"
dynamodb_table = "tf-locks-ecommerce-dwh"
encrypt        = true
