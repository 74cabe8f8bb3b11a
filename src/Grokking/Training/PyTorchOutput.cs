using System.Text.Json;

namespace Grokking.Training;

/// <summary>
/// Reads tools/bench-pytorch.py's standard output strictly: every non-empty line must be one JSON object of the script's
/// schema, with every field present, typed, finite and positive, its rates agreeing with its steps and seconds, and its
/// setup the one requested. A line that is not is reported as damaged and its numbers are not used; so is a second
/// measurement of the same mode, an error line, a non-zero exit, and a measurement that never came.
/// </summary>
public static class PyTorchOutput
{
    public const string Schema = "grokking-bench-pytorch/1";

    private const double RateTolerance = 1e-6;

    /// <summary>The setup a measurement names, each compared with the request.</summary>
    private static readonly string[] SetupFields = ["d_model", "d_mlp", "layers", "heads", "batch", "modulus", "epochs"];

    public static PyTorchRun Parse(string stdout, PyTorchRequest request, int exitCode, string stderr)
    {
        var measurements = new List<PyTorchMeasurement>();
        var problems = new List<string>();
        var lines = stdout.Split('\n').Select(l => l.Trim()).ToList();
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            string? problem = Read(lines[i], request, out var measurement);
            if (problem is null && measurements.Any(m => m.Mode == measurement!.Mode))
            {
                problem = $"a second {measurement!.Mode} measurement";
            }

            if (problem is null)
            {
                measurements.Add(measurement!);
            }
            else
            {
                problems.Add($"output line {i + 1} not trusted ({problem}): {Excerpt(lines[i])}");
            }
        }

        if (exitCode != 0)
        {
            string last = stderr.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "no message on stderr";
            problems.Add($"the script exited with status {exitCode}: {Excerpt(last)}");
        }

        AddMissing(measurements, problems, PyTorchMeasurement.Eager, wanted: true);
        AddMissing(measurements, problems, PyTorchMeasurement.Vmap, wanted: request.Members > 0);
        return new PyTorchRun(measurements, problems);
    }

    private static void AddMissing(List<PyTorchMeasurement> measurements, List<string> problems, string mode, bool wanted)
    {
        if (wanted && measurements.All(m => m.Mode != mode))
        {
            problems.Add($"no trusted {mode} measurement");
        }
    }

    /// <returns>Null when the line is a trusted measurement, else what is wrong with it.</returns>
    private static string? Read(string line, PyTorchRequest request, out PyTorchMeasurement? measurement)
    {
        measurement = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return "not a JSON object";
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "not a JSON object";
            }

            if (!root.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.String || schema.GetString() != Schema)
            {
                return $"schema is not {Schema}";
            }

            if (root.TryGetProperty("error", out var error))
            {
                return $"the script failed: {(error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetRawText())}";
            }

            return Measurement(new Fields(root), request, out measurement);
        }
    }

    private static string? Measurement(Fields f, PyTorchRequest request, out PyTorchMeasurement? measurement)
    {
        measurement = null;
        string? mode = f.Text("mode");
        string? batching = f.Text("batching");
        string? torch = f.Text("torch");
        string? blas = f.Text("blas");
        long? members = f.Count("members"), steps = f.Count("steps"), perEpoch = f.Count("steps_per_epoch"), epochs = f.Count("epochs");
        long? threads = f.Count("threads"), repeats = f.Count("repeats");
        double? seconds = f.Positive("seconds"), stepRate = f.Positive("steps_per_s"), epochRate = f.Positive("epochs_per_s");
        double? cpu = f.Positive("cpu_seconds");
        var setup = SetupFields.ToDictionary(name => name, name => f.Count(name) ?? 0);
        if (f.Missing.Count > 0)
        {
            return $"missing or invalid: {string.Join(", ", f.Missing)}";
        }

        if (mode is not (PyTorchMeasurement.Eager or PyTorchMeasurement.Vmap))
        {
            return $"unknown mode '{mode}'";
        }

        string? mismatch = Inconsistency(steps!.Value, perEpoch!.Value, epochs!.Value, seconds!.Value, stepRate!.Value, epochRate!.Value)
            ?? SetupMismatch(setup, request, mode == PyTorchMeasurement.Eager, members!.Value, threads!.Value, repeats!.Value);
        if (mismatch is not null)
        {
            return mismatch;
        }

        measurement = new PyTorchMeasurement(
            mode, batching!, (int)members!.Value, steps.Value, seconds.Value, stepRate.Value, epochRate.Value, cpu!.Value, torch!,
            (int)threads!.Value, blas!);
        return null;
    }

    private static string? Inconsistency(long steps, long perEpoch, long epochs, double seconds, double stepRate, double epochRate) =>
        steps != perEpoch * epochs ? $"steps {steps} is not {epochs} epochs of {perEpoch}"
        : !Close(steps / seconds, stepRate) ? $"steps_per_s {stepRate} is not steps / seconds = {steps / seconds}"
        : !Close(epochs / seconds, epochRate) ? $"epochs_per_s {epochRate} is not epochs / seconds = {epochs / seconds}"
        : null;

    private static string? SetupMismatch(
        Dictionary<string, long> setup, PyTorchRequest r, bool eager, long members, long threads, long repeats)
    {
        setup = new Dictionary<string, long>(setup) { ["members"] = members, ["threads"] = threads, ["repeats"] = repeats };
        (string Name, long Wanted)[] wanted =
        [
            ("members", eager ? 1 : r.Members), ("repeats", eager ? r.Repeats : 1), ("threads", r.Threads),
            ("d_model", r.DModel), ("d_mlp", r.DMlp), ("layers", r.Layers),
            ("heads", r.Heads), ("batch", r.Batch), ("modulus", r.Modulus), ("epochs", r.Epochs),
        ];
        var other = wanted.FirstOrDefault(s => setup[s.Name] != s.Wanted);
        return other.Name is null ? null : $"{other.Name} is not the requested {other.Wanted}";
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= RateTolerance * Math.Max(Math.Abs(a), Math.Abs(b));

    private static string Excerpt(string text) => text.Length <= 100 ? text : text[..100] + "...";

    /// <summary>Typed reads of a line's fields; each one absent or of the wrong type is noted in <see cref="Missing"/>.</summary>
    private sealed class Fields(JsonElement root)
    {
        public List<string> Missing { get; } = [];

        public string? Text(string name)
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
            {
                return s;
            }

            Note(name);
            return null;
        }

        /// <summary>A positive integer (a JSON number without fraction).</summary>
        public long? Count(string name)
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) && n > 0)
            {
                return n;
            }

            Note(name);
            return null;
        }

        /// <summary>A finite positive number.</summary>
        public double? Positive(string name)
        {
            if (root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x)
                && double.IsFinite(x) && x > 0)
            {
                return x;
            }

            Note(name);
            return null;
        }

        private void Note(string name)
        {
            if (!Missing.Contains(name))
            {
                Missing.Add(name);
            }
        }
    }
}
