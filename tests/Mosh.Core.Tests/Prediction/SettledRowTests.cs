using System.Text;
using Mosh.Prediction;
using Mosh.Terminal;

namespace Mosh.Tests.Prediction;

/// <summary>
/// Rows whose predictions all wait for their echo are judged, and skipped when drawing, from their
/// <see cref="PredictedRowSummary"/> (<see cref="PredictionEngine.JudgesSettledRowsWhole"/>). These tests hold that
/// shortcut to the cell-by-cell answer: two engines, one with it and one without, go through the same sessions.
/// </summary>
internal sealed class SettledRowTests
{
    private static readonly string[] Keys =
    [
        "a", "b", "x", "Z", "1", " ", "é", "日", "\x7f", "\x7f", "\r", "\x1b[C", "\x1b[D", "\t", "\x03",
    ];

    private static readonly string[] Echoes =
    [
        "a", "b", "x", "q", " ", "\b \b", "\r\n$ ", "\r\n", "\x1b[K", "\x1b[2J\x1b[H$ ", "日", "\x1b[A", "\x1b[B",
    ];

    [TestCase(DisplayPreference.Adaptive)]
    [TestCase(DisplayPreference.Always)]
    [TestCase(DisplayPreference.Experimental)]
    public void Judging_waiting_rows_whole_shows_the_same_screens_as_judging_each_cell(DisplayPreference preference)
    {
        for (int seed = 1; seed <= 40; seed++)
        {
            var rng = new Random(seed);
            var whole = new EchoScript(preference, width: 12, height: 5, sendInterval: 150);
            var eachCell = new EchoScript(preference, width: 12, height: 5, sendInterval: 150, judgesSettledRowsWhole: false);
            foreach (EchoScript s in (ReadOnlySpan<EchoScript>)[whole, eachCell])
            {
                s.TypeEchoed("$ ").TypeEchoed("l"); // two frames sent (echoes may leave up to two in flight), an epoch confirmed
            }

            var log = new StringBuilder();
            for (int step = 0; step < 300; step++)
            {
                string action = Act(rng, whole, eachCell);
                log.Append(action).Append(' ');
                Framebuffer a = whole.Render(), b = eachCell.Render();
                string where = $"seed {seed}, step {step}, after: {log}";
                Assert.That(Describe(a), Is.EqualTo(Describe(b)), where);
                Assert.That(a.Equals(b), Is.True, where);
                Assert.That(whole.Engine.IsFlagging, Is.EqualTo(eachCell.Engine.IsFlagging), where);
                Assert.That(whole.Engine.HasPredictions, Is.EqualTo(eachCell.Engine.HasPredictions), where);
            }
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void A_prediction_waiting_off_the_servers_cursor_row_still_shows_once_it_is_overdue(bool judgesSettledRowsWhole)
    {
        // A fast link: predictions show only once one has waited past the glitch thresholds.
        var s = new EchoScript(DisplayPreference.Adaptive, sendInterval: 20, judgesSettledRowsWhole: judgesSettledRowsWhole)
            .TypeEchoed("$ ").TypeEchoed("l");
        s.Type("s");
        s.ServerPrints("\x1b[B", framesInFlight: 1); // the server's cursor leaves the row; the "s" is not echoed yet
        Assert.That(s.Line(0), Is.EqualTo("$ l"));
        s.Advance(PredictionConstants.GlitchFlagThreshold);
        s.Render();
        Framebuffer shown = s.Render();
        Assert.That(shown.GetRow(0).ToString().TrimEnd(), Is.EqualTo("$ ls"));
        Assert.That(shown.GetCell(0, 3).Renditions.Has(TextAttributes.Underline), Is.True, "long overdue: underlined");
    }

    private static string Act(Random rng, EchoScript a, EchoScript b)
    {
        switch (rng.Next(10))
        {
            case < 5:
                string key = Keys[rng.Next(Keys.Length)];
                a.Type(key);
                b.Type(key);
                return $"type({Escape(key)})";
            case < 7:
                string echo = Echoes[rng.Next(Echoes.Length)];
                int inFlight = rng.Next(3);
                a.ServerPrints(echo, inFlight);
                b.ServerPrints(echo, inFlight);

                return $"print({Escape(echo)},{inFlight})";
            case 7:
                a.ServerReceivesOnly();
                b.ServerReceivesOnly();
                return "receives";
            case 8:
                long ms = rng.Next(700);
                a.Advance(ms);
                b.Advance(ms);
                return $"wait({ms})";
            default:
                int interval = rng.Next(4) switch { 0 => 20, 1 => 40, 2 => 150, _ => 300 };
                a.Engine.SetSendInterval(interval);
                b.Engine.SetSendInterval(interval);
                return $"interval({interval})";
        }
    }

    private static string Describe(Framebuffer frame)
    {
        var text = new StringBuilder();
        for (int r = 0; r < frame.Height; r++)
        {
            text.Append(frame.GetRow(r).ToString()).Append('|');
        }

        return text.Append(frame.State.CursorRow).Append(',').Append(frame.State.CursorColumn).ToString();
    }

    private static string Escape(string s) => s.Replace("\x1b", "ESC", StringComparison.Ordinal).Replace("\r", "CR", StringComparison.Ordinal)
        .Replace("\n", "LF", StringComparison.Ordinal).Replace("\x7f", "DEL", StringComparison.Ordinal);
}
