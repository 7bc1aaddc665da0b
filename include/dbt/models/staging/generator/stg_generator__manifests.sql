{#- One row per landed day and table from the generator's manifest: what it wrote. -#}
with

manifests as (

    select * from {{ source('generator', 'manifests') }}

),

{% for table_name in var('raw_tables') %}
{{ table_name }} as (

    select
        manifests.dt,
        cast(manifests.dt as date) as load_date,
        '{{ table_name }}' as source_table,
        cast(manifests.tables.{{ table_name }}.rows as bigint) as manifest_rows,
        cast(manifests.tables.{{ table_name }}.good_rows as bigint) as manifest_good_rows,
        manifests.tables.{{ table_name }}.sha256 as file_sha256,
        cast(
            {{ "manifests.order_items_line_amount_usd" if table_name == "order_items" else "null" }}
            as decimal(18, 2)
        ) as line_amount_usd

    from manifests

),

{% endfor %}
unioned as (

    {% for table_name in var('raw_tables') %}
    select * from {{ table_name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {% endfor %}

)

select * from unioned
