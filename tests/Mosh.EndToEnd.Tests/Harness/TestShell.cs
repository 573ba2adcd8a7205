namespace Mosh.EndToEnd.Harness;

/// <summary>A predictable interactive shell for sessions: bash without rc files and with a fixed prompt, so a
/// test can wait for the prompt before typing (keys typed earlier are echoed by the tty before the shell runs,
/// which garbles the screen). The prompt is set by <c>env</c> in the command itself because a non-interactive
/// bash on the way (ssh's remote command) drops an inherited PS1.</summary>
internal static class TestShell
{
    public const string Prompt = "e2e$ ";

    public static IReadOnlyList<string> Command { get; } =
        ["/usr/bin/env", "PS1=" + Prompt, "HISTFILE=/dev/null", "/bin/bash", "--norc", "--noprofile"];

    /// <summary>True when the last non-blank screen line is a fresh prompt.</summary>
    public static bool ShowsPrompt(string screen)
    {
        string last = screen.TrimEnd().Split('\n')[^1];
        return last == Prompt.TrimEnd();
    }
}
