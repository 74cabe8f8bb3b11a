namespace Grokking.Report;

/// <summary>
/// The history's tables (<see cref="HistoryStore.SchemaVersion"/> 1). <c>runs</c>: one row per verify, its provenance in
/// columns a query can key on (commit, dirty flag, profile, device, dtype, engine) and whole as <c>environment</c>, the
/// report's environment block. <c>results</c>: one row per claim per verify; <c>record</c> is the claim's verdicts,
/// comparisons (estimate, 95 % interval, threshold) and measured values as JSON, in report.json's names.
/// </summary>
internal static class HistorySchema
{
    public const string Create =
        """
        CREATE TABLE runs (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            recorded      TEXT    NOT NULL,
            source        TEXT    NOT NULL,
            started       TEXT    NOT NULL,
            commit_id     TEXT    NOT NULL,
            dirty         INTEGER,
            diff_hash     TEXT,
            profile       TEXT    NOT NULL,
            device        TEXT    NOT NULL,
            dtype         TEXT    NOT NULL,
            engine        TEXT    NOT NULL,
            torchsharp    TEXT    NOT NULL,
            libtorch      TEXT    NOT NULL,
            threads       INTEGER NOT NULL,
            configuration TEXT    NOT NULL,
            environment   TEXT    NOT NULL
        );
        CREATE INDEX runs_key ON runs (commit_id, dirty, profile, device, dtype, engine);
        CREATE TABLE results (
            run_id        INTEGER NOT NULL REFERENCES runs (id),
            position      INTEGER NOT NULL,
            claim         TEXT    NOT NULL,
            verdict       TEXT    NOT NULL,
            rule_verdict  TEXT    NOT NULL,
            record        TEXT    NOT NULL,
            PRIMARY KEY (run_id, claim)
        );
        CREATE INDEX results_claim ON results (claim, run_id);
        """;
}
