using YamlDotNet.RepresentationModel;

namespace Grokking.Tests.Unit.Report;

/// <summary>Reading YAML documents (workflows, job definitions) by path, failing with the path when a node is missing.</summary>
internal static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    public static YamlNode? Find(this YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    public static YamlMappingNode Map(this YamlNode node, params string[] path) =>
        node.Find(path) as YamlMappingNode ?? throw new KeyNotFoundException($"no mapping at {string.Join('.', path)}");

    public static YamlSequenceNode Seq(this YamlNode node, params string[] path) =>
        node.Find(path) as YamlSequenceNode ?? throw new KeyNotFoundException($"no sequence at {string.Join('.', path)}");

    /// <summary>The scalar at the path; null when there is none.</summary>
    public static string? Text(this YamlNode node, params string[] path) => (node.Find(path) as YamlScalarNode)?.Value;

    /// <summary>A scalar, or a sequence of scalars, as a list.</summary>
    public static IReadOnlyList<string> Texts(this YamlNode node, params string[] path) => node.Find(path) switch
    {
        YamlScalarNode s => [s.Value ?? ""],
        YamlSequenceNode q => [.. q.Children.OfType<YamlScalarNode>().Select(c => c.Value ?? "")],
        _ => [],
    };

    public static IReadOnlyList<string> Keys(this YamlMappingNode map) => [.. map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "")];
}
