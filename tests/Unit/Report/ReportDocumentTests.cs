using Grokking.Claims.Contracts;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

public sealed class ReportDocumentTests
{
    [Fact]
    public void Counts_verdicts_and_gives_each_experiment_its_run_minutes_once()
    {
        var other = ReportFixtures.Confirmed with { Id = "X_1", Experiment = "other (k; trained in 6 s)", TrainMinutes = 0.1, RunMinutes = [new("other", 0.1)], Verdict = Verdict.Inconclusive };
        var companions = ReportFixtures.Confirmed with { Id = "X_2", TrainMinutes = 3, RunMinutes = [new("other", 0), new("third", 3)] };
        var untrained = ReportFixtures.Confirmed with { Id = "X_3", TrainMinutes = 0, RunMinutes = [] };

        var document = new ReportDocument(ReportFixtures.Environment, [.. ReportFixtures.Outcomes, other, companions, untrained]);

        document.Counts.Should().Be(new ReportCounts(Confirmed: 3, Refuted: 1, Inconclusive: 1, Error: 0, DataMissing: 0));
        document.Experiments.Should().HaveCount(3, "a claim that trains nothing adds no row");
        document.Experiments[0].Should().BeEquivalentTo(
            new ExperimentMinutes("modular-addition", 20, ["MC_1", "WN_2"]), "the cached claim's 0 minutes are not the run's");
        document.Experiments[1].Should().BeEquivalentTo(new ExperimentMinutes("other", 0.1, ["X_1", "X_2"]), "a companion run is listed under its own experiment");
        document.Experiments[2].Should().BeEquivalentTo(new ExperimentMinutes("third", 3, ["X_2"]));
    }
}
