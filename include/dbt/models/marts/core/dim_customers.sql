{#-
    SCD2 customer dimension: every version of a customer (address, email, segment
    changes) with its validity window; see macros/marts/scd2_dimension.sql.
-#}
{{ config(
    materialized='incremental',
    unique_key='customer_sk',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

{{ scd2_dimension(
    source_model='int_customer_versions',
    natural_key='customer_id',
    surrogate_key_name='customer_sk',
    attributes=[
        'first_name', 'last_name', 'email', 'phone', 'street', 'city', 'state',
        'postal_code', 'country', 'segment', 'signup_at',
    ],
) }}
