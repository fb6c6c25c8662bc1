using System.Data;
using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Kawal.Data;

/// <summary>
/// Dapper mappings for Kawal's value types. Dates are ISO text in SQLite and <c>date</c> in PostgreSQL; periods are
/// <c>YYYY-MM</c> text on both; money is BIGINT whole rupiah; instants are UTC (ISO text / <c>timestamptz</c>).
/// </summary>
public static class TypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        // Dapper consults its built-in type map before handlers: remove the built-in entries first.
        foreach (var t in new[] { typeof(DateOnly), typeof(DateOnly?), typeof(DateTimeOffset), typeof(DateTimeOffset?) })
        {
            SqlMapper.RemoveTypeMap(t);
        }

        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new PeriodHandler());
        SqlMapper.AddTypeHandler(new RupiahHandler());
        SqlMapper.AddTypeHandler(new InstantHandler());
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (parameter is NpgsqlParameter p)
            {
                p.NpgsqlDbType = NpgsqlDbType.Date;
                p.Value = value;
            }
            else
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToIso();
            }
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            string s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new DataException($"cannot read a date from {value.GetType().Name}"),
        };
    }

    private sealed class PeriodHandler : SqlMapper.TypeHandler<Period>
    {
        public override void SetValue(IDbDataParameter parameter, Period value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString();
        }

        public override Period Parse(object value) => Period.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!.Trim());
    }

    private sealed class RupiahHandler : SqlMapper.TypeHandler<Rupiah>
    {
        public override void SetValue(IDbDataParameter parameter, Rupiah value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = value.Value;
        }

        public override Rupiah Parse(object value) => new(Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }

    private sealed class InstantHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is NpgsqlParameter p)
            {
                p.NpgsqlDbType = NpgsqlDbType.TimestampTz;
                p.Value = value.ToUniversalTime();
            }
            else
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            }
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            _ => throw new DataException($"cannot read an instant from {value.GetType().Name}"),
        };
    }
}
