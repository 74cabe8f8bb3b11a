using Grokking.Claims;

namespace Grokking.Tests.Unit.Architecture;

/// <summary>
/// The source reads in pieces of a screen: no member (method, constructor, property, block or expression body) over
/// 60 lines from its signature to its end, no line over 150 characters. The scanner is tested on a sample first, so
/// a clean source tree means a clean tree and not a scanner that saw nothing.
/// </summary>
public sealed class CodeShapeTests
{
    private const int MaxMemberLines = 60;
    private const int MaxLineLength = 150;

    [Fact]
    public void No_member_of_src_is_over_60_lines_and_no_line_is_over_150_characters()
    {
        string root = RepositoryLocator.Find();
        var files = Directory.GetFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Split('/').Any(part => part is "obj" or "bin"))
            .Order(StringComparer.Ordinal)
            .ToList();
        files.Should().HaveCountGreaterThan(100, "the scan must see the source tree");

        var texts = files.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(root, f)));
        texts.Sum(t => CodeShapeScanner.Members(t.Value).Count).Should().BeGreaterThan(500, "the scanner must see the members");
        CodeShapeScanner.Members(texts["src/Grokking/Training/PopulationTrainer.cs"]).Select(m => m.Name).Should().Contain("Run");

        var violations = texts.SelectMany(t => CodeShapeScanner.Violations(t.Key, t.Value, MaxMemberLines, MaxLineLength)).ToList();
        if (violations.Count > 0)
        {
            Assert.Fail($"{violations.Count} violation(s):{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        }
    }

    [Fact]
    public void The_scanner_finds_a_61_line_method_a_61_line_expression_body_and_a_151_character_line_and_nothing_else()
    {
        var violations = CodeShapeScanner.Violations("Sample.cs", Sample(), MaxMemberLines, MaxLineLength).ToList();

        violations.Should().Equal(
            $"Sample.cs:{LongLine}: line of 151 characters (at most 150)",
            $"Sample.cs:{TooLongStart}: TooLong is 61 lines (at most 60)",
            $"Sample.cs:{ExpressionStart}: Numbers is 61 lines (at most 60)");
    }

    [Fact]
    public void The_scanner_spans_members_from_their_signature_to_their_end_past_braces_in_comments_strings_and_characters()
    {
        var members = CodeShapeScanner.Members(Sample());

        members.Should().Equal(
            new CodeShapeScanner.Member("Value", 8, 8),
            new CodeShapeScanner.Member("TooLong", TooLongStart, TooLongStart + 60),
            new CodeShapeScanner.Member("JustRight", JustRightStart, JustRightStart + 59),
            new CodeShapeScanner.Member("Numbers", ExpressionStart, ExpressionStart + 60),
            new CodeShapeScanner.Member("Map", MapStart, MapStart + 3),
            new CodeShapeScanner.Member("Inner", MapStart + 7, MapStart + 7),
            new CodeShapeScanner.Member("Count", MapStart + 8, MapStart + 8),
            new CodeShapeScanner.Member("Dispose", MapStart + 12, MapStart + 12));
    }

    [Fact]
    public void Masking_blanks_comments_strings_and_characters_and_keeps_the_lines()
    {
        const string code = "var a = $\"{(x ? \"}\" : \"{\")}\" + @\"{\"\"\" + '{' + \"\"\"\n{\n\"\"\"; // {\nint b; /* { */";

        string masked = CodeShapeScanner.Mask(code);

        masked.Split('\n').Should().HaveCount(code.Split('\n').Length);
        masked.Should().NotContainAny("{", "}");
        masked.Replace(" ", "").Should().Be("vara=+++\n\n;\nintb;");
    }

    // Line numbers of the sample (1-based): the members are placed after a fixed preamble.
    private const int TooLongStart = 12;
    private const int JustRightStart = TooLongStart + 61;
    private const int ExpressionStart = JustRightStart + 60;
    private const int MapStart = ExpressionStart + 61;
    private const int LongLine = MapStart + 10;

    /// <summary>
    /// A class whose members sit at known lines: a 61-line method whose body holds braces in strings, characters and
    /// comments; a 60-line method; a 61-line expression body; a generic method with a constraint; a nested class; an
    /// enum; a field whose initializer holds a lambda with a block; a 151- and a 150-character line.
    /// </summary>
    private static string Sample()
    {
        var lines = new List<string>
        {
            "namespace Sample;",
            "",
            "/// <summary>A comment with a brace { that is not code.</summary>",
            "public sealed class Sample(int x) : IDisposable",
            "{",
            "    private static readonly Func<int, int> Twice = v => { int w = v * 2; return w; };",
            "    private const string Open = \"{\";",
            "    public int Value { get; set; } = 3;",
            "",
            "    [Fact]",
            "    [Trait(\"a\", \"b\")]",
            "    public void TooLong(int a = 1)",
            "    {",
            "        char c = '{';",
            "        string s = $\"{(a > 0 ? \"}\" : \"{\")}\" + @\"}\"\"\";",
            "        string raw = \"\"\"",
            "            } }",
            "            \"\"\";",
        };
        lines.AddRange(Enumerable.Range(0, 53).Select(k => $"        Console.WriteLine({k}); // }}"));
        lines.Add("    }");

        lines.Add("    public void JustRight()");
        lines.Add("    {");
        lines.AddRange(Enumerable.Range(0, 57).Select(k => $"        if (x > {k}) {{ Console.WriteLine(\"{{\"); }}"));
        lines.Add("    }");

        lines.Add("    public int[] Numbers() =>");
        lines.Add("    [");
        lines.AddRange(Enumerable.Range(0, 58).Select(k => $"        {k},"));
        lines.Add("    ];");

        lines.Add("    public static T Map<T>(T value) where T : class");
        lines.Add("    {");
        lines.Add("        return value;");
        lines.Add("    }");
        lines.Add("    public enum Kind { A = 1, B = 2 }");
        lines.Add("    private sealed class Nested");
        lines.Add("    {");
        lines.Add("        public int Inner() => 1;");
        lines.Add("        public int Count => Kind.B == Kind.A ? 0 : 1;");
        lines.Add("    }");
        lines.Add("    // " + new string('x', 144));
        lines.Add("    // " + new string('y', 143));
        lines.Add("    public void Dispose() { }");
        lines.Add("}");
        return string.Join("\n", lines) + "\n";
    }
}
