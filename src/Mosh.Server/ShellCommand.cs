namespace Mosh.Server;

/// <summary>
/// What the server runs on its pty: the command after <c>--</c>, or the user's login shell ($SHELL, else the
/// passwd entry's shell, else /bin/sh) with argv[0] "-name", which also gets the message of the day.
/// </summary>
internal sealed record ShellCommand(string Path, IReadOnlyList<string> Argv, bool WithMotd)
{
    private const string BourneShell = "/bin/sh";

    public static ShellCommand Resolve(IReadOnlyList<string>? command, Func<string, string?> getEnvironment,
        Func<string?> passwdShell)
    {
        if (command is { Count: > 0 })
        {
            return new ShellCommand(command[0], command, WithMotd: false);
        }

        string? shell = getEnvironment("SHELL") ?? passwdShell();
        if (string.IsNullOrEmpty(shell))
        {
            shell = BourneShell; // an empty shell field means the Bourne shell
        }

        string name = shell[(shell.LastIndexOf('/') + 1)..];
        return new ShellCommand(shell, ["-" + name], WithMotd: true);
    }
}
