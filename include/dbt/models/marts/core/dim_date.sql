{%- set weekday_names = [
    'Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday',
] -%}
{%- set month_names = [
    'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December',
] -%}

with

spine as (

    {{ day_spine(var('calendar_start_date'), var('calendar_end_date')) }}

),

days as (

    select cast(date_day as date) as date_day
    from spine

),

parts as (

    select
        date_day,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(month from date_day) as integer) as month_number,
        cast(extract(day from date_day) as integer) as day_of_month,
        -- 0 = Sunday ... 6 = Saturday on both DuckDB and Redshift
        cast(extract(dow from date_day) as integer) as day_of_week_number,
        cast(extract(week from date_day) as integer) as iso_week_number

    from days

),

-- US federal holidays by rule (the observed weekday of a weekend holiday is not
-- flagged). Floating ones: nth weekday of the month from the day of month.
holidays as (

    select
        *,
        case
            when month_number = 1 and day_of_month = 1 then 'New Year''s Day'
            when month_number = 1 and day_of_week_number = 1 and day_of_month between 15 and 21
                then 'Martin Luther King Jr. Day'
            when month_number = 2 and day_of_week_number = 1 and day_of_month between 15 and 21
                then 'Presidents'' Day'
            when month_number = 5 and day_of_week_number = 1 and day_of_month >= 25
                then 'Memorial Day'
            when month_number = 6 and day_of_month = 19 and year_number >= 2021
                then 'Juneteenth'
            when month_number = 7 and day_of_month = 4 then 'Independence Day'
            when month_number = 9 and day_of_week_number = 1 and day_of_month <= 7
                then 'Labor Day'
            when month_number = 10 and day_of_week_number = 1 and day_of_month between 8 and 14
                then 'Columbus Day'
            when month_number = 11 and day_of_month = 11 then 'Veterans Day'
            when month_number = 11 and day_of_week_number = 4 and day_of_month between 22 and 28
                then 'Thanksgiving Day'
            when month_number = 12 and day_of_month = 25 then 'Christmas Day'
        end as holiday_name

    from parts

),

final as (

    select
        {{ date_key('date_day') }} as date_key,
        date_day,
        year_number,
        quarter_number,
        month_number,
        case month_number
            {%- for name in month_names %}
            when {{ loop.index }} then '{{ name }}'
            {%- endfor %}
        end as month_name,
        day_of_month,
        day_of_week_number,
        case day_of_week_number
            {%- for name in weekday_names %}
            when {{ loop.index0 }} then '{{ name }}'
            {%- endfor %}
        end as weekday_name,
        iso_week_number,
        day_of_week_number in (0, 6) as is_weekend,
        holiday_name is not null as is_holiday,
        holiday_name

    from holidays

)

select * from final
