using System.Text.RegularExpressions;
using FluentAssertions;
using Grokking.Claims;
using Xunit;

namespace Grokking.Tests.Unit.Architecture;

/// <summary>
/// The source tree reads as the pipeline: each layer uses only the layers below it. A nested namespace sees its
/// parents' types without a using (Claims.Analyses sees Claims), so the check reads type names, not only usings.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Bottom to top; a layer may use any layer before it.</summary>
    private static readonly string[] Layers =
    [
        "Runtime", "Configuration", "Plots", "Data", "Models", "Optim", "Training", "Landscape",
        "Claims/Contracts", "Claims/Analyses", "Claims/Toolkit", "Claims/Rules", "Claims/Baselines", "Claims", "Report",
    ];

    /// <summary>Side by side: neither may use the other.</summary>
    private static readonly (string, string)[] Siblings =
    [
        ("Claims/Analyses", "Claims/Baselines"), ("Claims/Toolkit", "Claims/Baselines"), ("Claims/Rules", "Claims/Baselines"),
    ];

    [Fact]
    public void Every_layer_uses_only_layers_below_it()
    {
        string src = Path.Combine(RepositoryLocator.Find(), "src", "Grokking");
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Layer: LayerOf(Path.GetRelativePath(src, f)), File: f, Text: File.ReadAllText(f)))
            .Where(f => f.Layer is not null)
            .ToList();
        files.Should().HaveCountGreaterThan(30, "the scan must see the source tree");

        var declared = files
            .SelectMany(f => TopLevelDeclaration().Matches(f.Text).Select(m => (m.Groups[1].Value, f.Layer!)))
            .GroupBy(d => d.Item1)
            .Where(g => g.Select(x => x.Item2).Distinct().Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Item2);
        declared.Should().ContainKeys("ClaimSuite", "ClaimDefinition", "PopulationTrainer", "LineChart");

        var violations = new List<string>();
        foreach (var (layer, file, text) in files)
        {
            string code = Comment().Replace(text, "");
            foreach (Match use in Using().Matches(code))
            {
                string target = LayerOfNamespace(use.Groups[1].Value.Replace('.', '/'));
                if (!Allowed(layer!, target))
                {
                    violations.Add($"{Path.GetFileName(file)} ({layer}) uses namespace {target}");
                }
            }

            foreach (var (type, typeLayer) in declared)
            {
                if (typeLayer != layer && !Allowed(layer!, typeLayer) && Regex.IsMatch(code, $@"\b{type}\b"))
                {
                    violations.Add($"{Path.GetFileName(file)} ({layer}) uses {type} ({typeLayer})");
                }
            }
        }

        violations.Should().BeEmpty();
    }

    [Fact]
    public void Rules_of_one_paper_use_no_rule_of_another()
    {
        string rules = Path.Combine(RepositoryLocator.Find(), "src", "Grokking", "Claims", "Rules");
        var files = Directory.GetFiles(rules, "*.cs", SearchOption.AllDirectories)
            .Select(f => (Paper: Path.GetFileName(Path.GetDirectoryName(f)!), File: f, Code: Comment().Replace(File.ReadAllText(f), "")))
            .ToList();
        files.Select(f => f.Paper).Distinct().Should().BeEquivalentTo(["MC", "PB", "GV", "OG", "PG"]);
        var owner = files.SelectMany(f => TopLevelDeclaration().Matches(f.Code).Select(m => (Type: m.Groups[1].Value, f.Paper)))
            .ToDictionary(d => d.Type, d => d.Paper);
        var crossings = files
            .SelectMany(f => owner.Where(o => o.Value != f.Paper && Regex.IsMatch(f.Code, $@"\b{o.Key}\b"))
                .Select(o => $"{Path.GetFileName(f.File)} ({f.Paper}) uses {o.Key} ({o.Value})"))
            .ToList();
        crossings.Should().BeEmpty("a helper two papers' rules share belongs in Claims/Toolkit");
    }

    [Theory]
    [InlineData("Claims", "Claims/Analyses", true)]
    [InlineData("Claims/Rules", "Claims/Toolkit", true)]
    [InlineData("Claims/Toolkit", "Claims/Rules", false)]
    [InlineData("Claims/Analyses", "Claims", false)]
    [InlineData("Claims/Analyses", "Claims/Baselines", false)]
    [InlineData("Training", "Claims/Contracts", false)]
    [InlineData("Report", "Runtime", true)]
    public void The_rule_itself(string from, string to, bool allowed) => Allowed(from, to).Should().Be(allowed);

    private static bool Allowed(string from, string to)
    {
        if (from == to)
        {
            return true;
        }

        if (Siblings.Any(s => (s.Item1 == from && s.Item2 == to) || (s.Item2 == from && s.Item1 == to)))
        {
            return false;
        }

        int f = Array.IndexOf(Layers, from);
        int t = Array.IndexOf(Layers, to);
        return t >= 0 && f >= 0 && t < f;
    }

    /// <summary>A namespace belongs to the deepest layer it lies in (Claims.Rules.PB is in Claims/Rules).</summary>
    private static string LayerOfNamespace(string path) =>
        Layers.Where(l => path == l || path.StartsWith(l + "/", StringComparison.Ordinal)).MaxBy(l => l.Length) ?? path;

    private static string? LayerOf(string relative)
    {
        var parts = relative.Split(Path.DirectorySeparatorChar);
        if (parts.Length < 2)
        {
            return null;
        }

        string two = parts.Length > 2 ? $"{parts[0]}/{parts[1]}" : "";
        return Layers.Contains(two) ? two : Layers.Contains(parts[0]) ? parts[0] : null;
    }

    [GeneratedRegex(@"^\s*(?:public|internal)\s+(?:sealed\s+|static\s+|abstract\s+|partial\s+)*(?:class|record|struct|enum|interface)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^(?:public|internal)\s+(?:sealed\s+|static\s+|abstract\s+|partial\s+)*(?:class|record|struct|enum|interface)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelDeclaration();

    [GeneratedRegex(@"^using\s+Grokking\.([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex Comment();
}
