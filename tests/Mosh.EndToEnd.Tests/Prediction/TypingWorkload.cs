namespace Mosh.EndToEnd.Prediction;

/// <summary>
/// What a typing session types, line by line, keys <see cref="TypingSession.MinKeyGapMs"/> to
/// <see cref="TypingSession.MaxKeyGapMs"/> ms apart, starting a line once the screen shows where it goes (a user
/// who looks before typing): shell command lines at the test shell's prompt, then (if any) lines typed in vim.tiny's
/// insert mode. Every line is distinct and prints
/// a distinct output, so no screen state of one line can pass for another's. Setup lines, if any, come first; a
/// shell line may settle on other text than its keys (<see cref="SettledLines"/>).
/// </summary>
internal sealed record TypingWorkload(string Name, IReadOnlyList<string> ShellLines, IReadOnlyList<string> VimLines)
{
    /// <summary>The command that starts vim.tiny without any configuration, in nocompatible mode (shows "-- INSERT --"), without the intro screen.</summary>
    public const string VimCommand = "vim.tiny -u NONE -i NONE -N --cmd 'set shm+=I'";

    /// <summary>Command lines typed at the prompt before the measured ones, with the same rhythm and checked for wrong
    /// screens like them, but their keys are not timed (e.g. a readline binding the measured lines rely on). Each
    /// must print nothing.</summary>
    public IReadOnlyList<string> SetupLines { get; init; } = [];

    /// <summary>The text a shell line settles on where the shell shows its keys as something else (e.g. a readline
    /// macro), one character per key; the line (an echo) then prints the settled text. Other lines settle on their keys.</summary>
    public IReadOnlyDictionary<string, string> SettledLines { get; init; } = new Dictionary<string, string>();

    /// <summary>What the screen ends up showing for a typed shell line.</summary>
    public string SettledText(string typed) => SettledLines.TryGetValue(typed, out string? settled) ? settled : typed;

    /// <summary>Two shell lines (about 45 keys): the start-of-line effect is counted, and the run stays short for make check.</summary>
    public static TypingWorkload Short { get; } = new("2 shell lines", ["echo alpha bravo", "echo charlie delta echo"], []);

    /// <summary>Four shell lines, the vim command line and three insert-mode lines (about 220 keys).</summary>
    public static TypingWorkload Full { get; } = new(
        "4 shell lines + vim.tiny and 3 insert-mode lines",
        ["echo alpha bravo charlie", "echo delta echo foxtrot", "echo golf hotel india juliet", "echo kilo lima mike"],
        ["the quick brown fox jumps over", "a lazy dog while typing slowly", "and every key is timed here"]);

    /// <summary>Keys the session measures (the vim command line counts as a shell line).</summary>
    public int KeyCount =>
        ShellLines.Sum(l => l.Length) + VimLines.Sum(l => l.Length) + (VimLines.Count > 0 ? VimCommand.Length : 0);
}
