# The data contract, read from contract.json, which `python -m ecommerce_dwh.contract
# write` renders from include/ecommerce_dwh/contract.py (a test fails when it is
# stale). Nothing is created: the other modules take their table lists and columns
# from these outputs, so Terraform never spells a table or a column itself.

locals {
  contract = jsondecode(file("${path.module}/contract.json"))

  tables = [for t in local.contract.tables : t.name]

  # Glue (Hive) column types of the contract's types.
  glue_types = {
    bigint          = "bigint"
    string          = "string"
    "decimal(12,2)" = "decimal(12,2)"
    timestamp       = "timestamp"
    boolean         = "boolean"
  }

  silver_columns = {
    for name, columns in local.contract.silver_datasets : name => [
      for c in columns : { name = c.name, type = local.glue_types[c.type], comment = c.description }
    ]
  }

  manifest_columns = [
    for c in local.contract.manifest_columns : { name = c.name, type = c.type, comment = c.description }
  ]
}
