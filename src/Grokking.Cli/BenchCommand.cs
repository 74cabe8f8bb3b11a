using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Runtime;
using Grokking.Training;

namespace Grokking.Cli;

/// <summary>
/// grokking bench: for each model width, engine throughput for K = 1 and K = n against the matmul roofline of the model's
/// own step, the population and path speed-ups, the same training in PyTorch (eager and vmap) where PyTorch is installed,
/// and where a step's time goes.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(SharedOptions shared)
    {
        var members = OptionRules.PositiveInt("--members", "N", 8, "population size N compared with K = 1");
        var points = OptionRules.PositiveInt("--path-points", "P", 61, "points of the straight segment evaluated as one population vs one at a time");

        // The profile's training budget (thousands of epochs) would make every row an hour long; the bench measures
        // rates, so its own default budget keeps the whole command (two widths) to about 2-3 minutes on 2 cores.
        var epochs = OptionRules.PositiveInt("--epochs", "E", 20, "epochs per measurement (the default takes about 2-3 minutes in all on 2 cores)");
        var widths = new Option<int[]>("--dmodels")
        {
            Description = "transformer widths measured, d_mlp keeping Model:DMlp/Model:DModel (64: the ci models; 128: the paper's)",
            HelpName = "D,D",
            DefaultValueFactory = _ => [64, 128],
            CustomParser = ParseWidths,
        };
        var withMetrics = new Option<bool>("--with-metrics")
        {
            Description = "train with Train:MetricsEvery as configured (default: metrics off, one evaluation at the end, as PyTorch's rows)",
        };
        var python = new Option<string?>("--python")
        {
            Description = "the Python that runs tools/bench-pytorch.py (default: python3, else /usr/bin/python3, whichever imports torch)",
            HelpName = "PATH",
        };

        var command = new Command("bench", "steps/s, epochs/s and GFLOP/s for K = 1 and K = N vs the matmul roofline and PyTorch, and a step profile")
        {
            members, epochs, points, widths, withMetrics, python,
        };
        command.SetAction(parsed => Run(
            shared.Load(parsed),
            new BenchSettings(
                parsed.GetValue(members), parsed.GetValue(epochs), parsed.GetValue(points), parsed.GetValue(widths)!,
                parsed.GetValue(withMetrics), parsed.GetValue(python)),
            parsed.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(GrokkingOptions options, BenchSettings settings, TextWriter output)
    {
        ResourceGuard.Check(options, AvailableMemory.Read(), "bench", settings.Members);
        var runtime = TorchRuntime.Initialize(options.Runtime.Device, options.Runtime.Threads, allowTf32: options.Runtime.AllowTf32);
        var d = options.Data;
        string data = d.Kind == DatasetKind.Modular
            ? $"modular {d.Operation.ToString().ToLowerInvariant()} p{d.Modulus} {d.Format.ToString().ToLowerInvariant()}"
            : d.Kind.ToString().ToLowerInvariant();
        string batch = options.Train.BatchSize == 0 ? "full" : options.Train.BatchSize.ToString(CultureInfo.InvariantCulture);
        string metrics = settings.WithMetrics ? $"metrics every {options.Train.MetricsEvery} steps" : "metrics off (one evaluation at the end)";
        output.WriteLine(
            $"device {runtime.DeviceName}, {runtime.Threads} threads; {settings.Epochs} epochs per measurement; data {data}, batch {batch}; "
            + $"training rows: {metrics}");
        string? python = runtime.Device.type == TorchSharp.DeviceType.CPU ? PyTorchReference.FindInterpreter(settings.Interpreters) : null;
        foreach (var model in BenchSection.Models(options, settings.DModels))
        {
            new BenchSection(model, settings, runtime, python, output).Run();
        }

        ProjectSuite(options, runtime, output);
        return 0;
    }

    /// <summary>The suite's minutes projected from the recorded costs (issue 27), and what is left of the 45 it may take.</summary>
    private static void ProjectSuite(GrokkingOptions options, RuntimeInfo runtime, TextWriter output)
    {
        var (projection, warning) = Grokking.Claims.Scheduling.SuiteProjection.ForRepository(
            Grokking.Claims.RepositoryLocator.Find(), options.Profile, options.Runtime, runtime.Device, Environment.ProcessorCount);
        if (warning is not null)
        {
            output.WriteLine($"projected {options.Profile.Name} suite: none ({warning})");
            return;
        }

        output.WriteLine(
            $"projected {options.Profile.Name} suite (claims, from baselines/{options.Profile.Name}/costs.json): {projection.Minutes:0.0} min on "
            + $"{projection.Lanes} lane(s), {projection.Workers} busy thread(s) at most; minutes left of 45: {45 - projection.Minutes:0.0}"
            + (projection.Unknown.Count > 0 ? $" ({projection.Unknown.Count} without a recorded cost, counted as 0)" : ""));
        foreach (string line in projection.TimelineLines())
        {
            output.WriteLine($"  {line}");
        }
    }

    private static int[] ParseWidths(ArgumentResult result)
    {
        const string Allowed = "integers >= 1, comma-separated, e.g. 64,128";
        var widths = new List<int>();
        foreach (string item in OptionRules.CommaSeparated(result, "--dmodels", Allowed))
        {
            if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int width) || width < 1)
            {
                result.AddError($"Invalid value for '--dmodels': '{item}'; allowed: {Allowed}");
                return [];
            }

            widths.Add(width);
        }

        return widths.ToArray();
    }
}
