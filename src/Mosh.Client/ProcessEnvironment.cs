using Mosh.Util;

namespace Mosh.Client;

/// <summary>Reads and removes environment variables both in .NET's copy and in the C library's environ.</summary>
internal static class ProcessEnvironment
{
    /// <summary>Returns the variable's value (or null) and removes it, so children never inherit it.</summary>
    public static string? Take(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, null);
        // .NET keeps its own copy of the environment; the C library's must lose the value too.
        _ = LibC.UnsetEnv(name);
        return value;
    }
}
