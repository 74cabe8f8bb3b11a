using System.Text.Json;
using System.Text.RegularExpressions;
using Grokking.Claims;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

/// <summary>
/// report.json's schema document (src/Grokking/Report/ReportSchema.md) lists exactly the fields the renderer writes:
/// a field written but not documented, or documented but not written, fails here, so the page cannot drift.
/// </summary>
public sealed partial class ReportSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(RepositoryLocator.Find(), "src", "Grokking", "Report", "ReportSchema.md");

    [Fact]
    public void Every_field_written_is_documented_and_every_documented_field_is_written()
    {
        using var json = JsonDocument.Parse(JsonReportRenderer.Render(ReportFixtures.Document()));
        var written = new SortedSet<string>(StringComparer.Ordinal);
        Collect(json.RootElement, "", written);

        var documented = Documented();

        written.Except(documented).Should().BeEmpty("every field report.json writes is documented in ReportSchema.md");
        documented.Except(written).Should().BeEmpty("every field ReportSchema.md documents is written (the fixtures fill them all)");
    }

    [Fact]
    public void The_file_carries_the_documented_schema_version()
    {
        using var json = JsonDocument.Parse(JsonReportRenderer.Render(ReportFixtures.Document()));

        json.RootElement.GetProperty("schemaVersion").GetInt32().Should().Be(JsonReportRenderer.SchemaVersion);
        File.ReadAllText(SchemaPath).Should().Contain(
            $"| `schemaVersion` | integer | The version of this schema the file follows: {JsonReportRenderer.SchemaVersion}. |");
    }

    [Fact]
    public void The_collector_sees_nested_fields_so_the_check_can_fail()
    {
        using var json = JsonDocument.Parse("""{"a": {"b": 1}, "c": [{"d": null}], "e": [1, 2]}""");
        var paths = new SortedSet<string>(StringComparer.Ordinal);

        Collect(json.RootElement, "", paths);

        paths.Should().Equal("a", "a.b", "c", "c[].d", "e");
    }

    /// <summary>The paths of the fields table's first column.</summary>
    private static HashSet<string> Documented() =>
        [.. File.ReadLines(SchemaPath).Select(line => FieldRow().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    /// <summary>
    /// Every property's path from the root, lists as "[]"; the control's comparisons have the comparisons' fields, which
    /// the page documents once (under claims[].comparisons[]).
    /// </summary>
    private static void Collect(JsonElement element, string path, ISet<string> paths)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                string child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                child = child.Replace("claims[].control.comparisons[].", "claims[].comparisons[].", StringComparison.Ordinal);
                paths.Add(child);
                Collect(property.Value, child, paths);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, path + "[]", paths);
            }
        }
    }

    [GeneratedRegex(@"^\| `([^`]+)` \|")]
    private static partial Regex FieldRow();
}
