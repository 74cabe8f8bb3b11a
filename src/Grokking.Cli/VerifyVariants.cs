using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Cli;

/// <summary>
/// verify --variants (issue 28): the selection's claims re-run under each alternative their experiments declare at the
/// profile, each alternative with its own report (report/variants/&lt;experiment&gt;/&lt;variant&gt;/) and runs (its settings
/// are its own cache key); then per claim whether its committed verdict holds, and report/variants.json.
/// </summary>
internal static class VerifyVariants
{
    public static int Run(GrokkingOptions options, string[]? patterns, string[]? names, bool quiet, TextWriter output, TextWriter error)
    {
        var settings = ClaimSuiteSettings.From(options);
        var catalog = ClaimCatalog.Load(settings.ClaimsDirectory);
        var baselines = new Claims.Baselines.BaselineStore(settings.BaselinesDirectory);
        if (names is not null && VariantRuns.Unknown(catalog, names) is { } unknown)
        {
            error.WriteLine($"Invalid value for '--variant': {unknown}; declared: {string.Join(", ", VariantRuns.Declared(catalog))}");
            return Program.UsageError;
        }

        var plan = VariantRuns.Plan(catalog, catalog.Select(patterns), settings.Profile, names);
        if (plan.Count == 0)
        {
            output.WriteLine($"no alternative of the selection's experiments runs at profile {settings.Profile.Name}");
            return 0;
        }

        using var cancel = new CtrlC("checkpointing the current run; 'grokking verify --variants' again resumes it", error);
        try
        {
            return RunAll(settings, baselines, plan, quiet, output, cancel.Token);
        }
        catch (OperationCanceledException e)
        {
            // No variants.json: a partial one would read as alternatives whose claims went missing.
            error.WriteLine($"interrupted ({e.Message}); no variants.json written");
            return Program.Interrupted;
        }
    }

    private static int RunAll(
        ClaimSuiteSettings settings,
        Claims.Baselines.BaselineStore baselines,
        IReadOnlyList<(VariantChoice Choice, IReadOnlyList<string> Claims)> plan,
        bool quiet,
        TextWriter output,
        CancellationToken cancel)
    {
        var outcomes = new List<VariantOutcome>();
        bool errors = false;
        foreach (var (choice, claims) in plan)
        {
            output.WriteLine($"variant {choice.Experiment}/{choice.Variant.Name} ({choice.Variant.Choice}): {string.Join(", ", claims)}");
            var suite = new ClaimSuite(settings with { Variant = choice, ReportDirectory = Folder(settings, choice) }, claims, output);
            var progress = new ClaimProgressDisplay(quiet, output);
            suite.VerifyAll(progress, cancel);
            progress.Finish();
            Grokking.Report.SuiteReport.Write(suite);
            errors |= suite.Errors.Count > 0;
            outcomes.AddRange(suite.OutcomesWithErrors().Select(o => new VariantOutcome(
                choice.Experiment,
                choice.Variant.Name,
                choice.Variant.Choice,
                o.Id,
                VariantRuns.Committed(baselines, settings.Profile, o.Id),
                o.Verdict)
            {
                Made = Claims.Baselines.BaselineProvenance.Now(),
                RuleVerdict = o.RuleVerdict == o.Verdict ? null : o.RuleVerdict,
            }));
        }

        foreach (string line in VariantRuns.Summary(outcomes))
        {
            output.WriteLine(line);
        }

        string file = Path.Combine(settings.ReportDirectory, VariantRuns.FileName);
        Directory.CreateDirectory(settings.ReportDirectory);
        VariantRuns.Save(file, settings.Profile, outcomes);
        output.WriteLine($"variants: {file}");
        return errors ? Program.RuntimeFailure : 0;
    }

    private static string Folder(ClaimSuiteSettings settings, VariantChoice choice) =>
        Path.Combine(settings.ReportDirectory, "variants", choice.Experiment, choice.Variant.Name);
}
