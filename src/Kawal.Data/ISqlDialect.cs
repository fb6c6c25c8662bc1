using System.Data.Common;

namespace Kawal.Data;

/// <summary>What differs between SQLite and PostgreSQL. Everything else is portable SQL.</summary>
public interface ISqlDialect
{
    Engine Engine { get; }

    /// <summary>A unique or primary-key constraint failed (from SQLSTATE / SQLite extended codes, never message text).</summary>
    bool IsUniqueViolation(DbException exception);

    bool IsForeignKeyViolation(DbException exception);

    /// <summary>Case-insensitive "contains" of a text parameter, e.g. for name search.</summary>
    string ContainsIgnoreCase(string column, string parameter);

    /// <summary>Membership of a column in a list parameter; pass the parameter's value through <see cref="ListValue{T}"/>.</summary>
    string InList(string column, string parameter);

    /// <summary>
    /// <c>FROM</c> clause of the rows of <paramref name="table"/> whose <paramref name="column"/> is one of the (distinct)
    /// values of a list parameter, found one key at a time through the column's index. PostgreSQL otherwise plans
    /// <c>= ANY</c> of a thousand keys from statistics, which go stale while a bulk job grows a table: it then scans the
    /// whole table for every batch. Select the table's columns by their plain names.
    /// </summary>
    string FromKeys(string table, string column, string parameter);

    /// <summary>The value of a list parameter: an array on PostgreSQL (<c>= ANY</c>), one JSON array on SQLite (<c>json_each</c>).</summary>
    object ListValue<T>(IReadOnlyCollection<T> values);

    /// <summary>
    /// Reserves <paramref name="count"/> new ids of a table's <c>id</c> column, so that rows can be bulk-written with known
    /// ids (PostgreSQL: the identity sequence; SQLite: after MAX(id), inside the write transaction that holds the lock).
    /// </summary>
    async Task<IReadOnlyList<long>> AllocateIdsAsync(DbConnection connection, DbTransaction? transaction, string table, int count, CancellationToken ct) => count == 0 ? []
        : (await Dapper.SqlMapper.QueryAsync<long>(connection, new Dapper.CommandDefinition(AllocateIdsSql(table, "@count"), new { count }, transaction, cancellationToken: ct))).ToList();

    /// <summary>
    /// The SQL of <see cref="AllocateIdsAsync"/> (one id per row, ascending; the count is an integer parameter), to be sent
    /// with other statements in one round trip. An id reserved and not used is a gap on PostgreSQL and nothing on SQLite.
    /// </summary>
    string AllocateIdsSql(string table, string countParameter);

    /// <summary>DDL of the migrations ledger.</summary>
    string MigrationsTableDdl { get; }

    /// <summary>
    /// Starts the transaction a migration run happens in, excluding any other migrating process:
    /// <c>BEGIN EXCLUSIVE</c> on SQLite, a transaction holding an advisory lock on PostgreSQL.
    /// </summary>
    Task<ExclusiveScope> BeginExclusiveAsync(DbConnection connection, CancellationToken ct);
}

/// <summary>An exclusive transaction; disposed without commit it rolls back.</summary>
public sealed class ExclusiveScope : IAsyncDisposable
{
    private readonly Func<Task> _commit;
    private readonly Func<Task> _rollback;
    private bool _done;

    public ExclusiveScope(DbTransaction? transaction, Func<Task> commit, Func<Task> rollback)
    {
        Transaction = transaction;
        _commit = commit;
        _rollback = rollback;
    }

    /// <summary>The ADO.NET transaction to pass to commands (null on SQLite, where it is begun in SQL).</summary>
    public DbTransaction? Transaction { get; }

    public async Task CommitAsync()
    {
        await _commit();
        _done = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_done)
        {
            _done = true;
            await _rollback();
        }
    }
}
