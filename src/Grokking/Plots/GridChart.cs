using System.Globalization;
using System.Text;
using Grokking.Runtime;
using ScottPlot;
using SkiaSharp;

namespace Grokking.Plots;

/// <summary>
/// Charts on a grid under one title, written as PNG and SVG: a figure of several panels (PanelChart's row of MC's loss |
/// error | gradient norm, the history's verdict and comparisons of one claim). Each panel is drawn by ScottPlot itself,
/// so panels look like every other chart here.
/// </summary>
public static class GridChart
{
    private const int TitleHeight = 36;

    /// <summary>Writes <paramref name="name"/>.png and .svg: the panels row by row, <paramref name="columns"/> a row.</summary>
    public static IReadOnlyList<string> Write(
        string directory, string name, string title, IReadOnlyList<Plot> panels, int columns, int panelWidth, int panelHeight)
    {
        if (panels.Count == 0)
        {
            throw new ArgumentException("a grid chart needs at least one panel", nameof(panels));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        columns = Math.Min(columns, panels.Count);
        int rows = (panels.Count + columns - 1) / columns;
        int width = panelWidth * columns;
        int height = (panelHeight * rows) + TitleHeight;
        var offsets = Enumerable.Range(0, panels.Count)
            .Select(i => (X: i % columns * panelWidth, Y: TitleHeight + (i / columns * panelHeight)))
            .ToList();

        string png = Path.Combine(directory, name + ".png");
        using (var surface = SKSurface.Create(new SKImageInfo(width, height)))
        {
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            using var font = new SKFont(SKTypeface.Default, 20);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(title, width / 2f, TitleHeight - 10, SKTextAlign.Center, font, ink);
            for (int i = 0; i < panels.Count; i++)
            {
                using var panel = SKBitmap.Decode(panels[i].GetImageBytes(panelWidth, panelHeight, ImageFormat.Png));
                canvas.DrawBitmap(panel, offsets[i].X, offsets[i].Y);
            }

            using var image = surface.Snapshot();
            using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
            AtomicFile.WriteAllBytes(png, encoded.ToArray());
        }

        string svgPath = Path.Combine(directory, name + ".svg");
        AtomicFile.WriteAllText(svgPath, Svg(title, panels, offsets, width, height, panelWidth, panelHeight));
        return [png, svgPath];
    }

    /// <summary>Each panel's own SVG nested at its offset: valid SVG without re-implementing the drawing.</summary>
    private static string Svg(
        string title, IReadOnlyList<Plot> panels, List<(int X, int Y)> offsets, int width, int height, int panelWidth, int panelHeight)
    {
        var svg = new StringBuilder();
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{width / 2}\" y=\"{TitleHeight - 10}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"20\">"
            + $"{System.Security.SecurityElement.Escape(title)}</text>\n");
        for (int i = 0; i < panels.Count; i++)
        {
            string inner = LineChart.SolidSvg(panels[i], panelWidth, panelHeight);
            int start = inner.IndexOf("<svg", StringComparison.Ordinal);
            inner = start < 0 ? inner : inner[start..];
            svg.Append(
                CultureInfo.InvariantCulture,
                $"<svg x=\"{offsets[i].X}\" y=\"{offsets[i].Y}\" width=\"{panelWidth}\" height=\"{panelHeight}\">\n");
            svg.Append(inner).Append("\n</svg>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
