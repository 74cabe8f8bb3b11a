using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Report;

/// <summary>
/// Result records on disk: <c>&lt;claim&gt;.&lt;sha256&gt;.json</c>, the digest being that of the file's own bytes. Written
/// atomically; read back only after the bytes are checked against the name and the content against the format, so a
/// damaged, truncated or edited record is one error naming the file (<see cref="DamagedFileException"/>), never read as valid.
/// </summary>
public static partial class ResultRecordFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    [GeneratedRegex("^(?<claim>[A-Za-z0-9_-]+)\\.(?<digest>[0-9a-f]{64})\\.json$")]
    private static partial Regex NamePattern();

    /// <summary>The record's bytes as written: indented JSON, UTF-8, one final newline.</summary>
    public static byte[] Bytes(ResultRecord record) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record, Json) + "\n");

    /// <summary>The record's file name: its claim and the SHA-256 of <see cref="Bytes"/>.</summary>
    public static string NameOf(ResultRecord record) => NameOf(record.Claim, Bytes(record));

    private static string NameOf(string claim, byte[] bytes) => $"{claim}.{Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()}.json";

    /// <summary>Writes the record into <paramref name="directory"/> (created when missing), atomically; returns its path.</summary>
    public static string Write(string directory, ResultRecord record)
    {
        byte[] bytes = Bytes(record);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, NameOf(record.Claim, bytes));
        AtomicFile.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The claim a record file name names; null when the name is not a record's.</summary>
    public static string? ClaimOf(string path) => NamePattern().Match(Path.GetFileName(path)) is { Success: true } m ? m.Groups["claim"].Value : null;

    /// <summary>
    /// Every record file under the directories (searched recursively: an artifact download may put each shard in a folder
    /// of its own), each once, sorted by path; files whose names are not records' are not read.
    /// </summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> directories) =>
    [
        .. directories
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.json", SearchOption.AllDirectories))
            .Where(f => ClaimOf(f) is not null)
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Reads a record, checking its bytes against its name and its content against the format.</summary>
    public static ResultRecord Read(string path)
    {
        string? claim = ClaimOf(path) ?? throw new DamagedFileException(path, "not a result record's name (<claim>.<sha256>.json)");
        byte[] bytes = File.ReadAllBytes(path);
        if (NameOf(claim, bytes) != Path.GetFileName(path))
        {
            throw new DamagedFileException(
                path, "its content does not match the SHA-256 in its name (damaged or edited)", "run the shard that made it again");
        }

        ResultRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<ResultRecord>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(path, $"not a result record ({JsonText.Describe(e)})");
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException)
        {
            // A well-formed JSON file whose values the outcome's records refuse (a measured value without its key).
            throw new DamagedFileException(path, $"not a result record ({e.Message})");
        }

        return Checked(path, claim, record);
    }

    private static ResultRecord Checked(string path, string claim, ResultRecord? record)
    {
        string? problem = record switch
        {
            null => "holds null",
            { RecordVersion: not ResultRecord.Version } => $"record version {record.RecordVersion}, not {ResultRecord.Version}",
            { Outcome: null } or { Provenance: null } or { Selection: null } or { Configuration: null } or { Figures: null } or { CachedRuns: null }
                => "lacks one of outcome, provenance, selection, configuration, figures, cachedRuns",
            _ when record.Claim != claim || record.Outcome.Id != claim => $"holds claim '{record.Claim}' ('{record.Outcome.Id}'), not '{claim}'",
            _ when record.Outcome.Profile != record.Profile => "its outcome's profile is not the record's",
            _ when !record.Selection.Contains(claim, StringComparer.Ordinal) => "its claim is not in its selection",
            _ => null,
        };
        return problem is null ? record! : throw new DamagedFileException(path, problem);
    }
}
