{%- set base_models = [
    ('customers', 'customer_id'),
    ('products', 'product_id'),
    ('orders', 'order_id'),
    ('order_items', 'order_item_id'),
] -%}

with

{% for table_name, id_column in base_models %}
{{ table_name }} as (

    select
        '{{ table_name }}' as source_table,
        quarantine_reason,
        {{ id_column }} as record_id,
        load_date,
        source_file,
        line_number,
        raw_line

    from {{ ref('base_ecommerce__' ~ table_name) }}
    where quarantine_reason is not null

),

{% endfor %}
final as (

    {% for table_name, id_column in base_models %}
    select * from {{ table_name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {% endfor %}

)

select * from final
