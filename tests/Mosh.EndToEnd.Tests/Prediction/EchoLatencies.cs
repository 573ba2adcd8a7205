using System.Globalization;

namespace Mosh.EndToEnd.Prediction;

/// <summary>One typed key: which line of the session it belonged to and how long until it showed (ms; null: never).</summary>
internal readonly record struct KeyLatency(int Line, char Key, double? Milliseconds);

/// <summary>
/// What one typing session measured: every key's time to screen (the first keys of each line included: they
/// are what prediction has to win), the mispredictions seen (the screen showing something on the typed line, or
/// elsewhere, that the server's frames then contradict), how long each spell of them lasted, and anything wrong still
/// shown once a line had settled.
/// </summary>
internal sealed class EchoLatencies(string client, IReadOnlyList<KeyLatency> keys, int mispredictions, IReadOnlyList<string> wrongLeft,
    IReadOnlyList<double>? wrongSpellsMs = null)
{
    public string Client { get; } = client;

    public IReadOnlyList<KeyLatency> Keys { get; } = keys;

    /// <summary>Distinct wrong screens seen while typing (a character shown that the server later contradicted).</summary>
    public int Mispredictions { get; } = mispredictions;

    /// <summary>Descriptions of screens that were still wrong after the server's frames had arrived.</summary>
    public IReadOnlyList<string> WrongLeft { get; } = wrongLeft;

    /// <summary>ms each spell of wrong screens lasted, from the first wrong screen until the screen was right again
    /// (the repair); infinity for one still wrong when its line settled.</summary>
    public IReadOnlyList<double> WrongSpellsMs { get; } = wrongSpellsMs ?? [];

    /// <summary>Every key, sorted; one never seen counts as infinitely late.</summary>
    public double[] Measured => Sorted(Keys);

    /// <summary>Every key but those of the session's first line (typed before the client had seen the prompt echo).</summary>
    public double[] MeasuredAfterFirstLine => Sorted(Keys.Where(k => k.Line > 0));

    public double Median => Percentile(Measured, 0.5);

    public double P90 => Percentile(Measured, 0.9);

    public double FractionWithin(double milliseconds) => FractionWithin(Measured, milliseconds);

    public static double FractionWithin(double[] measured, double milliseconds) =>
        measured.Length == 0 ? 0 : (double)measured.Count(l => l <= milliseconds) / measured.Length;

    public static double Percentile(double[] sorted, double quantile)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double rank = quantile * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        return high == low || double.IsInfinity(sorted[high]) ? sorted[low] : sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary>The session's keys line by line, each key's ms ("-": never seen).</summary>
    public string PerKeyText => string.Join(" | ", Keys.GroupBy(k => k.Line).Select(line =>
        string.Join(' ', line.Select(k => k.Milliseconds is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "-"))));

    private static double[] Sorted(IEnumerable<KeyLatency> keys) =>
        [.. keys.Select(k => k.Milliseconds ?? double.PositiveInfinity).Order()];

    /// <summary>A fixed-width table of several runs, one row each.</summary>
    public static string Table(string title, params EchoLatencies[] runs)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(title);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"client",-34} {"keys",5} {"<=20ms",7} {"median",9} {"p90",9} {"mispred",7} {"wrong left",10} {"<=20ms after line 1",20}");
        foreach (EchoLatencies run in runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{run.Client,-34} {run.Measured.Length,5} {run.FractionWithin(20),7:P1} {Ms(run.Median),9} {Ms(run.P90),9} {run.Mispredictions,7} {run.WrongLeft.Count,10} {FractionWithin(run.MeasuredAfterFirstLine, 20),20:P1}");
        }

        foreach (EchoLatencies run in runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{run.Client} per key (ms), line by line: {run.PerKeyText}");
            foreach (string wrong in run.WrongLeft)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{run.Client} wrong left: {wrong}");
            }
        }

        return text.ToString();
    }

    /// <summary>A Markdown table row: condition, client/server, keys within 20 ms (all, and after line 1), median, p90, mispredictions, wrong left.</summary>
    public string MarkdownRow(string condition) => string.Create(CultureInfo.InvariantCulture,
        $"| {condition} | {Client} | {FractionWithin(20):P1} | {FractionWithin(MeasuredAfterFirstLine, 20):P1} | {Ms(Median)} | {Ms(P90)} | {Mispredictions} | {WrongLeft.Count} |");

    public const string MarkdownHeader =
        "| Link | Client, server | keys within 20 ms | within 20 ms after line 1 | median | p90 | mispredictions seen | wrong left |\n|---|---|---|---|---|---|---|---|";

    private static string Ms(double value) =>
        double.IsInfinity(value) ? "never" : value.ToString("0.0", CultureInfo.InvariantCulture) + "ms";
}
