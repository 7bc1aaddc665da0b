{#- The rows the ETL job rejected (one file per landed day); the warehouse's own
    rejections are added in audit_quarantined_rows. -#}
with

source as (

    select * from {{ source('ecommerce', 'quarantine') }}

),

renamed as (

    select
        source_table,
        quarantine_reason,
        source_file,
        line_number,
        raw_line,
        record_id,
        dt,
        cast(dt as date) as load_date

    from source

)

select * from renamed
