using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Claims;

/// <summary>
/// The run cache's boundary around a run directory's readers. RunDirectory's readers name the damaged file themselves
/// (a DamagedFileException with file and line); anything else a reader still throws on a file that is not what the run
/// wrote (a parse failure deeper in a type) is named here by the directory, so it too is damage the cache recovers from
/// instead of an error with no file.
/// </summary>
internal static class RunFileCheck
{
    /// <summary>Exceptions a reader throws on a file that is not what the run wrote.</summary>
    public static bool IsParseFailure(Exception e) =>
        e is System.Text.Json.JsonException or FormatException or IndexOutOfRangeException or InvalidDataException
            or EndOfStreamException or ArgumentOutOfRangeException;

    /// <summary>The damage behind <paramref name="failure"/>, named by the run directory it was read from.</summary>
    public static DamagedFileException Locate(string directory, Exception failure) =>
        new(directory, $"cannot be read ({failure.GetType().Name}: {failure.Message.ReplaceLineEndings(" ")})");

    /// <summary>
    /// The first damage of a finished run's files as RunDirectory reads them (members, events, metrics and series, each
    /// complete to the run's last step); null when they read.
    /// </summary>
    public static DamagedFileException? FirstProblem(string directory)
    {
        try
        {
            new RunDirectory(directory).ReadResult();
            return null;
        }
        catch (DamagedFileException e)
        {
            return e;
        }
        catch (Exception e) when (IsParseFailure(e) || e is IOException)
        {
            return Locate(directory, e);
        }
    }
}
