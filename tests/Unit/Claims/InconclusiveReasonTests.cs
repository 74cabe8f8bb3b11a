using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// DEVELOPERS.md: an INCONCLUSIVE verdict at ci needs a measured reason in the claim file. The committed ci baselines
/// and the claim files are read together: every INCONCLUSIVE ci baseline has its reason (undecidableAt, outOfRegimeAt
/// or inconclusiveAt), and an inconclusiveAt reason stands beside an INCONCLUSIVE baseline only, so a verdict that
/// moves makes its stale reason fail here.
/// </summary>
public class InconclusiveReasonTests
{
    private static readonly string Root = RepositoryLocator.Find();
    private static readonly ClaimCatalog Catalog = ClaimCatalog.Load(Path.Combine(Root, "claims"));
    private static readonly BaselineStore Baselines = new(Path.Combine(Root, "baselines"));

    [Fact]
    public void Every_inconclusive_ci_baseline_has_a_measured_reason_in_its_claim_file() =>
        Unexplained(Catalog.Claims, id => VerdictAt(Profile.Ci, id))
            .Should().BeEmpty("an INCONCLUSIVE at ci needs its measured reason in the claim file");

    [Fact]
    public void An_inconclusive_reason_stands_only_beside_an_inconclusive_baseline() =>
        Stale(Catalog.Claims, VerdictAt).Should().BeEmpty("a reason for an INCONCLUSIVE verdict is stale once the baseline decides");

    [Fact]
    public void The_checks_find_an_unexplained_inconclusive_and_a_stale_reason()
    {
        ClaimDefinition bare = new() { Id = "X-1" }, explained = new() { Id = "X-2", InconclusiveAt = { ["ci"] = "straddles" } };
        ClaimDefinition declared = new() { Id = "X-3", UndecidableAt = { ["ci"] = "2 h" } };

        Unexplained([bare, explained, declared], _ => Verdict.Inconclusive).Should().Equal("X-1");
        Unexplained([bare], _ => Verdict.Confirmed).Should().BeEmpty();
        Stale([explained], (_, _) => Verdict.Refuted).Should().Equal("X-2 at ci");
        Stale([explained], (_, _) => null).Should().Equal("X-2 at ci");
        Stale([explained], (_, _) => Verdict.Inconclusive).Should().BeEmpty();
    }

    private static IEnumerable<string> Unexplained(IEnumerable<ClaimDefinition> claims, Func<string, Verdict?> ci) => claims
        .Where(c => ci(c.Id) == Verdict.Inconclusive)
        .Where(c => !new[] { c.UndecidableAt, c.OutOfRegimeAt, c.InconclusiveAt }.Any(d => d.ContainsKey(Profile.Ci.Name)))
        .Select(c => c.Id);

    private static IEnumerable<string> Stale(IEnumerable<ClaimDefinition> claims, Func<Profile, string, Verdict?> verdictAt) => claims
        .SelectMany(c => c.InconclusiveAt.Keys.Select(p => (c.Id, Profile: p)))
        .Where(x => !ProfileNames.TryParse(x.Profile, out var profile) || verdictAt(profile, x.Id) != Verdict.Inconclusive)
        .Select(x => $"{x.Id} at {x.Profile}");

    private static Verdict? VerdictAt(Profile profile, string id) =>
        File.Exists(Baselines.VerifiedPath(profile, id)) ? Baselines.ReadVerified(profile, id).Verdict : null;
}
