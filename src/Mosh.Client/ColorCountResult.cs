namespace Mosh.Client;

/// <summary>What <c>mosh-client -c</c> prints and exits with.</summary>
internal readonly record struct ColorCountResult(int ExitStatus, string StandardOutput, string StandardError);
