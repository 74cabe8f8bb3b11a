using Grokking.Claims;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-8 (IMDb, LSTM) and OG-9 (QM9, GCNN) run end to end at smoke scale on small files written here in the data sets'
/// standard formats: the claim trains, is judged and gets a verdict, as it would with the real data supplied.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class UserDataClaimsTests
{
    private static readonly string Repository = RepositoryLocator.Find();

    /// <summary>Kaggle's layout: 16 short reviews, half positive, with the quoting the real file has.</summary>
    private static string ImdbDirectory()
    {
        string dir = EngineFixtures.TempDirectory();
        string[] good = ["a great film, truly great", "\"wonderful\" acting and a great story", "loved it: great fun", "great, great, great"];
        string[] bad = ["a dull film, truly awful", "awful acting and a dull story<br /><br />", "hated it: awful", "dull, dull, awful"];
        var rows = Enumerable.Range(0, 16).Select(i => i % 2 == 0
            ? $"\"{good[i / 2 % 4].Replace("\"", "\"\"", StringComparison.Ordinal)} {i}\",positive"
            : $"\"{bad[i / 2 % 4]} {i}\",negative");
        File.WriteAllText(Path.Combine(dir, "IMDB Dataset.csv"), string.Join("\n", ["review,sentiment", .. rows, ""]));
        return dir;
    }

    private static ClaimOutcome Verify(string id, string key, string directory)
    {
        string dir = EngineFixtures.TempDirectory();
        var settings = new ClaimSuiteSettings(
            Repository, Profile.Smoke, new RuntimeOptions { Device = DeviceChoice.Cpu }, Path.Combine(dir, "report"), Path.Combine(dir, "cache"))
        {
            DataLocations = new Dictionary<string, string?> { [key] = directory },
        };
        var suite = new ClaimSuite(settings, [id]);
        var outcome = suite.Verify(id);
        suite.Errors.Should().BeEmpty();
        return outcome;
    }

    [Fact]
    public void Og8_trains_the_lstm_on_reviews_in_kaggles_layout_and_gets_a_verdict()
    {
        var outcome = Verify("OG-8", "Data:ReviewsDirectory", ImdbDirectory());

        outcome.Verdict.Should().BeOneOf([Verdict.Confirmed, Verdict.Refuted, Verdict.Inconclusive], outcome.Reason);
        outcome.Reason.Should().Contain("IMDb reviews");
        outcome.Measured.Should().Contain(m => m.Key == "maxTest-a6");
    }

    [Fact]
    public void Og9_trains_the_gcnn_on_molecules_in_qm9s_raw_layout_and_gets_a_verdict()
    {
        var outcome = Verify("OG-9", "Data:MoleculesDirectory", Qm9MoleculesTests.Qm9Directory());

        outcome.Verdict.Should().BeOneOf([Verdict.Confirmed, Verdict.Refuted, Verdict.Inconclusive], outcome.Reason);
        outcome.Reason.Should().Contain("QM9 molecules");
        outcome.Measured.Should().Contain(m => m.Key == "depth-a3");
    }
}
