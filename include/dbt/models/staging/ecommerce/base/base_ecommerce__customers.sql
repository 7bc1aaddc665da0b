{%- set columns = [
    'customer_id', 'first_name', 'last_name', 'email', 'phone', 'street', 'city',
    'state', 'postal_code', 'country', 'segment', 'signup_at', 'updated_at',
] -%}

with

raw as (

    {{ ecommerce_raw_rows('customers', columns) }}

),

checked as (

    select
        *,
        {{ first_failed_check([
            ('invalid_utf8', 'not is_valid_utf8'),
            ('malformed_line', 'not is_well_formed'),
            ('missing_required', any_missing(columns | reject('equalto', 'phone'))),
            ('bad_number', safe_bigint('customer_id') ~ ' is null'),
            ('bad_timestamp', safe_timestamp('signup_at') ~ ' is null or '
                ~ safe_timestamp('updated_at') ~ ' is null'),
            ('bad_enum', 'not ' ~ in_list('segment', var('customer_segments'))),
        ]) }} as parse_error

    from raw

),

typed as (

    select
        {{ safe_bigint('customer_id') }} as customer_id,
        first_name,
        last_name,
        lower(email) as email,
        phone,
        street,
        city,
        state,
        postal_code,
        country,
        segment,
        {{ safe_timestamp('signup_at') }} as signup_at,
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
            partition by parse_error, customer_id, updated_at
            order by source_file, line_number
        ) as copy_number

    from typed

),

final as (

    select
        customer_id,
        first_name,
        last_name,
        email,
        phone,
        street,
        city,
        state,
        postal_code,
        country,
        segment,
        signup_at,
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
