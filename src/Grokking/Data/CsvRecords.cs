using System.Text;

namespace Grokking.Data;

/// <summary>
/// Records of an RFC 4180 CSV file, read one character at a time: fields separated by commas, records by CR LF, LF or
/// CR; a field in double quotes may hold commas, line breaks and doubled quotes ("" for "). Blank lines are skipped, as
/// pandas' read_csv skips them. A quote inside an unquoted field is kept as text (pandas does the same); an unclosed
/// quoted field or text after a closing quote is damage, reported with the file and the line.
/// </summary>
internal sealed class CsvRecords(TextReader reader, string path)
{
    private const int End = -1;
    private const int Newline = '\n';
    private readonly StringBuilder text = new();
    private int line = 1;

    /// <summary>The physical line (1-based) on which the last record returned by <see cref="Next"/> starts.</summary>
    public int Line { get; private set; }

    /// <summary>The next record's fields, or null after the last one.</summary>
    public string[]? Next()
    {
        while (true)
        {
            Line = line;
            var fields = new List<string>();
            bool blank = true;
            int end;
            do
            {
                (string value, end, bool quoted) = ReadField();
                fields.Add(value);
                blank &= !quoted && value.Length == 0;
            }
            while (end == ',');

            if (blank && fields.Count == 1)
            {
                if (end == End)
                {
                    return null;
                }

                continue;
            }

            return [.. fields];
        }
    }

    public InvalidDataException Damage(int at, string what) => new($"{path}: line {at}: {what}");

    private (string Value, int End, bool Quoted) ReadField()
    {
        text.Clear();
        int c = reader.Read();
        if (c == '"')
        {
            ReadQuoted();
            c = reader.Read();
            if (c is not (',' or '\n' or '\r' or End))
            {
                throw Damage(line, "text after the closing quote of a field (a quote inside a quoted field must be doubled)");
            }

            return (text.ToString(), Terminator(c), true);
        }

        while (c is not (',' or '\n' or '\r' or End))
        {
            text.Append((char)c);
            c = reader.Read();
        }

        return (text.ToString(), Terminator(c), false);
    }

    private void ReadQuoted()
    {
        int opened = line;
        while (true)
        {
            int c = reader.Read();
            if (c == End)
            {
                throw Damage(opened, "a quoted field that opens on this line is not closed before the end of the file");
            }

            if (c == '"')
            {
                if (reader.Peek() != '"')
                {
                    return;
                }

                reader.Read();
            }
            else if (c == '\n')
            {
                line++;
            }

            text.Append((char)c);
        }
    }

    /// <summary>',' or <see cref="End"/> as they are; a line break (CR LF counts as one) as <see cref="Newline"/>.</summary>
    private int Terminator(int c)
    {
        if (c == '\r' && reader.Peek() == '\n')
        {
            reader.Read();
        }

        if (c is '\r' or '\n')
        {
            line++;
            return Newline;
        }

        return c;
    }
}
