{#- What the ETL job read and wrote per table and landed day: the warehouse compares
    load_id with what it has processed to find the partitions to (re)read. -#}
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
