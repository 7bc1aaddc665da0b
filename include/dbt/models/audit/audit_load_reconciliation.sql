{#-
    One row per raw table and day that the ETL job loaded into silver: what the
    generator's manifest says was written, next to what the job read, wrote and
    quarantined (silver loads) and what the warehouse rejected and loaded. Every line
    must be read, and loaded or rejected by one of the two, and the split must match
    the manifest (tests/assert_raw_rows_reconcile.sql). A day landed in bronze whose
    job has not run yet is not here (its ingest run failed and alerted).
-#}
with

manifests as (

    select * from {{ ref('stg_generator__manifests') }}

),

loads as (

    select * from {{ ref('stg_ecommerce__loads') }}

),

loaded as (

    {% for table_name, model in [
        ('customers', 'int_customer_versions'),
        ('products', 'int_product_versions'),
        ('orders', 'int_order_versions'),
        ('order_items', 'int_order_lines'),
    ] %}
    select
        '{{ table_name }}' as source_table,
        dt,
        {% if model in ('int_order_versions', 'int_order_lines') -%}
        count(case when quarantine_reason is null then 1 end) as rows_loaded,
        count(quarantine_reason) as rows_rejected
        {%- else -%}
        count(*) as rows_loaded,
        0 as rows_rejected
        {%- endif %}

    from {{ ref(model) }}
    group by dt
    {%- if not loop.last %}
    union all
    {%- endif %}
    {% endfor %}

),

final as (

    select
        loads.source_table,
        loads.load_date,
        manifests.manifest_rows,
        manifests.manifest_good_rows,
        manifests.manifest_rows - manifests.manifest_good_rows as manifest_bad_rows,
        loads.rows_read,
        loads.rows_written,
        loads.rows_quarantined,
        coalesce(loaded.rows_rejected, 0) as rows_rejected,
        coalesce(loaded.rows_loaded, 0) as rows_loaded

    from loads
    left join manifests
        on
            loads.source_table = manifests.source_table
            and loads.dt = manifests.dt
    left join loaded
        on
            loads.source_table = loaded.source_table
            and loads.dt = loaded.dt

)

select * from final
