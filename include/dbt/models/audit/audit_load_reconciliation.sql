{#-
    One row per raw table and loaded day: what the generator's manifest says was
    written, next to what the warehouse read, loaded and quarantined. Every line
    must be read, and loaded or quarantined (tests/assert_raw_rows_reconcile.sql).
-#}
{%- set tables = ['customers', 'products', 'orders', 'order_items'] -%}

with

manifests as (

    select * from {{ source('ecommerce', 'manifests') }}

),

manifest_counts as (

    {% for table_name in tables %}
    select
        '{{ table_name }}' as source_table,
        cast(manifests.day as date) as load_date,
        cast(manifests.tables.{{ table_name }}.rows as bigint) as manifest_rows,
        cast(manifests.tables.{{ table_name }}.good_rows as bigint) as manifest_good_rows

    from manifests
    {%- if not loop.last %}
    union all
    {%- endif %}
    {% endfor %}

),

warehouse_counts as (

    {% for table_name in tables %}
    select
        '{{ table_name }}' as source_table,
        load_date,
        count(*) as rows_read,
        count(case when quarantine_reason is null then 1 end) as rows_loaded,
        count(quarantine_reason) as rows_quarantined

    from {{ ref('base_ecommerce__' ~ table_name) }}
    group by load_date
    {%- if not loop.last %}
    union all
    {%- endif %}
    {% endfor %}

),

final as (

    select
        coalesce(manifest_counts.source_table, warehouse_counts.source_table) as source_table,
        coalesce(manifest_counts.load_date, warehouse_counts.load_date) as load_date,
        manifest_counts.manifest_rows,
        manifest_counts.manifest_good_rows,
        manifest_counts.manifest_rows - manifest_counts.manifest_good_rows as manifest_bad_rows,
        coalesce(warehouse_counts.rows_read, 0) as rows_read,
        coalesce(warehouse_counts.rows_loaded, 0) as rows_loaded,
        coalesce(warehouse_counts.rows_quarantined, 0) as rows_quarantined

    from manifest_counts
    full outer join warehouse_counts
        on
            manifest_counts.source_table = warehouse_counts.source_table
            and manifest_counts.load_date = warehouse_counts.load_date

)

select * from final
