using System.Collections;

namespace Mosh.Wrapper;

/// <summary>
/// An editable copy of the environment handed to children and to exec. (.NET keeps its own copy of the
/// environment, so Environment.SetEnvironmentVariable would not reach execve; the wrapper passes this block.)
/// </summary>
internal sealed class EnvironmentBlock
{
    private readonly Dictionary<string, string> _variables;

    public EnvironmentBlock(IDictionary<string, string> variables) =>
        _variables = new Dictionary<string, string>(variables, StringComparer.Ordinal);

    /// <summary>This process's environment now.</summary>
    public static EnvironmentBlock FromCurrentProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        return new EnvironmentBlock(variables);
    }

    public string? this[string name]
    {
        get => _variables.TryGetValue(name, out string? value) ? value : null;
        set
        {
            if (value is null)
            {
                _variables.Remove(name);
            }
            else
            {
                _variables[name] = value;
            }
        }
    }

    public EnvironmentBlock Clone() => new(_variables);

    /// <summary>"NAME=value" strings, as execve wants them.</summary>
    public string[] ToEntries()
    {
        var entries = new string[_variables.Count];
        int i = 0;
        foreach (var (name, value) in _variables)
        {
            entries[i++] = name + "=" + value;
        }
        return entries;
    }
}
