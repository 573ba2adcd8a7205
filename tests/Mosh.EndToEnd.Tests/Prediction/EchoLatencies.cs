using System.Globalization;

namespace Mosh.EndToEnd.Prediction;

/// <summary>How long each keystroke of a typed line took to show on the client's screen (ms; null: never seen).</summary>
internal sealed class EchoLatencies(string client, IReadOnlyList<double?> perKey, int warmupKeys)
{
    public string Client { get; } = client;

    public IReadOnlyList<double?> PerKey { get; } = perKey;

    /// <summary>Keys at the start of the line left out of the figures: predictions start once the server has
    /// echoed one of them.</summary>
    public int WarmupKeys { get; } = warmupKeys;

    /// <summary>The keys after the warm-up; one never seen counts as infinitely late.</summary>
    public double[] Measured => [.. PerKey.Skip(WarmupKeys).Select(l => l ?? double.PositiveInfinity).Order()];

    public double Median => Percentile(Measured, 0.5);

    public double P90 => Percentile(Measured, 0.9);

    public double FractionWithin(double milliseconds) =>
        Measured.Length == 0 ? 0 : (double)Measured.Count(l => l <= milliseconds) / Measured.Length;

    public static double Percentile(double[] sorted, double quantile)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double rank = quantile * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public string PerKeyText => string.Join(' ', PerKey.Select(l => l is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "-"));

    /// <summary>A fixed-width table of several runs, one row each.</summary>
    public static string Table(string title, params EchoLatencies[] runs)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(title);
        text.AppendLine(CultureInfo.InvariantCulture, $"{"client",-28} {"keys",5} {"<=20ms",7} {"median",8} {"p90",8}");
        foreach (EchoLatencies run in runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{run.Client,-28} {run.Measured.Length,5} {run.FractionWithin(20),7:P0} {run.Median,6:0.0}ms {run.P90,6:0.0}ms");
        }

        foreach (EchoLatencies run in runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{run.Client} per key (ms, first {run.WarmupKeys} not counted): {run.PerKeyText}");
        }

        return text.ToString();
    }
}
