using Grokking.Configuration;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// A GitHub Actions workflow: job 'shards', a matrix over the 0-based shard indices on [self-hosted, linux, gpu] runners,
/// each verifying its shard (index from GROKKING_SHARD_INDEX) and uploading its records as 'records-&lt;index&gt;'; job
/// 'merge' (no GPU), after all of them, downloading every 'records-*' artifact, merging and judging them against the
/// committed baselines, and writing the report to the job summary and as an artifact. nightly.yml is this workflow for
/// the paper profile.
/// </summary>
public static class GitHubMatrixJob
{
    public static string Render(ShardJobRequest request) => $$$"""
        # grokking verify --emit github-matrix --shards {{{request.Count}}} {{{request.Selection}}}
        # {{{request.Count}}} shard jobs train their claims on GPU runners, each uploading its result records; the merge job (no GPU)
        # joins them into one report judged against baselines/{{{request.Profile.Name}}}. Save as .github/workflows/<name>.yml.
        name: grokking-shards

        on:
          workflow_dispatch:

        jobs:

        """ + Shards(request) + Merge(request);

    private static string Shards(ShardJobRequest request) => $$$"""
          shards:
            name: shard ${{ matrix.index }} of {{{request.Count}}}
            runs-on: [self-hosted, linux, gpu]
            timeout-minutes: 720
            strategy:
              fail-fast: false
              matrix:
                index: {{{ShardJobs.IndexList(request.Count)}}}
            env:
              GROKKING_SHARD_INDEX: ${{ matrix.index }}
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-dotnet@v4
                with:
                  dotnet-version: 10.0.x
              - name: Build for CUDA
                run: {{{ShardJobRequest.Build}}}
              - name: Verify this shard
                run: {{{request.ShardCommand("records")}}}
              - uses: actions/upload-artifact@v4
                if: always()
                with:
                  name: records-${{ matrix.index }}
                  path: records/
                  if-no-files-found: ignore

        """;

    private static string Merge(ShardJobRequest request) => $$$"""
          merge:
            needs: shards
            if: always()
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-dotnet@v4
                with:
                  dotnet-version: 10.0.x
              - uses: actions/download-artifact@v4
                with:
                  pattern: records-*
                  path: records
              - name: Merge the records and judge them against the baselines
                run: {{{request.MergeCommand("./grokking", "records")}}}
              - name: Report to the job summary
                if: always()
                run: test -f report/report.md && cat report/report.md >> "$GITHUB_STEP_SUMMARY" || true
              - uses: actions/upload-artifact@v4
                if: always()
                with:
                  name: report-{{{request.Profile.Name}}}
                  path: report/

        """;
}
