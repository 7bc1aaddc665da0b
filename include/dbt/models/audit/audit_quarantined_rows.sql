{#-
    Every raw row that did not load, one row each, with the reason and where it is:
    the ETL job's rejections (with the raw line) and the warehouse's (a reference to
    a customer, order or product never loaded; the raw line is at source_file,
    line_number in the bronze zone, the typed row in silver).

    raw_line and record_id have the same explicit width in every branch: Redshift makes a
    bare `varchar` 256 bytes in a table, and a raw line can be much longer.
-#}
with

etl_job as (

    select
        quarantine.source_table,
        quarantine.quarantine_reason,
        'etl_job' as rejected_by,
        quarantine.load_date,
        quarantine.source_file,
        quarantine.line_number,
        cast(quarantine.raw_line as varchar(65535)) as raw_line,
        cast(quarantine.record_id as varchar(65535)) as record_id

    from {{ ref('stg_ecommerce__quarantine') }} as quarantine
    -- only the days this build takes (stg_ecommerce__loads, one row per table and
    -- day): a day that lands while the build runs is counted with its facts next time
    inner join {{ ref('stg_ecommerce__loads') }} as loads
        on
            quarantine.source_table = loads.source_table
            and quarantine.dt = loads.dt

),

orders as (

    select
        'orders' as source_table,
        quarantine_reason,
        'warehouse' as rejected_by,
        load_date,
        source_file,
        line_number,
        cast(null as varchar(65535)) as raw_line,
        cast(order_id as varchar(65535)) as record_id

    from {{ ref('int_order_versions') }}
    where quarantine_reason is not null

),

order_items as (

    select
        'order_items' as source_table,
        quarantine_reason,
        'warehouse' as rejected_by,
        load_date,
        source_file,
        line_number,
        cast(null as varchar(65535)) as raw_line,
        cast(order_item_id as varchar(65535)) as record_id

    from {{ ref('int_order_lines') }}
    where quarantine_reason is not null

),

final as (

    select * from etl_job
    union all
    select * from orders
    union all
    select * from order_items

)

select * from final
