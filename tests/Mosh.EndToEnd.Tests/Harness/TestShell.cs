namespace Mosh.EndToEnd.Harness;

/// <summary>A predictable interactive shell for sessions: bash without rc files and with a fixed prompt, so a
/// test can wait for the prompt before typing (keys typed earlier are echoed by the tty before the shell runs,
/// which garbles the screen).</summary>
internal static class TestShell
{
    public const string Prompt = "e2e$ ";

    public static IReadOnlyList<string> Command { get; } = ["/bin/bash", "--norc", "--noprofile"];

    /// <summary>Environment that makes <see cref="Command"/> print <see cref="Prompt"/>.</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>
    {
        ["PS1"] = Prompt,
        ["HISTFILE"] = "/dev/null",
    };

    /// <summary>True when the last non-blank screen line is a fresh prompt.</summary>
    public static bool ShowsPrompt(string screen)
    {
        string last = screen.TrimEnd().Split('\n')[^1];
        return last == Prompt.TrimEnd();
    }
}
