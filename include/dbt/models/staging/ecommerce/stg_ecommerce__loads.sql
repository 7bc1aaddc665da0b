{#- What the ETL job read and wrote per table and landed day: the warehouse compares
    load_id with what it has processed to find the partitions to (re)read.

    A table, not a view like the other staging models: it is built first in every
    build (each model that reads silver depends on it) and so fixes which landed days
    this build takes. The ETL job writes a day's loads last, after its tables and
    quarantine, and dwh_ingest may land the next day while a transform runs; read
    through a view, a model compiled late in the build would take that day while the
    models it joins to (compiled earlier) do not hold it, and, say, every line of the
    new day's orders would be rejected as unknown_order for good. With the table, that
    day waits for the next build. -#}
{{ config(materialized='table') }}

with

source as (

    select * from {{ source('ecommerce', 'loads') }}

),

renamed as (

    select
        source_table,
        load_id,
        contract_version,
        source_files,
        source_bytes,
        source_sha256,
        rows_read,
        rows_written,
        rows_quarantined,
        {%- for reason in var('etl_job_reasons') %}
        quarantined_{{ reason }},
        {%- endfor %}
        dt,
        cast(dt as date) as load_date

    from source

)

select * from renamed
