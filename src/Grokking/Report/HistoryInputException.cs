namespace Grokking.Report;

/// <summary>
/// A history file or a report.json that cannot be read as one (damaged, another program's file, an unknown schema), or an
/// entry it does not hold: bad input to <c>grokking history</c>, <c>report diff</c> or <c>verify</c>. The message is one line
/// naming the file; the command exits 2. Never read as valid.
/// </summary>
public sealed class HistoryInputException(string message, Exception? inner = null) : Exception(message, inner);
