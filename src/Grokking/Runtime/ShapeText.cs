namespace Grokking.Runtime;

/// <summary>A tensor's or an array's shape as error messages print it: [2, 3, 4].</summary>
public static class ShapeText
{
    public static string Of<T>(IEnumerable<T> shape) => $"[{string.Join(", ", shape)}]";
}
