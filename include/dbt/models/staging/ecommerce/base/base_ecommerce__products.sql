{%- set columns = [
    'product_id', 'sku', 'product_name', 'category', 'subcategory', 'brand',
    'list_price_usd', 'unit_cost_usd', 'is_active', 'updated_at',
] -%}

with

raw as (

    {{ ecommerce_raw_rows('products', columns) }}

),

checked as (

    select
        *,
        {{ first_failed_check([
            ('invalid_utf8', 'not is_valid_utf8'),
            ('malformed_line', 'not is_well_formed'),
            ('missing_required', any_missing(columns)),
            ('bad_number', safe_bigint('product_id') ~ ' is null or '
                ~ safe_money('list_price_usd') ~ ' is null or '
                ~ safe_money('unit_cost_usd') ~ ' is null or '
                ~ safe_boolean('is_active') ~ ' is null'),
            ('bad_timestamp', safe_timestamp('updated_at') ~ ' is null'),
            ('negative_amount', safe_money('list_price_usd') ~ ' < 0 or '
                ~ safe_money('unit_cost_usd') ~ ' < 0'),
        ]) }} as parse_error

    from raw

),

typed as (

    select
        {{ safe_bigint('product_id') }} as product_id,
        sku,
        product_name,
        category,
        subcategory,
        brand,
        {{ safe_money('list_price_usd') }} as list_price_usd,
        {{ safe_money('unit_cost_usd') }} as unit_cost_usd,
        {{ safe_boolean('is_active') }} as is_active,
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
            partition by parse_error, product_id, updated_at
            order by source_file, line_number
        ) as copy_number

    from typed

),

final as (

    select
        product_id,
        sku,
        product_name,
        category,
        subcategory,
        brand,
        list_price_usd,
        unit_cost_usd,
        is_active,
        updated_at,
        load_date,
        source_file,
        line_number,
        raw_line,
        coalesce(
            parse_error,
            case when copy_number > 1 then 'duplicate_id' end
        ) as quarantine_reason

    from numbered

)

select * from final
