namespace Mosh.EndToEnd.Prediction;

/// <summary>
/// What a typing session types, line by line, keys <see cref="TypingSession.MinKeyGapMs"/> to
/// <see cref="TypingSession.MaxKeyGapMs"/> ms apart, starting a line once the screen shows where it goes (a user
/// who looks before typing): shell command lines at the test shell's prompt, then (if any) lines typed in vim.tiny's
/// insert mode. Every line is distinct and prints
/// a distinct output, so no screen state of one line can pass for another's.
/// </summary>
internal sealed record TypingWorkload(string Name, IReadOnlyList<string> ShellLines, IReadOnlyList<string> VimLines)
{
    /// <summary>The command that starts vim.tiny without any configuration, in nocompatible mode (shows "-- INSERT --"), without the intro screen.</summary>
    public const string VimCommand = "vim.tiny -u NONE -i NONE -N --cmd 'set shm+=I'";

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
