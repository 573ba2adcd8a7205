namespace Mosh.Wrapper;

/// <summary>How an option takes its value.</summary>
internal enum OptionArity
{
    /// <summary>A flag such as <c>--local</c>.</summary>
    Flag,
    /// <summary>A flag that also has <c>--no-NAME</c> and <c>--noNAME</c> forms.</summary>
    NegatableFlag,
    /// <summary>An option that needs a value, either <c>--name=value</c> or <c>--name value</c>.</summary>
    Value,
    /// <summary>An option with an optional value, given only as <c>--name=value</c> (<c>--attach[=PID]</c>).</summary>
    OptionalValue,
}

/// <summary>One option the scanner recognises; <paramref name="Names"/> are its spellings without dashes.</summary>
internal sealed record OptionSpec(int Id, OptionArity Arity, params string[] Names)
{
    /// <summary>Recognised only when spelled out in full: an option of ours that upstream's wrapper lacks must not make
    /// one of upstream's abbreviations ambiguous (<c>-l</c> stays <c>--local</c> next to <c>--list</c>).</summary>
    public bool ExactOnly { get; init; }
}

/// <summary>One option found on the command line.</summary>
internal readonly record struct ScannedOption(int Id, string? Value, bool Negated);
