namespace Mosh.Wrapper;

/// <summary>
/// Scans arguments the way the upstream wrapper's option library does, so users get the same behaviour:
/// options and operands may be mixed (operands are collected in order), "--" ends the options, one or two
/// leading dashes are equivalent, names are case-insensitive and may be abbreviated to any unique prefix
/// (so "-l" means "--local"), and every problem is reported before the caller gives up.
/// </summary>
internal static class LongOptionScanner
{
    public static (List<ScannedOption> Options, List<string> Operands, List<string> Errors) Scan(
        IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        var options = new List<ScannedOption>();
        var operands = new List<string>();
        var errors = new List<string>();

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                for (int j = i + 1; j < args.Count; j++)
                {
                    operands.Add(args[j]);
                }
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                operands.Add(arg);
                continue;
            }

            string body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            string? inlineValue = null;
            int equals = body.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = body[(equals + 1)..];
                body = body[..equals];
            }
            string name = body.ToLowerInvariant();

            // Names are matched case-insensitively as Getopt::Long does, except a name of ours spelled with a
            // capital ("-L"), which only its exact spelling reaches ("-l" stays --local).
            OptionSpec? spec = ExactCapitalSpelling(body, specs);
            bool negated = false;
            string? error = null;
            if (spec is null && !TryResolve(name, specs, out spec, out negated, out error))
            {
                errors.Add(error);
                continue;
            }

            if (spec.Arity == OptionArity.Value)
            {
                if (inlineValue is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        errors.Add($"Option {name} requires an argument");
                        continue;
                    }
                    inlineValue = args[++i];
                }
                options.Add(new ScannedOption(spec.Id, inlineValue, false));
            }
            else if (spec.Arity == OptionArity.OptionalValue)
            {
                options.Add(new ScannedOption(spec.Id, inlineValue, false));
            }
            else if (inlineValue is not null)
            {
                errors.Add($"Option {name} does not take an argument");
            }
            else
            {
                options.Add(new ScannedOption(spec.Id, null, negated));
            }
        }
        return (options, operands, errors);
    }

    private static OptionSpec? ExactCapitalSpelling(string body, IReadOnlyList<OptionSpec> specs)
    {
        foreach (OptionSpec spec in specs)
        {
            foreach (string spelling in spec.Names)
            {
                if (spelling == body && HasCapital(spelling))
                {
                    return spec;
                }
            }
        }

        return null;
    }

    private static bool HasCapital(string text)
    {
        foreach (char c in text)
        {
            if (char.IsUpper(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryResolve(string name, IReadOnlyList<OptionSpec> specs,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OptionSpec? found, out bool negated,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        // An exact spelling always wins, even when it is also a prefix of another name ("n", "predict").
        foreach (OptionSpec spec in specs)
        {
            foreach (string spelling in Spellings(spec))
            {
                if (spelling == name)
                {
                    found = spec;
                    negated = IsNegated(spec, spelling);
                    error = null;
                    return true;
                }
            }
        }

        OptionSpec? match = null;
        bool matchNegated = false;
        var candidates = new SortedSet<string>(StringComparer.Ordinal);
        foreach (OptionSpec spec in specs)
        {
            if (spec.ExactOnly)
            {
                continue;
            }

            foreach (string spelling in Spellings(spec))
            {
                if (spelling.StartsWith(name, StringComparison.Ordinal))
                {
                    // Each option counts once, under its main name (or the negated spelling that matched).
                    match = spec;
                    matchNegated = IsNegated(spec, spelling);
                    candidates.Add(matchNegated ? spelling : spec.Names[0]);
                    break;
                }
            }
        }

        if (candidates.Count == 1 && match is not null)
        {
            found = match;
            negated = matchNegated;
            error = null;
            return true;
        }
        found = null;
        negated = false;
        error = candidates.Count == 0
            ? $"Unknown option: {name}"
            : $"Option {name} is ambiguous ({string.Join(", ", candidates)})";
        return false;
    }

    private static IEnumerable<string> Spellings(OptionSpec spec)
    {
        foreach (string n in spec.Names)
        {
            yield return n;
        }
        if (spec.Arity == OptionArity.NegatableFlag)
        {
            foreach (string n in spec.Names)
            {
                yield return "no-" + n;
                yield return "no" + n;
            }
        }
    }

    private static bool IsNegated(OptionSpec spec, string spelling) =>
        spec.Arity == OptionArity.NegatableFlag && Array.IndexOf(spec.Names, spelling) < 0;
}
