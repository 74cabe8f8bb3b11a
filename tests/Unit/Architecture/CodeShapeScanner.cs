using System.Text.RegularExpressions;

namespace Grokking.Tests.Unit.Architecture;

/// <summary>
/// Measures C# source text without a compiler: the length of every line, and the span of every member with a body
/// (method, constructor, property, indexer, operator; a block body or an expression body), counted from its
/// signature (attributes excluded) to its closing brace or semicolon. Comments, strings (regular, verbatim,
/// interpolated, raw) and character literals are blanked first, so braces inside them do not count. A local
/// function or lambda is part of the member it stands in; a field's initializer is data, not a member.
/// </summary>
internal static partial class CodeShapeScanner
{
    public sealed record Member(string Name, int FirstLine, int LastLine)
    {
        public int Lines => LastLine - FirstLine + 1;
    }

    /// <summary>Every violation of the two limits in one file, as "path:line: what".</summary>
    public static IEnumerable<string> Violations(string path, string text, int maxMemberLines, int maxLineLength)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int length = lines[i].TrimEnd('\r').Length;
            if (length > maxLineLength)
            {
                yield return $"{path}:{i + 1}: line of {length} characters (at most {maxLineLength})";
            }
        }

        foreach (var member in Members(text).Where(m => m.Lines > maxMemberLines))
        {
            yield return $"{path}:{member.FirstLine}: {member.Name} is {member.Lines} lines (at most {maxMemberLines})";
        }
    }

    /// <summary>The members with a body, outermost only (a nested type's members are listed, a local function is not).</summary>
    public static IReadOnlyList<Member> Members(string text)
    {
        var code = Mask(text);
        var lineStarts = LineStarts(code);
        var members = new List<Member>();
        int i = 0;
        ParseTypeBody(code, ref i, lineStarts, members);
        return members;
    }

    /// <summary>
    /// Reads declarations up to the '}' that closes the enclosing type or namespace (or the end). The text since the
    /// last declaration is its header; what ends the header decides what it was.
    /// </summary>
    private static void ParseTypeBody(string code, ref int i, int[] lineStarts, List<Member> members)
    {
        int headerStart = -1;
        int depth = 0; // parentheses and brackets inside the header (parameter lists, attributes, generic defaults)
        while (i < code.Length)
        {
            char c = code[i];
            if (headerStart < 0 && !char.IsWhiteSpace(c) && c != '}')
            {
                headerStart = i;
            }

            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth--;
            }
            else if (depth == 0 && c == '}')
            {
                i++;
                return;
            }
            else if (depth == 0 && c == ';')
            {
                headerStart = -1; // a field, an abstract member, a body-less record, a file-scoped namespace
            }
            else if (depth == 0 && c == '=' && IsAssignment(code, i))
            {
                i = SkipExpression(code, i + 1); // a field or property initializer is data
                headerStart = -1;
                continue;
            }
            else if (depth == 0 && c == '=' && code[i + 1] == '>')
            {
                int end = SkipExpression(code, i + 2);
                AddMember(code, headerStart, i, end, lineStarts, members);
                headerStart = -1;
                i = end;
                continue;
            }
            else if (depth == 0 && c == '{')
            {
                i = OpenBlock(code, headerStart, i, lineStarts, members);
                headerStart = -1;
                continue;
            }

            i++;
        }
    }

    /// <summary>A '{' after a header: a type's body is read for members, an enum's skipped, anything else is a member.</summary>
    private static int OpenBlock(string code, int headerStart, int brace, int[] lineStarts, List<Member> members)
    {
        string header = StripAttributes(code[headerStart..brace]);
        var type = TypeKeyword().Match(header);
        if (type.Success && type.Groups[1].Value != "enum")
        {
            int i = brace + 1;
            ParseTypeBody(code, ref i, lineStarts, members);
            return i;
        }

        int close = MatchingBrace(code, brace);
        if (!type.Success)
        {
            AddMember(code, headerStart, brace, close, lineStarts, members);
        }

        return close + 1;
    }

    private static void AddMember(string code, int headerStart, int bodyStart, int end, int[] lineStarts, List<Member> members)
    {
        string raw = code[headerStart..bodyStart];
        string header = StripAttributes(raw);
        int signature = headerStart + (raw.Length - header.Length);
        members.Add(new Member(NameOf(header), LineOf(lineStarts, signature), LineOf(lineStarts, Math.Min(end, code.Length - 1))));
    }

    /// <summary>The header without its leading attribute sections ("[Fact]", "[Theory, InlineData(1)]").</summary>
    private static string StripAttributes(string header)
    {
        string rest = header.TrimStart();
        while (rest.StartsWith('['))
        {
            int depth = 0;
            int k = 0;
            do
            {
                depth += rest[k] == '[' ? 1 : rest[k] == ']' ? -1 : 0;
                k++;
            }
            while (depth > 0 && k < rest.Length);
            rest = rest[k..].TrimStart();
        }

        return rest;
    }

    /// <summary>
    /// The identifier before the parameter list (the first '(' at depth 0 after a name that is not a modifier, so a
    /// tuple return type is passed over), or a property's last identifier.
    /// </summary>
    private static string NameOf(string header)
    {
        int angle = 0;
        int paren = 0;
        for (int k = 0; k < header.Length; k++)
        {
            angle += header[k] == '<' ? 1 : header[k] == '>' ? -1 : 0;
            if (header[k] == '(' && angle == 0 && paren == 0)
            {
                var before = MemberName().Match(header[..k]);
                if (before.Success && !Modifiers.Contains(before.Groups[1].Value))
                {
                    return before.Groups[1].Value;
                }
            }

            paren += header[k] == '(' ? 1 : header[k] == ')' ? -1 : 0;
        }

        var last = MemberName().Match(header.TrimEnd());
        return last.Success ? last.Groups[1].Value : "?";
    }

    private static readonly HashSet<string> Modifiers =
    [
        "public", "private", "protected", "internal", "static", "readonly", "async", "override", "virtual", "sealed",
        "abstract", "extern", "unsafe", "new", "partial", "required", "file",
    ];

    /// <summary>'=' alone, not part of '=>', '==', '<=', '>=', '!='.</summary>
    private static bool IsAssignment(string code, int i) =>
        code[i + 1] is not ('=' or '>') && code[i - 1] is not ('=' or '<' or '>' or '!');

    /// <summary>The index of the ';' that ends an expression at nesting 0, or of the '}' that closes its enclosing block.</summary>
    private static int SkipExpression(string code, int i)
    {
        int depth = 0;
        for (; i < code.Length; i++)
        {
            char c = code[i];
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                if (depth == 0)
                {
                    return i;
                }

                depth--;
            }
            else if (c == ';' && depth == 0)
            {
                return i;
            }
        }

        return code.Length;
    }

    private static int MatchingBrace(string code, int open)
    {
        int depth = 0;
        for (int i = open; i < code.Length; i++)
        {
            depth += code[i] == '{' ? 1 : code[i] == '}' ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        return code.Length - 1;
    }

    private static int[] LineStarts(string code) =>
        [0, .. code.Select((c, k) => (c, k)).Where(x => x.c == '\n').Select(x => x.k + 1)];

    private static int LineOf(int[] lineStarts, int index)
    {
        int found = Array.BinarySearch(lineStarts, index);
        return (found >= 0 ? found : ~found - 1) + 1;
    }

    /// <summary>The text with comments, strings and character literals replaced by spaces; line breaks stay.</summary>
    public static string Mask(string text)
    {
        var masked = text.ToCharArray();
        LexCode(text, masked, 0, hole: false);
        return new string(masked);
    }

    /// <summary>
    /// Lexes code from <paramref name="i"/>: to the end, or (inside an interpolation hole) to the '}' that closes the
    /// hole, whose index it returns.
    /// </summary>
    private static int LexCode(string s, char[] masked, int i, bool hole)
    {
        int depth = 0;
        while (i < s.Length)
        {
            char c = s[i];
            char next = i + 1 < s.Length ? s[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                int end = s.IndexOf('\n', i);
                i = Blank(masked, i, end < 0 ? s.Length : end);
            }
            else if (c == '/' && next == '*')
            {
                int end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = Blank(masked, i, end < 0 ? s.Length : end + 2);
            }
            else if (c == '\'')
            {
                i = Blank(masked, i, EndOfCharLiteral(s, i));
            }
            else if (c == '"' || ((c == '$' || c == '@') && StringAfterPrefix(s, i)))
            {
                i = Blank(masked, i, EndOfString(s, masked, i));
            }
            else
            {
                if (hole && c == '{')
                {
                    depth++;
                }
                else if (hole && c == '}')
                {
                    if (depth == 0)
                    {
                        return i;
                    }

                    depth--;
                }

                i++;
            }
        }

        return i;
    }

    private static bool StringAfterPrefix(string s, int i)
    {
        while (i < s.Length && s[i] is '$' or '@')
        {
            i++;
        }

        return i < s.Length && s[i] == '"';
    }

    private static int EndOfCharLiteral(string s, int i)
    {
        for (int k = i + 1; k < s.Length; k++)
        {
            if (s[k] == '\\')
            {
                k++;
            }
            else if (s[k] == '\'' || s[k] == '\n')
            {
                return k + 1;
            }
        }

        return s.Length;
    }

    /// <summary>The index just past the string literal (with its prefix) that starts at <paramref name="i"/>.</summary>
    private static int EndOfString(string s, char[] masked, int i)
    {
        bool verbatim = false;
        bool interpolated = false;
        for (; s[i] != '"'; i++)
        {
            verbatim |= s[i] == '@';
            interpolated |= s[i] == '$';
        }

        int quotes = 0;
        while (i + quotes < s.Length && s[i + quotes] == '"')
        {
            quotes++;
        }

        if (quotes >= 3)
        {
            // A raw string ends at the first run of as many quotes as opened it.
            int end = s.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
            return end < 0 ? s.Length : end + quotes;
        }

        for (int k = i + 1; k < s.Length; k++)
        {
            char c = s[k];
            if (!verbatim && c == '\\')
            {
                k++;
            }
            else if (verbatim && c == '"' && k + 1 < s.Length && s[k + 1] == '"')
            {
                k++;
            }
            else if (c == '"' || (!verbatim && c == '\n'))
            {
                return k + 1;
            }
            else if (interpolated && c == '{' && k + 1 < s.Length && s[k + 1] == '{')
            {
                k++;
            }
            else if (interpolated && c == '{')
            {
                k = LexCode(s, masked, k + 1, hole: true);
            }
        }

        return s.Length;
    }

    private static int Blank(char[] masked, int from, int to)
    {
        for (int k = from; k < to; k++)
        {
            if (masked[k] != '\n')
            {
                masked[k] = ' ';
            }
        }

        return to;
    }

    [GeneratedRegex(@"\b(class|struct|interface|enum|record|namespace)\s+@?\w")]
    private static partial Regex TypeKeyword();

    /// <summary>The last identifier, past a generic parameter list or an indexer's parameters.</summary>
    [GeneratedRegex(@"(@?[A-Za-z_]\w*)\s*(?:<[^()]*>|\[[^()]*\])?\s*$")]
    private static partial Regex MemberName();
}
