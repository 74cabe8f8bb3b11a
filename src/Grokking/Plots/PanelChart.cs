using System.Globalization;
using System.Text;
using Grokking.Runtime;
using ScottPlot;
using SkiaSharp;

namespace Grokking.Plots;

/// <summary>
/// Line charts side by side in one figure (MC's figures: loss | error | gradient norm against t), written as PNG
/// and SVG. Each panel is drawn by <see cref="LineChart.Build"/>, so panels look like every other chart here.
/// </summary>
public static class PanelChart
{
    private const int PanelWidth = 560;
    private const int PanelHeight = 460;
    private const int TitleHeight = 36;

    public static IReadOnlyList<string> Write(string directory, string name, string title, IReadOnlyList<ChartPanel> panels)
    {
        if (panels.Count == 0)
        {
            throw new ArgumentException("a panel chart needs at least one panel", nameof(panels));
        }

        var plots = panels.Select(p => LineChart.Build(p.Title, p.XLabel, p.YLabel, p.Series, p.Markers, p.LogY)).ToList();
        int width = PanelWidth * plots.Count;
        int height = PanelHeight + TitleHeight;

        string png = Path.Combine(directory, name + ".png");
        using (var surface = SKSurface.Create(new SKImageInfo(width, height)))
        {
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            using var font = new SKFont(SKTypeface.Default, 20);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(title, width / 2f, TitleHeight - 10, SKTextAlign.Center, font, ink);
            for (int i = 0; i < plots.Count; i++)
            {
                using var panel = SKBitmap.Decode(plots[i].GetImageBytes(PanelWidth, PanelHeight, ImageFormat.Png));
                canvas.DrawBitmap(panel, i * PanelWidth, TitleHeight);
            }

            using var image = surface.Snapshot();
            using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
            AtomicFile.WriteAllBytes(png, encoded.ToArray());
        }

        // Each panel's own SVG nested at its offset: valid SVG without re-implementing the drawing.
        var svg = new StringBuilder();
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(
            CultureInfo.InvariantCulture,
            $"<text x=\"{width / 2}\" y=\"{TitleHeight - 10}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"20\">"
            + $"{System.Security.SecurityElement.Escape(title)}</text>\n");
        for (int i = 0; i < plots.Count; i++)
        {
            string inner = LineChart.SolidSvg(plots[i], PanelWidth, PanelHeight);
            int start = inner.IndexOf("<svg", StringComparison.Ordinal);
            inner = start < 0 ? inner : inner[start..];
            svg.Append(
                CultureInfo.InvariantCulture, $"<svg x=\"{i * PanelWidth}\" y=\"{TitleHeight}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\">\n");
            svg.Append(inner).Append("\n</svg>\n");
        }

        svg.Append("</svg>\n");
        string svgPath = Path.Combine(directory, name + ".svg");
        AtomicFile.WriteAllText(svgPath, svg.ToString());
        return [png, svgPath];
    }
}
