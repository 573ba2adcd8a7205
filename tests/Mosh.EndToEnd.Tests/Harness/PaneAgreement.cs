namespace Mosh.EndToEnd.Harness;

/// <summary>
/// Compares the client's pane of a mosh session with the same program run directly in tmux: mosh sends frames as
/// they settle, so the two are polled until they agree, and then asserted equal (so a timeout shows the difference).
/// </summary>
internal static class PaneAgreement
{
    /// <summary>Text with SGR attributes, the cursor and the pane's size.</summary>
    public static async Task<string> ScreenAsync(TmuxSession pane) =>
        await pane.CapturePaneAsync(withEscapes: true).ConfigureAwait(false)
        + await pane.DisplayAsync("cursor #{cursor_x},#{cursor_y} size #{pane_width}x#{pane_height}").ConfigureAwait(false);

    public static async Task AssertSameScreenAsync(TmuxSession viaMosh, TmuxSession direct, TimeSpan timeout, string? scenario = null)
    {
        string throughMosh = "", plain = "";
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    throughMosh = await ScreenAsync(viaMosh).ConfigureAwait(false);
                    plain = await ScreenAsync(direct).ConfigureAwait(false);
                    return throughMosh == plain;
                },
                timeout,
                () => "the screens to agree").ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Compared (and the difference shown) below.
        }

        Assert.That(throughMosh, Is.EqualTo(plain), scenario);
    }
}
