{#-
    DDL for the Redshift sources: the Spectrum external schema over the Glue raw
    database that the crawler fills, and an external table over the generator's
    manifests for the reconciliation.

    The pipeline runs it once per environment through the Redshift Data API
    (workgroup_name), e.g. from a DAG task:

        dbt run-operation create_spectrum_schema --target prod --args
          '{glue_database: ecommerce_dwh_prod_raw,
            iam_role_arn: "arn:aws:iam::123456789012:role/ecommerce-dwh-prod-spectrum",
            raw_bucket: ecommerce-dwh-raw-prod}'

    or by rendering `spectrum_schema_ddl(...)` and sending each statement with
    RedshiftDataOperator. Both statements are idempotent (if not exists).

    Note: Spectrum's JSON SerDe reads one JSON object per line; the manifests must
    be written compact (json.dumps without indent) for the manifests table.
-#}
{% macro spectrum_schema_ddl(glue_database, iam_role_arn, raw_bucket, schema_name=none) -%}
    {%- set schema_name = schema_name or var('raw_schema') -%}
    {%- set statements = [] -%}
    {%- do statements.append(
        "create external schema if not exists " ~ schema_name
        ~ " from data catalog database '" ~ glue_database ~ "'"
        ~ " iam_role '" ~ iam_role_arn ~ "'"
    ) -%}
    {%- set counts = "struct<\"rows\":bigint, good_rows:bigint, bad_rows:struct<"
        ~ "malformed_line:bigint, missing_required:bigint, negative_quantity:bigint,"
        ~ " unknown_customer:bigint, unknown_product:bigint, duplicate_id:bigint,"
        ~ " bad_timestamp:bigint, invalid_utf8:bigint>>" -%}
    {%- do statements.append(
        "create external table if not exists " ~ schema_name ~ ".manifests ("
        ~ " day varchar(10),"
        ~ " tables struct<customers:" ~ counts ~ ", products:" ~ counts
        ~ ", orders:" ~ counts ~ ", order_items:" ~ counts ~ ">,"
        ~ " order_items_line_amount_usd varchar(32),"
        ~ " bad_rows_total bigint)"
        ~ " row format serde 'org.openx.data.jsonserde.JsonSerDe'"
        ~ " location 's3://" ~ raw_bucket ~ "/raw/_manifests/'"
    ) -%}
    {{ return(statements) }}
{%- endmacro %}


{#- dry_run: only log the statements (used by tests/dbt to parse them). -#}
{% macro create_spectrum_schema(
    glue_database, iam_role_arn, raw_bucket, schema_name=none, dry_run=false
) %}
    {%- for statement in spectrum_schema_ddl(glue_database, iam_role_arn, raw_bucket, schema_name) %}
        {{ log("spectrum DDL: " ~ statement, info=true) }}
        {%- if execute and not dry_run %}
            {%- do run_query(statement) %}
        {%- endif %}
    {%- endfor %}
{% endmacro %}
