namespace Mosh.EndToEnd.Harness;

/// <summary>How a <see cref="TmuxSession"/> starts its single pane.</summary>
internal sealed record TmuxOptions
{
    public int Width { get; init; } = 80;

    public int Height { get; init; } = 24;

    /// <summary>TERM inside the pane (tmux's default-terminal).</summary>
    public string Term { get; init; } = "xterm-256color";

    /// <summary>Environment of the pane's command on top of the test's (LANG=C.UTF-8 unless overridden;
    /// a null value unsets).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public string? WorkingDirectory { get; init; }

    /// <summary>Lines of scrollback the pane keeps (tmux's history-limit).</summary>
    public int HistoryLimit { get; init; } = 10000;
}
