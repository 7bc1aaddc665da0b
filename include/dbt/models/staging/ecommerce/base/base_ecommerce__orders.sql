{%- set columns = [
    'order_id', 'customer_id', 'placed_at', 'status', 'channel', 'payment_method',
    'currency', 'updated_at',
] -%}

with

raw as (

    {{ ecommerce_raw_rows('orders', columns) }}

),

customers as (

    select distinct customer_id
    from {{ ref('base_ecommerce__customers') }}
    where quarantine_reason is null

),

checked as (

    select
        *,
        {{ first_failed_check([
            ('invalid_utf8', 'not is_valid_utf8'),
            ('malformed_line', 'not is_well_formed'),
            ('missing_required', any_missing(columns)),
            ('bad_number', safe_bigint('order_id') ~ ' is null or '
                ~ safe_bigint('customer_id') ~ ' is null'),
            ('bad_timestamp', safe_timestamp('placed_at') ~ ' is null or '
                ~ safe_timestamp('updated_at') ~ ' is null'),
            ('bad_enum', 'not (' ~ in_list('status', var('order_statuses'))
                ~ ' and ' ~ in_list('channel', var('order_channels'))
                ~ ' and ' ~ in_list('payment_method', var('payment_methods'))
                ~ ' and ' ~ in_list('currency', var('currencies')) ~ ')'),
        ]) }} as parse_error

    from raw

),

typed as (

    select
        {{ safe_bigint('order_id') }} as order_id,
        {{ safe_bigint('customer_id') }} as customer_id,
        {{ safe_timestamp('placed_at') }} as placed_at,
        status as order_status,
        channel,
        payment_method,
        currency,
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
            partition by parse_error, order_id, updated_at
            order by source_file, line_number
        ) as copy_number

    from typed

),

final as (

    select
        numbered.order_id,
        numbered.customer_id,
        numbered.placed_at,
        numbered.order_status,
        numbered.channel,
        numbered.payment_method,
        numbered.currency,
        numbered.updated_at,
        numbered.load_date,
        numbered.source_file,
        numbered.line_number,
        numbered.raw_line,
        coalesce(
            numbered.parse_error,
            case
                when numbered.copy_number > 1 then 'duplicate_id'
                when customers.customer_id is null then 'unknown_customer'
            end
        ) as quarantine_reason

    from numbered
    left join customers
        on numbered.customer_id = customers.customer_id

)

select * from final
