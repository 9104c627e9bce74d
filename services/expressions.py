"""Database expressions the services' selectors share."""

from django.db.models import DateField, Func


class AddMonths(Func):
    """A date `months` calendar months later, or that month's last day when it has no such day: the database's
    form of `settlements.dates.add_months` (2019-08-31 + 6 months = 2020-02-29), so a list can be filtered and
    paginated on a due day in the database. PostgreSQL's `date + interval` clamps to the month's end by itself;
    SQLite's `date(…, '+6 months')` would run over into March, so the month's last day bounds it."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression, output_field=DateField())
        self.months = int(months)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + make_interval(months => %s))::date", (*params, self.months)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        shifted, month_end = f"{self.months:+d} months", f"{self.months + 1:+d} months"
        sql = f"min(date({sql}, %s), date({sql}, 'start of month', %s, '-1 day'))"
        return sql, (*params, shifted, *params, month_end)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"AddMonths is not written for {connection.vendor}")
