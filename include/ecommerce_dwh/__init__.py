"""ecommerce_dwh: code the DAGs share (generator, AWS, Terraform, Cosmos wiring, local mode)."""
