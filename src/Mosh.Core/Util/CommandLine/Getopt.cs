namespace Mosh.Util.CommandLine;

/// <summary>One result of <see cref="Getopt"/>: an option letter with its argument, or an error to report.</summary>
internal readonly record struct GetoptItem(char Option, string? Argument, string? Error)
{
    public bool IsError => Error is not null;
}

/// <summary>
/// Short options the way the C library's getopt reads them, as upstream's servers and clients are driven by it:
/// clusters ("-sv"), attached or separate arguments ("-p60001", "-p 60001"), operands mixed with options and
/// collected in order, and an error message (naming <c>errorPrefix</c>, getopt's argv[0]) for an unknown option or a
/// missing argument. The caller stops at "--" itself.
/// </summary>
internal static class Getopt
{
    /// <param name="optionsWithArgument">Letters that take an argument.</param>
    /// <param name="flags">Letters that take none.</param>
    public static (List<GetoptItem> Items, List<string> Operands) Scan(
        IReadOnlyList<string> args, string optionsWithArgument, string flags, string errorPrefix)
    {
        var items = new List<GetoptItem>();
        var operands = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                operands.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                for (int j = i + 1; j < args.Count; j++)
                {
                    operands.Add(args[j]);
                }
                break;
            }
            for (int k = 1; k < arg.Length; k++)
            {
                char letter = arg[k];
                if (optionsWithArgument.Contains(letter, StringComparison.Ordinal))
                {
                    if (k + 1 < arg.Length)
                    {
                        items.Add(new GetoptItem(letter, arg[(k + 1)..], null));
                    }
                    else if (i + 1 < args.Count)
                    {
                        items.Add(new GetoptItem(letter, args[++i], null));
                    }
                    else
                    {
                        items.Add(new GetoptItem('?', null, $"{errorPrefix}: option requires an argument -- '{letter}'"));
                    }
                    break;
                }
                if (flags.Contains(letter, StringComparison.Ordinal))
                {
                    items.Add(new GetoptItem(letter, null, null));
                }
                else
                {
                    items.Add(new GetoptItem('?', null, $"{errorPrefix}: invalid option -- '{letter}'"));
                }
            }
        }
        return (items, operands);
    }
}
