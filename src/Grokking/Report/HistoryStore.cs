using System.Globalization;
using System.Text.Json;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Microsoft.Data.Sqlite;

namespace Grokking.Report;

/// <summary>
/// The history of verifies (issue 30): one SQLite file, a row per verify in <c>runs</c> (its provenance: commit, dirty flag
/// and diff hash, profile, device, dtype, engine and library versions, threads, configuration) and a row per claim of it in
/// <c>results</c> (verdict, rule verdict and the claim's comparisons with their intervals and measured values as JSON).
/// </summary>
/// <remarks>
/// Several processes may append at once (a verify per shard, a test run beside a verify): the file is in WAL mode, every
/// connection waits up to <see cref="BusyTimeout"/> for a lock, and an append is one immediate transaction. Connections are
/// not pooled, so the last one to close checkpoints the log and the history is one file at rest (a CI cache keeps it whole).
/// A file that is not a history of this schema (damaged, another program's database) is a <see cref="HistoryInputException"/>.
/// </remarks>
public sealed class HistoryStore
{
    /// <summary>The history's file name in the report folder when Output:HistoryFile does not name one.</summary>
    public const string FileName = "history.db";

    /// <summary>SQLite's application_id of a grokking history ("GrkH"): tells it from any other SQLite database.</summary>
    internal const long ApplicationId = 0x47726B48;

    /// <summary>The tables' layout (SQLite's user_version); a file of another layout is refused, never guessed at.</summary>
    internal const long SchemaVersion = 1;

    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(60);

    private HistoryStore(string path) => FilePath = path;

    public string FilePath { get; }

    /// <summary>
    /// The history at <paramref name="path"/>, checked (its application id, layout and SQLite's quick_check). With
    /// <paramref name="create"/> a missing file (and its folder) is created empty; without, it is an error naming the file.
    /// </summary>
    public static HistoryStore Open(string path, bool create)
    {
        string full = Path.GetFullPath(path);
        if (!create && !File.Exists(full))
        {
            throw new HistoryInputException($"{full}: no history there ('grokking verify' writes one; Output:HistoryFile names another)");
        }

        if (create)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        }

        var store = new HistoryStore(full);
        store.Guarded(() =>
        {
            using var connection = store.Connect(create);
            using var transaction = connection.BeginTransaction(deferred: false);
            store.Prepare(connection);
            transaction.Commit();
            return 0;
        });
        return store;
    }

    /// <summary>Appends a verify's entry in one transaction; returns its id.</summary>
    public long Append(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Guarded(() =>
        {
            using var connection = Connect(create: false);
            using var transaction = connection.BeginTransaction(deferred: false);
            var environment = entry.Run.Environment;
            long id = Scalar<long>(
                connection,
                """
                INSERT INTO runs (recorded, source, started, commit_id, dirty, diff_hash, profile, device, dtype, engine,
                                  torchsharp, libtorch, threads, configuration, environment)
                VALUES ($recorded, $source, $started, $commit, $dirty, $diffHash, $profile, $device, $dtype, $engine,
                        $torchSharp, $libTorch, $threads, $configuration, $environment);
                SELECT last_insert_rowid();
                """,
                ("$recorded", entry.Run.Recorded.ToString("O", CultureInfo.InvariantCulture)),
                ("$source", entry.Run.Source),
                ("$started", environment.Started.ToString("O", CultureInfo.InvariantCulture)),
                ("$commit", environment.GitCommit),
                ("$dirty", environment.GitDirty is { } dirty ? (dirty ? 1 : 0) : null),
                ("$diffHash", environment.GitDiffHash),
                ("$profile", environment.Profile.Name),
                ("$device", environment.Device),
                ("$dtype", environment.Dtype),
                ("$engine", environment.Engine),
                ("$torchSharp", environment.TorchSharpVersion),
                ("$libTorch", environment.LibTorchVersion),
                ("$threads", environment.Threads),
                ("$configuration", HistoryJson.Serialize(environment.Configuration)),
                ("$environment", HistoryJson.Serialize(environment)));
            for (int i = 0; i < entry.Claims.Count; i++)
            {
                var claim = entry.Claims[i];
                Execute(
                    connection,
                    """
                    INSERT INTO results (run_id, position, claim, verdict, rule_verdict, record)
                    VALUES ($run, $position, $claim, $verdict, $ruleVerdict, $record)
                    """,
                    ("$run", id),
                    ("$position", i),
                    ("$claim", claim.Id),
                    ("$verdict", Name(claim.Verdict)),
                    ("$ruleVerdict", Name(claim.RuleVerdict)),
                    ("$record", HistoryJson.Serialize(claim)));
            }

            transaction.Commit();
            return id;
        });
    }

    /// <summary>Every entry's run (no results), oldest first; at <paramref name="profile"/> only when it is given.</summary>
    public IReadOnlyList<HistoryRun> Runs(Profile? profile = null) => Guarded(() =>
    {
        using var connection = Connect(create: false);
        using var command = Command(
            connection,
            "SELECT id, recorded, source, environment FROM runs WHERE $profile IS NULL OR profile = $profile ORDER BY id",
            ("$profile", profile?.Name));
        using var reader = command.ExecuteReader();
        var runs = new List<HistoryRun>();
        while (reader.Read())
        {
            runs.Add(ReadRun(reader));
        }

        return (IReadOnlyList<HistoryRun>)runs;
    });

    /// <summary>The entries with these ids, whole, in the order asked; an id the history does not hold is an error naming it.</summary>
    public IReadOnlyList<HistoryEntry> Entries(IReadOnlyList<long> ids) => Guarded(() =>
    {
        using var connection = Connect(create: false);
        var entries = new List<HistoryEntry>();
        foreach (long id in ids)
        {
            using var command = Command(connection, "SELECT id, recorded, source, environment FROM runs WHERE id = $id", ("$id", id));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                throw new HistoryInputException($"{FilePath}: holds no entry #{id.ToString(CultureInfo.InvariantCulture)}");
            }

            var run = ReadRun(reader);
            entries.Add(new HistoryEntry(run, ReadClaims(connection, id)));
        }

        return (IReadOnlyList<HistoryEntry>)entries;
    });

    /// <summary>
    /// Creates the tables in an empty file; checks an existing one. Runs inside the caller's immediate transaction, so two
    /// processes creating one history at once do not both create it.
    /// </summary>
    private void Prepare(SqliteConnection connection)
    {
        long application = Scalar<long>(connection, "PRAGMA application_id");
        long layout = Scalar<long>(connection, "PRAGMA user_version");
        long objects = Scalar<long>(connection, "SELECT count(*) FROM sqlite_master");
        if (application == 0 && objects == 0)
        {
            Execute(connection, HistorySchema.Create);
            Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {SchemaVersion}");
            return;
        }

        if (application != ApplicationId)
        {
            throw Damaged("an SQLite database, but not a grokking history (another application id)");
        }

        if (layout != SchemaVersion)
        {
            throw Damaged($"a grokking history of layout {layout}, which this grokking does not read (it reads {SchemaVersion})");
        }

        string check = Scalar<string>(connection, "PRAGMA quick_check");
        if (check != "ok")
        {
            throw Damaged($"damaged (SQLite's quick_check: {check.ReplaceLineEndings(" ")})");
        }
    }

    private HistoryRun ReadRun(SqliteDataReader reader)
    {
        long id = reader.GetInt64(0);
        string what = $"{FilePath}: entry #{id.ToString(CultureInfo.InvariantCulture)}";
        if (!DateTimeOffset.TryParseExact(reader.GetString(1), "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var recorded))
        {
            throw new HistoryInputException($"{what}: its time '{reader.GetString(1)}' is not an ISO 8601 time");
        }

        var environment = HistoryJson.Deserialize<ReportEnvironment>(reader.GetString(3), $"{what}: its provenance is damaged");
        return new HistoryRun(id, recorded, reader.GetString(2), environment);
    }

    private List<HistoryClaim> ReadClaims(SqliteConnection connection, long id)
    {
        string what = $"{FilePath}: entry #{id.ToString(CultureInfo.InvariantCulture)}";
        using var command = Command(connection, "SELECT claim, record FROM results WHERE run_id = $id ORDER BY position", ("$id", id));
        using var reader = command.ExecuteReader();
        var claims = new List<HistoryClaim>();
        while (reader.Read())
        {
            var claim = HistoryJson.Deserialize<HistoryClaim>(reader.GetString(1), $"{what}: claim {reader.GetString(0)} is damaged");
            if (claim.Id != reader.GetString(0))
            {
                throw new HistoryInputException($"{what}: the row of claim {reader.GetString(0)} holds claim {claim.Id}");
            }

            claims.Add(claim);
        }

        HistoryReportReader.Check(claims, what);
        return claims;
    }

    /// <summary>
    /// A connection that waits for locks: SQLite's busy timeout, and the provider's own retry of a busy statement up to the
    /// command timeout. WAL lets readers go on while one process appends.
    /// </summary>
    private SqliteConnection Connect(bool create)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
        string journal = Scalar<string>(connection, "PRAGMA journal_mode = WAL");
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"{FilePath}: SQLite cannot keep a write-ahead log there (journal mode {journal}); choose a local file system");
        }

        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/>, turning SQLite's verdict that the file is no database, is damaged or cannot be opened
    /// into one line naming the file. Other SQLite failures (disk full, a lock held past the timeout) stay runtime failures.
    /// </summary>
    private T Guarded<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteCodes.NotADatabase or SqliteCodes.Corrupt or SqliteCodes.CantOpen)
        {
            throw Damaged(e.SqliteErrorCode == SqliteCodes.CantOpen
                ? "cannot be opened as a file (a folder, or no permission)"
                : $"damaged or not a database (SQLite: {e.Message.ReplaceLineEndings(" ")})");
        }
    }

    private HistoryInputException Damaged(string problem) =>
        new($"{FilePath}: {problem}; move it aside or point Output:HistoryFile at another file");

    private static string Name(Verdict verdict) => JsonNamingPolicy.CamelCase.ConvertName(verdict.ToString());

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        object? value = command.ExecuteScalar();
        return value is T typed ? typed : (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }
}
