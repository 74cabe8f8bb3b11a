namespace Grokking.Report;

/// <summary>SQLite's primary result codes that mean the file is the problem (sqlite.org/rescode.html).</summary>
internal static class SqliteCodes
{
    /// <summary>SQLITE_CORRUPT: the database disk image is malformed.</summary>
    public const int Corrupt = 11;

    /// <summary>SQLITE_CANTOPEN: the file cannot be opened (a folder, a missing parent, no permission).</summary>
    public const int CantOpen = 14;

    /// <summary>SQLITE_NOTADB: the file is not a database.</summary>
    public const int NotADatabase = 26;
}
