using Grokking.Claims.Contracts;

namespace Grokking.Claims;

/// <summary>
/// The blocks of claims/blocks/, by name, and their inclusion into claims: a claim gets every parameter of the
/// blocks it includes that it does not state itself. Two included blocks that state one name, an unknown block and a
/// name a claim states twice are definition errors naming the file and field.
/// </summary>
public sealed class ParameterBlocks
{
    private readonly Dictionary<string, ParameterBlock> byName;

    private ParameterBlocks(Dictionary<string, ParameterBlock> blocks) => byName = blocks;

    public static ParameterBlocks Load(string directory, Func<string, ParameterBlock> read, Func<string, string> relative)
    {
        var blocks = new Dictionary<string, ParameterBlock>(StringComparer.Ordinal);
        foreach (string file in Directory.Exists(directory) ? Directory.GetFiles(directory, "*.json").Order().ToArray() : [])
        {
            var block = read(file);
            block.File = relative(file);
            string expected = Path.GetFileNameWithoutExtension(file);
            Require(block.Name == expected, block.File, "name", $"is '{block.Name}' but the file is named '{expected}'");
            Require(block.About.Trim().Length > 0, block.File, "about", "is missing: say what the block defines");
            Require(block.RuleParameters.Count > 0, block.File, "ruleParameters", "is empty");
            RequireUniqueNames(block.RuleParameters, block.File);
            blocks[block.Name] = block;
        }

        return new ParameterBlocks(blocks);
    }

    /// <summary>Adds the included blocks' parameters the claim does not override, after its own (overrides keep their reason).</summary>
    public void Resolve(ClaimDefinition claim)
    {
        RequireUniqueNames(claim.RuleParameters, claim.File);
        var own = claim.RuleParameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var included = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in claim.Include)
        {
            Require(byName.TryGetValue(name, out var block), claim.File, "include",
                $"names '{name}', which is not a block of claims/{ParameterBlock.Directory}/ ({string.Join(", ", byName.Keys)})");
            foreach (var parameter in block!.RuleParameters.Where(p => !own.Contains(p.Name)))
            {
                Require(included.TryAdd(parameter.Name, name), claim.File, "include",
                    $"blocks '{included.GetValueOrDefault(parameter.Name)}' and '{name}' both state '{parameter.Name}'");
                claim.RuleParameters.Add(parameter);
            }
        }
    }

    private static void RequireUniqueNames(IEnumerable<RuleParameter> parameters, string file)
    {
        string? repeated = parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1)?.Key;
        Require(repeated is null, file, $"ruleParameters.{repeated}", "is stated twice");
    }

    private static void Require(bool ok, string file, string field, string problem)
    {
        if (!ok)
        {
            throw new ClaimDefinitionException(file, field, problem);
        }
    }
}
