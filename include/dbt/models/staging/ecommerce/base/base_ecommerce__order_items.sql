{%- set columns = [
    'order_item_id', 'order_id', 'product_id', 'quantity', 'unit_price_usd',
    'discount_usd', 'line_amount_usd', 'updated_at',
] -%}

with

raw as (

    {{ ecommerce_raw_rows('order_items', columns) }}

),

orders as (

    select distinct order_id
    from {{ ref('base_ecommerce__orders') }}
    where quarantine_reason is null

),

products as (

    select distinct product_id
    from {{ ref('base_ecommerce__products') }}
    where quarantine_reason is null

),

checked as (

    select
        *,
        {{ first_failed_check([
            ('invalid_utf8', 'not is_valid_utf8'),
            ('malformed_line', 'not is_well_formed'),
            ('missing_required', any_missing(columns)),
            ('bad_number', safe_bigint('order_item_id') ~ ' is null or '
                ~ safe_bigint('order_id') ~ ' is null or '
                ~ safe_bigint('product_id') ~ ' is null or '
                ~ safe_bigint('quantity') ~ ' is null or '
                ~ safe_money('unit_price_usd') ~ ' is null or '
                ~ safe_money('discount_usd') ~ ' is null or '
                ~ safe_money('line_amount_usd') ~ ' is null'),
            ('bad_timestamp', safe_timestamp('updated_at') ~ ' is null'),
            ('non_positive_quantity', safe_bigint('quantity') ~ ' <= 0'),
            ('negative_amount', safe_money('unit_price_usd') ~ ' < 0 or '
                ~ safe_money('discount_usd') ~ ' < 0'),
            ('inconsistent_line_amount', safe_money('line_amount_usd') ~ ' != '
                ~ safe_bigint('quantity') ~ ' * ' ~ safe_money('unit_price_usd')
                ~ ' - ' ~ safe_money('discount_usd')),
        ]) }} as parse_error

    from raw

),

typed as (

    select
        {{ safe_bigint('order_item_id') }} as order_item_id,
        {{ safe_bigint('order_id') }} as order_id,
        {{ safe_bigint('product_id') }} as product_id,
        cast({{ safe_bigint('quantity') }} as integer) as quantity,
        {{ safe_money('unit_price_usd') }} as unit_price_usd,
        {{ safe_money('discount_usd') }} as discount_usd,
        {{ safe_money('line_amount_usd') }} as line_amount_usd,
        {{ safe_timestamp('updated_at') }} as updated_at,
        load_date,
        source_file,
        line_number,
        raw_line,
        parse_error

    from checked

),

numbered as (

    select
        *,
        row_number() over (
            partition by parse_error, order_item_id, updated_at
            order by source_file, line_number
        ) as copy_number

    from typed

),

final as (

    select
        numbered.order_item_id,
        numbered.order_id,
        numbered.product_id,
        numbered.quantity,
        numbered.unit_price_usd,
        numbered.discount_usd,
        numbered.line_amount_usd,
        numbered.updated_at,
        numbered.load_date,
        numbered.source_file,
        numbered.line_number,
        numbered.raw_line,
        coalesce(
            numbered.parse_error,
            case
                when numbered.copy_number > 1 then 'duplicate_id'
                when orders.order_id is null then 'unknown_order'
                when products.product_id is null then 'unknown_product'
            end
        ) as quarantine_reason

    from numbered
    left join orders
        on numbered.order_id = orders.order_id
    left join products
        on numbered.product_id = products.product_id

)

select * from final
